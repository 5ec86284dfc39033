using System;
using System.Collections.Generic;
using BinanceKeys.Keys;

namespace BinanceKeys.Secrets
{
    /// <summary>
    /// A place for API secrets and private keys: the local vault, or (in the cmdlet layer) a SecretManagement vault.
    /// Listing returns metadata only; <see cref="Get"/> returns the secret in an entry the caller disposes.
    /// </summary>
    public interface ISecretStore : IDisposable
    {
        /// <summary>Names the store in messages: "local vault '/path'" or "SecretManagement vault 'name'".</summary>
        string Description { get; }

        /// <summary>Every entry's metadata, never a secret.</summary>
        IReadOnlyList<VaultEntryInfo> List();

        /// <summary>Whether an entry of that name exists (case-insensitive).</summary>
        bool Contains(string name);

        /// <summary>The entry with its secret; dispose it to clear the secret.</summary>
        VaultEntry Get(string name);

        /// <summary>Stores an entry; an existing name is an error unless <paramref name="overwrite"/>.</summary>
        void Set(VaultEntry entry, bool overwrite);

        /// <summary>Removes an entry.</summary>
        void Remove(string name);
    }

    /// <summary>Names under which new keys' secrets are stored when the user gives none: account/label.</summary>
    public static class SecretNames
    {
        /// <summary>"desk-a@example.com/reporting", or "broker-1001/reporting" for a broker sub-account.</summary>
        public static string ForKey(AccountReference account, string label) => account.Kind switch
        {
            AccountKind.SubAccount => account.Email + "/" + label,
            AccountKind.BrokerSubAccount => "broker-" + account.BrokerSubAccountId + "/" + label,
            _ => "own/" + label,
        };
    }

    /// <summary>Hands a new key's one-time secret to a secret store, under a given name, never over an existing entry.</summary>
    public sealed class SecretStoreSink : IRevocableSecretSink
    {
        private readonly ISecretStore store;
        private readonly string name;

        /// <summary>Creates the sink.</summary>
        public SecretStoreSink(ISecretStore store, string name)
        {
            this.store = store ?? throw new ArgumentNullException(nameof(store));
            this.name = name ?? throw new ArgumentNullException(nameof(name));
        }

        /// <inheritdoc />
        public string Destination => $"{store.Description} entry '{name}'";

        /// <inheritdoc />
        public void Store(ApiKeyInfo key, char[] secret)
        {
            var info = new VaultEntryInfo(name, "hmac", key.ApiKey, key.Email ?? key.BrokerSubAccountId ?? key.Account, key.Label, DateTime.UtcNow);
            using var entry = new VaultEntry(info, secret);
            store.Set(entry, overwrite: false);
        }

        /// <inheritdoc />
        public void Revoke() => store.Remove(name);

        /// <inheritdoc />
        public override string ToString() => Destination;
    }
}

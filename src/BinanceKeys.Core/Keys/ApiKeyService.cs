using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace BinanceKeys.Keys
{
    /// <summary>
    /// What the single-key cmdlets call: one method per user action, over the reader (<see cref="KeyReader"/>) and the
    /// one write path (<see cref="KeyWriter"/>) that applies use too. Every write is checked by the policy engine first
    /// (an Error finding stops it before anything is sent), a write whose outcome is unknown is settled by reading the
    /// state back, and every change is read back and verified before it is reported.
    /// </summary>
    public sealed class ApiKeyService
    {
        private readonly KeyReader reader;
        private readonly KeyChangePolicy policy;
        private readonly KeyWriter writer;

        /// <summary>
        /// Creates the service over a connection; <paramref name="log"/> gets progress lines, <paramref name="warn"/> policy
        /// warnings, <paramref name="records"/> (optional) the module's record of the keys it creates.
        /// </summary>
        public ApiKeyService(BinanceConnection connection, Action<string>? log = null, Action<string>? warn = null, IKeyRecordBook? records = null)
        {
            reader = new KeyReader(connection, records);
            policy = new KeyChangePolicy(warn: warn ?? log);
            writer = new KeyWriter(connection, policy, records, log);
        }

        /// <summary>Whether Default Security Controls are assumed on (see <see cref="KeyChangePolicy.AssumeDefaultSecurityControls"/>).</summary>
        public bool AssumeDefaultSecurityControls
        {
            get => policy.AssumeDefaultSecurityControls;
            set => policy.AssumeDefaultSecurityControls = value;
        }

        /// <summary>The connected key itself.</summary>
        public Task<ApiKeyInfo> GetOwnKeyAsync(CancellationToken cancellation) => reader.GetOwnKeyAsync(cancellation);

        /// <summary>
        /// The keys of an account with their IP whitelists, or one key, or those whose label <paramref name="labelFilter"/>
        /// accepts (only those have their whitelists read); <paramref name="progress"/> hears (done, total).
        /// </summary>
        public Task<IReadOnlyList<ApiKeyInfo>> GetKeysAsync(AccountReference account, string? apiKey, CancellationToken cancellation, Action<int, int>? progress = null,
            Func<string, bool>? labelFilter = null) =>
            reader.GetKeysAsync(account, apiKey, cancellation, progress, labelFilter);

        /// <summary>The labels of an account's keys, from one key query (no IP reads).</summary>
        public Task<IReadOnlyList<string>> GetLabelsAsync(AccountReference account, CancellationToken cancellation) =>
            reader.GetLabelsAsync(account, cancellation);

        /// <summary>The master account's sub-accounts.</summary>
        public Task<IReadOnlyList<SubAccountInfo>> GetSubAccountsAsync(string? email, CancellationToken cancellation) => reader.GetSubAccountsAsync(email, cancellation);

        /// <summary>The broker's sub-accounts.</summary>
        public Task<IReadOnlyList<SubAccountInfo>> GetBrokerSubAccountsAsync(string? subAccountId, CancellationToken cancellation) =>
            reader.GetBrokerSubAccountsAsync(subAccountId, cancellation);

        /// <summary>Creates a key (see <see cref="KeyWriter.CreateAsync"/>).</summary>
        public Task<ApiKeyInfo> CreateKeyAsync(NewKeyRequest request, ISecretSink? secretSink, CancellationToken cancellation) =>
            writer.CreateAsync(request, secretSink, cancellation);

        /// <summary>Changes a key's IP whitelist (replace, add, remove, or lift), then reads it back and verifies it.</summary>
        public Task<ApiKeyInfo> SetIpRestrictionAsync(AccountReference account, string apiKey, IpChangeMode mode, IReadOnlyList<string> addresses, ApiKeyType? knownType, CancellationToken cancellation) =>
            writer.SetIpRestrictionAsync(account, apiKey, mode, addresses, knownType, cancellation);

        /// <summary>Sets a key's permissions to exactly <paramref name="permissions"/> (Reading implied), then reads them back.</summary>
        public Task<ApiKeyInfo> SetPermissionAsync(AccountReference account, string apiKey, ISet<ApiKeyPermission> permissions, ApiKeyType? knownType, CancellationToken cancellation) =>
            writer.SetPermissionAsync(account, apiKey, permissions, knownType, cancellation);

        /// <summary>Deletes a key.</summary>
        public Task RemoveKeyAsync(AccountReference account, string apiKey, CancellationToken cancellation) => writer.RemoveAsync(account, apiKey, cancellation);
    }
}

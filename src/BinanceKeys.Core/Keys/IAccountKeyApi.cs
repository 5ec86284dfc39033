using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;

namespace BinanceKeys.Keys
{
    /// <summary>
    /// Binance's key endpoints for one account, whichever family serves it: sub-accounts by email (docs/binance.md
    /// §2.3, §2.4) or Binance Link broker sub-accounts by id (§2.6). Everything above this interface is written once
    /// for both kinds; the differences between the families live in the two implementations and in the capability
    /// properties below.
    /// </summary>
    public interface IAccountKeyApi
    {
        /// <summary>The account these endpoints act on.</summary>
        AccountReference Account { get; }

        /// <summary>Whether one create call can set the IP whitelist and every permission (sub-accounts); broker creates cannot.</summary>
        bool CreatesAtomically { get; }

        /// <summary>Whether Binance keeps the key's label (broker keys have none on Binance).</summary>
        bool KeepsLabels { get; }

        /// <summary>The endpoints behind each operation, for plans and their time estimates.</summary>
        AccountKeyEndpoints Endpoints { get; }

        /// <summary>Every key of the account, or the one key <paramref name="apiKey"/> (none when the account has no such key).</summary>
        Task<IReadOnlyList<RemoteApiKey>> QueryAsync(string? apiKey, CancellationToken cancellation);

        /// <summary>The key's IP restriction.</summary>
        Task<IpRestriction> GetIpAsync(string apiKey, CancellationToken cancellation);

        /// <summary>Restricts the key to <paramref name="ips"/> (Binance may append them to the list), or lifts the restriction.</summary>
        Task<IpRestriction> UpdateIpAsync(string apiKey, bool restrict, IReadOnlyCollection<string>? ips, CancellationToken cancellation);

        /// <summary>Removes addresses from the key's whitelist.</summary>
        Task<IpRestriction> DeleteIpsAsync(string apiKey, IReadOnlyCollection<string> ips, CancellationToken cancellation);

        /// <summary>
        /// Creates a key. Where <see cref="CreatesAtomically"/> is false, the key is created with reading only and no
        /// IP restriction, whatever <paramref name="request"/> asks: the caller restricts it, then grants.
        /// </summary>
        Task<CreatedApiKey> CreateAsync(KeyCreateCall request, CancellationToken cancellation);

        /// <summary>Sets the key's API-settable permissions to exactly <paramref name="wanted"/>; <paramref name="current"/> is what Binance reports now.</summary>
        Task SetPermissionsAsync(string apiKey, ISet<ApiKeyPermission> wanted, IReadOnlyCollection<ApiKeyPermission> current, CancellationToken cancellation);

        /// <summary>Deletes the key.</summary>
        Task DeleteAsync(string apiKey, CancellationToken cancellation);

        /// <summary>What Binance tells about the account that the rules need (futures, margin); unknown fields stay null.</summary>
        Task<LiveAccountFacts> FactsAsync(CancellationToken cancellation);

        /// <summary>Whether a key Binance reported (possibly masked) is the key <paramref name="apiKey"/>.</summary>
        bool IsSameKey(string reported, string apiKey);
    }

    /// <summary>What a create sends: label, permissions, IP whitelist and, for Ed25519/RSA keys, the public key.</summary>
    public sealed class KeyCreateCall
    {
        /// <summary>The label (Binance's apiName).</summary>
        public string Label { get; set; } = string.Empty;

        /// <summary>Permissions, Reading implied.</summary>
        public ISet<ApiKeyPermission> Permissions { get; set; } = new HashSet<ApiKeyPermission>();

        /// <summary>Trusted IPs; empty: unrestricted.</summary>
        public IReadOnlyList<string> IpAddress { get; set; } = Array.Empty<string>();

        /// <summary>The SPKI PEM of an Ed25519 or RSA key; null for HMAC.</summary>
        public string? PublicKeyPem { get; set; }
    }

    /// <summary>The account facts Binance reports (null: not reported for this kind of account).</summary>
    public sealed class LiveAccountFacts
    {
        /// <summary>Whether the account's futures account is open.</summary>
        public bool? FuturesEnabled { get; set; }

        /// <summary>Whether margin is enabled on the account.</summary>
        public bool? MarginEnabled { get; set; }
    }

    /// <summary>The endpoint behind each key operation of one account family.</summary>
    public sealed class AccountKeyEndpoints
    {
        /// <summary>Lists keys (one call per page).</summary>
        public BinanceEndpoint Query { get; set; } = null!;

        /// <summary>Reads one key's IP whitelist.</summary>
        public BinanceEndpoint GetIp { get; set; } = null!;

        /// <summary>Sets or lifts the IP restriction.</summary>
        public BinanceEndpoint UpdateIp { get; set; } = null!;

        /// <summary>Removes addresses from the whitelist.</summary>
        public BinanceEndpoint DeleteIps { get; set; } = null!;

        /// <summary>Creates a key (the public-key variant where they differ).</summary>
        public BinanceEndpoint Create { get; set; } = null!;

        /// <summary>Deletes a key.</summary>
        public BinanceEndpoint Delete { get; set; } = null!;

        /// <summary>Changes permissions; broker keys need extra calls for universal transfer and options.</summary>
        public BinanceEndpoint SetPermissions { get; set; } = null!;

        /// <summary>Broker only: the universal-transfer switch.</summary>
        public BinanceEndpoint? SetUniversalTransfer { get; set; }

        /// <summary>Broker only: the European options switch.</summary>
        public BinanceEndpoint? SetOptions { get; set; }

        /// <summary>Reads the account's facts (sub-accounts only).</summary>
        public BinanceEndpoint? Facts { get; set; }
    }

    /// <summary>Chooses the key endpoints for an account.</summary>
    public static class AccountKeyApi
    {
        /// <summary>The endpoints of <paramref name="account"/>'s family; the own account has none (its keys are web-UI only).</summary>
        public static IAccountKeyApi For(BinanceClient client, AccountReference account) => account.Kind switch
        {
            AccountKind.SubAccount => new SubAccountKeyApi(client, account),
            AccountKind.BrokerSubAccount => new BrokerKeyApi(client, account),
            _ => throw new ArgumentException("The calling account's own keys cannot be changed through Binance's API.", nameof(account)),
        };

        /// <summary>The endpoints of an account family (for plans, without a connection).</summary>
        public static AccountKeyEndpoints EndpointsOf(AccountKind kind) => kind switch
        {
            AccountKind.SubAccount => SubAccountKeyApi.SubAccountEndpoints,
            AccountKind.BrokerSubAccount => BrokerKeyApi.BrokerEndpoints,
            _ => throw new ArgumentException("The calling account's own keys have no key endpoints.", nameof(kind)),
        };
    }
}

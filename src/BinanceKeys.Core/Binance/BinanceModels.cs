using System;
using System.Collections.Generic;

namespace BinanceKeys.Binance
{
    /// <summary>
    /// GET /sapi/v1/account/apiRestrictions: the calling key's own permissions (docs/binance.md §2.2), field by field as
    /// Binance's SDK models carry them, plus <see cref="TradingAuthorityExpirationTime"/> (§9).
    /// </summary>
    public sealed class ApiRestrictions
    {
        public bool IpRestrict { get; set; }
        public DateTimeOffset? CreateTime { get; set; }
        public bool EnableReading { get; set; }
        public bool EnableWithdrawals { get; set; }
        public bool EnableInternalTransfer { get; set; }
        public bool EnableMargin { get; set; }
        public bool EnableFutures { get; set; }
        public bool PermitsUniversalTransfer { get; set; }
        public bool EnableVanillaOptions { get; set; }
        public bool EnableFixApiTrade { get; set; }
        public bool EnableFixReadOnly { get; set; }
        public bool EnableSpotAndMarginTrading { get; set; }
        public bool EnablePortfolioMarginTrading { get; set; }

        /// <summary>
        /// When spot and margin trading lapses on this key, which has no IP whitelist (docs/binance.md §9); null when
        /// Binance reports no expiry (a whitelisted key, or no trading).
        /// </summary>
        public DateTimeOffset? TradingAuthorityExpirationTime { get; set; }
    }

    /// <summary>GET /sapi/v1/account/info (docs/binance.md §2.2).</summary>
    public sealed class AccountInfo
    {
        public int? VipLevel { get; set; }
        public bool IsMarginEnabled { get; set; }
        public bool IsFutureEnabled { get; set; }
        public bool IsOptionsEnabled { get; set; }
        public bool IsPortfolioMarginRetailEnabled { get; set; }
    }

    /// <summary>One row of GET /sapi/v1/sub-account/list, joined with /sapi/v1/sub-account/status (docs/binance.md §2.5).</summary>
    public sealed class SubAccountRecord
    {
        public long? SubUserId { get; set; }
        public string Email { get; set; } = string.Empty;
        public string? Remark { get; set; }
        public bool IsFreeze { get; set; }
        public DateTimeOffset? CreateTime { get; set; }
        public bool IsManagedSubAccount { get; set; }
        public bool IsAssetManagementSubAccount { get; set; }
        public bool? IsMarginEnabled { get; set; }
        public bool? IsFutureEnabled { get; set; }
    }

    /// <summary>A broker sub-account (GET /sapi/v1/broker/subAccount, docs/binance.md §2.6).</summary>
    public sealed class BrokerSubAccountRecord
    {
        public string SubAccountId { get; set; } = string.Empty;
        public string? Email { get; set; }
        public string? Tag { get; set; }
        public DateTimeOffset? CreateTime { get; set; }
    }

    /// <summary>
    /// A key as Binance's sub-account and broker endpoints describe it. Permission flags are null where the
    /// endpoint does not report them (the broker query has no universal-transfer or options flag).
    /// </summary>
    public sealed class RemoteApiKey
    {
        public string ApiKey { get; set; } = string.Empty;
        public string? ApiName { get; set; }
        public string? Email { get; set; }
        public string? SubAccountId { get; set; }
        public bool? CanTrade { get; set; }
        public bool? CanMarginLoanRepay { get; set; }
        public bool? CanFuturesTrade { get; set; }
        public bool? CanUniversalTransfer { get; set; }
        public bool? CanVanillaOptions { get; set; }
        public bool? CanFixApiTrading { get; set; }
        public bool? CanFixApiReading { get; set; }
        public DateTimeOffset? CreateTime { get; set; }

        /// <inheritdoc />
        public override string ToString() => $"{ApiName ?? "(no label)"} {ApiKey}";
    }

    /// <summary>A key's IP restriction (docs/binance.md §2.4, §2.6); <c>ipRestrict</c> arrives as a string or a boolean.</summary>
    public sealed class IpRestriction
    {
        public string? ApiKey { get; set; }
        public bool IpRestrict { get; set; }

        /// <summary>The <c>status</c> of a create or update answer (1 unrestricted, 2 trusted IPs, 3 a third party's IPs); null where the answer has none.</summary>
        public int? Status { get; set; }
        public IReadOnlyList<string> IpList { get; set; } = Array.Empty<string>();
        public DateTimeOffset? UpdateTime { get; set; }
    }

    /// <summary>
    /// What a create returned. For an HMAC key it holds the one-time secret, which can be read once with
    /// <see cref="TakeSecret"/> and is cleared on dispose; ToString never shows it.
    /// </summary>
    public sealed class CreatedApiKey : IDisposable
    {
        private char[]? secret;

        internal CreatedApiKey(RemoteApiKey key, char[]? secret, IpRestriction? ip)
        {
            Key = key;
            this.secret = secret is { Length: > 0 } ? secret : null;
            IpRestriction = ip;
        }

        /// <summary>The key as the create response described it.</summary>
        public RemoteApiKey Key { get; }

        /// <summary>The IP restriction the response reported, if any.</summary>
        public IpRestriction? IpRestriction { get; }

        /// <summary>Whether Binance returned a secret (HMAC keys only).</summary>
        public bool HasSecret => secret != null;

        /// <summary>Hands the secret over (the caller clears it); a second call returns null.</summary>
        public char[]? TakeSecret()
        {
            char[]? taken = secret;
            secret = null;
            return taken;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (secret != null) Array.Clear(secret, 0, secret.Length);
            secret = null;
        }

        /// <inheritdoc />
        public override string ToString() => $"created {Key} (secret {(HasSecret ? "present, redacted" : "none")})";
    }

    /// <summary>The IP access of a sub-account key create (docs/binance.md §2.3 <c>status</c>).</summary>
    public enum IpRestrictionStatus
    {
        /// <summary>1: unrestricted.</summary>
        Unrestricted = 1,

        /// <summary>2: trusted IPs only.</summary>
        TrustedIps = 2,

        /// <summary>3: a third party's IP list.</summary>
        ThirdParty = 3,
    }
}

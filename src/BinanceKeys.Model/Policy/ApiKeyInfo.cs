using System;
using System.Linq;

namespace BinanceKeys
{
    /// <summary>One Binance API key as the module sees it; property names equal the parameters of the cmdlets that consume it.</summary>
    /// <remarks>Never carries a secret: HMAC secrets and private keys live in their stores only.</remarks>
    public sealed class ApiKeyInfo
    {
        private ApiKeyPermission[] permission = Array.Empty<ApiKeyPermission>();
        private string[] ipAddress = Array.Empty<string>();

        /// <summary>The local name of the account (the file's account name, or the email / sub-account id).</summary>
        public string? Account { get; set; }

        public AccountKind AccountKind { get; set; }

        /// <summary>The sub-account email, for <see cref="BinanceKeys.AccountKind.SubAccount"/>.</summary>
        public string? Email { get; set; }

        /// <summary>The broker sub-account id, for <see cref="BinanceKeys.AccountKind.BrokerSubAccount"/>.</summary>
        public string? BrokerSubAccountId { get; set; }

        /// <summary>The key's label (Binance's <c>apiName</c>), unique in its account, matched case-insensitively.</summary>
        public string? Label { get; set; }

        /// <summary>The public API key identifier (not a secret).</summary>
        public string? ApiKey { get; set; }

        /// <summary>Null when Binance did not say (its query endpoints do not report the type).</summary>
        public ApiKeyType? Type { get; set; }

        /// <summary>The key's permissions as a set: duplicates removed, always in enum order.</summary>
        public ApiKeyPermission[] Permission
        {
            get => permission;
            set => permission = (value ?? Array.Empty<ApiKeyPermission>()).Distinct().OrderBy(p => p).ToArray();
        }

        public IpAccessMode IpAccess { get; set; }

        /// <summary>The trusted IP list as a set: trimmed, duplicates removed, order kept for display only.</summary>
        public string[] IpAddress
        {
            get => ipAddress;
            set => ipAddress = (value ?? Array.Empty<string>())
                .Where(a => a != null).Select(a => a.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        }

        public DateTimeOffset? CreateTime { get; set; }

        /// <summary>When spot and margin trading expires on a key without an IP whitelist (null: no expiry reported).</summary>
        public DateTimeOffset? TradingAuthorityExpirationTime { get; set; }

        public override string ToString() => $"{Account}/{Label} ({Type?.ToString() ?? "unknown type"}, {string.Join(",", Permission)})";
    }
}

using System;

namespace BinanceKeys.Policy
{
    /// <summary>Binance's limits on API keys, each written once; the engine, the loader and the docs quote these.</summary>
    public static class BinanceLimits
    {
        // docs/binance.md §3: "Each sub-account can create up to 30 API Keys". Whether the master's 30 also counts
        // its sub-accounts' keys is UNCONFIRMED; we check 30 per account (master and each sub-account), the scope
        // Binance's FAQ states. A per-master cap would be stricter and is not enforced.
        public const int MaxKeysPerAccount = 30;

        // docs/binance.md §2.3 (create sub-account key): ipAddress is a comma-separated list, "max 500 chars".
        public const int MaxIpListCharacters = 500;

        // docs/binance.md §3: 30 IPs per key is stated only for the Fast API and by third parties (UNCONFIRMED for
        // sub-account and broker keys). Safe choice: enforce 30 everywhere.
        public const int MaxIpAddressesPerKey = 30;

        // docs/binance.md §3: "API Trading Symbol Whitelist: max 30 pairs per sub-account API key"; UI only.
        public const int MaxSymbolWhitelist = 30;

        // docs/binance.md §3: label (apiName) length and charset are UNCONFIRMED; the nearest documented cap is the
        // broker sub-account tag "< 32 chars". Safe choice: at most 31 characters.
        public const int MaxLabelLength = 31;

        // Label characters: UNCONFIRMED. Safe choice: ASCII letters, digits, '-', '_' and '.', starting with a letter
        // or digit; no spaces, because apiName travels in a percent-encoded signed payload whose encoding of a space
        // differs between SDKs (docs/binance.md §1.2).
        public const string LabelPattern = "^[A-Za-z0-9][A-Za-z0-9._-]*$";

        // docs/binance.md §2.2 and the 2021-07-08 announcement: on a key without whitelisted IPs, spot & margin trading
        // expires 30 days after it was enabled (current period UNCONFIRMED).
        public static readonly TimeSpan TradingPermissionLifetimeWithoutIpRestriction = TimeSpan.FromDays(30);

        // docs/binance.md §3: "IPv6 / CIDR support: UNCONFIRMED ... Design: validate IPv4, treat IPv6/CIDR as
        // unsupported unless tested." Kept as a flag so the day it is confirmed is a one-line change.
        public static readonly bool IpWhitelistAcceptsIpv6OrCidr = false;

        // docs/binance.md §3: the list is sent comma-separated with no spaces.
        public const char IpListSeparator = ',';
    }
}

using System;
using System.Collections.Generic;
using System.Linq;

namespace BinanceKeys.Policy
{
    /// <summary>One permission: its contract name and its field names in each Binance endpoint family.</summary>
    public sealed class PermissionDescriptor
    {
        internal PermissionDescriptor(ApiKeyPermission permission, string name, string displayName, string apiRestrictionsField,
            string? subAccountField, string? brokerField)
        {
            Permission = permission;
            Name = name;
            DisplayName = displayName;
            ApiRestrictionsField = apiRestrictionsField;
            SubAccountField = subAccountField;
            BrokerField = brokerField;
        }

        public ApiKeyPermission Permission { get; }

        /// <summary>The contract name used in files and parameters (docs/desired-state.md, README.md "Cmdlets").</summary>
        public string Name { get; }

        /// <summary>The name Binance's web UI shows.</summary>
        public string DisplayName { get; }

        /// <summary>Field in <c>GET /sapi/v1/account/apiRestrictions</c> (docs/binance.md §2.2).</summary>
        public string ApiRestrictionsField { get; }

        /// <summary>Parameter of the sub-account key endpoints (docs/binance.md §2.3); null: the API cannot set it.</summary>
        public string? SubAccountField { get; }

        /// <summary>Parameter of the broker key endpoints (docs/binance.md §2.6); null: the API cannot set it.</summary>
        public string? BrokerField { get; }

        /// <summary>Whether the API can set this permission on a key of that kind of account.</summary>
        public bool IsSettableByApi(AccountKind kind) => kind switch
        {
            AccountKind.SubAccount => SubAccountField != null,
            AccountKind.BrokerSubAccount => BrokerField != null,
            // docs/binance.md §0 (1): the caller's own keys cannot be changed through the API at all.
            _ => false,
        };
    }

    /// <summary>Every Binance permission mapped to its field names; the single source for names, parsing and API reach.</summary>
    public static class PermissionCatalog
    {
        // Reading is always on, so there is nothing to set; the fields are docs/binance.md §2.2, §2.3 and §2.6.
        // FIX permissions exist only on v2 create (§2.3), for Ed25519 keys; broker endpoints have none.
        // Withdrawals, internal transfer and portfolio margin trading have no write parameter anywhere: web UI only.
        public static readonly IReadOnlyList<PermissionDescriptor> All = new[]
        {
            new PermissionDescriptor(ApiKeyPermission.Reading, "reading", "Enable Reading", "enableReading", "(always on)", "(always on)"),
            new PermissionDescriptor(ApiKeyPermission.SpotAndMarginTrading, "spotAndMarginTrading", "Enable Spot & Margin Trading", "enableSpotAndMarginTrading", "canTrade", "canTrade"),
            new PermissionDescriptor(ApiKeyPermission.MarginLoanRepayTransfer, "marginLoanRepayTransfer", "Enable Margin Loan, Repay & Transfer", "enableMargin", "canMarginLoanRepay", "marginTrade"),
            new PermissionDescriptor(ApiKeyPermission.Futures, "futures", "Enable Futures", "enableFutures", "canFuturesTrade", "futuresTrade"),
            new PermissionDescriptor(ApiKeyPermission.InternalTransfer, "internalTransfer", "Enable Internal Transfer", "enableInternalTransfer", null, null),
            new PermissionDescriptor(ApiKeyPermission.UniversalTransfer, "universalTransfer", "Permits Universal Transfer", "permitsUniversalTransfer", "canUniversalTransfer", "canUniversalTransfer"),
            new PermissionDescriptor(ApiKeyPermission.Withdrawals, "withdrawals", "Enable Withdrawals", "enableWithdrawals", null, null),
            new PermissionDescriptor(ApiKeyPermission.EuropeanOptions, "europeanOptions", "Enable European Options", "enableVanillaOptions", "canVanillaOptions", "canVanillaOptions"),
            new PermissionDescriptor(ApiKeyPermission.FixApiTrading, "fixApiTrading", "FIX API trading", "enableFixApiTrade", "canFixApiTrading", null),
            new PermissionDescriptor(ApiKeyPermission.FixApiReading, "fixApiReading", "FIX API read-only", "enableFixReadOnly", "canFixApiReading", null),
            new PermissionDescriptor(ApiKeyPermission.PortfolioMarginTrading, "portfolioMarginTrading", "Portfolio Margin trading", "enablePortfolioMarginTrading", null, null),
        };

        private static readonly Dictionary<ApiKeyPermission, PermissionDescriptor> ByPermission = All.ToDictionary(d => d.Permission);

        public static IEnumerable<string> Names => All.Select(d => d.Name);

        public static PermissionDescriptor Get(ApiKeyPermission permission) => ByPermission[permission];

        public static string NameOf(ApiKeyPermission permission) => ByPermission[permission].Name;

        /// <summary>Parses a contract name; files use the exact spelling (as the schema's enum does), parameters any case.</summary>
        public static bool TryParse(string text, out ApiKeyPermission permission, bool ignoreCase = true)
        {
            foreach (var descriptor in All)
            {
                if (string.Equals(descriptor.Name, text, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                {
                    permission = descriptor.Permission;
                    return true;
                }
            }
            permission = default;
            return false;
        }
    }

    /// <summary>Contract names of key types and IP access modes, shared by the loader, the engine and the docs.</summary>
    public static class ContractNames
    {
        public static readonly IReadOnlyList<string> KeyTypes = new[] { "hmac", "ed25519", "rsa" };

        public static readonly IReadOnlyList<string> IpAccessModes = new[] { "unrestricted", "trusted", "thirdParty" };

        public static string Of(ApiKeyType type) => KeyTypes[(int)type];

        public static string Of(IpAccessMode mode) => mode == IpAccessMode.Unknown ? "unknown" : IpAccessModes[(int)mode];

        public static bool TryParseKeyType(string text, out ApiKeyType type, bool ignoreCase = true) => TryParse(KeyTypes, text, ignoreCase, out type);

        public static bool TryParseIpAccess(string text, out IpAccessMode mode, bool ignoreCase = true) => TryParse(IpAccessModes, text, ignoreCase, out mode);

        private static bool TryParse<T>(IReadOnlyList<string> names, string text, bool ignoreCase, out T value) where T : struct, Enum
        {
            for (int i = 0; i < names.Count; i++)
            {
                if (string.Equals(names[i], text, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                {
                    value = (T)Enum.ToObject(typeof(T), i);
                    return true;
                }
            }
            value = default;
            return false;
        }
    }
}

using System.Collections.Generic;
using System.Linq;
using BinanceKeys.Binance;

namespace BinanceKeys.Keys
{
    /// <summary>Permission sets to and from the flags of each endpoint family; field names come from <see cref="Policy.PermissionCatalog"/>.</summary>
    internal static class PermissionMapping
    {
        public static SubAccountPermissions ToSubAccount(ISet<ApiKeyPermission> permissions) => new SubAccountPermissions
        {
            CanTrade = permissions.Contains(ApiKeyPermission.SpotAndMarginTrading),
            CanMarginLoanRepay = permissions.Contains(ApiKeyPermission.MarginLoanRepayTransfer),
            CanFuturesTrade = permissions.Contains(ApiKeyPermission.Futures),
            CanUniversalTransfer = permissions.Contains(ApiKeyPermission.UniversalTransfer),
            CanVanillaOptions = permissions.Contains(ApiKeyPermission.EuropeanOptions),
            CanFixApiTrading = permissions.Contains(ApiKeyPermission.FixApiTrading),
            CanFixApiReading = permissions.Contains(ApiKeyPermission.FixApiReading),
        };

        public static BrokerPermissions ToBroker(ISet<ApiKeyPermission> permissions) => new BrokerPermissions
        {
            CanTrade = permissions.Contains(ApiKeyPermission.SpotAndMarginTrading),
            MarginTrade = permissions.Contains(ApiKeyPermission.MarginLoanRepayTransfer),
            FuturesTrade = permissions.Contains(ApiKeyPermission.Futures),
        };

        public static ApiKeyPermission[] FromRemote(RemoteApiKey key)
        {
            var set = new List<ApiKeyPermission> { ApiKeyPermission.Reading };
            if (key.CanTrade == true) set.Add(ApiKeyPermission.SpotAndMarginTrading);
            if (key.CanMarginLoanRepay == true) set.Add(ApiKeyPermission.MarginLoanRepayTransfer);
            if (key.CanFuturesTrade == true) set.Add(ApiKeyPermission.Futures);
            if (key.CanUniversalTransfer == true) set.Add(ApiKeyPermission.UniversalTransfer);
            if (key.CanVanillaOptions == true) set.Add(ApiKeyPermission.EuropeanOptions);
            if (key.CanFixApiTrading == true) set.Add(ApiKeyPermission.FixApiTrading);
            if (key.CanFixApiReading == true) set.Add(ApiKeyPermission.FixApiReading);
            return set.ToArray();
        }

        /// <summary>
        /// The permissions whose state a key query row reports (Reading always; a flag the endpoint left out is
        /// unknown, e.g. universal transfer and options on broker keys, docs/binance.md §2.6): only these can be
        /// compared with a desired state or verified after a change.
        /// </summary>
        public static ISet<ApiKeyPermission> Reported(RemoteApiKey key)
        {
            var set = new HashSet<ApiKeyPermission> { ApiKeyPermission.Reading };
            if (key.CanTrade.HasValue) set.Add(ApiKeyPermission.SpotAndMarginTrading);
            if (key.CanMarginLoanRepay.HasValue) set.Add(ApiKeyPermission.MarginLoanRepayTransfer);
            if (key.CanFuturesTrade.HasValue) set.Add(ApiKeyPermission.Futures);
            if (key.CanUniversalTransfer.HasValue) set.Add(ApiKeyPermission.UniversalTransfer);
            if (key.CanVanillaOptions.HasValue) set.Add(ApiKeyPermission.EuropeanOptions);
            if (key.CanFixApiTrading.HasValue) set.Add(ApiKeyPermission.FixApiTrading);
            if (key.CanFixApiReading.HasValue) set.Add(ApiKeyPermission.FixApiReading);
            return set;
        }

        public static ApiKeyPermission[] FromRestrictions(ApiRestrictions r)
        {
            var set = new List<ApiKeyPermission>();
            if (r.EnableReading) set.Add(ApiKeyPermission.Reading);
            if (r.EnableSpotAndMarginTrading) set.Add(ApiKeyPermission.SpotAndMarginTrading);
            if (r.EnableMargin) set.Add(ApiKeyPermission.MarginLoanRepayTransfer);
            if (r.EnableFutures) set.Add(ApiKeyPermission.Futures);
            if (r.EnableInternalTransfer) set.Add(ApiKeyPermission.InternalTransfer);
            if (r.PermitsUniversalTransfer) set.Add(ApiKeyPermission.UniversalTransfer);
            if (r.EnableWithdrawals) set.Add(ApiKeyPermission.Withdrawals);
            if (r.EnableVanillaOptions) set.Add(ApiKeyPermission.EuropeanOptions);
            if (r.EnableFixApiTrade) set.Add(ApiKeyPermission.FixApiTrading);
            if (r.EnableFixReadOnly) set.Add(ApiKeyPermission.FixApiReading);
            if (r.EnablePortfolioMarginTrading) set.Add(ApiKeyPermission.PortfolioMarginTrading);
            return set.ToArray();
        }

        /// <summary>Permissions that the API cannot set on this kind of account (Withdrawals, Internal Transfer, ...).</summary>
        public static IReadOnlyList<ApiKeyPermission> NotSettable(IEnumerable<ApiKeyPermission> permissions, AccountKind kind) =>
            permissions.Where(p => p != ApiKeyPermission.Reading && !Policy.PermissionCatalog.Get(p).IsSettableByApi(kind)).Distinct().ToList();
    }
}

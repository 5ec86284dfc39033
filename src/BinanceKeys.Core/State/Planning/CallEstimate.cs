using System;
using System.Collections.Generic;
using System.Linq;
using BinanceKeys.Binance;
using BinanceKeys.Keys;

namespace BinanceKeys.State.Planning
{
    /// <summary>
    /// The Binance calls each planned action makes through <see cref="KeyWriter"/> (reads for the safety checks and the
    /// read-back included), and what they cost at Binance's rate limits (docs/binance.md §4). A test compares these counts
    /// with the calls an apply really makes, so this model cannot drift from the write path.
    /// </summary>
    public static class CallEstimate
    {
        /// <summary>The calls of a create (with the account's facts already known, as in an apply).</summary>
        public static List<PlannedCall> Create(AccountKeyEndpoints endpoints, AccountKind kind, bool hasPublicKey, bool fixPermissions, ISet<ApiKeyPermission> permissions, int ipCount)
        {
            var calls = new Calls();
            calls.Add(endpoints.Query);                 // the account's keys: label check and policy count
            if (kind == AccountKind.SubAccount)
            {
                // v2 when a public key or FIX permissions are given, v1 otherwise (docs/binance.md §2.3).
                calls.Add(hasPublicKey || fixPermissions ? BinanceEndpoints.CreateSubAccountApiKeyV2 : BinanceEndpoints.CreateSubAccountApiKey);
            }
            else
            {
                calls.Add(endpoints.Create);
                if (ipCount > 0)
                {
                    calls.Add(endpoints.UpdateIp);
                    calls.Add(endpoints.GetIp);
                }
                AddBrokerGrant(calls, endpoints, permissions, new HashSet<ApiKeyPermission> { ApiKeyPermission.Reading });
            }
            calls.Add(endpoints.Query);                 // read back
            calls.Add(endpoints.GetIp);
            return calls.ToList();
        }

        /// <summary>The calls of an IP whitelist change; <paramref name="removesAddresses"/>: the key has addresses to drop.</summary>
        public static List<PlannedCall> UpdateIpWhitelist(AccountKeyEndpoints endpoints, bool restrict, bool removesAddresses)
        {
            var calls = new Calls();
            calls.Add(endpoints.Query);
            calls.Add(endpoints.GetIp);
            calls.Add(endpoints.UpdateIp);
            calls.Add(endpoints.GetIp);
            // Binance may append to the list (docs/binance.md §2.4, §8): addresses to drop go in a second call.
            if (restrict && removesAddresses)
            {
                calls.Add(endpoints.DeleteIps);
                calls.Add(endpoints.GetIp);
            }
            return calls.ToList();
        }

        /// <summary>The calls of a permission change from <paramref name="current"/> to <paramref name="wanted"/>.</summary>
        public static List<PlannedCall> UpdatePermissions(AccountKeyEndpoints endpoints, AccountKind kind, ISet<ApiKeyPermission> wanted, ISet<ApiKeyPermission> current)
        {
            var calls = new Calls();
            calls.Add(endpoints.Query);
            calls.Add(endpoints.GetIp);
            if (kind == AccountKind.SubAccount) calls.Add(endpoints.SetPermissions);
            else AddBrokerGrant(calls, endpoints, wanted, current);
            calls.Add(endpoints.Query);
            return calls.ToList();
        }

        /// <summary>The calls of a delete.</summary>
        public static List<PlannedCall> Delete(AccountKeyEndpoints endpoints)
        {
            var calls = new Calls();
            calls.Add(endpoints.Query);
            calls.Add(endpoints.Delete);
            return calls.ToList();
        }

        /// <summary>The calls of both, in order (a replace: create, then delete).</summary>
        public static List<PlannedCall> Concat(IEnumerable<PlannedCall> first, IEnumerable<PlannedCall> second)
        {
            var calls = new Calls();
            foreach (var call in first.Concat(second)) calls.Add(call.Endpoint, call.Count);
            return calls.ToList();
        }

        /// <summary>
        /// How long the calls take at Binance's limits: each endpoint has its own budget (UID 180,000 or IP 12,000 a
        /// minute for /sapi, 6,000 for all of /api), so the busiest endpoint sets the pace; endpoints run side by side.
        /// </summary>
        public static TimeSpan Duration(IEnumerable<PlannedCall> calls)
        {
            double minutes = 0;
            foreach (var group in calls.GroupBy(c => Budget(c.Endpoint)))
            {
                double weight = group.Sum(c => (double)c.Count * WeightOf(c.Endpoint));
                minutes = Math.Max(minutes, weight / LimitOf(group.First().Endpoint));
            }
            return TimeSpan.FromMinutes(minutes);
        }

        private static void AddBrokerGrant(Calls calls, AccountKeyEndpoints endpoints, ISet<ApiKeyPermission> wanted, ISet<ApiKeyPermission> current)
        {
            bool FlagsDiffer(ApiKeyPermission p) => wanted.Contains(p) != current.Contains(p);
            if (FlagsDiffer(ApiKeyPermission.SpotAndMarginTrading) || FlagsDiffer(ApiKeyPermission.MarginLoanRepayTransfer) || FlagsDiffer(ApiKeyPermission.Futures))
            {
                calls.Add(endpoints.SetPermissions);
            }
            if (FlagsDiffer(ApiKeyPermission.UniversalTransfer)) calls.Add(endpoints.SetUniversalTransfer!);
            if (FlagsDiffer(ApiKeyPermission.EuropeanOptions)) calls.Add(endpoints.SetOptions!);
        }

        private static readonly Dictionary<string, BinanceEndpoint> Known = typeof(BinanceEndpoints).GetFields()
            .Where(f => f.FieldType == typeof(BinanceEndpoint)).Select(f => (BinanceEndpoint)f.GetValue(null)!)
            .ToDictionary(e => e.ToString(), StringComparer.Ordinal);

        private static BinanceEndpoint? Lookup(string endpoint) => Known.TryGetValue(endpoint, out var known) ? known : null;

        private static string Budget(string endpoint) => Lookup(endpoint)?.BudgetKey ?? endpoint;

        private static double WeightOf(string endpoint) => Lookup(endpoint)?.Weight ?? 3000;

        private static double LimitOf(string endpoint) => Lookup(endpoint)?.LimitPerWindow ?? 180000;

        private sealed class Calls
        {
            private readonly List<PlannedCall> calls = new List<PlannedCall>();

            public void Add(BinanceEndpoint endpoint) => Add(endpoint.ToString(), 1);

            public void Add(string endpoint, int count)
            {
                var existing = calls.FirstOrDefault(c => c.Endpoint == endpoint);
                if (existing != null) existing.Count += count;
                else calls.Add(new PlannedCall { Endpoint = endpoint, Count = count });
            }

            public List<PlannedCall> ToList() => calls;
        }
    }
}

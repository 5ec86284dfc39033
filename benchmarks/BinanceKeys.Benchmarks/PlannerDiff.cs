using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using BinanceKeys.Binance;
using BinanceKeys.Keys;
using BinanceKeys.State;
using BinanceKeys.State.Planning;

namespace BinanceKeys.Benchmarks
{
    /// <summary>
    /// The diff of the offline benchmark: the planner comparing a loaded desired state with a live snapshot of the same
    /// keys (as if Binance already matched the file, with the module's records of every key), so that every key is
    /// compared in full and none is created. The snapshot stands for what the reads brought back: it is built once per
    /// file and not measured.
    /// </summary>
    public static class PlannerDiff
    {
        private static readonly ConcurrentDictionary<string, IReadOnlyList<LiveAccount>> Snapshots = new ConcurrentDictionary<string, IReadOnlyList<LiveAccount>>(StringComparer.Ordinal);

        /// <summary>Plans <paramref name="state"/> against the snapshot of its own keys; returns the planner's result.</summary>
        public static object Plan(DesiredState state)
        {
            var live = Snapshots.GetOrAdd(state.File ?? string.Empty, _ => SnapshotOf(state));
            var result = KeyPlanner.Run(state.Accounts, live, new PlanInputs());
            if (result.Actions.Any(a => a.IsChange)) throw new InvalidOperationException("The snapshot should match the file: the diff found changes.");
            return result;
        }

        private static IReadOnlyList<LiveAccount> SnapshotOf(DesiredState state)
        {
            var fingerprints = new Dictionary<string, string>(StringComparer.Ordinal);
            var accounts = new List<LiveAccount>();
            int serial = 0;
            foreach (var account in state.Accounts)
            {
                var reference = AccountReference.From(account.Email, account.BrokerSubAccountId);
                var live = new LiveAccount(reference) { Readable = reference.Kind != AccountKind.Own };
                foreach (var key in account.Keys)
                {
                    string apiKey = "bench" + (serial++).ToString("D59", System.Globalization.CultureInfo.InvariantCulture);
                    var permissions = key.PermissionSet;
                    string? fingerprint = null;
                    if (key.PublicKeyPem != null && !fingerprints.TryGetValue(key.PublicKeyPem, out fingerprint))
                    {
                        fingerprint = Crypto.PrivateKeyPem.Read(key.PublicKeyPem, null, "benchmark").PublicKey.Fingerprint;
                        fingerprints[key.PublicKeyPem] = fingerprint;
                    }
                    var record = new KeyRecord
                    {
                        AccountKind = reference.Kind, Email = reference.Email, BrokerSubAccountId = reference.BrokerSubAccountId,
                        Label = key.Label, ApiKey = apiKey, Type = key.Type ?? ApiKeyType.Hmac, PublicKeyFingerprint = fingerprint, SecretDestination = key.Secret,
                    };
                    var remote = new RemoteApiKey
                    {
                        ApiKey = apiKey,
                        ApiName = key.Label,
                        CanTrade = permissions.Contains(ApiKeyPermission.SpotAndMarginTrading),
                        CanMarginLoanRepay = permissions.Contains(ApiKeyPermission.MarginLoanRepayTransfer),
                        CanFuturesTrade = permissions.Contains(ApiKeyPermission.Futures),
                        CanUniversalTransfer = permissions.Contains(ApiKeyPermission.UniversalTransfer),
                        CanVanillaOptions = permissions.Contains(ApiKeyPermission.EuropeanOptions),
                    };
                    bool restricted = key.IpAccess == IpAccessMode.TrustedIps;
                    live.Keys.Add(new LiveKey(remote, apiKey, record)
                    {
                        Ip = new IpRestriction { ApiKey = apiKey, IpRestrict = restricted, IpList = restricted ? key.IpWhitelist.Select(e => e.Value).ToArray() : Array.Empty<string>() },
                        IpSource = BinanceKeys.ValueSource.Live,
                    });
                }
                accounts.Add(live);
            }
            return accounts;
        }
    }
}

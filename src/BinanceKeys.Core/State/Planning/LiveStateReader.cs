using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;
using BinanceKeys.Keys;
using BinanceKeys.State.Local;

namespace BinanceKeys.State.Planning
{
    /// <summary>
    /// Reads the live state of many accounts for a plan: each account's key list and each key's IP whitelist. Accounts
    /// are read side by side, so that every endpoint's budget is used at once and the run takes as long as its busiest
    /// endpoint needs (docs/binance.md §4: about 60 calls a minute per key endpoint); the client paces each endpoint.
    /// </summary>
    public sealed class LiveStateReader
    {
        private readonly BinanceConnection connection;
        private readonly LocalKeyState? local;

        /// <summary>Creates the reader; <paramref name="local"/> (optional) supplies records and the IP cache.</summary>
        public LiveStateReader(BinanceConnection connection, LocalKeyState? local)
        {
            this.connection = connection ?? throw new ArgumentNullException(nameof(connection));
            this.local = local;
        }

        /// <summary>How many accounts are read at the same time.</summary>
        public int Concurrency { get; set; } = 16;

        /// <summary>
        /// Reads <paramref name="accounts"/>. With <paramref name="useCachedIps"/>, IP whitelists come from the cache of the
        /// last plan where it has them (and are read live where it does not); every whitelist read live refreshes the cache.
        /// <paramref name="progress"/> hears (accounts done, accounts in all).
        /// </summary>
        public async Task<IReadOnlyList<LiveAccount>> ReadAsync(IReadOnlyList<AccountReference> accounts, bool useCachedIps, Action<int, int>? progress,
            CancellationToken cancellation)
        {
            var cache = local?.ReadCache() ?? new IpWhitelistCache();
            var facts = await SubAccountFactsAsync(accounts, cancellation).ConfigureAwait(false);
            var results = new LiveAccount[accounts.Count];
            int done = 0;
            progress?.Invoke(0, accounts.Count);
            using var gate = new SemaphoreSlim(Math.Max(1, Concurrency));
            var tasks = accounts.Select(async (account, index) =>
            {
                await gate.WaitAsync(cancellation).ConfigureAwait(false);
                try
                {
                    results[index] = await ReadAccountAsync(account, facts, cache, useCachedIps, cancellation).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
                progress?.Invoke(Interlocked.Increment(ref done), accounts.Count);
            }).ToList();
            await Task.WhenAll(tasks).ConfigureAwait(false);

            if (local != null)
            {
                // Keep the cache to the keys that exist: entries of deleted keys go, those read now are refreshed.
                foreach (var account in results.Where(a => a.Readable))
                {
                    string prefix = LocalKeyState.AccountKey(account.Account) + "|";
                    foreach (var stale in cache.Keys.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList()) cache.Keys.Remove(stale);
                    foreach (var key in account.Keys.Where(k => k.Ip != null))
                    {
                        cache.Keys[IpWhitelistCache.KeyOf(account.Account, key.ApiKey)] = new CachedIpWhitelist
                        {
                            IpRestrict = key.Ip!.IpRestrict,
                            IpList = key.Ip.IpList.ToArray(),
                            ReadAt = key.IpReadAt ?? DateTimeOffset.UtcNow,
                        };
                    }
                }
                local.WriteCache(cache);
            }
            return results;
        }

        /// <summary>The key lists of <paramref name="accounts"/> only (one call per account): what a saved plan's freshness is checked against.</summary>
        public async Task<IReadOnlyList<IReadOnlyList<RemoteApiKey>>> ReadKeyListsAsync(IReadOnlyList<AccountReference> accounts, CancellationToken cancellation)
        {
            var results = new IReadOnlyList<RemoteApiKey>[accounts.Count];
            using var gate = new SemaphoreSlim(Math.Max(1, Concurrency));
            await Task.WhenAll(accounts.Select(async (account, index) =>
            {
                await gate.WaitAsync(cancellation).ConfigureAwait(false);
                try
                {
                    results[index] = account.Kind == AccountKind.Own
                        ? Array.Empty<RemoteApiKey>()
                        : await AccountKeyApi.For(connection.Client, account).QueryAsync(null, cancellation).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
            return results;
        }

        private async Task<LiveAccount> ReadAccountAsync(AccountReference account, IReadOnlyDictionary<string, SubAccountRecord> facts, IpWhitelistCache cache, bool useCachedIps,
            CancellationToken cancellation)
        {
            var live = new LiveAccount(account);
            if (account.Kind == AccountKind.Own)
            {
                // docs/binance.md §0.1: the calling account's keys are web-UI only; the API reads none but the connected one.
                live.Readable = false;
                return live;
            }
            if (account.Kind == AccountKind.SubAccount && facts.TryGetValue(account.Email!, out var sub))
            {
                live.Facts = new LiveAccountFacts { FuturesEnabled = sub.IsFutureEnabled, MarginEnabled = sub.IsMarginEnabled };
            }
            var api = AccountKeyApi.For(connection.Client, account);
            var rows = await api.QueryAsync(null, cancellation).ConfigureAwait(false);
            foreach (var row in rows)
            {
                var record = local?.Find(account, row.ApiKey);
                var key = new LiveKey(row, record?.ApiKey ?? row.ApiKey, record);
                if (!key.IsMasked)
                {
                    if (useCachedIps && cache.Keys.TryGetValue(IpWhitelistCache.KeyOf(account, key.ApiKey), out var cached))
                    {
                        key.Ip = new IpRestriction { ApiKey = key.ApiKey, IpRestrict = cached.IpRestrict, IpList = cached.IpList };
                        key.IpSource = ValueSource.Cache;
                        key.IpReadAt = cached.ReadAt;
                    }
                    else
                    {
                        key.Ip = await api.GetIpAsync(key.ApiKey, cancellation).ConfigureAwait(false);
                        key.IpSource = ValueSource.Live;
                        key.IpReadAt = DateTimeOffset.UtcNow;
                    }
                }
                live.Keys.Add(key);
            }
            return live;
        }

        // The sub-account list carries futures and margin for every sub-account (docs/binance.md §2.5): one read for all.
        private async Task<IReadOnlyDictionary<string, SubAccountRecord>> SubAccountFactsAsync(IReadOnlyList<AccountReference> accounts, CancellationToken cancellation)
        {
            var result = new Dictionary<string, SubAccountRecord>(StringComparer.OrdinalIgnoreCase);
            if (!accounts.Any(a => a.Kind == AccountKind.SubAccount)) return result;
            foreach (var sub in await connection.Client.GetSubAccountsAsync(null, cancellation).ConfigureAwait(false)) result[sub.Email] = sub;
            var missing = accounts.Where(a => a.Kind == AccountKind.SubAccount && !result.ContainsKey(a.Email!)).Select(a => a.Email!).ToList();
            if (missing.Count > 0)
            {
                throw new KeyOperationException(KeyOperationError.NotFound,
                    $"The master account has no sub-account {string.Join(", ", missing)}; create {(missing.Count == 1 ? "it" : "them")} first, or fix the email in the file.");
            }
            return result;
        }
    }
}

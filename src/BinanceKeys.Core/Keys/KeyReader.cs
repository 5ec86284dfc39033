using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;

namespace BinanceKeys.Keys
{
    /// <summary>Reads keys and accounts from Binance: the connected key, an account's keys with their IP whitelists, sub-account lists.</summary>
    public sealed class KeyReader
    {
        private readonly BinanceConnection connection;
        private readonly IKeyRecordBook? records;

        /// <summary>Creates the reader over a connection; <paramref name="records"/> (optional) tells what Binance does not (types, broker labels and full keys).</summary>
        public KeyReader(BinanceConnection connection, IKeyRecordBook? records = null)
        {
            this.connection = connection ?? throw new ArgumentNullException(nameof(connection));
            this.records = records;
        }

        private BinanceClient Client => connection.Client;

        /// <summary>The connected key itself (GET /sapi/v1/account/apiRestrictions).</summary>
        public async Task<ApiKeyInfo> GetOwnKeyAsync(CancellationToken cancellation)
        {
            var restrictions = await Client.GetApiRestrictionsAsync(cancellation).ConfigureAwait(false);
            return new ApiKeyInfo
            {
                Account = AccountReference.Own.Name,
                AccountKind = AccountKind.Own,
                ApiKey = connection.Info.ApiKey,
                Type = connection.Info.KeyType,
                Permission = PermissionMapping.FromRestrictions(restrictions),
                IpAccess = restrictions.IpRestrict ? IpAccessMode.TrustedIps : IpAccessMode.Unrestricted,
                CreateTime = restrictions.CreateTime,
                TradingAuthorityExpirationTime = restrictions.TradingAuthorityExpirationTime,
            };
        }

        /// <summary>
        /// The keys of an account, each with its IP whitelist (one call per key, UID weight 3000: about 60 keys a
        /// minute); or one key. <paramref name="progress"/> hears (done, total) per key.
        /// </summary>
        public async Task<IReadOnlyList<ApiKeyInfo>> GetKeysAsync(AccountReference account, string? apiKey, CancellationToken cancellation, Action<int, int>? progress = null,
            Func<string, bool>? labelFilter = null)
        {
            if (account.Kind == AccountKind.Own)
            {
                var own = await GetOwnKeyAsync(cancellation).ConfigureAwait(false);
                bool wanted = (apiKey == null || apiKey == own.ApiKey) && (labelFilter == null || (own.Label != null && labelFilter(own.Label)));
                return wanted ? new[] { own } : Array.Empty<ApiKeyInfo>();
            }
            var api = AccountKeyApi.For(Client, account);
            var remote = await api.QueryAsync(apiKey, cancellation).ConfigureAwait(false);
            // The label filter is applied before the IP reads: each costs as much as the query (docs/binance.md §4).
            var chosen = remote.Select(key => (Key: key, Record: records?.Find(account, key.ApiKey)))
                .Where(k => labelFilter == null || (LabelOf(k.Key, k.Record) is string label && labelFilter(label)))
                .ToList();
            var keys = new List<ApiKeyInfo>();
            foreach (var (key, record) in chosen)
            {
                progress?.Invoke(keys.Count, chosen.Count);
                // A masked broker key (docs/binance.md §2.6) can be read further only when its full key is known: named
                // by the caller, or in the module's record of the keys it created.
                string fullKey = apiKey != null && api.IsSameKey(key.ApiKey, apiKey) ? apiKey : record?.ApiKey ?? key.ApiKey;
                IpRestriction? ip = IsMasked(fullKey) ? null : await api.GetIpAsync(fullKey, cancellation).ConfigureAwait(false);
                var info = KeyDescriptions.Describe(account, key, ip, record?.Type, record?.Label);
                info.ApiKey = fullKey;
                if (ip is null) info.IpAccess = IpAccessMode.Unknown;
                keys.Add(info);
            }
            progress?.Invoke(keys.Count, chosen.Count);
            return keys;
        }

        // The label a key shows: Binance's, else the module's record of it (broker keys are listed without one).
        private static string? LabelOf(RemoteApiKey key, KeyRecord? record) => key.ApiName ?? record?.Label;

        private static bool IsMasked(string apiKey) => apiKey.IndexOf('*') >= 0;

        /// <summary>
        /// The labels of an account's keys from one key query, without the IP reads <see cref="GetKeysAsync"/> makes per
        /// key (each costs as much as the query: docs/binance.md §4). Tab completion needs no more.
        /// </summary>
        public async Task<IReadOnlyList<string>> GetLabelsAsync(AccountReference account, CancellationToken cancellation)
        {
            if (account.Kind == AccountKind.Own) return Array.Empty<string>();
            var remote = await AccountKeyApi.For(Client, account).QueryAsync(null, cancellation).ConfigureAwait(false);
            var labels = new List<string>(remote.Count);
            foreach (var key in remote)
            {
                string? label = LabelOf(key, records?.Find(account, key.ApiKey));
                if (!string.IsNullOrEmpty(label)) labels.Add(label!);
            }
            return labels;
        }

        /// <summary>The master account's sub-accounts (GET /sapi/v1/sub-account/list with their status).</summary>
        public async Task<IReadOnlyList<SubAccountInfo>> GetSubAccountsAsync(string? email, CancellationToken cancellation)
        {
            var accounts = await Client.GetSubAccountsAsync(email, cancellation).ConfigureAwait(false);
            return accounts.Select(a => new SubAccountInfo
            {
                AccountKind = AccountKind.SubAccount,
                Email = a.Email,
                SubUserId = a.SubUserId,
                IsFreeze = a.IsFreeze,
                IsManagedSubAccount = a.IsManagedSubAccount,
                IsAssetManagementSubAccount = a.IsAssetManagementSubAccount,
                IsMarginEnabled = a.IsMarginEnabled,
                IsFutureEnabled = a.IsFutureEnabled,
                Remark = a.Remark,
                CreateTime = a.CreateTime,
            }).ToList();
        }

        /// <summary>The broker's sub-accounts (GET /sapi/v1/broker/subAccount).</summary>
        public async Task<IReadOnlyList<SubAccountInfo>> GetBrokerSubAccountsAsync(string? subAccountId, CancellationToken cancellation)
        {
            var accounts = await Client.GetBrokerSubAccountsAsync(subAccountId, cancellation).ConfigureAwait(false);
            return accounts.Select(a => new SubAccountInfo
            {
                AccountKind = AccountKind.BrokerSubAccount,
                BrokerSubAccountId = a.SubAccountId,
                Email = a.Email,
                Remark = a.Tag,
                CreateTime = a.CreateTime,
            }).ToList();
        }
    }
}

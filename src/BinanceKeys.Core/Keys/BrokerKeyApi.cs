using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;

namespace BinanceKeys.Keys
{
    /// <summary>The key endpoints of a Binance Link broker sub-account, addressed by its id (docs/binance.md §2.6).</summary>
    internal sealed class BrokerKeyApi : IAccountKeyApi
    {
        internal static readonly AccountKeyEndpoints BrokerEndpoints = new AccountKeyEndpoints
        {
            Query = BinanceEndpoints.QueryBrokerApiKey,
            GetIp = BinanceEndpoints.GetBrokerIpRestriction,
            UpdateIp = BinanceEndpoints.UpdateBrokerIpRestriction,
            DeleteIps = BinanceEndpoints.DeleteBrokerIpList,
            Create = BinanceEndpoints.CreateBrokerApiKey,
            Delete = BinanceEndpoints.DeleteBrokerApiKey,
            SetPermissions = BinanceEndpoints.ChangeBrokerApiKeyPermission,
            SetUniversalTransfer = BinanceEndpoints.BrokerUniversalTransfer,
            SetOptions = BinanceEndpoints.BrokerVanillaOptions,
        };

        private readonly BinanceClient client;
        private readonly string subAccountId;

        public BrokerKeyApi(BinanceClient client, AccountReference account)
        {
            this.client = client;
            Account = account;
            subAccountId = account.BrokerSubAccountId!;
        }

        public AccountReference Account { get; }

        // The broker create takes three permission flags and no IP list (§2.6): restriction and the other grants
        // are follow-up calls, so the key is created with reading only and granted the rest once it is restricted.
        public bool CreatesAtomically => false;

        public bool KeepsLabels => false;

        public AccountKeyEndpoints Endpoints => BrokerEndpoints;

        // A filter naming a key the account does not have comes back empty (the client settles Binance's -2008,
        // docs/binance.md §5).
        public Task<IReadOnlyList<RemoteApiKey>> QueryAsync(string? apiKey, CancellationToken cancellation) =>
            client.QueryBrokerApiKeysAsync(subAccountId, apiKey, cancellation);

        public Task<IpRestriction> GetIpAsync(string apiKey, CancellationToken cancellation) =>
            client.GetBrokerIpRestrictionAsync(subAccountId, apiKey, cancellation);

        public Task<IpRestriction> UpdateIpAsync(string apiKey, bool restrict, IReadOnlyCollection<string>? ips, CancellationToken cancellation) =>
            client.UpdateBrokerIpRestrictionAsync(subAccountId, apiKey, restrict, ips, cancellation);

        public Task<IpRestriction> DeleteIpsAsync(string apiKey, IReadOnlyCollection<string> ips, CancellationToken cancellation) =>
            client.DeleteBrokerIpListAsync(subAccountId, apiKey, ips, cancellation);

        public Task<CreatedApiKey> CreateAsync(KeyCreateCall request, CancellationToken cancellation) =>
            // Reading only: the least a key can have. The caller restricts, then grants (KeyWriter).
            client.CreateBrokerApiKeyAsync(subAccountId, new BrokerPermissions(), request.PublicKeyPem, cancellation);

        public async Task SetPermissionsAsync(string apiKey, ISet<ApiKeyPermission> wanted, IReadOnlyCollection<ApiKeyPermission> current, CancellationToken cancellation)
        {
            var flags = PermissionMapping.ToBroker(wanted);
            var currentFlags = PermissionMapping.ToBroker(new HashSet<ApiKeyPermission>(current));
            // All three flags are mandatory on this endpoint; skip the call when none of them changes.
            if (flags.CanTrade != currentFlags.CanTrade || flags.MarginTrade != currentFlags.MarginTrade || flags.FuturesTrade != currentFlags.FuturesTrade)
            {
                await client.ChangeBrokerApiKeyPermissionAsync(subAccountId, apiKey, flags, cancellation).ConfigureAwait(false);
            }
            // The broker query does not report these two switches, so "current" holds them only when the caller knows
            // them from elsewhere (the module's record); a switch is sent only where it differs from what is known.
            bool universal = wanted.Contains(ApiKeyPermission.UniversalTransfer);
            if (universal != current.Contains(ApiKeyPermission.UniversalTransfer))
            {
                await client.SetBrokerUniversalTransferAsync(subAccountId, apiKey, universal, cancellation).ConfigureAwait(false);
            }
            bool options = wanted.Contains(ApiKeyPermission.EuropeanOptions);
            if (options != current.Contains(ApiKeyPermission.EuropeanOptions))
            {
                await client.SetBrokerVanillaOptionsAsync(subAccountId, apiKey, options, cancellation).ConfigureAwait(false);
            }
        }

        public Task DeleteAsync(string apiKey, CancellationToken cancellation) =>
            client.DeleteBrokerApiKeyAsync(subAccountId, apiKey, cancellation);

        // Broker sub-account facts are not readable (§2.6).
        public Task<LiveAccountFacts> FactsAsync(CancellationToken cancellation) => Task.FromResult(new LiveAccountFacts());


        // Broker queries mask keys ("vmP*****", §2.6): compare the visible part.
        public bool IsSameKey(string reported, string apiKey)
        {
            int star = reported.IndexOf('*');
            return star < 0 ? string.Equals(reported, apiKey, StringComparison.Ordinal) : apiKey.StartsWith(reported.Substring(0, star), StringComparison.Ordinal);
        }
    }
}

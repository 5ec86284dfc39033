using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;

namespace BinanceKeys.Keys
{
    /// <summary>The key endpoints of a master account's sub-account, addressed by email (docs/binance.md §2.3, §2.4).</summary>
    internal sealed class SubAccountKeyApi : IAccountKeyApi
    {
        internal static readonly AccountKeyEndpoints SubAccountEndpoints = new AccountKeyEndpoints
        {
            Query = BinanceEndpoints.QuerySubAccountApiKey,
            GetIp = BinanceEndpoints.GetSubAccountIpRestriction,
            UpdateIp = BinanceEndpoints.UpdateSubAccountIpRestriction,
            DeleteIps = BinanceEndpoints.DeleteSubAccountIpList,
            Create = BinanceEndpoints.CreateSubAccountApiKeyV2,
            Delete = BinanceEndpoints.DeleteSubAccountApiKey,
            SetPermissions = BinanceEndpoints.ModifySubAccountApiKeyPermission,
            Facts = BinanceEndpoints.SubAccountList,
        };

        private readonly BinanceClient client;
        private readonly string email;

        public SubAccountKeyApi(BinanceClient client, AccountReference account)
        {
            this.client = client;
            Account = account;
            email = account.Email!;
        }

        public AccountReference Account { get; }

        // One create call carries status, ipAddress and every permission flag (§2.3).
        public bool CreatesAtomically => true;

        public bool KeepsLabels => true;

        public AccountKeyEndpoints Endpoints => SubAccountEndpoints;

        // A filter naming a key the account does not have comes back empty (the client settles Binance's -2008,
        // docs/binance.md §5).
        public Task<IReadOnlyList<RemoteApiKey>> QueryAsync(string? apiKey, CancellationToken cancellation) =>
            client.QuerySubAccountApiKeysAsync(email, apiKey, cancellation);

        public Task<IpRestriction> GetIpAsync(string apiKey, CancellationToken cancellation) =>
            client.GetSubAccountIpRestrictionAsync(email, apiKey, cancellation);

        public Task<IpRestriction> UpdateIpAsync(string apiKey, bool restrict, IReadOnlyCollection<string>? ips, CancellationToken cancellation) =>
            client.UpdateSubAccountIpRestrictionAsync(email, apiKey, restrict, ips, cancellation);

        public Task<IpRestriction> DeleteIpsAsync(string apiKey, IReadOnlyCollection<string> ips, CancellationToken cancellation) =>
            client.DeleteSubAccountIpListAsync(email, apiKey, ips, cancellation);

        public Task<CreatedApiKey> CreateAsync(KeyCreateCall request, CancellationToken cancellation) =>
            client.CreateSubAccountApiKeyAsync(email, request.Label,
                request.IpAddress.Count > 0 ? IpRestrictionStatus.TrustedIps : IpRestrictionStatus.Unrestricted,
                request.IpAddress, null, PermissionMapping.ToSubAccount(request.Permissions), request.PublicKeyPem, cancellation);

        public Task SetPermissionsAsync(string apiKey, ISet<ApiKeyPermission> wanted, IReadOnlyCollection<ApiKeyPermission> current, CancellationToken cancellation) =>
            client.ModifySubAccountApiKeyPermissionAsync(email, apiKey, PermissionMapping.ToSubAccount(wanted), cancellation);

        public Task DeleteAsync(string apiKey, CancellationToken cancellation) =>
            client.DeleteSubAccountApiKeyAsync(email, apiKey, cancellation);

        public async Task<LiveAccountFacts> FactsAsync(CancellationToken cancellation)
        {
            var sub = (await client.GetSubAccountsAsync(email, cancellation).ConfigureAwait(false))
                .FirstOrDefault(a => string.Equals(a.Email, email, StringComparison.OrdinalIgnoreCase));
            return new LiveAccountFacts { FuturesEnabled = sub?.IsFutureEnabled, MarginEnabled = sub?.IsMarginEnabled };
        }


        public bool IsSameKey(string reported, string apiKey) => string.Equals(reported, apiKey, StringComparison.Ordinal);
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace BinanceKeys.Binance
{
    /// <summary>
    /// Typed methods for the key-management endpoints of docs/binance.md §2.1 to §2.6. One method, one endpoint;
    /// parameters named as Binance names them; responses parsed tolerantly. Retries and pacing live in
    /// <see cref="BinanceTransport"/>.
    /// </summary>
    public sealed class BinanceClient : IDisposable
    {
        private readonly BinanceTransport transport;

        /// <summary>Creates the client over a transport it owns.</summary>
        public BinanceClient(BinanceTransport transport) => this.transport = transport ?? throw new ArgumentNullException(nameof(transport));

        /// <summary>The transport (signing, pacing, clock).</summary>
        public BinanceTransport Transport => transport;

        // ---- §2.1 -------------------------------------------------------------------------------------------------

        /// <summary>GET /api/v3/time.</summary>
        public async Task<DateTimeOffset> GetServerTimeAsync(CancellationToken cancellation)
        {
            var body = await Send(BinanceEndpoints.ServerTime, cancellation).ConfigureAwait(false);
            return BinanceJson.Time(body, "serverTime") ?? throw Malformed(BinanceEndpoints.ServerTime, "serverTime");
        }

        /// <summary>GET /sapi/v1/system/status: true when normal (0), false during maintenance (1).</summary>
        public async Task<(bool Normal, string Message)> GetSystemStatusAsync(CancellationToken cancellation)
        {
            var body = await Send(BinanceEndpoints.SystemStatus, cancellation).ConfigureAwait(false);
            return (BinanceJson.Int32(body, "status") == 0, BinanceJson.String(body, "msg") ?? string.Empty);
        }

        // ---- §2.2 -------------------------------------------------------------------------------------------------

        /// <summary>GET /sapi/v1/account/apiRestrictions: the calling key's own permissions.</summary>
        public async Task<ApiRestrictions> GetApiRestrictionsAsync(CancellationToken cancellation)
        {
            var b = await Send(BinanceEndpoints.ApiRestrictions, cancellation).ConfigureAwait(false);
            return new ApiRestrictions
            {
                IpRestrict = BinanceJson.Bool(b, "ipRestrict") ?? false,
                CreateTime = BinanceJson.Time(b, "createTime"),
                EnableReading = BinanceJson.Bool(b, "enableReading") ?? true,
                EnableWithdrawals = BinanceJson.Bool(b, "enableWithdrawals") ?? false,
                EnableInternalTransfer = BinanceJson.Bool(b, "enableInternalTransfer") ?? false,
                EnableMargin = BinanceJson.Bool(b, "enableMargin") ?? false,
                EnableFutures = BinanceJson.Bool(b, "enableFutures") ?? false,
                PermitsUniversalTransfer = BinanceJson.Bool(b, "permitsUniversalTransfer") ?? false,
                EnableVanillaOptions = BinanceJson.Bool(b, "enableVanillaOptions") ?? false,
                EnableFixApiTrade = BinanceJson.Bool(b, "enableFixApiTrade") ?? false,
                EnableFixReadOnly = BinanceJson.Bool(b, "enableFixReadOnly") ?? false,
                EnableSpotAndMarginTrading = BinanceJson.Bool(b, "enableSpotAndMarginTrading") ?? false,
                EnablePortfolioMarginTrading = BinanceJson.Bool(b, "enablePortfolioMarginTrading") ?? false,
                TradingAuthorityExpirationTime = BinanceJson.Time(b, "tradingAuthorityExpirationTime"),
            };
        }

        /// <summary>GET /sapi/v1/account/info.</summary>
        public async Task<AccountInfo> GetAccountInfoAsync(CancellationToken cancellation)
        {
            var b = await Send(BinanceEndpoints.AccountInfo, cancellation).ConfigureAwait(false);
            return new AccountInfo
            {
                VipLevel = BinanceJson.Int32(b, "vipLevel"),
                IsMarginEnabled = BinanceJson.Bool(b, "isMarginEnabled") ?? false,
                IsFutureEnabled = BinanceJson.Bool(b, "isFutureEnabled") ?? false,
                IsOptionsEnabled = BinanceJson.Bool(b, "isOptionsEnabled") ?? false,
                IsPortfolioMarginRetailEnabled = BinanceJson.Bool(b, "isPortfolioMarginRetailEnabled") ?? false,
            };
        }

        // ---- §2.5 -------------------------------------------------------------------------------------------------

        /// <summary>GET /sapi/v1/sub-account/list, every page (limit 200, the maximum), joined with the status endpoint.</summary>
        public async Task<IReadOnlyList<SubAccountRecord>> GetSubAccountsAsync(string? email, CancellationToken cancellation)
        {
            const int pageSize = 200;
            var accounts = new List<SubAccountRecord>();
            for (int page = 1; ; page++)
            {
                var parameters = new Params().Add("email", email).Add("page", page).Add("limit", pageSize);
                var body = await Send(BinanceEndpoints.SubAccountList, parameters, cancellation).ConfigureAwait(false);
                var rows = BinanceJson.Objects(body, "subAccounts", "subAccountList", "rows", "list");
                accounts.AddRange(rows.Select(row => new SubAccountRecord
                {
                    SubUserId = BinanceJson.Int64(row, "subUserId"),
                    Email = BinanceJson.String(row, "email") ?? string.Empty,
                    Remark = BinanceJson.String(row, "remark"),
                    IsFreeze = BinanceJson.Bool(row, "isFreeze") ?? false,
                    CreateTime = BinanceJson.Time(row, "createTime"),
                    IsManagedSubAccount = BinanceJson.Bool(row, "isManagedSubAccount") ?? false,
                    IsAssetManagementSubAccount = BinanceJson.Bool(row, "isAssetManagementSubAccount") ?? false,
                }));
                if (rows.Count < pageSize) break;
            }

            var status = await Send(BinanceEndpoints.SubAccountStatus, new Params().Add("email", email), cancellation).ConfigureAwait(false);
            var byEmail = BinanceJson.Objects(status).ToDictionary(s => BinanceJson.String(s, "email") ?? string.Empty, StringComparer.OrdinalIgnoreCase);
            foreach (var account in accounts)
            {
                if (!byEmail.TryGetValue(account.Email, out var s)) continue;
                account.IsMarginEnabled = BinanceJson.Bool(s, "isMarginEnabled");
                account.IsFutureEnabled = BinanceJson.Bool(s, "isFutureEnabled");
            }
            return accounts;
        }

        // ---- §2.3 -------------------------------------------------------------------------------------------------

        /// <summary>
        /// POST /sapi/v2/sub-account/subAccountApi when a public key or FIX permissions are given (the public key in
        /// the body, as v2 requires), /sapi/v1 otherwise.
        /// </summary>
        public async Task<CreatedApiKey> CreateSubAccountApiKeyAsync(
            string email, string apiName, IpRestrictionStatus status, IReadOnlyCollection<string>? ipAddress, string? thirdPartyName,
            SubAccountPermissions permissions, string? publicKey, CancellationToken cancellation)
        {
            bool v2 = publicKey != null || permissions.CanFixApiTrading || permissions.CanFixApiReading;
            var parameters = new Params()
                .Add("email", email)
                .Add("apiName", apiName)
                .Add("status", (int)status)
                .Add("canTrade", permissions.CanTrade)
                .Add("canMarginLoanRepay", permissions.CanMarginLoanRepay)
                .Add("canFuturesTrade", permissions.CanFuturesTrade)
                .Add("canUniversalTransfer", permissions.CanUniversalTransfer)
                .Add("canVanillaOptions", permissions.CanVanillaOptions)
                .Add("ipAddress", ipAddress is { Count: > 0 } ? string.Join(",", ipAddress) : null)
                .Add("thirdPartyName", thirdPartyName);
            if (v2)
            {
                parameters.Add("canFixApiTrading", permissions.CanFixApiTrading).Add("canFixApiReading", permissions.CanFixApiReading);
            }
            parameters.Add("publicKey", publicKey);
            var endpoint = v2 ? BinanceEndpoints.CreateSubAccountApiKeyV2 : BinanceEndpoints.CreateSubAccountApiKey;
            var body = await Send(endpoint, parameters, cancellation).ConfigureAwait(false);
            return ReadCreated(endpoint, body, email, null);
        }

        /// <summary>DELETE /sapi/v1/sub-account/subAccountApi. An unknown key is <see cref="BinanceErrorKind.NotFound"/>.</summary>
        public Task DeleteSubAccountApiKeyAsync(string email, string apiKey, CancellationToken cancellation) =>
            AboutKey(BinanceEndpoints.DeleteSubAccountApiKey, new Params().Add("email", email).Add("subAccountApiKey", apiKey), cancellation);

        /// <summary>
        /// GET /sapi/v1/sub-account/subAccountApi: every key of the sub-account (pages of 100, the maximum), or one.
        /// Asked about one key that the account does not have, Binance answers either -2008 or an empty page
        /// (docs/binance.md §2.3, not documented): both come back as an empty list.
        /// </summary>
        public async Task<IReadOnlyList<RemoteApiKey>> QuerySubAccountApiKeysAsync(string email, string? apiKey, CancellationToken cancellation)
        {
            const int pageSize = 100;
            var keys = new List<RemoteApiKey>();
            for (int page = 1; ; page++)
            {
                var parameters = new Params().Add("email", email).Add("subAccountApiKey", apiKey).Add("page", page).Add("size", pageSize);
                var body = await QueryAboutKey(BinanceEndpoints.QuerySubAccountApiKey, parameters, apiKey, cancellation).ConfigureAwait(false);
                if (body is null) return keys;
                // JS SDK 14 says "list", Python SDK 7 says "rows" (docs/binance.md §2.3): accept both.
                var rows = BinanceJson.Objects(body, "rows", "list");
                keys.AddRange(rows.Select(row => ReadKey(row, email, null)));
                long? total = BinanceJson.Int64(body, "total");
                if (rows.Count < pageSize || (total.HasValue && keys.Count >= total.Value)) break;
            }
            return keys;
        }

        /// <summary>POST /sapi/v1/sub-account/subAccountApiPermission.</summary>
        public async Task<RemoteApiKey> ModifySubAccountApiKeyPermissionAsync(string email, string apiKey, SubAccountPermissions permissions, CancellationToken cancellation)
        {
            var parameters = new Params()
                .Add("email", email)
                .Add("subAccountApiKey", apiKey)
                .Add("canTrade", permissions.CanTrade)
                .Add("canMarginLoanRepay", permissions.CanMarginLoanRepay)
                .Add("canFuturesTrade", permissions.CanFuturesTrade)
                .Add("canUniversalTransfer", permissions.CanUniversalTransfer)
                .Add("canVanillaOptions", permissions.CanVanillaOptions);
            var body = await AboutKey(BinanceEndpoints.ModifySubAccountApiKeyPermission, parameters, cancellation).ConfigureAwait(false);
            return ReadKey(body, email, null);
        }

        // ---- §2.4 -------------------------------------------------------------------------------------------------

        /// <summary>GET /sapi/v1/sub-account/subAccountApi/ipRestriction.</summary>
        public async Task<IpRestriction> GetSubAccountIpRestrictionAsync(string email, string apiKey, CancellationToken cancellation) =>
            ReadIp(await AboutKey(BinanceEndpoints.GetSubAccountIpRestriction, new Params().Add("email", email).Add("subAccountApiKey", apiKey), cancellation).ConfigureAwait(false), apiKey);

        /// <summary>POST /sapi/v2/sub-account/subAccountApi/ipRestriction (status 1 unrestricted, 2 trusted IPs).</summary>
        public async Task<IpRestriction> UpdateSubAccountIpRestrictionAsync(string email, string apiKey, bool restrict, IReadOnlyCollection<string>? ipAddress, CancellationToken cancellation)
        {
            var parameters = new Params().Add("email", email).Add("subAccountApiKey", apiKey).Add("status", restrict ? 2 : 1)
                .Add("ipAddress", ipAddress is { Count: > 0 } ? string.Join(",", ipAddress) : null);
            return ReadIp(await AboutKey(BinanceEndpoints.UpdateSubAccountIpRestriction, parameters, cancellation).ConfigureAwait(false), apiKey);
        }

        /// <summary>DELETE /sapi/v1/sub-account/subAccountApi/ipRestriction/ipList.</summary>
        public async Task<IpRestriction> DeleteSubAccountIpListAsync(string email, string apiKey, IReadOnlyCollection<string> ipAddress, CancellationToken cancellation)
        {
            var parameters = new Params().Add("email", email).Add("subAccountApiKey", apiKey).Add("ipAddress", string.Join(",", ipAddress));
            return ReadIp(await AboutKey(BinanceEndpoints.DeleteSubAccountIpList, parameters, cancellation).ConfigureAwait(false), apiKey);
        }

        // ---- §2.6 -------------------------------------------------------------------------------------------------

        /// <summary>GET /sapi/v1/broker/subAccount, every page.</summary>
        public async Task<IReadOnlyList<BrokerSubAccountRecord>> GetBrokerSubAccountsAsync(string? subAccountId, CancellationToken cancellation)
        {
            const int pageSize = 500;
            var accounts = new List<BrokerSubAccountRecord>();
            for (int page = 1; ; page++)
            {
                var body = await Send(BinanceEndpoints.BrokerSubAccounts, new Params().Add("subAccountId", subAccountId).Add("page", page).Add("size", pageSize), cancellation).ConfigureAwait(false);
                var rows = BinanceJson.Objects(body, "rows", "list", "subAccounts");
                accounts.AddRange(rows.Select(row => new BrokerSubAccountRecord
                {
                    SubAccountId = BinanceJson.String(row, "subaccountId", "subAccountId") ?? string.Empty,
                    Email = BinanceJson.String(row, "email"),
                    Tag = BinanceJson.String(row, "tag"),
                    CreateTime = BinanceJson.Time(row, "createTime"),
                }));
                if (rows.Count < pageSize) break;
            }
            return accounts;
        }

        /// <summary>
        /// POST /sapi/v1/broker/subAccountApi (optionally with an Ed25519/RSA public key). Universal transfer and
        /// vanilla options cannot be set here: use <see cref="SetBrokerUniversalTransferAsync"/> and
        /// <see cref="SetBrokerVanillaOptionsAsync"/> afterwards.
        /// </summary>
        public async Task<CreatedApiKey> CreateBrokerApiKeyAsync(string subAccountId, BrokerPermissions permissions, string? publicKey, CancellationToken cancellation)
        {
            var parameters = new Params()
                .Add("subAccountId", subAccountId)
                .Add("canTrade", permissions.CanTrade)
                .Add("marginTrade", permissions.MarginTrade)
                .Add("futuresTrade", permissions.FuturesTrade)
                .Add("publicKey", publicKey);
            var body = await Send(BinanceEndpoints.CreateBrokerApiKey, parameters, cancellation, spacingKey: "broker-key:" + subAccountId).ConfigureAwait(false);
            return ReadCreated(BinanceEndpoints.CreateBrokerApiKey, body, null, subAccountId);
        }

        /// <summary>DELETE /sapi/v1/broker/subAccountApi. An unknown key is <see cref="BinanceErrorKind.NotFound"/>.</summary>
        public Task DeleteBrokerApiKeyAsync(string subAccountId, string apiKey, CancellationToken cancellation) =>
            AboutKey(BinanceEndpoints.DeleteBrokerApiKey, new Params().Add("subAccountId", subAccountId).Add("subAccountApiKey", apiKey), cancellation, spacingKey: "broker-key:" + subAccountId);

        /// <summary>GET /sapi/v1/broker/subAccountApi: every key of the broker sub-account (pages of 500), or one (none: an empty list).</summary>
        public async Task<IReadOnlyList<RemoteApiKey>> QueryBrokerApiKeysAsync(string subAccountId, string? apiKey, CancellationToken cancellation)
        {
            const int pageSize = 500;
            var keys = new List<RemoteApiKey>();
            for (int page = 1; ; page++)
            {
                var body = await QueryAboutKey(BinanceEndpoints.QueryBrokerApiKey, new Params().Add("subAccountId", subAccountId).Add("subAccountApiKey", apiKey).Add("page", page).Add("size", pageSize), apiKey, cancellation).ConfigureAwait(false);
                if (body is null) return keys;
                var rows = BinanceJson.Objects(body, "rows", "list");
                keys.AddRange(rows.Select(row => ReadKey(row, null, subAccountId)));
                if (rows.Count < pageSize) break;
            }
            return keys;
        }

        /// <summary>POST /sapi/v1/broker/subAccountApi/permission (all three flags are mandatory).</summary>
        public async Task<RemoteApiKey> ChangeBrokerApiKeyPermissionAsync(string subAccountId, string apiKey, BrokerPermissions permissions, CancellationToken cancellation)
        {
            var parameters = new Params().Add("subAccountId", subAccountId).Add("subAccountApiKey", apiKey)
                .Add("canTrade", permissions.CanTrade).Add("marginTrade", permissions.MarginTrade).Add("futuresTrade", permissions.FuturesTrade);
            return ReadKey(await AboutKey(BinanceEndpoints.ChangeBrokerApiKeyPermission, parameters, cancellation).ConfigureAwait(false), null, subAccountId);
        }

        /// <summary>POST /sapi/v1/broker/subAccountApi/permission/universalTransfer.</summary>
        public Task SetBrokerUniversalTransferAsync(string subAccountId, string apiKey, bool enabled, CancellationToken cancellation) =>
            AboutKey(BinanceEndpoints.BrokerUniversalTransfer, new Params().Add("subAccountId", subAccountId).Add("subAccountApiKey", apiKey).Add("canUniversalTransfer", enabled), cancellation);

        /// <summary>POST /sapi/v1/broker/subAccountApi/permission/vanillaOptions.</summary>
        public Task SetBrokerVanillaOptionsAsync(string subAccountId, string apiKey, bool enabled, CancellationToken cancellation) =>
            AboutKey(BinanceEndpoints.BrokerVanillaOptions, new Params().Add("subAccountId", subAccountId).Add("subAccountApiKey", apiKey).Add("canVanillaOptions", enabled), cancellation);

        /// <summary>GET /sapi/v1/broker/subAccountApi/ipRestriction.</summary>
        public async Task<IpRestriction> GetBrokerIpRestrictionAsync(string subAccountId, string apiKey, CancellationToken cancellation) =>
            ReadIp(await AboutKey(BinanceEndpoints.GetBrokerIpRestriction, new Params().Add("subAccountId", subAccountId).Add("subAccountApiKey", apiKey), cancellation).ConfigureAwait(false), apiKey);

        /// <summary>POST /sapi/v2/broker/subAccountApi/ipRestriction.</summary>
        public async Task<IpRestriction> UpdateBrokerIpRestrictionAsync(string subAccountId, string apiKey, bool restrict, IReadOnlyCollection<string>? ipAddress, CancellationToken cancellation)
        {
            var parameters = new Params().Add("subAccountId", subAccountId).Add("subAccountApiKey", apiKey).Add("status", restrict ? 2 : 1)
                .Add("ipAddress", ipAddress is { Count: > 0 } ? string.Join(",", ipAddress) : null);
            return ReadIp(await AboutKey(BinanceEndpoints.UpdateBrokerIpRestriction, parameters, cancellation).ConfigureAwait(false), apiKey);
        }

        /// <summary>DELETE /sapi/v1/broker/subAccountApi/ipRestriction/ipList.</summary>
        public async Task<IpRestriction> DeleteBrokerIpListAsync(string subAccountId, string apiKey, IReadOnlyCollection<string> ipAddress, CancellationToken cancellation)
        {
            var parameters = new Params().Add("subAccountId", subAccountId).Add("subAccountApiKey", apiKey).Add("ipAddress", string.Join(",", ipAddress));
            return ReadIp(await AboutKey(BinanceEndpoints.DeleteBrokerIpList, parameters, cancellation).ConfigureAwait(false), apiKey);
        }

        // ---- any endpoint -----------------------------------------------------------------------------------------

        /// <summary>Any call Binance offers (Invoke-BinanceRestMethod).</summary>
        public Task<JToken> InvokeAsync(BinanceEndpoint endpoint, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellation) =>
            transport.SendAsync(endpoint, parameters, null, cancellation);

        /// <summary>Any call, with the answer as plain values (see <see cref="BinanceJson.ToPlain"/>).</summary>
        public async Task<object?> InvokePlainAsync(BinanceEndpoint endpoint, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellation) =>
            BinanceJson.ToPlain(await transport.SendAsync(endpoint, parameters, null, cancellation).ConfigureAwait(false));

        /// <inheritdoc />
        public void Dispose() => transport.Dispose();

        // ---- parsing ----------------------------------------------------------------------------------------------

        private Task<JToken> Send(BinanceEndpoint endpoint, CancellationToken cancellation) => Send(endpoint, new Params(), cancellation);

        private Task<JToken> Send(BinanceEndpoint endpoint, Params parameters, CancellationToken cancellation, string? spacingKey = null) =>
            transport.SendAsync(endpoint, parameters.Items, spacingKey, cancellation);

        /// <summary>
        /// A call about one key (<c>subAccountApiKey</c>). Binance answers -2008 "Invalid Api-Key ID." both when that key
        /// does not exist and when the calling key itself is unknown or was deleted (docs/binance.md §5; for instance by
        /// a Default Security Controls sweep, §9). The two mean opposite things to a caller, so a -2008 here is settled
        /// with one cheap read of the calling key's own restrictions (Weight(IP) 1): if that works, the named key does
        /// not exist (<see cref="BinanceErrorKind.NotFound"/>); if it fails too, the calling key is the problem, and the
        /// original error (<see cref="BinanceErrorKind.InvalidApiKeyIpOrPermission"/>) is thrown.
        /// </summary>
        private async Task<JToken> AboutKey(BinanceEndpoint endpoint, Params parameters, CancellationToken cancellation, string? spacingKey = null)
        {
            try
            {
                return await Send(endpoint, parameters, cancellation, spacingKey).ConfigureAwait(false);
            }
            catch (BinanceApiException e) when (e.Code == BinanceErrors.InvalidApiKeyId)
            {
                if (!await CallingKeyWorksAsync(cancellation).ConfigureAwait(false)) throw;
                throw new BinanceApiException(BinanceErrorKind.NotFound, e.Code, e.BinanceMessage, e.Status, e.Endpoint, e);
            }
        }

        /// <summary>A query filtered to one key: null (no such key) where Binance answers -2008 about that key (§2.3).</summary>
        private async Task<JToken?> QueryAboutKey(BinanceEndpoint endpoint, Params parameters, string? apiKey, CancellationToken cancellation)
        {
            try
            {
                return await AboutKey(endpoint, parameters, cancellation).ConfigureAwait(false);
            }
            catch (BinanceApiException e) when (apiKey != null && e.Kind == BinanceErrorKind.NotFound && e.Code == BinanceErrors.InvalidApiKeyId)
            {
                return null;
            }
        }

        /// <summary>Whether the calling key is still accepted (its own restrictions can be read).</summary>
        private async Task<bool> CallingKeyWorksAsync(CancellationToken cancellation)
        {
            try
            {
                await Send(BinanceEndpoints.ApiRestrictions, cancellation).ConfigureAwait(false);
                return true;
            }
            catch (BinanceApiException)
            {
                return false;
            }
        }

        private static RemoteApiKey ReadKey(JToken row, string? email, string? subAccountId) => new RemoteApiKey
        {
            ApiKey = BinanceJson.String(row, "apiKey", "apikey") ?? string.Empty,
            ApiName = BinanceJson.String(row, "apiName"),
            Email = BinanceJson.String(row, "email") ?? email,
            SubAccountId = BinanceJson.String(row, "subaccountId", "subAccountId") ?? subAccountId,
            CanTrade = BinanceJson.Bool(row, "canTrade"),
            CanMarginLoanRepay = BinanceJson.Bool(row, "canMarginLoanRepay", "marginTrade"),
            CanFuturesTrade = BinanceJson.Bool(row, "canFuturesTrade", "futuresTrade"),
            CanUniversalTransfer = BinanceJson.Bool(row, "canUniversalTransfer"),
            CanVanillaOptions = BinanceJson.Bool(row, "canVanillaOptions"),
            CanFixApiTrading = BinanceJson.Bool(row, "canFixApiTrading"),
            CanFixApiReading = BinanceJson.Bool(row, "canFixApiReading"),
            CreateTime = BinanceJson.Time(row, "createTime", "timestamp"),
        };

        private static IpRestriction ReadIp(JToken body, string apiKey)
        {
            var ipList = BinanceJson.Strings(body, "ipList");
            int? status = BinanceJson.Int32(body, "status");
            return new IpRestriction
            {
                ApiKey = BinanceJson.String(body, "apiKey", "apikey") ?? apiKey,
                // "ipRestrict" is a string on the sub-account endpoint and a boolean on the broker one (§2.4, §2.6);
                // the v2 update and the create answer with "status" instead (1 unrestricted, 2 trusted IPs, 3 a third
                // party's IPs); the broker IP-list delete answers with neither, and there a key that lists IPs is restricted.
                IpRestrict = BinanceJson.Bool(body, "ipRestrict") ?? (status.HasValue ? status.Value != (int)IpRestrictionStatus.Unrestricted : ipList.Count > 0),
                Status = status,
                IpList = ipList,
                UpdateTime = BinanceJson.Time(body, "updateTime"),
            };
        }

        private static CreatedApiKey ReadCreated(BinanceEndpoint endpoint, JToken body, string? email, string? subAccountId)
        {
            var key = ReadKey(body, email, subAccountId);
            if (key.ApiKey.Length == 0) throw Malformed(endpoint, "apiKey");
            JToken? secretToken = BinanceJson.Field(body, "secretKey", "secret");
            char[]? secret = secretToken?.Type == JTokenType.String ? ((string)secretToken!).ToCharArray() : null;
            IpRestriction? ip = BinanceJson.Field(body, "ipList", "status") != null ? ReadIp(body, key.ApiKey) : null;
            return new CreatedApiKey(key, secret, ip);
        }

        private static BinanceApiException Malformed(BinanceEndpoint endpoint, string field) =>
            new BinanceApiException(BinanceErrorKind.Other, null, $"The response has no '{field}'.", null, endpoint.ToString());

        /// <summary>An ordered parameter list; nulls are left out, booleans sent as true/false.</summary>
        private sealed class Params
        {
            public List<KeyValuePair<string, string>> Items { get; } = new List<KeyValuePair<string, string>>();

            public Params Add(string name, string? value)
            {
                if (value != null) Items.Add(new KeyValuePair<string, string>(name, value));
                return this;
            }

            public Params Add(string name, int value) => Add(name, value.ToString(CultureInfo.InvariantCulture));

            public Params Add(string name, bool value) => Add(name, value ? "true" : "false");
        }
    }

    /// <summary>The permission flags the sub-account endpoints take (docs/binance.md §2.3).</summary>
    public sealed class SubAccountPermissions
    {
        public bool CanTrade { get; set; }
        public bool CanMarginLoanRepay { get; set; }
        public bool CanFuturesTrade { get; set; }
        public bool CanUniversalTransfer { get; set; }
        public bool CanVanillaOptions { get; set; }
        public bool CanFixApiTrading { get; set; }
        public bool CanFixApiReading { get; set; }
    }

    /// <summary>The permission flags the broker endpoints take (docs/binance.md §2.6).</summary>
    public sealed class BrokerPermissions
    {
        public bool CanTrade { get; set; }
        public bool MarginTrade { get; set; }
        public bool FuturesTrade { get; set; }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;
using BinanceKeys.Sandbox.Http;
using BinanceKeys.Sandbox.State;

namespace BinanceKeys.Sandbox.Endpoints;

/// <summary>docs/binance.md §2.6: Binance Link (broker) sub-accounts and their keys, addressed by <c>subAccountId</c>.</summary>
internal static class BrokerEndpoints
{
    // §2.6: create is Weight(IP) 8 + Weight(Master Account) 3000; v2 ipRestriction is Weight(UID) 3000.
    // The other key endpoints' weights are UNCONFIRMED: charged UID 3000 like their §2.3 counterparts,
    // so a client that stays under the limit here stays under it on Binance.
    private const int KeyEndpointUidWeight = 3000;
    private const int CreateIpWeight = 8;

    private const string SubAccountId = "subAccountId";
    private const string SubAccountApiKey = "subAccountApiKey";

    private static readonly PermissionFlag[] TradeFlags =
    [
        new("canTrade", Permission.SpotAndMarginTrading),
        new("marginTrade", Permission.MarginLoanRepayTransfer),
        new("futuresTrade", Permission.Futures),
    ];

    private static readonly PermissionFlag[] UniversalTransferFlag = [new("canUniversalTransfer", Permission.UniversalTransfer)];
    private static readonly PermissionFlag[] VanillaOptionsFlag = [new("canVanillaOptions", Permission.EuropeanOptions)];
    private static readonly string[] KeyParameters = [SubAccountId, SubAccountApiKey];

    public static IEnumerable<Endpoint> All() =>
    [
        new("GET", "/sapi/v1/broker/subAccount", Access.MasterKey, 1, 0, false, [SubAccountId, "page", "size"], ListSubAccounts),
        new("POST", "/sapi/v1/broker/subAccountApi", Access.MasterKey, CreateIpWeight, KeyEndpointUidWeight, true,
            [SubAccountId, "publicKey", .. TradeFlags.Select(f => f.Parameter)], Create),
        new("DELETE", "/sapi/v1/broker/subAccountApi", Access.MasterKey, 0, KeyEndpointUidWeight, true, KeyParameters, Delete),
        new("GET", "/sapi/v1/broker/subAccountApi", Access.MasterKey, 0, KeyEndpointUidWeight, false, [.. KeyParameters, "page", "size"], Query),
        new("POST", "/sapi/v1/broker/subAccountApi/permission", Access.MasterKey, 0, KeyEndpointUidWeight, true,
            [.. KeyParameters, .. TradeFlags.Select(f => f.Parameter)], ChangePermission),
        new("POST", "/sapi/v1/broker/subAccountApi/permission/universalTransfer", Access.MasterKey, 0, KeyEndpointUidWeight, true,
            [.. KeyParameters, "canUniversalTransfer"], call => ChangeSingle(call, UniversalTransferFlag)),
        new("POST", "/sapi/v1/broker/subAccountApi/permission/vanillaOptions", Access.MasterKey, 0, KeyEndpointUidWeight, true,
            [.. KeyParameters, "canVanillaOptions"], call => ChangeSingle(call, VanillaOptionsFlag)),
        new("GET", "/sapi/v1/broker/subAccountApi/ipRestriction", Access.MasterKey, 0, KeyEndpointUidWeight, false, KeyParameters, GetIpRestriction),
        new("POST", "/sapi/v2/broker/subAccountApi/ipRestriction", Access.MasterKey, 0, KeyEndpointUidWeight, true,
            [.. KeyParameters, KeyOperations.Status, KeyOperations.IpAddress], UpdateIpRestriction),
        new("DELETE", "/sapi/v1/broker/subAccountApi/ipRestriction/ipList", Access.MasterKey, 0, KeyEndpointUidWeight, true,
            [.. KeyParameters, KeyOperations.IpAddress], DeleteIpList),
    ];

    private static object ListSubAccounts(EndpointCall call)
    {
        var accounts = call.Optional(SubAccountId) is null ? call.World.BrokerSubAccounts : [call.BrokerSubAccountById()];
        return call.Page(accounts, "size", 500, 500) // UNCONFIRMED paging; the key query's 500 is reused.
            .Select(a => new BrokerSubAccountInfo(a.SubAccountId!, a.Email, a.Tag, 0.001m, 0.001m, 0.0015m, 0.0015m, a.CreateTime))
            .ToList();
    }

    private static object Create(EndpointCall call)
    {
        var account = call.BrokerSubAccountById();
        var permissions = KeyOperations.ReadFlags(call, TradeFlags.Take(1), allRequired: true); // §2.6: canTrade YES.
        permissions.UnionWith(KeyOperations.ReadFlags(call, TradeFlags.Skip(1)));
        // Broker keys have no label on Binance; the sandbox names them for the admin view only.
        // The 1/second throttle counts accepted creates only (UNCONFIRMED; see docs/sandbox.md).
        var key = KeyOperations.Create(call, account, $"broker-key-{call.ServerTime}", call.Optional("publicKey"), rsaAllowed: true, permissions, new Restriction([], null),
            admit: () => call.BrokerThrottle.Pass(account.SubAccountId!, "create"));
        var response = new CreatedBrokerKey(
            account.SubAccountId!,
            key.ApiKey,
            key.SecretKey,
            key.Has(Permission.SpotAndMarginTrading),
            key.Has(Permission.MarginLoanRepayTransfer),
            key.Has(Permission.Futures));
        KeyRules.EnforceDefaultSecurityControls(call, account, key, before: null);
        return response;
    }

    private static object Delete(EndpointCall call)
    {
        var account = call.BrokerSubAccountById();
        var key = call.KeyOf(account);
        call.BrokerThrottle.Pass(account.SubAccountId!, "delete");
        account.Keys.Remove(key);
        return new EmptyResponse();
    }

    private static object Query(EndpointCall call)
    {
        var account = call.BrokerSubAccountById();
        var keys = call.Optional(SubAccountApiKey) is null ? account.Keys : call.FilteredKeys(account);
        return call.Page(keys, "size", 500, 500) // §2.6: size default 500, max 500.
            .Select(k => new BrokerKeyRow(
                Mask(k.ApiKey),
                account.SubAccountId!,
                k.Has(Permission.SpotAndMarginTrading),
                k.Has(Permission.MarginLoanRepayTransfer),
                k.Has(Permission.Futures)))
            .ToList();
    }

    private static object ChangePermission(EndpointCall call)
    {
        var account = call.BrokerSubAccountById();
        var key = call.KeyOf(account);
        var before = KeySnapshot.Take(key);
        KeyOperations.SetFlags(account, key, TradeFlags, KeyOperations.ReadFlags(call, TradeFlags, allRequired: true)); // §2.6: all YES.
        var response = new BrokerKeyRow(
            key.ApiKey,
            account.SubAccountId!,
            key.Has(Permission.SpotAndMarginTrading),
            key.Has(Permission.MarginLoanRepayTransfer),
            key.Has(Permission.Futures));
        KeyRules.EnforceDefaultSecurityControls(call, account, key, before);
        return response;
    }

    private static object ChangeSingle(EndpointCall call, PermissionFlag[] flag)
    {
        var account = call.BrokerSubAccountById();
        var key = call.KeyOf(account);
        var before = KeySnapshot.Take(key);
        KeyOperations.SetFlags(account, key, flag, KeyOperations.ReadFlags(call, flag, allRequired: true));
        var enabled = key.Has(flag[0].Permission);
        object response = flag[0].Permission == Permission.UniversalTransfer
            ? new BrokerUniversalTransferPermission(account.SubAccountId!, key.ApiKey, enabled)
            : new BrokerVanillaOptionsPermission(account.SubAccountId!, key.ApiKey, enabled); // Shape: an assumption (§2.6).
        KeyRules.EnforceDefaultSecurityControls(call, account, key, before);
        return response;
    }

    private static object GetIpRestriction(EndpointCall call)
    {
        var account = call.BrokerSubAccountById();
        var key = call.KeyOf(account);
        // §2.6: ipRestrict is a BOOLEAN here, unlike §2.4.
        return new BrokerIpRestriction(account.SubAccountId!, key.IpRestricted, key.ApiKey, key.IpList.ToList(), key.UpdateTime);
    }

    private static object UpdateIpRestriction(EndpointCall call)
    {
        var account = call.BrokerSubAccountById();
        var key = call.KeyOf(account);
        var before = KeySnapshot.Take(key);
        KeyOperations.UpdateRestriction(call, key, call.Required(KeyOperations.Status));
        var response = SubAccountEndpoints.UpdatedView(key, call.Optional(KeyOperations.IpAddress) is not null);
        KeyRules.EnforceDefaultSecurityControls(call, account, key, before);
        return response;
    }

    private static object DeleteIpList(EndpointCall call)
    {
        var account = call.BrokerSubAccountById();
        var key = call.KeyOf(account);
        var before = KeySnapshot.Take(key);
        // §2.6: ipAddress is optional here; without it every IP goes.
        KeyOperations.RemoveIps(call, key, call.Optional(KeyOperations.IpAddress));
        var response = new BrokerIpListDeleted(account.SubAccountId!, key.ApiKey, key.IpList.ToList(), key.UpdateTime);
        KeyRules.EnforceDefaultSecurityControls(call, account, key, before);
        return response;
    }

    // §2.6 shows the query's keys masked ("vmP*************"): the first three characters, then 13 asterisks.
    // Whether every answer masks them is UNCONFIRMED; masking keeps clients from relying on the list for full keys.
    private static string Mask(string apiKey) => apiKey[..3] + new string('*', 13);
}

/// <summary>§2.6 Query Sub Account (an array of these).</summary>
internal sealed record BrokerSubAccountInfo(
    string SubaccountId,
    string Email,
    string Tag,
    decimal MakerCommission,
    decimal TakerCommission,
    decimal MarginMakerCommission,
    decimal MarginTakerCommission,
    long CreateTime);

/// <summary>§2.6 create answer.</summary>
internal sealed record CreatedBrokerKey(string SubaccountId, string ApiKey, string? SecretKey, bool CanTrade, bool MarginTrade, bool FuturesTrade);

/// <summary>§2.6 query row and change-permission answer (lowercase <c>apikey</c>).</summary>
internal sealed record BrokerKeyRow(
    [property: JsonPropertyName("apikey")] string ApiKey,
    string SubaccountId,
    bool CanTrade,
    bool MarginTrade,
    bool FuturesTrade);

/// <summary>§2.6 universal-transfer permission answer.</summary>
internal sealed record BrokerUniversalTransferPermission(
    string SubaccountId,
    [property: JsonPropertyName("apikey")] string ApiKey,
    bool CanUniversalTransfer);

/// <summary>§2.6 vanilla-options permission answer (shape UNCONFIRMED, modelled on the universal-transfer one).</summary>
internal sealed record BrokerVanillaOptionsPermission(
    string SubaccountId,
    [property: JsonPropertyName("apikey")] string ApiKey,
    bool CanVanillaOptions);

/// <summary>§2.6 GET ipRestriction answer (boolean <c>ipRestrict</c>).</summary>
internal sealed record BrokerIpRestriction(
    string SubaccountId,
    bool IpRestrict,
    [property: JsonPropertyName("apikey")] string ApiKey,
    IReadOnlyList<string> IpList,
    long UpdateTime);

/// <summary>§2.6 DELETE ipList answer.</summary>
internal sealed record BrokerIpListDeleted(
    string SubaccountId,
    [property: JsonPropertyName("apikey")] string ApiKey,
    IReadOnlyList<string> IpList,
    long UpdateTime);

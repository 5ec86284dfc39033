using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;
using BinanceKeys.Sandbox.Http;
using BinanceKeys.Sandbox.State;

namespace BinanceKeys.Sandbox.Endpoints;

/// <summary>docs/binance.md §2.5 (sub-account list and status), §2.3 (sub-account keys) and §2.4 (their IP whitelists).</summary>
internal static class SubAccountEndpoints
{
    // §2.3 / §2.4: every sub-account key endpoint is Weight(UID) 3000.
    private const int KeyEndpointUidWeight = 3000;

    private const string SubAccountApiKey = "subAccountApiKey";

    // The create/modify flags of §2.3, in one place.
    private static readonly PermissionFlag[] V1Flags =
    [
        new("canTrade", Permission.SpotAndMarginTrading),
        new("canMarginLoanRepay", Permission.MarginLoanRepayTransfer),
        new("canFuturesTrade", Permission.Futures),
        new("canUniversalTransfer", Permission.UniversalTransfer),
        new("canVanillaOptions", Permission.EuropeanOptions),
    ];

    // §2.3 v2 adds the FIX flags.
    private static readonly PermissionFlag[] V2Flags =
    [
        .. V1Flags,
        new("canFixApiTrading", Permission.FixApiTrading),
        new("canFixApiReading", Permission.FixApiReading),
    ];

    private static readonly string[] CreateParameters = ["email", "apiName", "status", "ipAddress", KeyOperations.ThirdPartyName, "publicKey"];
    private static readonly string[] KeyParameters = ["email", SubAccountApiKey];

    public static IEnumerable<Endpoint> All() =>
    [
        // §2.5
        new("GET", "/sapi/v1/sub-account/list", Access.MasterKey, 1, 0, false, ["email", "isFreeze", "page", "limit"], List),
        new("GET", "/sapi/v1/sub-account/status", Access.MasterKey, 10, 0, false, ["email"], Status),
        // §2.3
        new("POST", "/sapi/v1/sub-account/subAccountApi", Access.MasterKey, 0, KeyEndpointUidWeight, true,
            [.. CreateParameters, .. V1Flags.Select(f => f.Parameter)], call => Create(call, V1Flags, version2: false)),
        new("POST", "/sapi/v2/sub-account/subAccountApi", Access.MasterKey, 0, KeyEndpointUidWeight, true,
            [.. CreateParameters, .. V2Flags.Select(f => f.Parameter)], call => Create(call, V2Flags, version2: true)),
        new("DELETE", "/sapi/v1/sub-account/subAccountApi", Access.MasterKey, 0, KeyEndpointUidWeight, true, KeyParameters, Delete),
        new("GET", "/sapi/v1/sub-account/subAccountApi", Access.MasterKey, 0, KeyEndpointUidWeight, false, ["email", SubAccountApiKey, "page", "size"], Query),
        new("POST", "/sapi/v1/sub-account/subAccountApiPermission", Access.MasterKey, 0, KeyEndpointUidWeight, true,
            [.. KeyParameters, .. V1Flags.Select(f => f.Parameter)], ModifyPermission),
        // §2.4
        new("GET", "/sapi/v1/sub-account/subAccountApi/ipRestriction", Access.MasterKey, 0, KeyEndpointUidWeight, false, KeyParameters, GetIpRestriction),
        new("POST", "/sapi/v2/sub-account/subAccountApi/ipRestriction", Access.MasterKey, 0, KeyEndpointUidWeight, true,
            [.. KeyParameters, KeyOperations.Status, KeyOperations.IpAddress], UpdateIpRestriction),
        new("DELETE", "/sapi/v1/sub-account/subAccountApi/ipRestriction/ipList", Access.MasterKey, 0, KeyEndpointUidWeight, true,
            [.. KeyParameters, KeyOperations.IpAddress], DeleteIpList),
    ];

    private static object List(EndpointCall call)
    {
        var email = call.Optional("email");
        var freeze = call.OptionalBool("isFreeze");
        var matching = call.World.SubAccounts
            .Where(a => email is null || string.Equals(a.Email, email, StringComparison.OrdinalIgnoreCase))
            .Where(a => freeze is null || a.IsFreeze == freeze);
        var rows = call.Page(matching, "limit", 1, 200) // §2.5: limit default 1, max 200.
            .Select(a => new SubAccountSummary(a.UserId, a.Email, a.Remark, a.IsFreeze, a.CreateTime, false, false))
            .ToList();
        return new SubAccountListResponse(rows);
    }

    private static object Status(EndpointCall call)
    {
        var accounts = call.Optional("email") is null ? call.World.SubAccounts : [call.SubAccountByEmail()];
        return accounts
            .Select(a => new SubAccountStatus(a.Email, true, !a.IsFreeze, a.CreateTime, a.MarginEnabled, a.FuturesEnabled, 0))
            .ToList();
    }

    private static object Create(EndpointCall call, PermissionFlag[] flags, bool version2)
    {
        // §1.1 / §2.3: v2's publicKey must travel in the body; in the query it is rejected (-1022, §5).
        if (version2 && call.Parameters.QueryNames.Contains("publicKey"))
        {
            throw BinanceErrors.InvalidSignature();
        }
        var account = call.SubAccountByEmail();
        var label = call.Required("apiName"); // Length, charset and uniqueness limits: UNCONFIRMED (§3), none enforced.
        var restriction = KeyOperations.ReadCreateRestriction(call);
        var permissions = KeyOperations.ReadFlags(call, flags);
        // §2.3: v1 takes only an Ed25519 public key; v2 takes RSA or Ed25519.
        var key = KeyOperations.Create(call, account, label, call.Optional("publicKey"), rsaAllowed: version2, permissions, restriction);

        var response = new CreatedSubAccountKey(
            key.Label,
            key.ApiKey,
            key.SecretKey, // null (omitted) for asymmetric keys: UNCONFIRMED (§2.3), the safe reading.
            key.Has(Permission.SpotAndMarginTrading),
            key.Has(Permission.MarginLoanRepayTransfer),
            key.Has(Permission.Futures),
            key.Has(Permission.UniversalTransfer),
            key.Has(Permission.EuropeanOptions),
            version2 ? key.Has(Permission.FixApiTrading) : null, // v2 FIX fields in the answer: UNCONFIRMED (§8).
            version2 ? key.Has(Permission.FixApiReading) : null,
            key.RestrictionStatus,
            key.IpRestricted ? key.IpList.ToList() : null);
        KeyRules.EnforceDefaultSecurityControls(call, account, key, before: null);
        return response;
    }

    private static object Delete(EndpointCall call)
    {
        var account = call.SubAccountByEmail();
        account.Keys.Remove(call.KeyOf(account));
        return new EmptyResponse();
    }

    private static object Query(EndpointCall call)
    {
        var account = call.SubAccountByEmail();
        var keys = call.Optional(SubAccountApiKey) is null ? account.Keys : call.FilteredKeys(account);
        var rows = call.Page(keys, "size", 30, 100) // §2.3: size default 30, max 100.
            .Select(k => PermissionView(account.Email, k, k.CreateTime))
            .ToList();
        return new SubAccountKeyPage(keys.Count, rows);
    }

    private static object ModifyPermission(EndpointCall call)
    {
        var account = call.SubAccountByEmail();
        var key = call.KeyOf(account);
        var before = KeySnapshot.Take(key);
        // §2.3: optional booleans. An omitted flag is set to false (an assumption; never grants by accident).
        KeyOperations.SetFlags(account, key, V1Flags, KeyOperations.ReadFlags(call, V1Flags));
        var response = PermissionView(null, key, call.ServerTime); // §2.3: the modify answer has no email.
        KeyRules.EnforceDefaultSecurityControls(call, account, key, before);
        return response;
    }

    private static object GetIpRestriction(EndpointCall call)
    {
        var account = call.SubAccountByEmail();
        return IpRestrictionView(call.KeyOf(account));
    }

    private static object UpdateIpRestriction(EndpointCall call)
    {
        var account = call.SubAccountByEmail();
        var key = call.KeyOf(account);
        var before = KeySnapshot.Take(key);
        var status = call.Required(KeyOperations.Status);
        KeyOperations.UpdateRestriction(call, key, status);
        var response = UpdatedView(key, call.Optional(KeyOperations.IpAddress) is not null);
        KeyRules.EnforceDefaultSecurityControls(call, account, key, before);
        return response;
    }

    private static object DeleteIpList(EndpointCall call)
    {
        var account = call.SubAccountByEmail();
        var key = call.KeyOf(account);
        var before = KeySnapshot.Take(key);
        // §2.4: ipAddress is mandatory in the current docs.
        KeyOperations.RemoveIps(call, key, call.Required(KeyOperations.IpAddress));
        var response = IpRestrictionView(key);
        KeyRules.EnforceDefaultSecurityControls(call, account, key, before);
        return response;
    }

    private static SubAccountKeyRow PermissionView(string? email, SandboxKey key, long timestamp) => new(
        email,
        key.Label,
        key.ApiKey,
        key.Has(Permission.SpotAndMarginTrading),
        key.Has(Permission.MarginLoanRepayTransfer),
        key.Has(Permission.Futures),
        key.Has(Permission.UniversalTransfer),
        key.Has(Permission.EuropeanOptions),
        timestamp);

    // §2.4: ipRestrict is a STRING here ("true"/"false").
    private static SubAccountIpRestriction IpRestrictionView(SandboxKey key) =>
        new(key.IpRestricted ? "true" : "false", key.IpList.ToList(), key.UpdateTime, key.ApiKey);

    /// <summary>§2.4/§2.6 POST v2 answer: ipList only when the restriction is on and IPs were given.</summary>
    internal static UpdatedIpRestriction UpdatedView(SandboxKey key, bool ipsGiven) =>
        new(key.RestrictionStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), key.IpRestricted && ipsGiven ? key.IpList.ToList() : null, key.UpdateTime, key.ApiKey);
}

/// <summary>§2.5 <c>GET /sapi/v1/sub-account/list</c>.</summary>
internal sealed record SubAccountListResponse(IReadOnlyList<SubAccountSummary> SubAccounts);

/// <summary>One row of <see cref="SubAccountListResponse"/>.</summary>
internal sealed record SubAccountSummary(long SubUserId, string Email, string Remark, bool IsFreeze, long CreateTime, bool IsManagedSubAccount, bool IsAssetManagementSubAccount);

/// <summary>§2.5 <c>GET /sapi/v1/sub-account/status</c> (an array of these).</summary>
internal sealed record SubAccountStatus(string Email, bool IsSubUserEnabled, bool IsUserActive, long InsertTime, bool IsMarginEnabled, bool IsFutureEnabled, long Mobile);

/// <summary>§2.3 create answer (v1 and v2).</summary>
internal sealed record CreatedSubAccountKey(
    string ApiName,
    string ApiKey,
    string? SecretKey,
    bool CanTrade,
    bool CanMarginLoanRepay,
    bool CanFuturesTrade,
    bool CanUniversalTransfer,
    bool CanVanillaOptions,
    bool? CanFixApiTrading,
    bool? CanFixApiReading,
    int Status,
    IReadOnlyList<string>? IpList);

/// <summary>§2.3 query answer: <c>rows</c> (PY-SUB 7.0.0 naming).</summary>
internal sealed record SubAccountKeyPage(int Total, IReadOnlyList<SubAccountKeyRow> Rows);

/// <summary>§2.3 query row and modify answer; note the lowercase <c>apikey</c>.</summary>
internal sealed record SubAccountKeyRow(
    string? Email,
    string ApiName,
    [property: JsonPropertyName("apikey")] string ApiKey,
    bool CanTrade,
    bool CanMarginLoanRepay,
    bool CanFuturesTrade,
    bool CanUniversalTransfer,
    bool CanVanillaOptions,
    long Timestamp);

/// <summary>§2.4 GET and DELETE answer.</summary>
internal sealed record SubAccountIpRestriction(string IpRestrict, IReadOnlyList<string> IpList, long UpdateTime, string ApiKey);

/// <summary>§2.4 / §2.6 POST v2 ipRestriction answer.</summary>
internal sealed record UpdatedIpRestriction(string Status, IReadOnlyList<string>? IpList, long UpdateTime, string ApiKey);

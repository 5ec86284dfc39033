using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using static BinanceKeys.Sandbox.Tests.JsonShape;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>docs/binance.md §2.3–§2.5: sub-account list/status, keys and their IP whitelists.</summary>
public sealed class SubAccountEndpointTests
{
    private const string Keys = "/sapi/v1/sub-account/subAccountApi";
    private const string KeysV2 = "/sapi/v2/sub-account/subAccountApi";
    private const string Ip = "/sapi/v1/sub-account/subAccountApi/ipRestriction";
    private const string IpV2 = "/sapi/v2/sub-account/subAccountApi/ipRestriction";
    private const string IpList = "/sapi/v1/sub-account/subAccountApi/ipRestriction/ipList";

    [Fact]
    public async Task ListAndStatus()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var list = await sandbox.Master.GetAsync("/sapi/v1/sub-account/list");
        Is(list.Json, ("subAccounts", Array));
        Assert.Single(list.Json.GetProperty("subAccounts").EnumerateArray()); // §2.5: limit defaults to 1.
        Is(list.Json.GetProperty("subAccounts")[0],
            ("subUserId", Number), ("email", Text), ("remark", Text), ("isFreeze", Bool), ("createTime", Number),
            ("isManagedSubAccount", Bool), ("isAssetManagementSubAccount", Bool));

        var all = await sandbox.Master.GetAsync("/sapi/v1/sub-account/list", ("limit", "200"));
        Assert.Equal(5, all.Json.GetProperty("subAccounts").GetArrayLength());
        var one = await sandbox.Master.GetAsync("/sapi/v1/sub-account/list", ("email", "desk-c@example.com"), ("limit", "10"));
        Assert.Equal("plain", one.Json.GetProperty("subAccounts")[0].GetProperty("remark").GetString());
        Assert.Equal(-1130, (await sandbox.Master.GetAsync("/sapi/v1/sub-account/list", ("limit", "201"))).Code);

        var status = await sandbox.Master.GetAsync("/sapi/v1/sub-account/status", ("email", "desk-a@example.com"));
        Assert.Equal(Array, status.Json.ValueKind);
        Is(status.Json[0], ("email", Text), ("isSubUserEnabled", Bool), ("isUserActive", Bool), ("insertTime", Number),
            ("isMarginEnabled", Bool), ("isFutureEnabled", Bool), ("mobile", Number));
        Assert.True(status.Json[0].GetProperty("isFutureEnabled").GetBoolean());
        Assert.Equal("10", status.Header("X-SAPI-USED-IP-WEIGHT-1M")); // §2.5: IP weight 10.
        Assert.Equal(5, (await sandbox.Master.GetAsync("/sapi/v1/sub-account/status")).Json.GetArrayLength());
    }

    [Fact]
    public async Task UnknownAndMalformedEmails()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var unknown = await sandbox.Master.GetAsync(Keys, ("email", "nobody@example.com"));
        Assert.Equal((HttpStatusCode.BadRequest, -3003, "User does not exist."), (unknown.Status, unknown.Code, unknown.Msg));
        var malformed = await sandbox.Master.GetAsync(Keys, ("email", "not-an-email"));
        Assert.Equal((-4003, "Your input email is invalid."), (malformed.Code, malformed.Msg));
        var missing = await sandbox.Master.GetAsync(Keys);
        Assert.Equal(-1102, missing.Code);
    }

    [Fact]
    public async Task CreateV1HmacReturnsTheSecretOnce()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var created = await sandbox.Master.PostAsync(Keys,
            ("email", "desk-a@example.com"), ("apiName", "bot"), ("status", "2"), ("ipAddress", "1.2.3.4,5.6.7.8"),
            ("canTrade", "true"), ("canFuturesTrade", "true"));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Is(created.Json, ("apiName", Text), ("apiKey", Text), ("secretKey", Text), ("canTrade", Bool), ("canMarginLoanRepay", Bool),
            ("canFuturesTrade", Bool), ("canUniversalTransfer", Bool), ("canVanillaOptions", Bool), ("status", Number), ("ipList", Array));
        Assert.Equal(64, created.Json.GetProperty("apiKey").GetString()!.Length);
        Assert.Equal(64, created.Json.GetProperty("secretKey").GetString()!.Length);
        Assert.Equal(2, created.Json.GetProperty("status").GetInt32());
        Assert.Equal("3000", created.Header("X-SAPI-USED-UID-WEIGHT-1M"));

        var apiKey = created.Json.GetProperty("apiKey").GetString()!;
        var query = await sandbox.Master.GetAsync(Keys, ("email", "desk-a@example.com"), ("subAccountApiKey", apiKey));
        Is(query.Json, ("total", Number), ("rows", Array));
        var row = query.Json.GetProperty("rows")[0];
        Is(row, ("email", Text), ("apiName", Text), ("apikey", Text), ("canTrade", Bool), ("canMarginLoanRepay", Bool),
            ("canFuturesTrade", Bool), ("canUniversalTransfer", Bool), ("canVanillaOptions", Bool), ("timestamp", Number));
        Assert.Equal(apiKey, row.GetProperty("apikey").GetString());
        Assert.True(row.GetProperty("canFuturesTrade").GetBoolean());
    }

    [Fact]
    public async Task CreateV1WithEd25519PublicKeyHasNoSecret()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var created = await sandbox.Master.PostAsync(Keys,
            ("email", "desk-c@example.com"), ("apiName", "ed"), ("status", "1"), ("publicKey", TestWorld.NewEd25519PublicPem()), ("canTrade", "true"));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.False(created.Json.TryGetProperty("secretKey", out _));
        Assert.False(created.Json.TryGetProperty("ipList", out _));
        Assert.Equal("ed25519", (await sandbox.KeysAsync("desk-c@example.com"))[0].GetProperty("type").GetString());

        // §2.3: v1 documents an Ed25519 public key only.
        var rsa = await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "rsa"), ("status", "1"), ("publicKey", TestWorld.RsaPublicPem));
        Assert.Equal((-1130, "Data sent for parameter 'publicKey' is not valid."), (rsa.Code, rsa.Msg));
        // v1 has no FIX flags: an unknown parameter.
        Assert.Equal(-1104, (await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "x"), ("status", "1"), ("canFixApiTrading", "false"))).Code);
    }

    [Fact]
    public async Task CreateV2TakesRsaOrEd25519InTheBodyOnly()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var rsa = await sandbox.Master.PostAsync(KeysV2, ("email", "desk-c@example.com"), ("apiName", "rsa"), ("status", "1"), ("publicKey", TestWorld.RsaPublicPem));
        Assert.Equal(HttpStatusCode.OK, rsa.Status);
        // v1's shape without secretKey and ipList, plus the FIX flags (UNCONFIRMED, docs/sandbox.md).
        Is(rsa.Json, ("apiName", Text), ("apiKey", Text), ("canTrade", Bool), ("canMarginLoanRepay", Bool), ("canFuturesTrade", Bool),
            ("canUniversalTransfer", Bool), ("canVanillaOptions", Bool), ("canFixApiTrading", Bool), ("canFixApiReading", Bool), ("status", Number));
        Assert.False(rsa.Json.GetProperty("canFixApiTrading").GetBoolean());

        // A bare base64 SPKI is accepted too (text format UNCONFIRMED, §8).
        var fix = await sandbox.Master.PostAsync(KeysV2, ("email", "desk-c@example.com"), ("apiName", "fix"), ("status", "1"),
            ("publicKey", TestWorld.Ed25519PublicKeySpki), ("canFixApiTrading", "true"), ("canFixApiReading", "true"));
        Assert.Equal(HttpStatusCode.OK, fix.Status);
        Assert.True(fix.Json.GetProperty("canFixApiTrading").GetBoolean());
        Assert.True(fix.Json.GetProperty("canFixApiReading").GetBoolean());

        var inQuery = await sandbox.Master.SendAsync(HttpMethod.Post, KeysV2, [("publicKey", TestWorld.NewEd25519PublicPem())],
            [("email", "desk-c@example.com"), ("apiName", "q"), ("status", "1")]);
        Assert.Equal(-1022, inQuery.Code);
        Assert.Equal(2, (await sandbox.KeysAsync("desk-c@example.com")).Length);

        Assert.Equal(-1130, (await sandbox.Master.PostAsync(KeysV2, ("email", "desk-c@example.com"), ("apiName", "bad"), ("status", "1"), ("publicKey", "not a key"))).Code);
    }

    [Fact]
    public async Task DeleteRemovesTheKey()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var created = await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "tmp"), ("status", "1"));
        var apiKey = created.Json.GetProperty("apiKey").GetString()!;
        var deleted = await sandbox.Master.DeleteAsync(Keys, ("email", "desk-c@example.com"), ("subAccountApiKey", apiKey));
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Is(deleted.Json);
        Assert.Empty(await sandbox.KeysAsync("desk-c@example.com"));
        var again = await sandbox.Master.DeleteAsync(Keys, ("email", "desk-c@example.com"), ("subAccountApiKey", apiKey));
        Assert.Equal((-2008, "Invalid Api-Key ID."), (again.Code, again.Msg));
    }

    [Fact]
    public async Task QueryPagesWithPageAndSize()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var first = await sandbox.Master.GetAsync(Keys, ("email", "full@example.com"));
        Assert.Equal(29, first.Json.GetProperty("total").GetInt32());
        Assert.Equal(29, first.Json.GetProperty("rows").GetArrayLength()); // default size 30
        var page = await sandbox.Master.GetAsync(Keys, ("email", "full@example.com"), ("page", "3"), ("size", "10"));
        Assert.Equal(9, page.Json.GetProperty("rows").GetArrayLength());
        Assert.Equal("k21", page.Json.GetProperty("rows")[0].GetProperty("apiName").GetString());
        Assert.Equal(-1130, (await sandbox.Master.GetAsync(Keys, ("email", "full@example.com"), ("size", "101"))).Code);
        Assert.Equal(-1130, (await sandbox.Master.GetAsync(Keys, ("email", "full@example.com"), ("page", "0"))).Code);
    }

    [Fact]
    public async Task ModifyPermissionSetsEveryFlag()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var created = await sandbox.Master.PostAsync(Keys, ("email", "desk-a@example.com"), ("apiName", "m"), ("status", "2"), ("ipAddress", "1.2.3.4"),
            ("canTrade", "true"), ("canUniversalTransfer", "true"));
        var apiKey = created.Json.GetProperty("apiKey").GetString()!;
        var modified = await sandbox.Master.PostAsync("/sapi/v1/sub-account/subAccountApiPermission",
            ("email", "desk-a@example.com"), ("subAccountApiKey", apiKey), ("canFuturesTrade", "true"), ("canVanillaOptions", "true"));
        Is(modified.Json, ("apiName", Text), ("apikey", Text), ("canTrade", Bool), ("canMarginLoanRepay", Bool),
            ("canFuturesTrade", Bool), ("canUniversalTransfer", Bool), ("canVanillaOptions", Bool), ("timestamp", Number));
        // Omitted flags are set to false (docs/sandbox.md).
        Assert.False(modified.Json.GetProperty("canTrade").GetBoolean());
        Assert.False(modified.Json.GetProperty("canUniversalTransfer").GetBoolean());
        var permissions = (await sandbox.KeysAsync("desk-a@example.com")).Single(k => k.GetProperty("apiKey").GetString() == apiKey).GetProperty("permissions");
        Assert.Equal(["europeanOptions", "futures", "reading"], permissions.EnumerateArray().Select(p => p.GetString()!).Order());
        Assert.Equal(-1130, (await sandbox.Master.PostAsync("/sapi/v1/sub-account/subAccountApiPermission",
            ("email", "desk-a@example.com"), ("subAccountApiKey", apiKey), ("canTrade", "yes"))).Code);
    }

    [Fact]
    public async Task IpRestrictionGetAddDelete()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var created = await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "ip"), ("status", "1"));
        var apiKey = created.Json.GetProperty("apiKey").GetString()!;
        (string, string) email = ("email", "desk-c@example.com"), key = ("subAccountApiKey", apiKey);

        var open = await sandbox.Master.GetAsync(Ip, email, key);
        Is(open.Json, ("ipRestrict", Text), ("ipList", Array), ("updateTime", Number), ("apiKey", Text));
        Assert.Equal("false", open.Json.GetProperty("ipRestrict").GetString()); // §2.4: a string.

        var added = await sandbox.Master.PostAsync(IpV2, email, key, ("status", "2"), ("ipAddress", "1.2.3.4,5.6.7.8"));
        Is(added.Json, ("status", Text), ("ipList", Array), ("updateTime", Number), ("apiKey", Text));
        Assert.Equal("2", added.Json.GetProperty("status").GetString());

        // A second POST adds to the list (UNCONFIRMED append semantics, docs/sandbox.md).
        await sandbox.Master.PostAsync(IpV2, email, key, ("status", "2"), ("ipAddress", "9.9.9.9,1.2.3.4"));
        var restricted = await sandbox.Master.GetAsync(Ip, email, key);
        Assert.Equal("true", restricted.Json.GetProperty("ipRestrict").GetString());
        Assert.Equal(["1.2.3.4", "5.6.7.8", "9.9.9.9"], restricted.Json.GetProperty("ipList").EnumerateArray().Select(e => e.GetString()!));

        var afterDelete = await sandbox.Master.DeleteAsync(IpList, email, key, ("ipAddress", "5.6.7.8"));
        Is(afterDelete.Json, ("ipRestrict", Text), ("ipList", Array), ("updateTime", Number), ("apiKey", Text));
        Assert.Equal(["1.2.3.4", "9.9.9.9"], afterDelete.Json.GetProperty("ipList").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(-1102, (await sandbox.Master.DeleteAsync(IpList, email, key)).Code); // §2.4: ipAddress mandatory.

        var lifted = await sandbox.Master.PostAsync(IpV2, email, key, ("status", "1"));
        Assert.Equal("1", lifted.Json.GetProperty("status").GetString());
        Assert.False(lifted.Json.TryGetProperty("ipList", out _));
        Assert.Equal("false", (await sandbox.Master.GetAsync(Ip, email, key)).Json.GetProperty("ipRestrict").GetString());
        Assert.Equal(-1102, (await sandbox.Master.PostAsync(IpV2, email, key, ("status", "2"))).Code); // restricted needs IPs
        Assert.Equal(-1130, (await sandbox.Master.PostAsync(IpV2, email, key, ("status", "3"))).Code);
    }
}

using System.Linq;
using System.Net;
using System.Threading.Tasks;
using static BinanceKeys.Sandbox.Tests.JsonShape;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>docs/binance.md §2.6: broker (Binance Link) sub-accounts and their keys.</summary>
public sealed class BrokerEndpointTests
{
    private const string Api = "/sapi/v1/broker/subAccountApi";

    [Fact]
    public async Task QuerySubAccounts()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var all = await sandbox.Master.GetAsync("/sapi/v1/broker/subAccount");
        Assert.Equal(2, all.Json.GetArrayLength());
        Is(all.Json[0], ("subaccountId", Text), ("email", Text), ("tag", Text), ("makerCommission", Number), ("takerCommission", Number),
            ("marginMakerCommission", Number), ("marginTakerCommission", Number), ("createTime", Number));
        var one = await sandbox.Master.GetAsync("/sapi/v1/broker/subAccount", ("subAccountId", "1002"));
        Assert.Equal("1002", one.Json[0].GetProperty("subaccountId").GetString());
        Assert.Equal(-3003, (await sandbox.Master.GetAsync("/sapi/v1/broker/subAccount", ("subAccountId", "999"))).Code);
    }

    [Fact]
    public async Task CreateQueryChangeAndDeleteAKey()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        (string, string) id = ("subAccountId", "1001");
        var created = await sandbox.Master.PostAsync(Api, id, ("canTrade", "false"), ("marginTrade", "false"), ("futuresTrade", "false"));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Is(created.Json, ("subaccountId", Text), ("apiKey", Text), ("secretKey", Text), ("canTrade", Bool), ("marginTrade", Bool), ("futuresTrade", Bool));
        Assert.Equal("3000", created.Header("X-SAPI-USED-UID-WEIGHT-1M"));
        Assert.Equal("8", created.Header("X-SAPI-USED-IP-WEIGHT-1M")); // §2.6: Weight(IP) 8 as well.
        var apiKey = created.Json.GetProperty("apiKey").GetString()!;
        (string, string) key = ("subAccountApiKey", apiKey);

        var query = await sandbox.Master.GetAsync(Api, id);
        Is(query.Json[0], ("apikey", Text), ("subaccountId", Text), ("canTrade", Bool), ("marginTrade", Bool), ("futuresTrade", Bool));
        Assert.Equal(apiKey[..3] + "*************", query.Json[0].GetProperty("apikey").GetString()); // masked as in §2.6

        // Restrict first: an unrestricted trading HMAC key would be deleted (Default Security Controls).
        var ip = await sandbox.Master.PostAsync("/sapi/v2/broker/subAccountApi/ipRestriction", id, key, ("status", "2"), ("ipAddress", "1.2.3.4"));
        Is(ip.Json, ("status", Text), ("ipList", Array), ("updateTime", Number), ("apiKey", Text));

        var changed = await sandbox.Master.PostAsync(Api + "/permission", id, key, ("canTrade", "true"), ("marginTrade", "false"), ("futuresTrade", "true"));
        Is(changed.Json, ("subaccountId", Text), ("apikey", Text), ("canTrade", Bool), ("marginTrade", Bool), ("futuresTrade", Bool));
        Assert.True(changed.Json.GetProperty("canTrade").GetBoolean());
        Assert.Equal(-1102, (await sandbox.Master.PostAsync(Api + "/permission", id, key, ("canTrade", "true"))).Code); // all flags mandatory

        var universal = await sandbox.Master.PostAsync(Api + "/permission/universalTransfer", id, key, ("canUniversalTransfer", "true"));
        Is(universal.Json, ("subaccountId", Text), ("apikey", Text), ("canUniversalTransfer", Bool));
        var options = await sandbox.Master.PostAsync(Api + "/permission/vanillaOptions", id, key, ("canVanillaOptions", "true"));
        Is(options.Json, ("subaccountId", Text), ("apikey", Text), ("canVanillaOptions", Bool));
        var permissions = (await sandbox.BrokerKeysAsync("1001"))[0].GetProperty("permissions").EnumerateArray().Select(p => p.GetString()!);
        Assert.Equal(["europeanOptions", "futures", "reading", "spotAndMarginTrading", "universalTransfer"], permissions.Order());

        var restriction = await sandbox.Master.GetAsync(Api + "/ipRestriction", id, key);
        Is(restriction.Json, ("subaccountId", Text), ("ipRestrict", Bool), ("apikey", Text), ("ipList", Array), ("updateTime", Number));
        Assert.True(restriction.Json.GetProperty("ipRestrict").GetBoolean()); // §2.6: a boolean here.

        var deleted = await sandbox.Master.DeleteAsync(Api, id, key);
        Is(deleted.Json);
        Assert.Empty(await sandbox.BrokerKeysAsync("1001"));
    }

    [Fact]
    public async Task DeleteIpListWithoutAddressesLiftsTheRestriction()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        (string, string) id = ("subAccountId", "1001");
        var apiKey = (await sandbox.Master.PostAsync(Api, id, ("canTrade", "false"))).Json.GetProperty("apiKey").GetString()!;
        (string, string) key = ("subAccountApiKey", apiKey);
        await sandbox.Master.PostAsync("/sapi/v2/broker/subAccountApi/ipRestriction", id, key, ("status", "2"), ("ipAddress", "1.2.3.4,5.6.7.8"));
        var one = await sandbox.Master.DeleteAsync(Api + "/ipRestriction/ipList", id, key, ("ipAddress", "1.2.3.4"));
        Is(one.Json, ("subaccountId", Text), ("apikey", Text), ("ipList", Array), ("updateTime", Number));
        Assert.Equal(["5.6.7.8"], one.Json.GetProperty("ipList").EnumerateArray().Select(e => e.GetString()!));
        var all = await sandbox.Master.DeleteAsync(Api + "/ipRestriction/ipList", id, key);
        Assert.Equal(0, all.Json.GetProperty("ipList").GetArrayLength());
        Assert.False((await sandbox.Master.GetAsync(Api + "/ipRestriction", id, key)).Json.GetProperty("ipRestrict").GetBoolean());
    }

    [Fact]
    public async Task BrokerRulesFuturesMarginAndPublicKeys()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var futures = await sandbox.Master.PostAsync(Api, ("subAccountId", "1002"), ("canTrade", "false"), ("futuresTrade", "true"));
        Assert.Equal(-1002, futures.Code);
        var margin = await sandbox.Master.PostAsync(Api, ("subAccountId", "1002"), ("canTrade", "false"), ("marginTrade", "true"));
        Assert.Equal(-1002, margin.Code);

        // §2.6: publicKey for Ed25519 and RSA; no secret comes back.
        var rsa = await sandbox.Master.PostAsync(Api, ("subAccountId", "1002"), ("canTrade", "true"), ("publicKey", TestWorld.RsaPublicPem));
        Assert.Equal(HttpStatusCode.OK, rsa.Status);
        Assert.False(rsa.Json.TryGetProperty("secretKey", out _));
        Assert.Equal("rsa", (await sandbox.BrokerKeysAsync("1002"))[0].GetProperty("type").GetString());
        Assert.Equal(-1102, (await sandbox.Master.PostAsync(Api, ("subAccountId", "1001"))).Code); // canTrade is mandatory
    }

    [Fact]
    public async Task AtMostOneCreateAndOneDeletePerSubAccountPerSecond()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var first = await sandbox.Master.PostAsync(Api, ("subAccountId", "1001"), ("canTrade", "false"));
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var second = await sandbox.Master.PostAsync(Api, ("subAccountId", "1001"), ("canTrade", "false"));
        Assert.Equal((HttpStatusCode.TooManyRequests, -4005), (second.Status, second.Code));
        Assert.Equal("1", second.Header("Retry-After"));
        Assert.Equal("1000", second.Header("X-SANDBOX-RETRY-AFTER-MS")); // the clock has not moved since the first create
        // Another sub-account is not affected, nor is a delete.
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.PostAsync(Api, ("subAccountId", "1002"), ("canTrade", "false"))).Status);
        var apiKey = first.Json.GetProperty("apiKey").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.DeleteAsync(Api, ("subAccountId", "1001"), ("subAccountApiKey", apiKey))).Status);

        sandbox.Clock.AdvanceBy(System.TimeSpan.FromMilliseconds(999));
        Assert.Equal(-4005, (await sandbox.Master.PostAsync(Api, ("subAccountId", "1001"), ("canTrade", "false"))).Code);
        sandbox.Clock.AdvanceBy(System.TimeSpan.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.PostAsync(Api, ("subAccountId", "1001"), ("canTrade", "false"))).Status);
    }
}

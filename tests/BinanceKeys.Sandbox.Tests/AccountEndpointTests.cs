using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using static BinanceKeys.Sandbox.Tests.JsonShape;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>docs/binance.md §2.1 and §2.2: public endpoints and the calling account's own key.</summary>
public sealed class AccountEndpointTests
{
    [Fact]
    public async Task PublicEndpoints()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var anonymous = sandbox.Hmac("", "");

        var time = await anonymous.SendRawAsync(HttpMethod.Get, "/api/v3/time", "", null);
        Is(time.Json, ("serverTime", Number));
        Assert.Equal(sandbox.Clock.NowMs, time.Json.GetProperty("serverTime").GetInt64());
        Assert.Equal("1", time.Header("X-MBX-USED-WEIGHT-1M"));

        var ping = await anonymous.SendRawAsync(HttpMethod.Get, "/api/v3/ping", "", null);
        Is(ping.Json);
        Assert.Equal("2", ping.Header("X-MBX-USED-WEIGHT-1M")); // §4: /api weight is shared by all endpoints.

        var status = await anonymous.SendRawAsync(HttpMethod.Get, "/sapi/v1/system/status", "", null);
        Is(status.Json, ("status", Number), ("msg", Text));
        Assert.Equal("normal", status.Json.GetProperty("msg").GetString());
        Assert.Equal("1", status.Header("X-SAPI-USED-IP-WEIGHT-1M"));
        Assert.False(status.Message.Headers.Contains("X-SAPI-USED-UID-WEIGHT-1M")); // §4: only the header of the endpoint's own limit
    }

    [Fact]
    public async Task UnknownPathsAndMethodsAre404()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await sandbox.Master.SendRawAsync(HttpMethod.Get, "/sapi/v1/nothing", "", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await sandbox.Master.SendRawAsync(HttpMethod.Post, "/api/v3/time", "", null)).Status);
        // §2.2: the own-key IP endpoints were discontinued in 2021.
        Assert.Equal(HttpStatusCode.NotFound, (await sandbox.Master.GetAsync("/sapi/v1/account/apiRestrictions/ipRestriction")).Status);
    }

    [Fact]
    public async Task ApiRestrictionsDescribesTheCallingKey()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var reply = await sandbox.Master.GetAsync("/sapi/v1/account/apiRestrictions");
        Is(reply.Json,
            ("ipRestrict", Bool), ("createTime", Number), ("enableReading", Bool), ("enableWithdrawals", Bool),
            ("enableInternalTransfer", Bool), ("enableMargin", Bool), ("enableFutures", Bool), ("permitsUniversalTransfer", Bool),
            ("enableVanillaOptions", Bool), ("enableFixApiTrade", Bool), ("enableFixReadOnly", Bool),
            ("enableSpotAndMarginTrading", Bool), ("enablePortfolioMarginTrading", Bool));
        Assert.True(reply.Json.GetProperty("ipRestrict").GetBoolean());
        Assert.True(reply.Json.GetProperty("enableReading").GetBoolean());
        Assert.False(reply.Json.GetProperty("enableWithdrawals").GetBoolean());
        Assert.Equal("1", reply.Header("X-SAPI-USED-IP-WEIGHT-1M"));
    }

    [Fact]
    public async Task AccountInfoStatusAndTradingStatus()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var info = await sandbox.Master.GetAsync("/sapi/v1/account/info");
        Is(info.Json, ("vipLevel", Number), ("isMarginEnabled", Bool), ("isFutureEnabled", Bool), ("isOptionsEnabled", Bool), ("isPortfolioMarginRetailEnabled", Bool));

        var status = await sandbox.Master.GetAsync("/sapi/v1/account/status");
        Is(status.Json, ("data", Text));
        Assert.Equal("Normal", status.Json.GetProperty("data").GetString());

        var trading = await sandbox.Master.GetAsync("/sapi/v1/account/apiTradingStatus");
        Is(trading.Json, ("data", Nested));
        var data = trading.Json.GetProperty("data");
        Is(data, ("isLocked", Bool), ("plannedRecoverTime", Number), ("triggerCondition", Nested), ("updateTime", Number));
        Is(data.GetProperty("triggerCondition"), ("GCR", Number), ("IFER", Number), ("UFR", Number));
    }

    [Fact]
    public async Task SubAccountKeysMayReadTheirOwnKeyButNotManageOthers()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var desk = sandbox.Hmac(TestWorld.SubAccountKey, TestWorld.SubAccountSecret);
        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync("/sapi/v1/account/apiRestrictions")).Status);
        var list = await desk.GetAsync("/sapi/v1/sub-account/list");
        Assert.Equal((-4006, "Support main account only."), (list.Code, list.Msg));
    }

    [Fact]
    public async Task UnknownParametersAreRefused()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var reply = await sandbox.Master.GetAsync("/sapi/v1/account/status", ("colour", "blue"));
        Assert.Equal(-1104, reply.Code);
        Assert.Equal("Not all sent parameters were read; read '2' parameter(s) but was sent '3'.", reply.Msg);
    }
}

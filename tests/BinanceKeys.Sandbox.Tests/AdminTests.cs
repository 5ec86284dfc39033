using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>The admin API: state, reset, request log and each injected fault.</summary>
public sealed class AdminTests
{
    private const string Keys = "/sapi/v1/sub-account/subAccountApi";

    private static Task<Reply> CreateAsync(TestSandbox sandbox, string label = "k") =>
        sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", label), ("status", "2"), ("ipAddress", "1.2.3.4"));

    [Fact]
    public async Task StateShowsKeysWithTypesPermissionsAndIpLists()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var state = await sandbox.AdminAsync(HttpMethod.Get, "/admin/state");
        Assert.True(state.GetProperty("defaultSecurityControls").GetBoolean());
        var master = state.GetProperty("accounts")[0];
        Assert.Equal("master", master.GetProperty("kind").GetString());
        var admin = master.GetProperty("keys")[0];
        Assert.Equal(("admin", "hmac"), (admin.GetProperty("label").GetString(), admin.GetProperty("type").GetString()));
        Assert.Equal(["127.0.0.1"], admin.GetProperty("ipWhitelist").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(["reading", "spotAndMarginTrading"], admin.GetProperty("permissions").EnumerateArray().Select(e => e.GetString()!));
        var ops = master.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("label").GetString() == "ops");
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", ops.GetProperty("publicKey").GetString(), StringComparison.Ordinal);
        Assert.Equal(["brokerSubAccount", "brokerSubAccount"], state.GetProperty("accounts").EnumerateArray()
            .Where(a => a.TryGetProperty("subAccountId", out _)).Select(a => a.GetProperty("kind").GetString()!));
    }

    [Fact]
    public async Task ResetRestoresTheSeed()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await CreateAsync(sandbox);
        Assert.Single(await sandbox.KeysAsync("desk-c@example.com"));
        await sandbox.AdminAsync(HttpMethod.Post, "/admin/reset");
        Assert.Empty(await sandbox.KeysAsync("desk-c@example.com"));
        Assert.Empty((await sandbox.AdminAsync(HttpMethod.Get, "/admin/requests")).EnumerateArray());
    }

    [Fact]
    public async Task RequestLogShowsParameterNamesAndStatus()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await CreateAsync(sandbox);
        await sandbox.Master.GetAsync("/sapi/v1/nothing");
        var log = (await sandbox.AdminAsync(HttpMethod.Get, "/admin/requests")).EnumerateArray().ToArray();
        Assert.Equal(2, log.Length);
        Assert.Equal(("POST", Keys, 200), (log[0].GetProperty("method").GetString(), log[0].GetProperty("path").GetString(), log[0].GetProperty("status").GetInt32()));
        Assert.Equal(["email", "apiName", "status", "ipAddress", "timestamp", "signature"], log[0].GetProperty("parameterNames").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(404, log[1].GetProperty("status").GetInt32());
        await sandbox.AdminAsync(HttpMethod.Delete, "/admin/requests");
        Assert.Empty((await sandbox.AdminAsync(HttpMethod.Get, "/admin/requests")).EnumerateArray());
    }

    [Fact]
    public async Task ErrorBeforeChangeChangesNothing()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.AddFaultAsync(new { kind = "errorBeforeChange", method = "POST", path = Keys, status = 503 });
        var reply = await CreateAsync(sandbox);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, -1000), (reply.Status, reply.Code));
        Assert.Empty(await sandbox.KeysAsync("desk-c@example.com"));
        Assert.Equal(HttpStatusCode.OK, (await CreateAsync(sandbox)).Status); // the fault applied once
    }

    [Fact]
    public async Task ErrorAfterChangeKeepsTheChange()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.AddFaultAsync(new { kind = "errorAfterChange", path = "/sapi/*/sub-account/subAccountApi", count = 1, status = 500 });
        var reply = await CreateAsync(sandbox);
        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Equal("3000", reply.Header("X-SAPI-USED-UID-WEIGHT-1M")); // the call ran and was charged
        Assert.Single(await sandbox.KeysAsync("desk-c@example.com"));
        var log = (await sandbox.AdminAsync(HttpMethod.Get, "/admin/requests")).EnumerateArray().ToArray();
        Assert.Equal("errorAfterChange", log.Single().GetProperty("faults")[0].GetString());
    }

    [Fact]
    public async Task DropAfterChangeAbortsTheConnection()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.AddFaultAsync(new { kind = "dropAfterChange", method = "POST", path = Keys });
        await Assert.ThrowsAsync<HttpRequestException>(() => CreateAsync(sandbox));
        Assert.Single(await sandbox.KeysAsync("desk-c@example.com"));
        // The log lets a test assert that a client did not send a duplicate create afterwards.
        var posts = (await sandbox.AdminAsync(HttpMethod.Get, "/admin/requests")).EnumerateArray().Count(e => e.GetProperty("method").GetString() == "POST");
        Assert.Equal(1, posts);
    }

    [Fact]
    public async Task DelayHoldsTheRequest()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.AddFaultAsync(new { kind = "delay", path = "/sapi/v1/account/status", delayMs = 300 });
        var request = sandbox.Master.GetAsync("/sapi/v1/account/status");
        // The sandbox holds the request on its clock: exactly 300 ms of it, then answers.
        Assert.Equal(TimeSpan.FromMilliseconds(300), await sandbox.Clock.WaitForTimerAsync());
        sandbox.Clock.AdvanceBy(TimeSpan.FromMilliseconds(299));
        Assert.False(request.IsCompleted);
        Assert.Equal(TimeSpan.FromMilliseconds(1), Assert.Single(sandbox.Clock.PendingTimers));
        sandbox.Clock.AdvanceBy(TimeSpan.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.OK, (await request).Status);
    }

    [Fact]
    public async Task RateLimitBurst()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.AddFaultAsync(new { kind = "rateLimit", method = "GET", path = "/sapi/v1/sub-account/*", count = 2, retryAfterSeconds = 7 });
        for (var i = 0; i < 2; i++)
        {
            var limited = await sandbox.Master.GetAsync(Keys, ("email", "desk-c@example.com"));
            Assert.Equal((HttpStatusCode.TooManyRequests, -1003, "7"), (limited.Status, limited.Code, limited.Header("Retry-After")));
            Assert.Equal("0", limited.Header("X-SAPI-USED-UID-WEIGHT-1M"));
        }
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.GetAsync(Keys, ("email", "desk-c@example.com"))).Status);
        Assert.Empty((await sandbox.AdminAsync(HttpMethod.Get, "/admin/faults")).EnumerateArray());
    }

    [Fact]
    public async Task ClockSkewPerRequestAndGlobal()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.AddFaultAsync(new { kind = "clockSkew", path = "*", offsetMs = 10_000, count = 2 });
        using var anonymous = sandbox.Hmac("", "");
        var time = await anonymous.SendRawAsync(HttpMethod.Get, "/api/v3/time", "", null);
        Assert.Equal(10_000, time.Json.GetProperty("serverTime").GetInt64() - sandbox.Clock.NowMs);
        Assert.Equal(-1021, (await sandbox.Master.GetAsync("/sapi/v1/account/status")).Code);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.GetAsync("/sapi/v1/account/status")).Status);

        await sandbox.AdminAsync(HttpMethod.Post, "/admin/clock", new { offsetMs = -5_000 });
        var ahead = await sandbox.Master.GetAsync("/sapi/v1/account/status");
        Assert.Equal((-1021, "Timestamp for this request was 1000ms ahead of the server's time."), (ahead.Code, ahead.Msg));
        Assert.Equal(-5_000, (await sandbox.AdminAsync(HttpMethod.Get, "/admin/clock")).GetProperty("offsetMs").GetInt64());
    }

    [Fact]
    public async Task BadFaultsAreRefused()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
        var noPath = await http.PostAsync("/admin/faults", new StringContent("""{"kind":"delay"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, noPath.StatusCode);
        var badKind = await http.PostAsync("/admin/faults", new StringContent("""{"kind":"explode","path":"*"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
    }
}

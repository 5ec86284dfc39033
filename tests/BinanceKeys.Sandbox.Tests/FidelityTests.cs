using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using static BinanceKeys.Sandbox.Tests.JsonShape;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>
/// The ten points where the sandbox used to answer differently from Binance (issue 11), each pinned here under
/// every seed option that covers an undocumented reading (docs/sandbox.md "Seed options"). Facts and sources are
/// in docs/binance.md, cited by section.
/// </summary>
public sealed class FidelityTests
{
    private const string Keys = "/sapi/v1/sub-account/subAccountApi";
    private const string List = "/sapi/v1/sub-account/list";
    private const string Restrictions = "/sapi/v1/account/apiRestrictions";
    private const string SpotAccount = "/api/v3/account";
    private const string NotAuthorized = "You are not authorized to execute this request.";

    // ---- 1. docs/binance.md §1.2: the payload is percent-encoded before it is signed -------------------------------

    [Theory]
    [InlineData("lenient")]
    [InlineData("strict")]
    public async Task RawNonAsciiSignedAsSent_IsMinus1022(string reservedCharacters)
    {
        await using var sandbox = await TestSandbox.StartAsync(yaml: TestWorld.With("reservedCharacters: " + reservedCharacters));
        // Signed over exactly the bytes sent: the old sandbox verified that; Binance (since 2026-01-15) does not.
        var raw = await sandbox.Master.SendSignedRawAsync(HttpMethod.Post, Keys, "", "email=desk-c%40example.com&apiName=bot-ü&status=1");
        Assert.Equal((HttpStatusCode.BadRequest, -1022), (raw.Status, raw.Code));
        Assert.Empty(await sandbox.KeysAsync("desk-c@example.com"));

        // The same text percent-encoded, then signed, is accepted.
        var encoded = await sandbox.Master.SendSignedRawAsync(HttpMethod.Post, Keys, "", "email=desk-c%40example.com&apiName=bot-%C3%BC&status=1");
        Assert.Equal(HttpStatusCode.OK, encoded.Status);
        Assert.Equal("bot-ü", encoded.Json.GetProperty("apiName").GetString());
    }

    [Fact]
    public async Task RawReservedAscii_IsVerifiedAsSentWhenLenient()
    {
        await using var sandbox = await TestSandbox.StartAsync(yaml: TestWorld.With("reservedCharacters: lenient"));
        // '@' in a query and ',' in a body, raw, as ccxt sends them to sub-account endpoints.
        var list = await sandbox.Master.SendSignedRawAsync(HttpMethod.Get, List, "email=desk-c@example.com", null);
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal("desk-c@example.com", list.Json.GetProperty("subAccounts")[0].GetProperty("email").GetString());
        var create = await sandbox.Master.SendSignedRawAsync(HttpMethod.Post, Keys, "", "email=desk-c@example.com&apiName=a/b&status=2&ipAddress=1.2.3.4,5.6.7.8");
        Assert.Equal(HttpStatusCode.OK, create.Status);
        Assert.Equal(2, create.Json.GetProperty("ipList").GetArrayLength());
    }

    [Fact]
    public async Task RawReservedAscii_IsMinus1022WhenStrict()
    {
        await using var sandbox = await TestSandbox.StartAsync(yaml: TestWorld.With("reservedCharacters: strict"));
        foreach (var (query, body) in new (string, string?)[]
        {
            ("email=desk-c@example.com", null),
            ("", "email=desk-c%40example.com&apiName=a/b&status=1"),
            ("", "email=desk-c%40example.com&apiName=ab&status=2&ipAddress=1.2.3.4,5.6.7.8"),
            ("", "email=desk-c%40example.com&apiName=a+b&status=1"),
        })
        {
            var reply = await sandbox.Master.SendSignedRawAsync(body is null ? HttpMethod.Get : HttpMethod.Post, body is null ? List : Keys, query, body);
            Assert.Equal((HttpStatusCode.BadRequest, -1022), (reply.Status, reply.Code));
        }
        // Encoded, and signed encoded, all of them pass (what the module's client and Binance's SDKs send).
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.GetAsync(List, ("email", "desk+plus@example.com"))).Status);
        var create = await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "a/b c,d@e"), ("status", "2"), ("ipAddress", "1.2.3.4,5.6.7.8"));
        Assert.Equal(HttpStatusCode.OK, create.Status);
        Assert.Equal("a/b c,d@e", Assert.Single(await sandbox.KeysAsync("desk-c@example.com")).GetProperty("label").GetString());
    }

    // ---- 2. docs/binance.md §5: an unknown or deleted key ------------------------------------------------------------

    [Fact]
    public async Task UnknownOrDeletedKey_IsMinus2008OnSapiAndMinus2015OnApi()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var created = await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "gone"), ("status", "2"), ("ipAddress", "127.0.0.1"));
        using var gone = sandbox.Hmac(created.Json.GetProperty("apiKey").GetString()!, created.Json.GetProperty("secretKey").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await gone.GetAsync(Restrictions)).Status);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.DeleteAsync(Keys, ("email", "desk-c@example.com"), ("subAccountApiKey", gone.ApiKey))).Status);

        var sapi = await gone.GetAsync(Restrictions);
        Assert.Equal((HttpStatusCode.BadRequest, -2008, "Invalid Api-Key ID."), (sapi.Status, sapi.Code, sapi.Msg));
        var api = await gone.GetAsync(SpotAccount);
        Assert.Equal((HttpStatusCode.Unauthorized, -2015, "Invalid API-key, IP, or permissions for action."), (api.Status, api.Code, api.Msg));
    }

    // ---- 3. docs/binance.md §5: IP off the whitelist, permission missing ---------------------------------------------

    [Theory]
    [InlineData("unauthorized", HttpStatusCode.Unauthorized, -1002, NotAuthorized)]
    [InlineData("rejected", HttpStatusCode.BadRequest, -2015, "Invalid API-key, IP, or permissions for action.")]
    [InlineData("messageOnly", HttpStatusCode.Unauthorized, 0, NotAuthorized)]
    public async Task IpOrPermissionRefusalOnSapi_FollowsTheSeed(string option, HttpStatusCode status, int code, string message)
    {
        await using var sandbox = await TestSandbox.StartAsync(yaml: TestWorld.With("sapiRejection: " + option));
        using var farAway = sandbox.Hmac(TestWorld.FarAwayKey, TestWorld.FarAwaySecret);
        using var reader = sandbox.Hmac(TestWorld.ReadOnlyKey, TestWorld.ReadOnlySecret);
        foreach (var reply in new[]
        {
            await farAway.GetAsync(Restrictions),                                                                  // IP off the whitelist
            await reader.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "x"), ("status", "1")),     // no spot & margin trading
        })
        {
            Assert.Equal((status, code, message), (reply.Status, reply.Code, reply.Msg));
            Assert.Equal(code != 0, reply.Json.TryGetProperty("code", out _));
        }
        Assert.Empty(await sandbox.KeysAsync("desk-c@example.com"));

        // /api keeps 401 -2015 whatever the option.
        var api = await farAway.GetAsync(SpotAccount);
        Assert.Equal((HttpStatusCode.Unauthorized, -2015), (api.Status, api.Code));
    }

    // ---- 4. docs/binance.md §5: a missing signature ------------------------------------------------------------------

    [Fact]
    public async Task MissingSignature_Is401Minus1002OnSapiAndMinus1102OnApi()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var stamp = "timestamp=" + sandbox.Clock.NowMs.ToString(CultureInfo.InvariantCulture);
        var sapi = await sandbox.Master.SendRawAsync(HttpMethod.Get, Restrictions, stamp, null);
        Assert.Equal((HttpStatusCode.Unauthorized, -1002, NotAuthorized), (sapi.Status, sapi.Code, sapi.Msg));
        var api = await sandbox.Master.SendRawAsync(HttpMethod.Get, SpotAccount, stamp, null);
        Assert.Equal((HttpStatusCode.BadRequest, -1102), (api.Status, api.Code));
        Assert.Contains("'signature'", api.Msg, StringComparison.Ordinal);
    }

    // ---- 5. docs/binance.md §9: Default Security Controls, both readings -------------------------------------------

    [Fact]
    public async Task SecurityControls_Refuse_RefusesEachChangeAndChangesNothing()
    {
        await using var sandbox = await TestSandbox.StartAsync(yaml: TestWorld.With("securityControlsViolation: refuse"));
        (string, string) email = ("email", "desk-c@example.com");

        var create = await sandbox.Master.PostAsync(Keys, email, ("apiName", "trader"), ("status", "1"), ("canTrade", "true"));
        Assert.Equal((HttpStatusCode.BadRequest, -1002), (create.Status, create.Code));
        Assert.Empty(await sandbox.KeysAsync("desk-c@example.com"));

        // A reading key may not be given trading while unrestricted ...
        var reader = (await sandbox.Master.PostAsync(Keys, email, ("apiName", "reader"), ("status", "1"))).Json.GetProperty("apiKey").GetString()!;
        var grant = await sandbox.Master.PostAsync("/sapi/v1/sub-account/subAccountApiPermission", email, ("subAccountApiKey", reader), ("canTrade", "true"));
        Assert.Equal(-1002, grant.Code);
        // ... and a restricted trading key may not lose its whitelist.
        var trader = (await sandbox.Master.PostAsync(Keys, email, ("apiName", "trader"), ("status", "2"), ("ipAddress", "1.2.3.4"), ("canTrade", "true"))).Json.GetProperty("apiKey").GetString()!;
        Assert.Equal(-1002, (await sandbox.Master.PostAsync("/sapi/v2/sub-account/subAccountApi/ipRestriction", email, ("subAccountApiKey", trader), ("status", "1"))).Code);
        Assert.Equal(-1002, (await sandbox.Master.DeleteAsync("/sapi/v1/sub-account/subAccountApi/ipRestriction/ipList", email, ("subAccountApiKey", trader), ("ipAddress", "1.2.3.4"))).Code);

        var keys = await sandbox.KeysAsync("desk-c@example.com");
        Assert.Equal(new[] { "reading" }, keys.Single(k => k.GetProperty("apiKey").GetString() == reader).GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        var kept = keys.Single(k => k.GetProperty("apiKey").GetString() == trader);
        Assert.Equal(new[] { "1.2.3.4" }, kept.GetProperty("ipWhitelist").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains("spotAndMarginTrading", kept.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task SecurityControls_DeleteLater_AnswersThenTheSweepDeletesTheKey()
    {
        await using var sandbox = await TestSandbox.StartAsync(yaml: TestWorld.With("securityControlsViolation: deleteLater", "sweepAfterSeconds: 30"));
        (string, string) email = ("email", "desk-c@example.com");
        var created = await sandbox.Master.PostAsync(Keys, email, ("apiName", "doomed"), ("status", "1"), ("canTrade", "true"));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        using var doomed = sandbox.Hmac(created.Json.GetProperty("apiKey").GetString()!, created.Json.GetProperty("secretKey").GetString()!);

        // Until the sweep, the key is there and works.
        sandbox.Clock.AdvanceBy(TimeSpan.FromSeconds(29));
        Assert.Equal(HttpStatusCode.OK, (await doomed.GetAsync(Restrictions)).Status);
        Assert.Single(await sandbox.KeysAsync("desk-c@example.com"));

        // Then it is gone: the next call with it gets -2008, and the master's query no longer finds it.
        sandbox.Clock.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Equal((HttpStatusCode.BadRequest, -2008), ((await doomed.GetAsync(Restrictions)).Status, (await doomed.GetAsync(Restrictions)).Code));
        Assert.Equal(-2008, (await sandbox.Master.GetAsync(Keys, email, ("subAccountApiKey", doomed.ApiKey))).Code);
        Assert.Empty(await sandbox.KeysAsync("desk-c@example.com"));
    }

    [Fact]
    public async Task SecurityControls_DeleteLater_KeepsAKeyFixedBeforeTheSweep()
    {
        await using var sandbox = await TestSandbox.StartAsync(yaml: TestWorld.With("securityControlsViolation: deleteLater", "sweepAfterSeconds: 30"));
        (string, string) email = ("email", "desk-c@example.com");
        var apiKey = (await sandbox.Master.PostAsync(Keys, email, ("apiName", "saved"), ("status", "1"), ("canTrade", "true"))).Json.GetProperty("apiKey").GetString()!;
        await sandbox.Master.PostAsync("/sapi/v2/sub-account/subAccountApi/ipRestriction", email, ("subAccountApiKey", apiKey), ("status", "2"), ("ipAddress", "1.2.3.4"));
        sandbox.Clock.AdvanceBy(TimeSpan.FromMinutes(5));
        Assert.Single(await sandbox.KeysAsync("desk-c@example.com"));
    }

    // ---- 6. docs/binance.md §9: trading expires on a key without an IP whitelist -----------------------------------

    [Fact]
    public async Task TradingOnAnUnrestrictedKey_ExpiresAfterThirtyDays()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var ops = sandbox.Ed25519(TestWorld.Ed25519ApiKey, TestWorld.Ed25519Key); // seeded: trading, no whitelist
        var before = await ops.GetAsync(Restrictions);
        var expiry = TestClock().Add(TimeSpan.FromDays(30)).ToUnixTimeMilliseconds();
        Assert.Equal(expiry, before.Json.GetProperty("tradingAuthorityExpirationTime").GetInt64());
        Assert.True(before.Json.GetProperty("enableSpotAndMarginTrading").GetBoolean());

        sandbox.Clock.AdvanceBy(TimeSpan.FromDays(30) - TimeSpan.FromMilliseconds(1));
        Assert.True((await ops.GetAsync(Restrictions)).Json.GetProperty("enableSpotAndMarginTrading").GetBoolean());
        sandbox.Clock.AdvanceBy(TimeSpan.FromMilliseconds(1));
        var after = await ops.GetAsync(Restrictions);
        Assert.False(after.Json.GetProperty("enableSpotAndMarginTrading").GetBoolean());
        Assert.False(after.Json.TryGetProperty("tradingAuthorityExpirationTime", out _));

        // A whitelisted key's trading never expires, and carries no expiry.
        var admin = await sandbox.Master.GetAsync(Restrictions);
        Assert.True(admin.Json.GetProperty("enableSpotAndMarginTrading").GetBoolean());
        Assert.False(admin.Json.TryGetProperty("tradingAuthorityExpirationTime", out _));
    }

    [Fact]
    public async Task TradingExpiry_StartsWhenGrantedOrWhenTheWhitelistGoes_AndFollowsTheTimeScale()
    {
        // Time scale 0.001: thirty days last 43.2 minutes; the period itself comes from the seed (here 10 days).
        await using var sandbox = await TestSandbox.StartAsync(timeScale: 0.001, yaml: TestWorld.With("tradingPermissionDays: 10"));
        (string, string) email = ("email", "desk-c@example.com");
        var publicKey = TestWorld.NewEd25519PublicPem();
        var apiKey = (await sandbox.Master.PostAsync(Keys, email, ("apiName", "ed"), ("status", "2"), ("ipAddress", "1.2.3.4"), ("canTrade", "true"), ("publicKey", publicKey))).Json.GetProperty("apiKey").GetString()!;
        Assert.Null(ExpiryOf(await sandbox.KeysAsync("desk-c@example.com")));

        sandbox.Clock.AdvanceBy(TimeSpan.FromMinutes(1));
        await sandbox.Master.PostAsync("/sapi/v2/sub-account/subAccountApi/ipRestriction", email, ("subAccountApiKey", apiKey), ("status", "1"));
        var lifted = sandbox.Clock.NowMs;
        Assert.Equal(lifted + (long)TimeSpan.FromDays(10).TotalMilliseconds / 1000, ExpiryOf(await sandbox.KeysAsync("desk-c@example.com")));

        sandbox.Clock.AdvanceBy(TimeSpan.FromDays(10) / 1000);
        var keys = await sandbox.KeysAsync("desk-c@example.com");
        Assert.DoesNotContain("spotAndMarginTrading", keys[0].GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Null(ExpiryOf(keys));
    }

    // ---- 7. docs/binance.md §4: usage headers, and 429 then 418 on /api ------------------------------------------

    [Fact]
    public async Task UsageHeaders_AreTheOnesBinanceSends()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var api = await sandbox.Master.GetAsync(SpotAccount);
        Assert.Equal("20", api.Header("x-mbx-used-weight-1m"));
        Assert.Equal("20", api.Header("x-mbx-used-weight")); // the legacy one, without an interval
        Assert.True(api.Message.Headers.Contains("x-mbx-used-weight"));

        var uid = await sandbox.Master.GetAsync(Keys, ("email", "desk-c@example.com"));
        Assert.Equal("3000", uid.Header("x-sapi-used-uid-weight-1m"));
        Assert.False(uid.Message.Headers.Contains("x-sapi-used-ip-weight-1m"));

        var ip = await sandbox.Master.GetAsync(Restrictions);
        Assert.Equal("1", ip.Header("x-sapi-used-ip-weight-1m"));
        Assert.False(ip.Message.Headers.Contains("x-sapi-used-uid-weight-1m"));

        // Broker create is weighted in both (IP 8 + UID 3000), so it reports both.
        var broker = await sandbox.Master.PostAsync("/sapi/v1/broker/subAccountApi", ("subAccountId", "1002"), ("canTrade", "false"));
        Assert.Equal(("8", "3000"), (broker.Header("x-sapi-used-ip-weight-1m"), broker.Header("x-sapi-used-uid-weight-1m")));

        // No /api or /sapi answer carries the other family's headers.
        Assert.DoesNotContain(api.Message.Headers, h => h.Key.StartsWith("x-sapi", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(ip.Message.Headers, h => h.Key.StartsWith("x-mbx", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ApiRequestDuringRetryAfter_EarnsA418BanThatEscalates()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Clock.AdvanceBy(TimeSpan.FromSeconds(30)); // half a minute left in the window

        // 6000 / 20 = 300 calls of /api/v3/account fit a minute; the 301st is refused.
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.GetAsync(SpotAccount)).Status);
        }
        var limited = await sandbox.Master.GetAsync(SpotAccount);
        Assert.Equal((HttpStatusCode.TooManyRequests, -1003, "30"), (limited.Status, limited.Code, limited.Header("Retry-After")));

        // Not waiting it out earns a ban: 418, Retry-After the ban's length (2 minutes the first time).
        var banned = await sandbox.Master.GetAsync(SpotAccount);
        Assert.Equal(((HttpStatusCode)418, -1003, "120"), (banned.Status, banned.Code, banned.Header("Retry-After")));
        Assert.StartsWith("Way too much request weight used; IP banned until ", banned.Msg, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)418, (await sandbox.Master.GetAsync("/api/v3/time")).Status); // every /api endpoint
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.GetAsync(Restrictions)).Status);        // /sapi is not banned (§4)

        sandbox.Clock.AdvanceBy(TimeSpan.FromSeconds(119));
        Assert.Equal("1", (await sandbox.Master.GetAsync(SpotAccount)).Header("Retry-After"));
        sandbox.Clock.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.GetAsync(SpotAccount)).Status);

        // A second offence doubles the ban.
        for (var i = 0; i < 299; i++)
        {
            await sandbox.Master.GetAsync(SpotAccount);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await sandbox.Master.GetAsync(SpotAccount)).Status);
        Assert.Equal("240", (await sandbox.Master.GetAsync(SpotAccount)).Header("Retry-After"));
    }

    [Fact]
    public async Task WaitingOutRetryAfter_EarnsNoBan()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        for (var i = 0; i < 300; i++)
        {
            await sandbox.Master.GetAsync(SpotAccount);
        }
        var limited = await sandbox.Master.GetAsync(SpotAccount);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        sandbox.Clock.AdvanceBy(TimeSpan.FromSeconds(int.Parse(limited.Header("Retry-After"), CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.GetAsync(SpotAccount)).Status);
    }

    // ---- 8. docs/binance.md §1.1: a GET's parameters come from the query string only ------------------------------

    [Fact]
    public async Task GetParameters_InAFormBody_AreNotRead()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        // Everything in the body: the sandbox sees no timestamp at all.
        var inBody = await sandbox.Master.SendAsync(HttpMethod.Get, List, [], [("email", "desk-c@example.com")]);
        Assert.Equal((HttpStatusCode.BadRequest, -1102), (inBody.Status, inBody.Code));
        Assert.Contains("'timestamp'", inBody.Msg, StringComparison.Ordinal);

        // A correctly signed query plus a stray body: the body is ignored, so the list is not filtered by it.
        var timestamp = "timestamp=" + sandbox.Clock.NowMs.ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestWorld.AdminSecret), Encoding.UTF8.GetBytes(timestamp)));
        var stray = await sandbox.Master.SendRawAsync(HttpMethod.Get, List, timestamp + "&limit=200&signature=" + signature, "email=desk-c%40example.com");
        Assert.Equal(-1022, stray.Code); // limit was not signed: the signature covers only what was read ...
        var unsignedStray = await sandbox.Master.SendRawAsync(HttpMethod.Get, List, timestamp + "&signature=" + signature, "email=desk-c%40example.com");
        Assert.Equal(HttpStatusCode.OK, unsignedStray.Status); // ... and a body is not read, so it need not be signed
        Assert.NotEqual("desk-c@example.com", unsignedStray.Json.GetProperty("subAccounts")[0].GetProperty("email").GetString());
    }

    // ---- 9. docs/binance.md §2.3: status 3, and an unmatched key filter ----------------------------------------------

    [Fact]
    public async Task Status3_RestrictsTheKeyToTheThirdPartysIps()
    {
        await using var sandbox = await TestSandbox.StartAsync(yaml: TestWorld.With("thirdParties:", "  ExamplePartner: [198.51.100.7, 198.51.100.8]"));
        (string, string) email = ("email", "desk-c@example.com");
        var created = await sandbox.Master.PostAsync(Keys, email, ("apiName", "partner"), ("status", "3"), ("thirdPartyName", "ExamplePartner"), ("canTrade", "true"));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal(3, created.Json.GetProperty("status").GetInt32());
        Assert.Equal(new[] { "198.51.100.7", "198.51.100.8" }, created.Json.GetProperty("ipList").EnumerateArray().Select(i => i.GetString()));
        var apiKey = created.Json.GetProperty("apiKey").GetString()!;
        var ip = await sandbox.Master.GetAsync("/sapi/v1/sub-account/subAccountApi/ipRestriction", email, ("subAccountApiKey", apiKey));
        Assert.Equal("true", ip.Json.GetProperty("ipRestrict").GetString());
        Assert.Single(await sandbox.KeysAsync("desk-c@example.com")); // restricted, so Default Security Controls keep it

        Assert.Equal(-1102, (await sandbox.Master.PostAsync(Keys, email, ("apiName", "x"), ("status", "3"))).Code);
        Assert.Equal(-1130, (await sandbox.Master.PostAsync(Keys, email, ("apiName", "x"), ("status", "3"), ("thirdPartyName", "Nobody"))).Code);
        Assert.Equal(-1106, (await sandbox.Master.PostAsync(Keys, email, ("apiName", "x"), ("status", "2"), ("ipAddress", "1.2.3.4"), ("thirdPartyName", "ExamplePartner"))).Code);
    }

    [Theory]
    [InlineData("invalidKeyId")]
    [InlineData("emptyPage")]
    public async Task UnmatchedKeyFilter_FollowsTheSeed(string option)
    {
        await using var sandbox = await TestSandbox.StartAsync(yaml: TestWorld.With("unmatchedKeyFilter: " + option));
        var nobody = TestWorld.Pad("NoSuchKey");
        var sub = await sandbox.Master.GetAsync(Keys, ("email", "desk-a@example.com"), ("subAccountApiKey", nobody));
        var broker = await sandbox.Master.GetAsync("/sapi/v1/broker/subAccountApi", ("subAccountId", "1001"), ("subAccountApiKey", nobody));
        if (option == "invalidKeyId")
        {
            Assert.Equal((HttpStatusCode.BadRequest, -2008), (sub.Status, sub.Code));
            Assert.Equal((HttpStatusCode.BadRequest, -2008), (broker.Status, broker.Code));
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, sub.Status);
            Is(sub.Json, ("total", Number), ("rows", JsonShape.Array));
            Assert.Equal(0, sub.Json.GetProperty("total").GetInt32());
            Assert.Equal(0, sub.Json.GetProperty("rows").GetArrayLength());
            Assert.Equal(0, broker.Json.GetArrayLength());
        }
        // A key that exists is found either way.
        var found = await sandbox.Master.GetAsync(Keys, ("email", "desk-a@example.com"), ("subAccountApiKey", TestWorld.SubAccountKey));
        Assert.Single(found.Json.GetProperty("rows").EnumerateArray());
    }

    // ---- 10. docs/binance.md §2.2: apiRestrictions field by field ------------------------------------------------------

    [Fact]
    public async Task ApiRestrictions_HasTheSdkModelsFieldsAndTheExpiryWhileOneRuns()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        (string, System.Text.Json.JsonValueKind)[] common =
        [
            ("ipRestrict", Bool), ("createTime", Number), ("enableReading", Bool), ("enableWithdrawals", Bool),
            ("enableInternalTransfer", Bool), ("enableMargin", Bool), ("enableFutures", Bool), ("permitsUniversalTransfer", Bool),
            ("enableVanillaOptions", Bool), ("enableFixApiTrade", Bool), ("enableFixReadOnly", Bool),
            ("enableSpotAndMarginTrading", Bool), ("enablePortfolioMarginTrading", Bool),
        ];
        Is((await sandbox.Master.GetAsync(Restrictions)).Json, common);
        using var ops = sandbox.Ed25519(TestWorld.Ed25519ApiKey, TestWorld.Ed25519Key);
        Is((await ops.GetAsync(Restrictions)).Json, [.. common, ("tradingAuthorityExpirationTime", Number)]);
    }

    private static DateTimeOffset TestClock() => BinanceKeys.Tests.Time.TestClock.Epoch;

    private static long? ExpiryOf(System.Text.Json.JsonElement[] keys) =>
        keys[0].TryGetProperty("tradingAuthorityExpirationTime", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.Number ? value.GetInt64() : null;
}

using System.Linq;
using System.Net;
using System.Threading.Tasks;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>Binance's key rules (docs/binance.md §2, §3, §9) as the sandbox enforces them.</summary>
public sealed class RuleTests
{
    private const string Keys = "/sapi/v1/sub-account/subAccountApi";
    private const string KeysV2 = "/sapi/v2/sub-account/subAccountApi";

    [Fact]
    public async Task WriteEndpointsNeedTheCallersSpotAndMarginTrading()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var reader = sandbox.Hmac(TestWorld.ReadOnlyKey, TestWorld.ReadOnlySecret);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(Keys, ("email", "desk-c@example.com"))).Status);
        var write = await reader.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "x"), ("status", "1"));
        Assert.Equal((HttpStatusCode.Unauthorized, -1002), (write.Status, write.Code)); // the default behaviour.sapiRejection
        Assert.Empty(await sandbox.KeysAsync("desk-c@example.com"));
    }

    [Fact]
    public async Task IpWhitelistIsCheckedAgainstTheSourceAddress()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        // /sapi refuses with the default behaviour.sapiRejection (-1002); /api with -2015 (docs/binance.md §5).
        using var farAway = sandbox.Hmac(TestWorld.FarAwayKey, TestWorld.FarAwaySecret);
        Assert.Equal(-1002, (await farAway.GetAsync("/sapi/v1/account/status")).Code);

        // The key whitelisted to 127.0.0.2 works from there and nowhere else.
        using var fromSecond = sandbox.Hmac(TestWorld.SecondLoopbackKey, TestWorld.SecondLoopbackSecret, IPAddress.Parse("127.0.0.2"));
        Assert.Equal(HttpStatusCode.OK, (await fromSecond.GetAsync("/sapi/v1/account/status")).Status);
        using var fromFirst = sandbox.Hmac(TestWorld.SecondLoopbackKey, TestWorld.SecondLoopbackSecret);
        Assert.Equal(-1002, (await fromFirst.GetAsync("/sapi/v1/account/status")).Code);
        // And the admin key, whitelisted to 127.0.0.1, is refused from 127.0.0.2.
        using var adminFromSecond = sandbox.Hmac(TestWorld.AdminKey, TestWorld.AdminSecret, IPAddress.Parse("127.0.0.2"));
        Assert.Equal(-1002, (await adminFromSecond.GetAsync("/sapi/v1/account/status")).Code);
    }

    [Fact]
    public async Task ThirtyKeysPerAccount()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var thirtieth = await sandbox.Master.PostAsync(Keys, ("email", "full@example.com"), ("apiName", "k30"), ("status", "1"));
        Assert.Equal(HttpStatusCode.OK, thirtieth.Status);
        Assert.Equal(30, (await sandbox.KeysAsync("full@example.com")).Length);
        var thirtyFirst = await sandbox.Master.PostAsync(Keys, ("email", "full@example.com"), ("apiName", "k31"), ("status", "1"));
        Assert.Equal((-4001, "Invalid operation."), (thirtyFirst.Code, thirtyFirst.Msg));
        Assert.Equal(30, (await sandbox.KeysAsync("full@example.com")).Length);
    }

    [Fact]
    public async Task ConcurrentCreatesNeverPassThirtyKeys()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var replies = await Task.WhenAll(Enumerable.Range(1, 35).Select(i =>
            sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "c" + i), ("status", "1"))));
        Assert.Equal(30, replies.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Equal(5, replies.Count(r => r.Code == -4001));
        Assert.Equal(30, (await sandbox.KeysAsync("desk-c@example.com")).Length);
    }

    [Fact]
    public async Task FixPermissionsNeedAnEd25519Key()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var hmac = await sandbox.Master.PostAsync(KeysV2, ("email", "desk-c@example.com"), ("apiName", "h"), ("status", "2"), ("ipAddress", "1.2.3.4"), ("canFixApiTrading", "true"));
        Assert.Equal((-9000, "Unsupported operation"), (hmac.Code, hmac.Msg));
        var rsa = await sandbox.Master.PostAsync(KeysV2, ("email", "desk-c@example.com"), ("apiName", "r"), ("status", "1"), ("publicKey", TestWorld.RsaPublicPem), ("canFixApiReading", "true"));
        Assert.Equal(-9000, rsa.Code);
        Assert.Empty(await sandbox.KeysAsync("desk-c@example.com"));
    }

    [Fact]
    public async Task FuturesAndMarginNeedTheAccountEnabled()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        (string, string)[] restricted = [("status", "2"), ("ipAddress", "1.2.3.4")];
        var futuresOnMarginDesk = await sandbox.Master.PostAsync(Keys, [("email", "desk-b@example.com"), ("apiName", "f"), ("canFuturesTrade", "true"), .. restricted]);
        Assert.Equal((-1002, "You are not authorized to execute this request."), (futuresOnMarginDesk.Code, futuresOnMarginDesk.Msg));
        var marginOnFuturesDesk = await sandbox.Master.PostAsync(Keys, [("email", "desk-a@example.com"), ("apiName", "m"), ("canMarginLoanRepay", "true"), .. restricted]);
        Assert.Equal(-1002, marginOnFuturesDesk.Code);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.PostAsync(Keys, [("email", "desk-b@example.com"), ("apiName", "m"), ("canMarginLoanRepay", "true"), .. restricted])).Status);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.PostAsync(Keys, [("email", "desk-a@example.com"), ("apiName", "f"), ("canFuturesTrade", "true"), .. restricted])).Status);

        // The same rule on a later permission change.
        var apiKey = (await sandbox.KeysAsync("desk-b@example.com"))[0].GetProperty("apiKey").GetString()!;
        var modify = await sandbox.Master.PostAsync("/sapi/v1/sub-account/subAccountApiPermission",
            ("email", "desk-b@example.com"), ("subAccountApiKey", apiKey), ("canFuturesTrade", "true"));
        Assert.Equal(-1002, modify.Code);
    }

    [Fact]
    public async Task WithdrawalsCannotBeSetByApi()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var reply = await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "w"), ("status", "2"), ("ipAddress", "1.2.3.4"), ("canWithdraw", "true"));
        Assert.Equal((-1106, "Parameter 'canWithdraw' sent when not required."), (reply.Code, reply.Msg));
    }

    [Theory]
    [InlineData("1.2.3.4, 5.6.7.8", -1100)]
    [InlineData("::1", -1130)]
    [InlineData("1.2.3.4/24", -1130)]
    [InlineData("256.1.1.1", -1130)]
    [InlineData("01.2.3.4", -1130)]
    [InlineData("1.2.3.4,,5.6.7.8", -1130)]
    public async Task IpListsAreCommaSeparatedIpv4WithoutSpaces(string ipAddress, int code)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var reply = await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "ip"), ("status", "2"), ("ipAddress", ipAddress));
        Assert.Equal(code, reply.Code);
    }

    [Fact]
    public async Task IpListsHoldAtMost30AddressesAnd500Characters()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        string Ips(int count, string prefix) => string.Join(',', Enumerable.Range(1, count).Select(i => prefix + i));
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "30"), ("status", "2"), ("ipAddress", Ips(30, "10.0.0.")))).Status);
        Assert.Equal(-1130, (await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "31"), ("status", "2"), ("ipAddress", Ips(31, "10.0.0.")))).Code);
        // Only duplicates make a text longer than 500 characters with at most 30 distinct IPv4 addresses.
        var fits = string.Join(',', Enumerable.Repeat("100.100.100.100", 31)); // 495 characters, one address
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "long"), ("status", "2"), ("ipAddress", fits))).Status);
        var tooLong = fits + ",1.2.3.4"; // 503 characters
        Assert.Equal(-1130, (await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "x"), ("status", "2"), ("ipAddress", tooLong))).Code);

        // Adding to a full list is refused as well.
        var key = (await sandbox.KeysAsync("desk-c@example.com")).Single(k => k.GetProperty("label").GetString() == "30").GetProperty("apiKey").GetString()!;
        var add = await sandbox.Master.PostAsync("/sapi/v2/sub-account/subAccountApi/ipRestriction",
            ("email", "desk-c@example.com"), ("subAccountApiKey", key), ("status", "2"), ("ipAddress", "11.0.0.1"));
        Assert.Equal(-1130, add.Code);
    }

    [Fact]
    public async Task DefaultSecurityControlsDeleteAnUnrestrictedTradingHmacKeyRightAfterCreate()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var created = await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "doomed"), ("status", "1"), ("canTrade", "true"));
        Assert.Equal(HttpStatusCode.OK, created.Status); // Binance answers the create, then deletes the key.
        Assert.True(created.Json.TryGetProperty("secretKey", out _));
        Assert.Empty(await sandbox.KeysAsync("desk-c@example.com"));
        Assert.Equal(0, (await sandbox.Master.GetAsync(Keys, ("email", "desk-c@example.com"))).Json.GetProperty("total").GetInt32());

        // Reading-only HMAC keys and asymmetric keys may stay unrestricted.
        await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "reader"), ("status", "1"));
        await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "ed"), ("status", "1"), ("canTrade", "true"), ("publicKey", TestWorld.NewEd25519PublicPem()));
        Assert.Equal(2, (await sandbox.KeysAsync("desk-c@example.com")).Length);
    }

    [Fact]
    public async Task DefaultSecurityControlsDeleteAKeyWhoseRestrictionIsRemoved()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var created = await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "kept"), ("status", "2"), ("ipAddress", "1.2.3.4,5.6.7.8"), ("canTrade", "true"));
        var apiKey = created.Json.GetProperty("apiKey").GetString()!;
        (string, string) email = ("email", "desk-c@example.com"), key = ("subAccountApiKey", apiKey);
        await sandbox.Master.DeleteAsync("/sapi/v1/sub-account/subAccountApi/ipRestriction/ipList", email, key, ("ipAddress", "1.2.3.4"));
        Assert.Single(await sandbox.KeysAsync("desk-c@example.com"));
        var last = await sandbox.Master.DeleteAsync("/sapi/v1/sub-account/subAccountApi/ipRestriction/ipList", email, key, ("ipAddress", "5.6.7.8"));
        Assert.Equal(HttpStatusCode.OK, last.Status);
        Assert.Empty(await sandbox.KeysAsync("desk-c@example.com"));
        Assert.Equal(-2008, (await sandbox.Master.GetAsync("/sapi/v1/sub-account/subAccountApi/ipRestriction", email, key)).Code);

        // Also through POST v2 status=1, and through granting trading to an unrestricted reading key.
        var second = (await sandbox.Master.PostAsync(Keys, email, ("apiName", "second"), ("status", "2"), ("ipAddress", "1.2.3.4"), ("canTrade", "true"))).Json.GetProperty("apiKey").GetString()!;
        await sandbox.Master.PostAsync("/sapi/v2/sub-account/subAccountApi/ipRestriction", email, ("subAccountApiKey", second), ("status", "1"));
        Assert.Empty(await sandbox.KeysAsync("desk-c@example.com"));
        var reader = (await sandbox.Master.PostAsync(Keys, email, ("apiName", "reader"), ("status", "1"))).Json.GetProperty("apiKey").GetString()!;
        await sandbox.Master.PostAsync("/sapi/v1/sub-account/subAccountApiPermission", email, ("subAccountApiKey", reader), ("canTrade", "true"));
        Assert.Empty(await sandbox.KeysAsync("desk-c@example.com"));
    }

    [Fact]
    public async Task WithoutDefaultSecurityControlsUnrestrictedTradingKeysStay()
    {
        var yaml = TestWorld.Yaml.Replace("defaultSecurityControls: true", "defaultSecurityControls: false", System.StringComparison.Ordinal);
        await using var sandbox = await TestSandbox.StartAsync(yaml: yaml);
        await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "free"), ("status", "1"), ("canTrade", "true"));
        Assert.Single(await sandbox.KeysAsync("desk-c@example.com"));
    }
}

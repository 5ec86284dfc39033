using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;
using BinanceKeys.Crypto;

namespace BinanceKeys.Client.Tests;

/// <summary>Every typed method of <see cref="BinanceClient"/> against the sandbox: happy path and parsed fields.</summary>
public sealed class TypedMethodTests : IClassFixture<FastSandboxFixture>, IAsyncLifetime
{
    private const string DeskA = "desk-a@example.com";
    private const string Broker = "1001";
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly ClientSandbox sandbox;
    private readonly BinanceClient client;

    public TypedMethodTests(FastSandboxFixture fixture)
    {
        sandbox = fixture.Sandbox;
        client = sandbox.Admin();
    }

    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync()
    {
        client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task GetServerTime_ReturnsTheSandboxClock()
    {
        await sandbox.SetClockAsync(3_600_000);
        var time = await client.GetServerTimeAsync(None);
        Assert.Equal(sandbox.Clock.GetUtcNow().AddHours(1), time);
    }

    [Fact]
    public async Task GetSystemStatus_IsNormal()
    {
        var (normal, message) = await client.GetSystemStatusAsync(None);
        Assert.True(normal);
        Assert.Equal("normal", message);
    }

    [Fact]
    public async Task GetApiRestrictions_DescribesTheCallingKey()
    {
        var restrictions = await client.GetApiRestrictionsAsync(None);
        Assert.True(restrictions.IpRestrict);
        Assert.True(restrictions.EnableReading);
        Assert.True(restrictions.EnableSpotAndMarginTrading);
        Assert.False(restrictions.EnableWithdrawals);
        Assert.False(restrictions.EnableFutures);
        Assert.NotNull(restrictions.CreateTime);

        using var ed25519 = sandbox.Keyed(ClientWorld.Ed25519ApiKey, ClientWorld.Ed25519Key);
        var fix = await ed25519.GetApiRestrictionsAsync(None);
        Assert.False(fix.IpRestrict);
        Assert.True(fix.EnableFixApiTrade);
    }

    [Fact]
    public async Task GetAccountInfo_ReportsTheMasterFlags()
    {
        var info = await client.GetAccountInfoAsync(None);
        Assert.Equal(0, info.VipLevel);
        Assert.True(info.IsFutureEnabled);
        Assert.True(info.IsMarginEnabled);
        Assert.False(info.IsPortfolioMarginRetailEnabled);
    }

    [Fact]
    public async Task GetSubAccounts_ListsEveryAccountJoinedWithItsStatus()
    {
        var all = await client.GetSubAccountsAsync(null, None);
        Assert.Equal(new[] { DeskA, "desk-b@example.com", "desk-c@example.com", ClientWorld.PlusEmail }, all.Select(a => a.Email).ToArray());
        var deskA = all[0];
        Assert.Equal("trading desk", deskA.Remark);
        Assert.True(deskA.SubUserId > 0);
        Assert.False(deskA.IsFreeze);
        Assert.NotNull(deskA.CreateTime);
        Assert.True(deskA.IsFutureEnabled);
        Assert.False(deskA.IsMarginEnabled);
        Assert.True(all[1].IsMarginEnabled);

        var one = Assert.Single(await client.GetSubAccountsAsync(ClientWorld.PlusEmail, None));
        Assert.Equal(ClientWorld.PlusEmail, one.Email);
        Assert.True(one.IsFutureEnabled);
    }

    [Fact]
    public async Task CreateSubAccountApiKey_V1Hmac_ReturnsTheSecretOnceAndTheIpList()
    {
        using var created = await client.CreateSubAccountApiKeyAsync(DeskA, "bot-1", IpRestrictionStatus.TrustedIps, new[] { "127.0.0.1", "10.0.0.2" }, null,
            new SubAccountPermissions { CanTrade = true, CanFuturesTrade = true }, null, None);
        Assert.Equal(64, created.Key.ApiKey.Length);
        Assert.Equal("bot-1", created.Key.ApiName);
        Assert.Equal(DeskA, created.Key.Email);
        Assert.True(created.Key.CanTrade);
        Assert.True(created.Key.CanFuturesTrade);
        Assert.False(created.Key.CanMarginLoanRepay);
        Assert.True(created.HasSecret);
        Assert.DoesNotContain("secret", created.ToString().Replace("secret present, redacted", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(created.IpRestriction);
        Assert.True(created.IpRestriction!.IpRestrict);
        Assert.Equal(new[] { "127.0.0.1", "10.0.0.2" }, created.IpRestriction.IpList);

        char[] secret = created.TakeSecret()!;
        var stored = Assert.Single(await sandbox.KeysAsync(DeskA), k => k.GetProperty("label").GetString() == "bot-1");
        Assert.Equal(stored.GetProperty("secretKey").GetString(), new string(secret));
        Assert.Null(created.TakeSecret());

        var sent = Assert.Single(await sandbox.RequestsAsync(), r => r.Method == "POST");
        Assert.Equal("/sapi/v1/sub-account/subAccountApi", sent.Path);
        Assert.DoesNotContain("publicKey", sent.ParameterNames);
    }

    [Fact]
    public async Task QuerySubAccountApiKeys_ReturnsAllOrOne()
    {
        var first = await CreateDeskAKeyAsync("q-1");
        var second = await CreateDeskAKeyAsync("q-2");

        var all = await client.QuerySubAccountApiKeysAsync(DeskA, null, None);
        Assert.Equal(new[] { "desk-a-bot", "q-1", "q-2" }, all.Select(k => k.ApiName).ToArray());
        Assert.Equal(new[] { ClientWorld.DeskAKey, first, second }, all.Select(k => k.ApiKey).ToArray());
        Assert.All(all, k => Assert.Equal(DeskA, k.Email));
        Assert.All(all, k => Assert.NotNull(k.CreateTime));

        var one = Assert.Single(await client.QuerySubAccountApiKeysAsync(DeskA, second, None));
        Assert.Equal("q-2", one.ApiName);
        Assert.True(one.CanTrade);
        Assert.False(one.CanFuturesTrade);
    }

    [Fact]
    public async Task ModifySubAccountApiKeyPermission_ReturnsTheNewFlags()
    {
        string key = await CreateDeskAKeyAsync("modify");
        var changed = await client.ModifySubAccountApiKeyPermissionAsync(DeskA, key, new SubAccountPermissions { CanTrade = true, CanFuturesTrade = true, CanUniversalTransfer = true }, None);
        Assert.Equal(key, changed.ApiKey);
        Assert.Equal("modify", changed.ApiName);
        Assert.True(changed.CanTrade);
        Assert.True(changed.CanFuturesTrade);
        Assert.True(changed.CanUniversalTransfer);
        Assert.False(changed.CanVanillaOptions);
        var read = Assert.Single(await client.QuerySubAccountApiKeysAsync(DeskA, key, None));
        Assert.True(read.CanUniversalTransfer);
    }

    [Fact]
    public async Task DeleteSubAccountApiKey_RemovesIt()
    {
        string key = await CreateDeskAKeyAsync("doomed");
        await client.DeleteSubAccountApiKeyAsync(DeskA, key, None);
        Assert.DoesNotContain(await client.QuerySubAccountApiKeysAsync(DeskA, null, None), k => k.ApiKey == key);
    }

    [Fact]
    public async Task SubAccountIpRestriction_GetUpdateDelete()
    {
        // Reading only: Default Security Controls would delete a trading HMAC key once its whitelist is lifted.
        string key = await CreateDeskAKeyAsync("ips", canTrade: false);

        var read = await client.GetSubAccountIpRestrictionAsync(DeskA, key, None);
        Assert.Equal(key, read.ApiKey);
        Assert.True(read.IpRestrict); // "true" as a string on this endpoint (§2.4)
        Assert.Equal(new[] { "127.0.0.1" }, read.IpList);
        Assert.NotNull(read.UpdateTime);

        var updated = await client.UpdateSubAccountIpRestrictionAsync(DeskA, key, true, new[] { "10.0.0.7", "10.0.0.8" }, None);
        Assert.True(updated.IpRestrict); // "status":"2"
        Assert.Contains("10.0.0.7", updated.IpList);

        var deleted = await client.DeleteSubAccountIpListAsync(DeskA, key, new[] { "10.0.0.7", "127.0.0.1" }, None);
        Assert.True(deleted.IpRestrict);
        Assert.Equal(new[] { "10.0.0.8" }, deleted.IpList);

        var lifted = await client.UpdateSubAccountIpRestrictionAsync(DeskA, key, false, null, None);
        Assert.False(lifted.IpRestrict);
        Assert.False((await client.GetSubAccountIpRestrictionAsync(DeskA, key, None)).IpRestrict);
    }

    [Fact]
    public async Task GetBrokerSubAccounts_ListsTheBrokerSubAccount()
    {
        var account = Assert.Single(await client.GetBrokerSubAccountsAsync(null, None));
        Assert.Equal(Broker, account.SubAccountId);
        Assert.Equal("broker-1001@example.com", account.Email);
        Assert.Equal("demo", account.Tag);
        Assert.NotNull(account.CreateTime);
        Assert.Single(await client.GetBrokerSubAccountsAsync(Broker, None));
    }

    [Fact]
    public async Task CreateBrokerApiKey_HmacAndPublicKey()
    {
        using var hmac = await client.CreateBrokerApiKeyAsync(Broker, new BrokerPermissions { CanTrade = false }, null, None);
        Assert.Equal(64, hmac.Key.ApiKey.Length);
        Assert.Equal(Broker, hmac.Key.SubAccountId);
        Assert.True(hmac.HasSecret);
        Assert.False(hmac.Key.CanTrade);

        using var key = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
        using var ed25519 = await client.CreateBrokerApiKeyAsync(Broker, new BrokerPermissions { CanTrade = true, MarginTrade = true, FuturesTrade = true }, key.PublicKey.Pem, None);
        Assert.False(ed25519.HasSecret);
        Assert.True(ed25519.Key.CanTrade);
        Assert.True(ed25519.Key.CanMarginLoanRepay);
        Assert.True(ed25519.Key.CanFuturesTrade);
        var stored = Assert.Single(await sandbox.KeysAsync(Broker), k => k.GetProperty("apiKey").GetString() == ed25519.Key.ApiKey);
        Assert.Equal("ed25519", stored.GetProperty("type").GetString());
    }

    [Fact]
    public async Task QueryBrokerApiKeys_ReturnsMaskedKeys()
    {
        string key = await CreateBrokerKeyAsync();
        var row = Assert.Single(await client.QueryBrokerApiKeysAsync(Broker, null, None));
        Assert.Equal(Broker, row.SubAccountId);
        Assert.StartsWith(key.Substring(0, 3), row.ApiKey, StringComparison.Ordinal);
        Assert.True(row.CanTrade);
        Assert.False(row.CanFuturesTrade);
        Assert.Single(await client.QueryBrokerApiKeysAsync(Broker, key, None));
    }

    [Fact]
    public async Task ChangeBrokerApiKeyPermission_AndTheSinglePermissions()
    {
        string key = await CreateBrokerKeyAsync();
        var changed = await client.ChangeBrokerApiKeyPermissionAsync(Broker, key, new BrokerPermissions { CanTrade = true, MarginTrade = true, FuturesTrade = true }, None);
        Assert.Equal(key, changed.ApiKey);
        Assert.True(changed.CanTrade);
        Assert.True(changed.CanMarginLoanRepay);
        Assert.True(changed.CanFuturesTrade);

        await client.SetBrokerUniversalTransferAsync(Broker, key, true, None);
        await client.SetBrokerVanillaOptionsAsync(Broker, key, true, None);
        var stored = Assert.Single(await sandbox.KeysAsync(Broker));
        var permissions = stored.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains("universalTransfer", permissions);
        Assert.Contains("europeanOptions", permissions);
        Assert.Contains("futures", permissions);
    }

    [Fact]
    public async Task BrokerIpRestriction_GetUpdateDelete()
    {
        string key = await CreateBrokerKeyAsync();
        var read = await client.GetBrokerIpRestrictionAsync(Broker, key, None);
        Assert.False(read.IpRestrict); // a JSON boolean on the broker endpoint (§2.6)

        var updated = await client.UpdateBrokerIpRestrictionAsync(Broker, key, true, new[] { "10.1.1.1", "10.1.1.2" }, None);
        Assert.True(updated.IpRestrict);
        Assert.Equal(new[] { "10.1.1.1", "10.1.1.2" }, updated.IpList);
        Assert.True((await client.GetBrokerIpRestrictionAsync(Broker, key, None)).IpRestrict);

        var deleted = await client.DeleteBrokerIpListAsync(Broker, key, new[] { "10.1.1.1" }, None);
        Assert.Equal(new[] { "10.1.1.2" }, deleted.IpList);
        Assert.Equal(key, deleted.ApiKey);
        // This answer has neither ipRestrict nor status (§2.6): a key that still lists IPs is restricted.
        Assert.True(deleted.IpRestrict);
        Assert.True((await client.GetBrokerIpRestrictionAsync(Broker, key, None)).IpRestrict);
    }

    [Fact]
    public async Task DeleteBrokerApiKey_RemovesIt()
    {
        string key = await CreateBrokerKeyAsync();
        await client.DeleteBrokerApiKeyAsync(Broker, key, None);
        Assert.Empty(await client.QueryBrokerApiKeysAsync(Broker, null, None));
    }

    [Fact]
    public async Task Invoke_CallsAnEndpointOutsideTheCatalogue()
    {
        var body = await client.InvokeAsync(BinanceEndpoint.Custom(HttpMethod.Get, "/sapi/v1/account/status", signed: true), Array.Empty<System.Collections.Generic.KeyValuePair<string, string>>(), None);
        Assert.Equal("Normal", BinanceJson.String(body, "data"));
    }

    private async Task<string> CreateDeskAKeyAsync(string label, bool canTrade = true)
    {
        using var created = await client.CreateSubAccountApiKeyAsync(DeskA, label, IpRestrictionStatus.TrustedIps, new[] { "127.0.0.1" }, null,
            new SubAccountPermissions { CanTrade = canTrade }, null, None);
        return created.Key.ApiKey;
    }

    private async Task<string> CreateBrokerKeyAsync()
    {
        using var key = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
        using var created = await client.CreateBrokerApiKeyAsync(Broker, new BrokerPermissions { CanTrade = true }, key.PublicKey.Pem, None);
        return created.Key.ApiKey;
    }
}

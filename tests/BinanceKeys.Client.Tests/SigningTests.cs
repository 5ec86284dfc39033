using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;
using BinanceKeys.Crypto;

namespace BinanceKeys.Client.Tests;

/// <summary>HMAC, Ed25519 and RSA signatures verified by the sandbox, with payloads that need percent-encoding (docs/binance.md §1).</summary>
public sealed class SigningTests : IClassFixture<FastSandboxFixture>, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly ClientSandbox sandbox;

    public SigningTests(FastSandboxFixture fixture) => sandbox = fixture.Sandbox;

    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> Signers => new() { "hmac", "ed25519", "rsa" };

    private BinanceClient Client(string type) => type switch
    {
        "hmac" => sandbox.Admin(),
        "ed25519" => sandbox.Keyed(ClientWorld.Ed25519ApiKey, ClientWorld.Ed25519Key),
        _ => sandbox.Keyed(ClientWorld.RsaApiKey, ClientWorld.RsaKey),
    };

    [Theory]
    [MemberData(nameof(Signers))]
    public async Task SignedGet_WithAnEmailNeedingEncoding_IsAccepted(string type)
    {
        using var client = Client(type);
        // '+' and '@' in a GET query (§1.2; ccxt/ccxt#19491).
        var account = Assert.Single(await client.GetSubAccountsAsync(ClientWorld.PlusEmail, None));
        Assert.Equal(ClientWorld.PlusEmail, account.Email);
    }

    [Theory]
    [MemberData(nameof(Signers))]
    public async Task SignedPost_WithEmailIpListAndPemPublicKey_IsAcceptedAndChoosesV2(string type)
    {
        using var client = Client(type);
        using var key = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
        // A PEM with newlines, '+', '/' and '=' in the body; '+', '@' in the email; ',' in the IP list.
        using var created = await client.CreateSubAccountApiKeyAsync(ClientWorld.PlusEmail, "label with spaces & symbols=+/", IpRestrictionStatus.TrustedIps,
            new[] { "127.0.0.1", "10.0.0.9" }, null, new SubAccountPermissions { CanTrade = true, CanFixApiTrading = true }, key.PublicKey.Pem, None);
        Assert.False(created.HasSecret);
        Assert.Equal("label with spaces & symbols=+/", created.Key.ApiName);
        Assert.True(created.Key.CanFixApiTrading);

        var stored = Assert.Single(await sandbox.KeysAsync(ClientWorld.PlusEmail));
        Assert.Equal("ed25519", stored.GetProperty("type").GetString());
        Assert.Equal(key.PublicKey.Pem.Trim(), stored.GetProperty("publicKey").GetString()!.Trim());
        Assert.Equal(new[] { "127.0.0.1", "10.0.0.9" }, stored.GetProperty("ipWhitelist").EnumerateArray().Select(i => i.GetString()).ToArray());

        // v2 was chosen, and publicKey travelled in the body: the sandbox refuses it in the query (-1022), and
        // logs parameter names query first, so the names after the path's are the body's.
        var post = Assert.Single(await sandbox.RequestsAsync(), r => r.Method == "POST");
        Assert.Equal("/sapi/v2/sub-account/subAccountApi", post.Path);
        Assert.Equal(200, post.Status);
        Assert.Contains("publicKey", post.ParameterNames);
        Assert.Equal("signature", post.ParameterNames.Last());
    }

    [Theory]
    [MemberData(nameof(Signers))]
    public async Task NonAsciiValues_AreSignedAsPercentEncodedUtf8(string type)
    {
        using var client = Client(type);
        // In the body (§1.2's example characters) ...
        using var created = await client.CreateSubAccountApiKeyAsync("desk-c@example.com", "１２３４５６ bot é", IpRestrictionStatus.TrustedIps, new[] { "127.0.0.1" }, null,
            new SubAccountPermissions(), null, None);
        Assert.Equal("１２３４５６ bot é", created.Key.ApiName);
        // ... and in a query: a signature problem would be -1022, an unknown (well-signed) email is -3003.
        var error = await Assert.ThrowsAsync<BinanceApiException>(() => client.QuerySubAccountApiKeysAsync("dësk+ü@example.com", null, None));
        Assert.Equal(-3003, error.Code);
    }

    [Fact]
    public async Task RsaPublicKey_GoesThroughV2()
    {
        using var client = sandbox.Admin();
        using var rsa = KeyGenerator.Generate(KeyAlgorithm.RSA, 2048);
        using var created = await client.CreateSubAccountApiKeyAsync("desk-b@example.com", "rsa-bot", IpRestrictionStatus.Unrestricted, null, null,
            new SubAccountPermissions { CanTrade = true }, rsa.PublicKey.Pem, None);
        Assert.False(created.HasSecret);
        var stored = Assert.Single(await sandbox.KeysAsync("desk-b@example.com"));
        Assert.Equal("rsa", stored.GetProperty("type").GetString());
        Assert.Equal("/sapi/v2/sub-account/subAccountApi", Assert.Single(await sandbox.RequestsAsync(), r => r.Method == "POST").Path);
    }

    [Fact]
    public async Task NewKeysSignTheirOwnRequests()
    {
        using var admin = sandbox.Admin();
        // A key made through the client, used through the client: the whole loop, for the asymmetric type.
        using var key = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
        using var created = await admin.CreateSubAccountApiKeyAsync("desk-a@example.com", "self", IpRestrictionStatus.Unrestricted, null, null,
            new SubAccountPermissions(), key.PublicKey.Pem, None);
        using var own = sandbox.Keyed(created.Key.ApiKey, key);
        var restrictions = await own.GetApiRestrictionsAsync(None);
        Assert.False(restrictions.EnableSpotAndMarginTrading);
        Assert.False(restrictions.IpRestrict);
    }
}

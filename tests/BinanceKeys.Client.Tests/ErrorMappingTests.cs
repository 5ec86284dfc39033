using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;

namespace BinanceKeys.Client.Tests;

/// <summary>docs/binance.md §5: the sandbox's error answers become typed <see cref="BinanceApiException"/>s.</summary>
public sealed class ErrorMappingTests : IClassFixture<FastSandboxFixture>, IAsyncLifetime
{
    private const string DeskA = "desk-a@example.com";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly IPAddress SecondLoopback = IPAddress.Parse("127.0.0.2");
    private readonly ClientSandbox sandbox;

    public ErrorMappingTests(FastSandboxFixture fixture) => sandbox = fixture.Sandbox;

    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<BinanceApiException> FailsAsync(Func<Task> call, BinanceErrorKind kind, int code)
    {
        var error = await Assert.ThrowsAsync<BinanceApiException>(call);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(code, error.Code);
        return error;
    }

    private Task<CreatedApiKey> CreateAsync(BinanceClient client, string email, IReadOnlyCollection<string>? ips, SubAccountPermissions? permissions = null,
        IpRestrictionStatus status = IpRestrictionStatus.TrustedIps) =>
        client.CreateSubAccountApiKeyAsync(email, "x", status, ips, null, permissions ?? new SubAccountPermissions(), null, None);

    [Fact]
    public async Task CallFromAnAddressNotOnTheWhitelist_IsInvalidApiKeyIpOrPermission()
    {
        // docs/binance.md §5: /sapi refuses with 401 -1002 (the sandbox's default reading; FidelityClientTests covers the others).
        using var wrongPlace = sandbox.Admin(o => o.Handler = ClientSandbox.From(SecondLoopback));
        await FailsAsync(() => wrongPlace.GetApiRestrictionsAsync(None), BinanceErrorKind.InvalidApiKeyIpOrPermission, -1002);

        // The same route works for the key whitelisted to 127.0.0.2, so the failure above is the whitelist's.
        using var rightPlace = sandbox.Hmac(ClientWorld.SecondLoopbackKey, ClientWorld.SecondLoopbackSecret, o => o.Handler = ClientSandbox.From(SecondLoopback));
        Assert.True((await rightPlace.GetApiRestrictionsAsync(None)).IpRestrict);

        using var farAway = sandbox.Hmac(ClientWorld.FarAwayKey, ClientWorld.FarAwaySecret);
        var error = await FailsAsync(() => farAway.GetApiRestrictionsAsync(None), BinanceErrorKind.InvalidApiKeyIpOrPermission, -1002);
        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
    }

    [Fact]
    public async Task WrongSecret_IsInvalidSignature()
    {
        using var client = sandbox.Hmac(ClientWorld.AdminKey, ClientWorld.Pad("NotTheSecret"));
        await FailsAsync(() => client.GetApiRestrictionsAsync(None), BinanceErrorKind.InvalidSignature, -1022);

        using var wrongKeyType = sandbox.Keyed(ClientWorld.Ed25519ApiKey, ClientWorld.RsaKey);
        await FailsAsync(() => wrongKeyType.GetApiRestrictionsAsync(None), BinanceErrorKind.InvalidSignature, -1022);
    }

    [Fact]
    public async Task UnknownApiKey_IsInvalidApiKeyIpOrPermissionMinus2008()
    {
        // docs/binance.md §5: /sapi answers an unknown or deleted key with 400 -2008 "Invalid Api-Key ID.".
        using var client = sandbox.Hmac(ClientWorld.Pad("NobodyHasThisKey"), ClientWorld.AdminSecret);
        var error = await FailsAsync(() => client.GetApiRestrictionsAsync(None), BinanceErrorKind.InvalidApiKeyIpOrPermission, -2008);
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
    }

    [Fact]
    public async Task SubAccountKeyOnAMasterEndpoint_IsUnauthorizedMinus4006()
    {
        using var client = sandbox.Hmac(ClientWorld.DeskAKey, ClientWorld.DeskASecret);
        await FailsAsync(() => client.GetSubAccountsAsync(null, None), BinanceErrorKind.Unauthorized, -4006);
    }

    [Fact]
    public async Task FuturesOnAnAccountWithoutFutures_IsUnauthorizedMinus1002()
    {
        using var client = sandbox.Admin();
        await FailsAsync(() => CreateAsync(client, "desk-c@example.com", new[] { "127.0.0.1" }, new SubAccountPermissions { CanFuturesTrade = true }),
            BinanceErrorKind.Unauthorized, -1002);
    }

    [Fact]
    public async Task UnknownEmail_IsNotFoundMinus3003()
    {
        using var client = sandbox.Admin();
        await FailsAsync(() => client.QuerySubAccountApiKeysAsync("nobody@example.com", null, None), BinanceErrorKind.NotFound, -3003);
    }

    [Fact]
    public async Task InvalidParameters_AreInvalidParameter()
    {
        using var client = sandbox.Admin();
        await FailsAsync(() => CreateAsync(client, DeskA, new[] { "1.2.3" }), BinanceErrorKind.InvalidParameter, -1130);
        await FailsAsync(() => CreateAsync(client, DeskA, new[] { "10.0.0.1", " 10.0.0.2" }), BinanceErrorKind.InvalidParameter, -1100);
        await FailsAsync(() => CreateAsync(client, DeskA, null), BinanceErrorKind.InvalidParameter, -1102);
        // FIX permissions on an HMAC key (v2 without a public key): -9000 Unsupported operation.
        await FailsAsync(() => CreateAsync(client, DeskA, new[] { "127.0.0.1" }, new SubAccountPermissions { CanFixApiReading = true }), BinanceErrorKind.InvalidParameter, -9000);
        // An unknown parameter through the generic call.
        var extra = new[] { new KeyValuePair<string, string>("noSuchParameter", "1") };
        await FailsAsync(() => client.InvokeAsync(BinanceEndpoints.ApiRestrictions, extra, None), BinanceErrorKind.InvalidParameter, -1104);
        Assert.DoesNotContain(await sandbox.KeysAsync(DeskA), k => k.GetProperty("label").GetString() == "x");
    }

    [Fact]
    public async Task UnknownPath_IsNotFound()
    {
        using var client = sandbox.Admin();
        var error = await Assert.ThrowsAsync<BinanceApiException>(() =>
            client.InvokeAsync(BinanceEndpoint.Custom(HttpMethod.Get, "/sapi/v1/no/such/endpoint", signed: true), Array.Empty<KeyValuePair<string, string>>(), None));
        Assert.Equal(BinanceErrorKind.NotFound, error.Kind);
        Assert.Equal(HttpStatusCode.NotFound, error.Status);
    }

    [Fact]
    public async Task Rejections_AreNotSentAgain()
    {
        using var client = sandbox.Admin();
        await Assert.ThrowsAsync<BinanceApiException>(() => CreateAsync(client, "nobody@example.com", new[] { "127.0.0.1" }));
        Assert.Single(await sandbox.RequestsAsync(), r => r.Method == "POST");
    }

    [Fact]
    public async Task UnsignedTransport_RefusesSignedEndpoints()
    {
        using var client = new BinanceClient(new BinanceTransport(sandbox.Options(), null, null));
        Assert.True((await client.GetSystemStatusAsync(None)).Normal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetApiRestrictionsAsync(None));
    }
}

using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;

namespace BinanceKeys.Client.Tests;

/// <summary>
/// Network faults (README, "How the client behaves": retries bounded and safe; a write with an unknown outcome is settled by reading
/// back, never re-sent blindly): reads are retried, writes whose outcome is unknown are not.
/// </summary>
public sealed class FaultTests : IClassFixture<FastSandboxFixture>, IAsyncLifetime
{
    private const string DeskA = "desk-a@example.com";
    private const string CreatePath = "/sapi/v1/sub-account/subAccountApi";
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly ClientSandbox sandbox;

    public FaultTests(FastSandboxFixture fixture) => sandbox = fixture.Sandbox;

    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<CreatedApiKey> CreateAsync(BinanceClient client, string label, CancellationToken cancellation = default) =>
        client.CreateSubAccountApiKeyAsync(DeskA, label, IpRestrictionStatus.TrustedIps, new[] { "127.0.0.1" }, null,
            new SubAccountPermissions { CanTrade = true }, null, cancellation);

    private async Task<int> CreatesLoggedAsync() =>
        (await sandbox.RequestsAsync()).Count(r => r.Method == "POST" && r.Path == CreatePath);

    private async Task<int> KeysNamedAsync(string label) =>
        (await sandbox.KeysAsync(DeskA)).Count(k => k.GetProperty("label").GetString() == label);

    [Fact]
    public async Task ErrorBeforeChange_OnARead_IsRetried()
    {
        using var client = sandbox.Admin();
        await sandbox.AddFaultAsync(new { kind = "errorBeforeChange", method = "GET", path = CreatePath, count = 2, status = 503 });
        var keys = await client.QuerySubAccountApiKeysAsync(DeskA, null, None);
        Assert.Single(keys);
        var queries = (await sandbox.RequestsAsync()).Where(r => r.Path == CreatePath).Select(r => r.Status).ToArray();
        Assert.Equal(new[] { 503, 503, 200 }, queries);
    }

    [Fact]
    public async Task ErrorBeforeChange_OnARead_GivesUpAfterMaxAttempts()
    {
        using var client = sandbox.Admin();
        await sandbox.AddFaultAsync(new { kind = "errorBeforeChange", method = "GET", path = CreatePath, count = 10, status = 502 });
        var error = await Assert.ThrowsAsync<BinanceApiException>(() => client.QuerySubAccountApiKeysAsync(DeskA, null, None));
        Assert.Equal(BinanceErrorKind.ServerStateUnknown, error.Kind);
        Assert.Equal(HttpStatusCode.BadGateway, error.Status);
        Assert.Equal(3, (await sandbox.RequestsAsync()).Count(r => r.Path == CreatePath));
    }

    [Fact]
    public async Task ErrorAfterChange_OnAWrite_IsUnknownAndNotResent()
    {
        using var client = sandbox.Admin();
        await sandbox.AddFaultAsync(new { kind = "errorAfterChange", method = "POST", path = CreatePath, status = 500 });
        var error = await Assert.ThrowsAsync<BinanceApiException>(() => CreateAsync(client, "after-5xx"));
        Assert.Equal(BinanceErrorKind.ServerStateUnknown, error.Kind);
        Assert.Equal(1, await CreatesLoggedAsync());
        Assert.Equal(1, await KeysNamedAsync("after-5xx")); // made once: settle by reading back
    }

    [Fact]
    public async Task DroppedConnectionAfterChange_OnAWrite_IsUnknownAndNotResent()
    {
        using var client = sandbox.Admin();
        await sandbox.AddFaultAsync(new { kind = "dropAfterChange", method = "POST", path = CreatePath });
        var error = await Assert.ThrowsAsync<BinanceApiException>(() => CreateAsync(client, "dropped"));
        Assert.Equal(BinanceErrorKind.ServerStateUnknown, error.Kind);
        Assert.Equal(1, await CreatesLoggedAsync());
        Assert.Equal(1, await KeysNamedAsync("dropped"));
    }

    [Fact]
    public async Task DroppedConnection_OnARead_IsRetried()
    {
        using var client = sandbox.Admin();
        await sandbox.AddFaultAsync(new { kind = "dropAfterChange", method = "GET", path = CreatePath });
        Assert.Single(await client.QuerySubAccountApiKeysAsync(DeskA, null, None));
        Assert.Equal(new[] { 0, 200 }, (await sandbox.RequestsAsync()).Where(r => r.Path == CreatePath).Select(r => r.Status).ToArray());
    }

    [Fact]
    public async Task ConnectionRefused_OnAWrite_IsRetriedThenAClearError()
    {
        // A port nobody listens on: bind one, note it, close it.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var options = sandbox.Options(o =>
        {
            o.Endpoint = new Uri($"http://127.0.0.1:{port}/");
            o.Log = lines.Enqueue;
        });
        using var client = new BinanceClient(new BinanceTransport(options, ClientWorld.AdminKey, Signing.HmacRequestSigner.FromSecret(ClientWorld.AdminSecret.ToCharArray())));
        var start = sandbox.Clock.GetUtcNow();
        var error = await Assert.ThrowsAsync<BinanceApiException>(() => client.DeleteSubAccountApiKeyAsync(DeskA, ClientWorld.DeskAKey, None));
        // Two back-offs, 20 ms then doubled, on the client's clock: bounded, and never the request timeout.
        Assert.Equal(TimeSpan.FromMilliseconds(20 + 40), sandbox.Clock.GetUtcNow() - start);
        // Nothing reached a server: not "unknown", and the message says so.
        Assert.NotEqual(BinanceErrorKind.ServerStateUnknown, error.Kind);
        Assert.Contains("connect", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, lines.Count(l => l.Contains("could not connect", StringComparison.Ordinal)));
    }
}

using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;

namespace BinanceKeys.Client.Tests;

/// <summary>
/// Slow answers and cancellation. Each test has its own sandbox, since a delayed request outlives the test
/// that caused it (the server still executes it) and must not land in another test's request log.
/// </summary>
public sealed class TimeoutTests
{
    private const string DeskA = "desk-a@example.com";
    private const string CreatePath = "/sapi/v1/sub-account/subAccountApi";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task DelayBeyondTheTimeout_OnAWrite_IsUnknownAndNotResent()
    {
        await using var sandbox = await ClientSandbox.StartAsync(0.01);
        using var client = sandbox.Admin(o => o.Timeout = TimeSpan.FromMilliseconds(400));
        await sandbox.AddFaultAsync(new { kind = "delay", method = "POST", path = CreatePath, delayMs = 1500 });
        var error = await Assert.ThrowsAsync<BinanceApiException>(() => client.CreateSubAccountApiKeyAsync(DeskA, "slow", IpRestrictionStatus.TrustedIps, new[] { "127.0.0.1" }, null, new SubAccountPermissions { CanTrade = true }, null, None));
        Assert.Equal(BinanceErrorKind.ServerStateUnknown, error.Kind);
        // The server still executes what it received: exactly one create, made once the delay is over.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && (await sandbox.KeysAsync(DeskA)).Length < 2) await Task.Delay(100);
        Assert.Single(await sandbox.KeysAsync(DeskA), k => k.GetProperty("label").GetString() == "slow");
        Assert.Equal(1, (await sandbox.RequestsAsync()).Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task DelayBeyondTheTimeout_OnARead_IsRetried()
    {
        await using var sandbox = await ClientSandbox.StartAsync(0.01);
        using var client = sandbox.Admin(o => o.Timeout = TimeSpan.FromMilliseconds(400));
        await sandbox.AddFaultAsync(new { kind = "delay", method = "GET", path = CreatePath, delayMs = 1500 });
        Assert.Single(await client.QuerySubAccountApiKeysAsync(DeskA, null, None));
    }

    [Fact]
    public async Task Cancellation_StopsADelayedRequestPromptly()
    {
        await using var sandbox = await ClientSandbox.StartAsync(0.01);
        using var client = sandbox.Admin();
        await sandbox.AddFaultAsync(new { kind = "delay", method = "GET", path = CreatePath, delayMs = 5000 });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.QuerySubAccountApiKeysAsync(DeskA, null, cancellation.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), watch.Elapsed.ToString());
    }

    [Fact]
    public async Task Cancellation_StopsARateLimitWait()
    {
        await using var sandbox = await ClientSandbox.StartAsync(0.01);
        using var client = sandbox.Admin();
        await sandbox.AddFaultAsync(new { kind = "rateLimit", method = "GET", path = CreatePath, retryAfterSeconds = 30 });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.QuerySubAccountApiKeysAsync(DeskA, null, cancellation.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
    }
}

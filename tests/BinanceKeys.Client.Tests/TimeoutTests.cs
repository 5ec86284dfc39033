using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;

namespace BinanceKeys.Client.Tests;

/// <summary>
/// Slow answers and cancellation, on the shared test clock with the background advance off: the test itself moves
/// the clock past the client's timeout and the sandbox's delay, in the order it wants. Each test has its own
/// sandbox, since a delayed request outlives the call that sent it (the server still executes it).
/// </summary>
public sealed class TimeoutTests
{
    private const string DeskA = "desk-a@example.com";
    private const string CreatePath = "/sapi/v1/sub-account/subAccountApi";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(1500);

    private static async Task<ClientSandbox> StartAsync()
    {
        var sandbox = await ClientSandbox.StartAsync();
        sandbox.AutoAdvance = false;
        return sandbox;
    }

    /// <summary>Waits until the sandbox holds the request (its delay timer is pending), with the client's timeout pending too.</summary>
    private static async Task SandboxHoldsTheRequestAsync(ClientSandbox sandbox)
    {
        await sandbox.Clock.WaitForTimerAsync(within: null);
        var deadline = DateTime.UtcNow + BinanceKeys.Tests.Time.TestClock.Patience;
        while (!(sandbox.Clock.PendingTimers.Contains(Delay) && sandbox.Clock.PendingTimers.Contains(Timeout)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The request never reached the sandbox's delay.");
            await Task.Delay(2);
        }
    }

    [Fact]
    public async Task DelayBeyondTheTimeout_OnAWrite_IsUnknownAndNotResent()
    {
        await using var sandbox = await StartAsync();
        using var client = sandbox.Admin(o => o.Timeout = Timeout);
        await client.GetServerTimeAsync(None);
        await sandbox.AddFaultAsync(new { kind = "delay", method = "POST", path = CreatePath, delayMs = (int)Delay.TotalMilliseconds });
        var create = client.CreateSubAccountApiKeyAsync(DeskA, "slow", IpRestrictionStatus.TrustedIps, new[] { "127.0.0.1" }, null, new SubAccountPermissions { CanTrade = true }, null, None);
        await SandboxHoldsTheRequestAsync(sandbox);

        sandbox.Clock.AdvanceBy(Timeout);
        var error = await Assert.ThrowsAsync<BinanceApiException>(() => create);
        Assert.Equal(BinanceErrorKind.ServerStateUnknown, error.Kind);
        Assert.DoesNotContain(await sandbox.RequestsAsync(), r => r.Method == "POST"); // not yet executed, not sent again

        // The server still executes what it received: exactly one create, once its delay is over.
        sandbox.Clock.AdvanceBy(Delay - Timeout);
        var deadline = DateTime.UtcNow + BinanceKeys.Tests.Time.TestClock.Patience;
        while ((await sandbox.RequestsAsync()).All(r => r.Method != "POST")) { Assert.True(DateTime.UtcNow < deadline); await Task.Delay(5); }
        Assert.Single(await sandbox.KeysAsync(DeskA), k => k.GetProperty("label").GetString() == "slow");
        Assert.Equal(1, (await sandbox.RequestsAsync()).Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task DelayBeyondTheTimeout_OnARead_IsRetried()
    {
        await using var sandbox = await StartAsync();
        using var client = sandbox.Admin(o => o.Timeout = Timeout);
        await client.GetServerTimeAsync(None);
        await sandbox.AddFaultAsync(new { kind = "delay", method = "GET", path = CreatePath, delayMs = (int)Delay.TotalMilliseconds });
        var query = client.QuerySubAccountApiKeysAsync(DeskA, null, None);
        await SandboxHoldsTheRequestAsync(sandbox);
        sandbox.Clock.AdvanceBy(Timeout);
        // From here the client backs off and asks again; let the clock follow it.
        sandbox.AutoAdvance = true;
        Assert.Single(await query);
    }

    [Fact]
    public async Task Cancellation_StopsADelayedRequestAtOnce()
    {
        await using var sandbox = await StartAsync();
        using var client = sandbox.Admin();
        await client.GetServerTimeAsync(None);
        await sandbox.AddFaultAsync(new { kind = "delay", method = "GET", path = CreatePath, delayMs = 5000 });
        using var cancellation = new CancellationTokenSource();
        var query = client.QuerySubAccountApiKeysAsync(DeskA, null, cancellation.Token);
        Assert.Equal(TimeSpan.FromSeconds(5), await sandbox.Clock.WaitForTimerAsync(within: TimeSpan.FromSeconds(5)));
        var start = sandbox.Clock.GetUtcNow();
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query);
        Assert.Equal(start, sandbox.Clock.GetUtcNow()); // no time had to pass
    }

    [Fact]
    public async Task Cancellation_StopsARateLimitWait()
    {
        await using var sandbox = await StartAsync();
        using var client = sandbox.Admin();
        await client.GetServerTimeAsync(None);
        await sandbox.AddFaultAsync(new { kind = "rateLimit", method = "GET", path = CreatePath, retryAfterSeconds = 30 });
        using var cancellation = new CancellationTokenSource();
        var query = client.QuerySubAccountApiKeysAsync(DeskA, null, cancellation.Token);
        // The client waits the 30 s Binance asked for, on its clock ...
        Assert.Equal(TimeSpan.FromSeconds(30), await sandbox.Clock.WaitForTimerAsync(within: TimeSpan.FromSeconds(30)));
        // ... and Ctrl-C ends the wait.
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query);
        Assert.Single(await sandbox.RequestsAsync(), r => r.Path == CreatePath);
    }
}

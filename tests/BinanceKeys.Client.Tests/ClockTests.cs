using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;

namespace BinanceKeys.Client.Tests;

/// <summary>docs/binance.md §1.6: timestamps on the server's clock; -1021 is answered by one resynchronisation.</summary>
public sealed class ClockTests : IClassFixture<FastSandboxFixture>, IAsyncLifetime
{
    private const string TimePath = "/api/v3/time";
    private const string RestrictionsPath = "/sapi/v1/account/apiRestrictions";
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly ClientSandbox sandbox;

    public ClockTests(FastSandboxFixture fixture) => sandbox = fixture.Sandbox;

    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task FirstSignedCall_SynchronisesTheClock()
    {
        using var client = sandbox.Admin();
        await sandbox.SetClockAsync(-20_000); // the server is 20 s behind this machine
        await client.GetApiRestrictionsAsync(None);
        Assert.InRange(client.Transport.ClockOffsetMilliseconds!.Value, -21_000, -19_000);
        Assert.Equal(new[] { TimePath, RestrictionsPath }, Synchronisations(await sandbox.RequestsAsync()).Select(r => r.Path).ToArray());
    }

    [Fact]
    public async Task LocalClockFarOff_StillSigns()
    {
        // This machine's clock is three hours behind the sandbox's.
        var local = new BinanceKeys.Tests.Time.TestClock(sandbox.Clock.GetUtcNow().AddHours(-3));
        using var client = sandbox.Admin(o => o.TimeProvider = local);
        var restrictions = await client.GetApiRestrictionsAsync(None);
        Assert.True(restrictions.IpRestrict);
    }

    [Theory]
    [InlineData(30_000)]  // the server moved ahead: the timestamp falls outside recvWindow
    [InlineData(-30_000)] // the server moved back: the timestamp is more than 1 s ahead
    public async Task ServerClockMovesAfterSync_OneResyncAndSuccess(long offsetMs)
    {
        using var client = sandbox.Admin();
        await client.GetApiRestrictionsAsync(None);
        await sandbox.SetClockAsync(offsetMs);

        await client.GetApiRestrictionsAsync(None);

        var log = Synchronisations(await sandbox.RequestsAsync());
        Assert.Equal(new[] { TimePath, RestrictionsPath, RestrictionsPath, TimePath, RestrictionsPath }, log.Select(r => r.Path).ToArray());
        Assert.Equal(-1021, log[2].Code);
        Assert.Equal(200, log[4].Status);
    }

    [Fact]
    public async Task TimestampRejectedOnAWrite_OneResyncAndExactlyOneCreate()
    {
        using var client = sandbox.Admin();
        await client.GetServerTimeAsync(None);
        await client.GetApiRestrictionsAsync(None);
        await sandbox.SetClockAsync(40_000);
        using var created = await client.CreateSubAccountApiKeyAsync("desk-c@example.com", "after-1021", IpRestrictionStatus.TrustedIps, new[] { "127.0.0.1" }, null,
            new SubAccountPermissions(), null, None);
        var posts = (await sandbox.RequestsAsync()).Where(r => r.Method == "POST").ToList();
        Assert.Equal(new int?[] { -1021, null }, posts.Select(p => p.Code).ToArray());
        Assert.Single(await sandbox.KeysAsync("desk-c@example.com"));
    }

    [Fact]
    public async Task InjectedSkewOnOneRequest_OneResyncAndSuccess()
    {
        using var client = sandbox.Admin();
        await client.GetApiRestrictionsAsync(None);
        await sandbox.AddFaultAsync(new { kind = "clockSkew", method = "GET", path = RestrictionsPath, count = 1, offsetMs = -15_000 });

        Assert.True((await client.GetApiRestrictionsAsync(None)).IpRestrict);

        var log = Synchronisations(await sandbox.RequestsAsync());
        Assert.Equal(new[] { TimePath, RestrictionsPath, RestrictionsPath, TimePath, RestrictionsPath }, log.Select(r => r.Path).ToArray());
        Assert.Equal(new int?[] { null, null, -1021, null, null }, log.Select(r => r.Code).ToArray());
    }

    [Fact]
    public async Task SkewBeyondRecovery_IsInvalidTimestamp()
    {
        using var client = sandbox.Admin();
        // The endpoint keeps seeing a clock 20 s away while /api/v3/time does not: resynchronising cannot help.
        await sandbox.AddFaultAsync(new { kind = "clockSkew", method = "GET", path = RestrictionsPath, count = 5, offsetMs = 20_000 });
        var error = await Assert.ThrowsAsync<BinanceApiException>(() => client.GetApiRestrictionsAsync(None));
        Assert.Equal(BinanceErrorKind.InvalidTimestamp, error.Kind);
        Assert.Equal(-1021, error.Code);
        var log = Synchronisations(await sandbox.RequestsAsync());
        Assert.Equal(2, log.Count(r => r.Path == RestrictionsPath));
        Assert.Equal(2, log.Count(r => r.Path == TimePath));
    }

    /// <summary>The log with each run of /api/v3/time calls (one synchronisation may take a few samples) as one entry.</summary>
    private static System.Collections.Generic.List<LoggedRequest> Synchronisations(System.Collections.Generic.IReadOnlyList<LoggedRequest> log)
    {
        var collapsed = new System.Collections.Generic.List<LoggedRequest>();
        foreach (var entry in log)
        {
            if (entry.Path == TimePath && collapsed.Count > 0 && collapsed[^1].Path == TimePath) continue;
            collapsed.Add(entry);
        }
        return collapsed;
    }
}

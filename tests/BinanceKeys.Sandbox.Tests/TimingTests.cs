using System.Net;
using System.Threading.Tasks;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>
/// docs/binance.md §1.6 over HTTP, on the sandbox's test clock: the clock stands still unless a test moves it,
/// so the boundaries are exact.
/// </summary>
public sealed class TimingTests
{
    private const string Path = "/sapi/v1/account/status";

    [Fact]
    public async Task TimestampAheadOfServerTime()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.SendAsync(System.Net.Http.HttpMethod.Get, Path, [], timestamp: sandbox.Clock.NowMs + 999)).Status);
        var ahead = await sandbox.Master.SendAsync(System.Net.Http.HttpMethod.Get, Path, [], timestamp: sandbox.Clock.NowMs + 1000);
        Assert.Equal((-1021, "Timestamp for this request was 1000ms ahead of the server's time."), (ahead.Code, ahead.Msg));
    }

    [Fact]
    public async Task DefaultRecvWindowIs5000()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.SendAsync(System.Net.Http.HttpMethod.Get, Path, [], timestamp: sandbox.Clock.NowMs - 5000)).Status);
        var late = await sandbox.Master.SendAsync(System.Net.Http.HttpMethod.Get, Path, [], timestamp: sandbox.Clock.NowMs - 5001);
        Assert.Equal((-1021, "Timestamp for this request is outside of the recvWindow."), (late.Code, late.Msg));
    }

    [Fact]
    public async Task RecvWindowWidensTheWindowUpTo60000()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = sandbox.Master;
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(System.Net.Http.HttpMethod.Get, Path, [], timestamp: sandbox.Clock.NowMs - 55_000, recvWindow: "60000")).Status);
        Assert.Equal(-1021, (await client.SendAsync(System.Net.Http.HttpMethod.Get, Path, [], timestamp: sandbox.Clock.NowMs - 8_000, recvWindow: "5000.5")).Code);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(System.Net.Http.HttpMethod.Get, Path, [], timestamp: sandbox.Clock.NowMs - 500, recvWindow: "3000.125")).Status);

        var tooLarge = await client.SendAsync(System.Net.Http.HttpMethod.Get, Path, [], recvWindow: "60001");
        Assert.Equal((-1131, "recvWindow must be less than 60000"), (tooLarge.Code, tooLarge.Msg));
        Assert.Equal(-1130, (await client.SendAsync(System.Net.Http.HttpMethod.Get, Path, [], recvWindow: "10.1234")).Code);
    }

    [Fact]
    public async Task MicrosecondTimestampsAreAccepted()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.SendAsync(System.Net.Http.HttpMethod.Get, Path, [], timestamp: sandbox.Clock.NowMs * 1000)).Status);
        Assert.Equal(-1021, (await sandbox.Master.SendAsync(System.Net.Http.HttpMethod.Get, Path, [], timestamp: (sandbox.Clock.NowMs - 8000) * 1000)).Code);
    }

    [Fact]
    public async Task MissingTimestampIsMandatory()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var reply = await sandbox.Master.SendRawAsync(System.Net.Http.HttpMethod.Get, Path, "signature=00", null);
        Assert.Equal(-1102, reply.Code);
        Assert.Contains("'timestamp'", reply.Msg, System.StringComparison.Ordinal);
    }
}

using BinanceKeys.Sandbox.Http;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>docs/binance.md §1.6 at its exact boundaries, with a fixed server time.</summary>
public sealed class TimingRuleTests
{
    private const long ServerTime = 1_800_000_000_000;

    [Theory]
    [InlineData(ServerTime + 999, null, 0)]
    [InlineData(ServerTime + 1000, null, -1021)]
    [InlineData(ServerTime - 5000, null, 0)]
    [InlineData(ServerTime - 5001, null, -1021)]
    [InlineData(ServerTime - 60_000, "60000", 0)]
    [InlineData(ServerTime - 60_001, "60000", -1021)]
    [InlineData(ServerTime, "60000.001", -1131)]
    [InlineData(ServerTime - 100, "100.5", 0)]
    [InlineData(ServerTime - 101, "100.5", -1021)]
    [InlineData(ServerTime, "0", -1130)]
    [InlineData(ServerTime, "1e3", -1130)]
    [InlineData(1483228799999, "60000", -1021)]
    [InlineData(ServerTime * 1000 + 999_999, null, 0)]          // microseconds: 999.999 ms ahead
    [InlineData(ServerTime * 1000 + 1_000_000, null, -1021)]    // microseconds: 1000 ms ahead
    public void Boundaries(long timestamp, string? recvWindow, int expectedCode)
    {
        var query = "timestamp=" + timestamp + (recvWindow is null ? "" : "&recvWindow=" + recvWindow);
        var parameters = RequestParameters.Parse(query, "");
        var error = Record.Exception(() => TimingRules.Check(parameters, ServerTime));
        Assert.Equal(expectedCode, error is BinanceError binance ? binance.Code : 0);
        if (expectedCode == 0)
        {
            Assert.Null(error);
        }
    }
}

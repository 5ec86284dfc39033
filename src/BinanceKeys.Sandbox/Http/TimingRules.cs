using System.Globalization;

namespace BinanceKeys.Sandbox.Http;

/// <summary>docs/binance.md §1.6: <c>timestamp</c> and <c>recvWindow</c> checks of every signed request.</summary>
internal static class TimingRules
{
    public const decimal DefaultRecvWindow = 5000;
    public const decimal MaxRecvWindow = 60000;

    /// <summary>§1.6: timestamps before 2017-01-01 are rejected.</summary>
    private const decimal Earliest = 1483228800000;

    /// <summary>§1.6: a timestamp this large is in microseconds, not milliseconds.</summary>
    private const decimal MicrosecondThreshold = 100_000_000_000_000;

    public static void Check(RequestParameters parameters, long serverTime)
    {
        var timestampText = parameters.Get("timestamp");
        if (string.IsNullOrEmpty(timestampText)
            || !long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var rawTimestamp))
        {
            throw BinanceErrors.MandatoryParameter("timestamp");
        }
        decimal timestamp = rawTimestamp >= MicrosecondThreshold ? rawTimestamp / 1000m : rawTimestamp;

        var recvWindow = DefaultRecvWindow;
        var recvWindowText = parameters.Get("recvWindow");
        if (recvWindowText is not null)
        {
            // §1.6: milliseconds with up to 3 decimals.
            if (!decimal.TryParse(recvWindowText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out recvWindow)
                || recvWindow.Scale > 3 || recvWindow <= 0)
            {
                throw BinanceErrors.InvalidParameter("recvWindow");
            }
            if (recvWindow > MaxRecvWindow)
            {
                throw BinanceErrors.RecvWindowTooLarge();
            }
        }

        // §1.6 server logic: reject if timestamp >= serverTime + 1000, or serverTime - timestamp > recvWindow.
        if (timestamp >= serverTime + 1000)
        {
            throw BinanceErrors.TimestampAhead();
        }
        if (timestamp < Earliest || serverTime - timestamp > recvWindow)
        {
            throw BinanceErrors.OutsideRecvWindow();
        }
    }
}

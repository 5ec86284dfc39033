using System;
using System.Collections.Generic;
using BinanceKeys.Sandbox.Http;

namespace BinanceKeys.Sandbox.Limits;

/// <summary>
/// Fixed one-minute windows of request weight per bucket (docs/binance.md §4). A bucket is one
/// endpoint and one subject (an IP or a UID), since each sapi endpoint is limited on its own.
/// Not thread-safe: used under the sandbox lock.
/// </summary>
internal sealed class WeightCounter
{
    private const double MinuteMs = 60_000;

    private readonly SandboxClock _clock;
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);

    public WeightCounter(SandboxClock clock) => _clock = clock;

    private double WindowMs => _clock.Scaled(MinuteMs);

    /// <summary>Weight used in the current window.</summary>
    public int Used(string bucket) => Current(bucket).Used;

    /// <summary>Adds the weight, or throws -1003 (HTTP 429, Retry-After) when it would pass the limit.</summary>
    public int Charge(string bucket, int weight, int limit)
    {
        var window = Current(bucket);
        if (window.Used + weight > limit)
        {
            var remainingMs = window.StartMs + WindowMs - _clock.ServerTimeMs();
            throw BinanceErrors.TooMuchWeight(limit, remainingMs);
        }
        window.Used += weight;
        return window.Used;
    }

    public void Clear() => _windows.Clear();

    private Window Current(string bucket)
    {
        // Windows are aligned to (scaled) minute boundaries of the server's clock, as Binance's are to its clock
        // minutes: with a server-time offset set through /admin/clock, the windows move with the server's time,
        // which is the only clock a client can learn (GET /api/v3/time).
        var start = Math.Floor(_clock.ServerTimeMs() / WindowMs) * WindowMs;
        if (!_windows.TryGetValue(bucket, out var window) || window.StartMs != start)
        {
            window = new Window { StartMs = start };
            _windows[bucket] = window;
        }
        return window;
    }

    private sealed class Window
    {
        public double StartMs { get; init; }

        public int Used { get; set; }
    }
}

/// <summary>Turns a wait into the whole seconds of a <c>Retry-After</c> header.</summary>
internal static class RetryAfter
{
    /// <summary>HTTP allows only whole seconds: round up, at least 1 (the exact wait goes in X-SANDBOX-RETRY-AFTER-MS).</summary>
    public static int Seconds(double milliseconds) => Math.Max(1, (int)Math.Ceiling(milliseconds / 1000));
}

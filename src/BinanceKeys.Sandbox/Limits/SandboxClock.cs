using System;

namespace BinanceKeys.Sandbox.Limits;

/// <summary>Wall time, the server-time offset used to simulate clock skew, and the time scale applied to every window.</summary>
internal sealed class SandboxClock
{
    private readonly TimeProvider _time;

    public SandboxClock(TimeProvider time, double timeScale)
    {
        if (!(timeScale > 0) || double.IsInfinity(timeScale))
        {
            throw new ArgumentOutOfRangeException(nameof(timeScale), timeScale, "The time scale must be a positive number.");
        }
        _time = time;
        TimeScale = timeScale;
    }

    /// <summary>The underlying clock (the system's, or a test's fake one).</summary>
    public TimeProvider Time => _time;

    /// <summary>Multiplies the rate-limit minute, the broker second and Retry-After (docs/sandbox.md).</summary>
    public double TimeScale { get; }

    /// <summary>Set through the admin API to simulate a server clock that differs from the client's.</summary>
    public long ServerTimeOffsetMs { get; set; }

    /// <summary>Real time in Unix milliseconds; windows are measured in it.</summary>
    public long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public long ServerTimeMs(long extraOffsetMs = 0) => NowMs + ServerTimeOffsetMs + extraOffsetMs;

    public double Scaled(double milliseconds) => milliseconds * TimeScale;
}

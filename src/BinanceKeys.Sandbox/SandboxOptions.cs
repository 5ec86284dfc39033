using System;

namespace BinanceKeys.Sandbox;

/// <summary>How to start a sandbox: address, world and time scale.</summary>
public sealed class SandboxOptions
{
    /// <summary>Loopback URLs separated by ';'; port 0 with an IP address (not localhost) picks a free port.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    /// <summary>A seed YAML file; when neither this nor <see cref="SeedYaml"/> is set, the demo world.</summary>
    public string? SeedPath { get; set; }

    /// <summary>Seed YAML text (for tests), used when <see cref="SeedPath"/> is not set.</summary>
    public string? SeedYaml { get; set; }

    /// <summary>Multiplies every window (the rate-limit minute, the broker second, Retry-After).</summary>
    public double TimeScale { get; set; } = 1.0;

    /// <summary>
    /// The sandbox's clock: server time, rate-limit windows, the broker second, injected delays, trading-permission
    /// expiry and Default Security Controls sweeps. Tests pass a fake clock and move it; the command line uses the system's.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Log warnings to the console and stop on Ctrl+C/SIGTERM (the command line does; in-process hosts do not).</summary>
    public bool ConsoleHost { get; set; }
}

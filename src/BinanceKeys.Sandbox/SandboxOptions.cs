namespace BinanceKeys.Sandbox;

/// <summary>How to start a sandbox: address, world and time scale.</summary>
public sealed class SandboxOptions
{
    /// <summary>One loopback URL; port 0 picks a free port. Several may be given separated by ';'.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    /// <summary>A seed YAML file; when neither this nor <see cref="SeedYaml"/> is set, the demo world.</summary>
    public string? SeedPath { get; set; }

    /// <summary>Seed YAML text (for tests), used when <see cref="SeedPath"/> is not set.</summary>
    public string? SeedYaml { get; set; }

    /// <summary>Multiplies every window (the rate-limit minute, the broker second, Retry-After).</summary>
    public double TimeScale { get; set; } = 1.0;

    /// <summary>Write ASP.NET Core warnings to the console (the command line does; tests do not).</summary>
    public bool ConsoleLogging { get; set; }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BinanceKeys.Policy;
using BinanceKeys.State;
using Xunit;

namespace BinanceKeys.Tests
{
    /// <summary>Loads YAML text the way a file would be loaded, with a fake environment and a fixed clock.</summary>
    internal static class TestSupport
    {
        public static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

        public static string FixtureDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "desired-state");

        public static string Fixture(string name) => Path.Combine(FixtureDirectory, name);

        public static DesiredStateLoadOptions Options(IDictionary<string, string>? environment = null) => new DesiredStateLoadOptions
        {
            GetEnvironmentVariable = name => environment != null && environment.TryGetValue(name, out string? value) ? value : null,
        };

        public static DesiredState Load(string yaml, IDictionary<string, string>? environment = null) =>
            DesiredStateLoader.LoadText(Normalize(yaml), "test.yaml", FixtureDirectory, Options(environment));

        public static DesiredStateException LoadFails(string yaml, IDictionary<string, string>? environment = null) =>
            Assert.Throws<DesiredStateException>(() => Load(yaml, environment));

        public static IReadOnlyList<PolicyFinding> Evaluate(string yaml, IDictionary<string, string>? environment = null) =>
            new PolicyEngine(clock: () => Now).Evaluate(Load(yaml, environment));

        public static IReadOnlyList<PolicyFinding> Findings(string yaml, string ruleId) =>
            Evaluate(yaml).Where(f => f.RuleId == ruleId).ToList();

        /// <summary>Test YAML is written indented inside C# strings; this strips the common indent and uses \n.</summary>
        public static string Normalize(string yaml)
        {
            var lines = yaml.Replace("\r\n", "\n").Split('\n').ToList();
            while (lines.Count > 0 && lines[0].Trim().Length == 0) lines.RemoveAt(0);
            int indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
            return string.Join("\n", lines.Select(l => l.Length >= indent ? l.Substring(indent) : l.TrimStart())) + "\n";
        }
    }

    /// <summary>A test of Unix behaviour (file modes, flock, symbolic links): on Windows it is reported as skipped, with the reason, never passed.</summary>
    public sealed class UnixFactAttribute : FactAttribute
    {
        public UnixFactAttribute()
        {
            if (OperatingSystem.IsWindows()) Skip = "Unix only: Windows has no file modes, flock(2) or resolved symbolic links here; its behaviour is covered by the Windows tests.";
        }
    }
}

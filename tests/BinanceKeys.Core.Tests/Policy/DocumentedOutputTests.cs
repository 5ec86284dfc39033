using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using BinanceKeys.Policy;
using BinanceKeys.State;
using Xunit;
using static BinanceKeys.Tests.TestSupport;

namespace BinanceKeys.Tests.Policy
{
    /// <summary>What docs/desired-state.md shows the user is exactly what the engine and loader produce.</summary>
    public sealed class DocumentedOutputTests
    {
        private static string Docs => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "desired-state.md")).Replace("\r\n", "\n");

        private static string Block(string name)
        {
            Match match = Regex.Match(Docs, $"<!-- {name} -->\n```text\n(?<body>.*?)```", RegexOptions.Singleline);
            Assert.True(match.Success, $"docs block {name} missing");
            return match.Groups["body"].Value;
        }

        [Fact]
        public void FailingExample_FindingsAreTheOnesDocumented()
        {
            string path = Path.Combine(AppContext.BaseDirectory, "examples", "failing", "risky-desk.yaml");
            PolicyReport report = PolicyService.TestFile(path, Options(), () => Now);
            Assert.False(report.Passed);
            string actual = string.Join("\n", report.Findings.Select(f => f.ToString().Replace(path, "examples/failing/risky-desk.yaml"))) + "\n";
            Assert.Equal(Block("failing-findings"), actual);
        }

        [Fact]
        public void FailingExample_CorrectedTwin_HasNoFinding()
        {
            string path = Path.Combine(AppContext.BaseDirectory, "examples", "failing", "risky-desk-corrected.yaml");
            Assert.Empty(PolicyService.TestFile(path, Options(), () => Now).Findings);
        }

        [Fact]
        public void MalformedExample_ErrorIsTheOneDocumented()
        {
            string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "desired-state", "invalid", "unknown-permission.yaml");
            var e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.LoadFile(path, Options()));
            Assert.Equal(Block("malformed-error"), e.Message.Replace(path, "desk.yaml") + "\n");
        }
    }
}

using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// benchmarks/startup/interleaved.py, the runner behind benchmarks/startup/run.sh: a broken row stops the run instead
    /// of being timed, and the target is checked against the row it names. The benchmark itself runs by hand (minutes).
    /// </summary>
    public sealed class StartupBenchmarkRunnerTests
    {
        private static ProcessRun Runner(params string[] arguments) =>
            Shell.RunProcess("python3", new[] { Path.Combine(ModuleHost.RepositoryRoot, "benchmarks", "startup", "interleaved.py") }.Concat(arguments),
                ModuleHost.RepositoryRoot, null);

        [Fact]
        public void ACommandThatWritesToStandardErrorStopsTheRunThoughItExitsZero()
        {
            // PowerShell's way: an error in a -Command script goes to stderr and the exit code stays 0.
            var run = Runner("1", "bare", "true", "broken", "sh -c 'echo \"a: The term is not recognized\" >&2'");
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("wrote to stderr", run.Error);
            Assert.Contains("The term is not recognized", run.Error);
            Assert.DoesNotContain("rounds, in turns", run.Output);
        }

        [Fact]
        public void ACommandThatExitsNonZeroStopsTheRun()
        {
            var run = Runner("1", "bare", "true", "failing", "sh -c 'exit 3'");
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("exit code 3", run.Error);
        }

        [Fact]
        public void AScriptQuotedAsOneWordReachesTheCommandAsOneArgument()
        {
            // run.sh quotes each -Command script so; unquoted, `'a' -eq 'A'` reached PowerShell as `a -eq A`. The command
            // prints its arguments to stderr, so the runner stops and shows them.
            var run = Runner("1", "bare", "true", "quoted", "sh -c 'printf \"[%s]\" \"$@\" >&2' sh \"$null = 'a' -eq 'A'; exit\"");
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("[$null = 'a' -eq 'A'; exit]", run.Error);
        }

        [Theory]
        [InlineData("1000", 0, "met")]
        [InlineData("0.001", 1, "MISSED")]
        public void TheTargetIsTheMeasuredRowsMedianWallTimeOverItsBaseRows(string limit, int exitCode, string verdict)
        {
            string json = Path.Combine(Directory.CreateTempSubdirectory("bk-startup-").FullName, "result.json");
            try
            {
                var run = Runner("2", "--json", json, "--target", "slow", "fast", limit,
                    "fast", "true", "slow", "sh -c 'sleep 0.05'");
                Assert.True(run.ExitCode == exitCode, run.ToString());
                string line = Assert.Single(run.Lines, l => l.StartsWith("target: "));
                Assert.StartsWith("target: slow / fast: ", line);
                Assert.EndsWith(": " + verdict, line);

                using var result = JsonDocument.Parse(File.ReadAllText(json));
                Assert.Equal(2, result.RootElement.GetProperty("rounds").GetInt32());
                var rows = result.RootElement.GetProperty("commands").EnumerateArray().ToList();
                Assert.Equal(new[] { "fast", "slow" }, rows.Select(r => r.GetProperty("name").GetString()));
                Assert.All(rows, r => Assert.Equal(2, r.GetProperty("wall").GetArrayLength()));
                // Half a tenth of a second of sleep is in the slow row's every sample.
                Assert.All(rows[1].GetProperty("wall").EnumerateArray(), wall => Assert.True(wall.GetDouble() >= 0.05));
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(json)!, recursive: true);
            }
        }

        [Theory]
        [InlineData("ROUNDS must be a positive number, not 'x'", "x", "a", "true")]
        [InlineData("ROUNDS must be a positive number, not '0'", "0", "a", "true")]
        [InlineData("--target's LIMIT must be a positive number, not '1.2x'", "1", "--target", "a", "a", "1.2x", "a", "true")]
        public void ARoundCountOrLimitThatIsNotAPositiveNumberIsRefusedBeforeAnythingRuns(string expected, params string[] arguments)
        {
            var run = Runner(arguments);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains(expected, run.Error);
            Assert.Empty(run.Output);
        }

        [Fact]
        public void ATargetThatNamesNoMeasuredRowIsRefusedBeforeAnythingRuns()
        {
            var run = Runner("1", "--target", "import", "floor", "1.2", "floor", "sh -c 'echo ran'");
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("--target names a command that is not measured: import", run.Error);
        }
    }
}

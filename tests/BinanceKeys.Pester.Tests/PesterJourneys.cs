using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;
using Xunit.Abstractions;

namespace BinanceKeys.Pester.Tests
{
    /// <summary>
    /// Every Pester test of the journeys as its own xunit test case, named after the Pester test. Pester discovers the
    /// tests once (at xunit discovery); each file then runs once, in its own runspace, the first time one of its tests
    /// is asked for, and writes its JUnit XML; every case reports its own Pester result.
    /// </summary>
    public sealed class PesterJourneys
    {
        // Every file starts on the first request, two at a time (the machine has two cores); each case waits for its file.
        private static readonly Lazy<IReadOnlyDictionary<string, System.Threading.Tasks.Task<PesterFileRun>>> Runs =
            new Lazy<IReadOnlyDictionary<string, System.Threading.Tasks.Task<PesterFileRun>>>(StartAll);

        public static IEnumerable<object[]> DiscoveredTests() => PesterDiscovery.Tests.Value.Select(test => new object[] { test });

        public static IEnumerable<object[]> TestFiles() => PesterHost.TestFiles().Select(file => new object[] { PesterHost.Relative(file) });

        [Theory(DisplayName = "Pester")]
        [MemberData(nameof(DiscoveredTests))]
        public void Journey(PesterTest test)
        {
            PesterFileRun run = RunOf(test.File);
            PesterTestResult result = run.Find(test)
                ?? throw new Xunit.Sdk.XunitException($"Pester discovered '{test.Name}' but did not report it when {test.File} ran.\n{run.Summary}");
            if (result.Result == "Passed") return;
            if (result.Result == "Failed") throw new Xunit.Sdk.XunitException($"{result.Name}\n{result.Error}");
            // Skipped, NotRun, Inconclusive: a journey that did not run has proved nothing.
            throw new Xunit.Sdk.XunitException($"Pester reported '{result.Result}' for {test.Name}: every journey must run.\n{result.Error}");
        }

        /// <summary>
        /// A file as a whole: it ran (no error outside its tests: BeforeAll, AfterAll, discovery), Pester's counts
        /// match its tests, and its JUnit XML was written.
        /// </summary>
        [Theory(DisplayName = "Pester file")]
        [MemberData(nameof(TestFiles))]
        public void File(string file)
        {
            PesterFileRun run = RunOf(file);
            Assert.True(run.ContainerResult == "Passed", $"{file}: {run.ContainerResult}\n{run.Summary}");
            Assert.True(run.FailedCount == 0, run.Summary);
            Assert.True(run.Tests.Count > 0, file + " has no tests.");
            Assert.Equal(PesterDiscovery.Tests.Value.Count(t => t.File == file), run.Tests.Count);
            Assert.True(System.IO.File.Exists(run.JUnitPath), "no JUnit XML at " + run.JUnitPath);
            Assert.Contains("<testsuites", System.IO.File.ReadAllText(run.JUnitPath));
        }

        private static PesterFileRun RunOf(string file) =>
            Runs.Value.TryGetValue(file, out var run) ? run.GetAwaiter().GetResult() : throw new Xunit.Sdk.XunitException(file + " is not a Pester journey file.");

        private static IReadOnlyDictionary<string, System.Threading.Tasks.Task<PesterFileRun>> StartAll()
        {
            var slots = new System.Threading.SemaphoreSlim(Math.Max(1, Math.Min(2, Environment.ProcessorCount)));
            return PesterHost.TestFiles().Select(PesterHost.Relative).ToDictionary(file => file, file => System.Threading.Tasks.Task.Run(async () =>
            {
                await slots.WaitAsync().ConfigureAwait(false);
                try
                {
                    return PesterFileRun.Run(file);
                }
                finally
                {
                    slots.Release();
                }
            }));
        }
    }

    /// <summary>One Pester test: its file (relative to the repository) and its path (Describe, Context, It).</summary>
    public sealed class PesterTest : IXunitSerializable
    {
        public PesterTest()
        {
            File = string.Empty;
            Name = string.Empty;
            RawPath = string.Empty;
        }

        public PesterTest(string file, string name, string rawPath, int index)
        {
            File = file;
            Name = name;
            RawPath = rawPath;
            Index = index;
        }

        public string File { get; private set; }

        /// <summary>The block names and the test's name with -ForEach data filled in, joined by dots.</summary>
        public string Name { get; private set; }

        /// <summary>The same before expansion, as Pester reports it in both phases.</summary>
        public string RawPath { get; private set; }

        /// <summary>The test's place in its file: Pester runs a file's tests in the order it discovered them.</summary>
        public int Index { get; private set; }

        public void Deserialize(IXunitSerializationInfo info)
        {
            File = info.GetValue<string>(nameof(File));
            Name = info.GetValue<string>(nameof(Name));
            RawPath = info.GetValue<string>(nameof(RawPath));
            Index = info.GetValue<int>(nameof(Index));
        }

        public void Serialize(IXunitSerializationInfo info)
        {
            info.AddValue(nameof(File), File);
            info.AddValue(nameof(Name), Name);
            info.AddValue(nameof(RawPath), RawPath);
            info.AddValue(nameof(Index), Index);
        }

        public override string ToString() => $"{System.IO.Path.GetFileName(File)}: {Name}";
    }

    /// <summary>Pester's discovery over every journey file, once per test run.</summary>
    internal static class PesterDiscovery
    {
        public static readonly Lazy<IReadOnlyList<PesterTest>> Tests = new Lazy<IReadOnlyList<PesterTest>>(Discover);

        private static IReadOnlyList<PesterTest> Discover()
        {
            using var shell = PesterHost.CreateSession();
            shell.AddScript(@"
param([string[]] $Path)
$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.SkipRun = $true
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'None'
$result = Invoke-Pester -Configuration $configuration
foreach ($container in $result.Containers) {
    if ($container.Result -eq 'Failed') { throw ""Pester could not discover $($container.Item): $($container.ErrorRecord | Out-String)"" }
}
# Names as Pester will expand them at run time (<_> and <key> from -ForEach data), for display.
function Expand($Name, $Data) {
    if ($null -eq $Data) { return $Name }
    if ($Data -is [System.Collections.IDictionary]) { foreach ($key in $Data.Keys) { $Name = $Name.Replace(""<$key>"", [string] $Data[$key]) } }
    $Name.Replace('<_>', [string] $Data)
}
foreach ($test in $result.Tests) {
    $names = [System.Collections.Generic.List[string]]::new()
    $names.Add((Expand $test.Name $test.Data))
    for ($block = $test.Block; $block -and -not $block.IsRoot; $block = $block.Parent) { $names.Insert(0, (Expand $block.Name $block.Data)) }
    [pscustomobject]@{ File = $test.Block.BlockContainer.Item.FullName; Name = $names -join '.'; RawPath = $test.Path -join '.' }
}
").AddParameter("Path", PesterHost.TestFiles().ToArray());
            var found = shell.Invoke();
            if (shell.HadErrors) throw new InvalidOperationException("Pester discovery failed: " + string.Join("\n", shell.Streams.Error));
            var tests = new List<PesterTest>();
            foreach (var item in found)
            {
                string file = PesterHost.Relative((string)item.Properties["File"].Value);
                string name = (string)item.Properties["Name"].Value;
                string rawPath = (string)item.Properties["RawPath"].Value;
                tests.Add(new PesterTest(file, name, rawPath, tests.Count(t => t.File == file)));
            }
            return tests;
        }
    }

    /// <summary>One Pester test's outcome.</summary>
    internal sealed class PesterTestResult
    {
        public PesterTestResult(string name, string rawPath, string result, string error)
        {
            Name = name;
            RawPath = rawPath;
            Result = result;
            Error = error;
        }

        public string Name { get; }
        public string RawPath { get; }
        public string Result { get; }
        public string Error { get; }
    }

    /// <summary>One test file run by Pester in a fresh runspace, with its JUnit XML written.</summary>
    internal sealed class PesterFileRun
    {
        private PesterFileRun(string containerResult, int failedCount, List<PesterTestResult> tests, string junitPath, string summary)
        {
            ContainerResult = containerResult;
            FailedCount = failedCount;
            Tests = tests;
            JUnitPath = junitPath;
            Summary = summary;
        }

        public string ContainerResult { get; }
        public int FailedCount { get; }
        public List<PesterTestResult> Tests { get; }
        public string JUnitPath { get; }
        public string Summary { get; }

        public PesterTestResult? Find(PesterTest test) =>
            test.Index < Tests.Count && Tests[test.Index].RawPath == test.RawPath ? Tests[test.Index] : null;

        public static PesterFileRun Run(string file)
        {
            Directory.CreateDirectory(PesterHost.ResultFolder);
            string junit = Path.Combine(PesterHost.ResultFolder, Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(file)) + ".junit.xml");
            using var shell = PesterHost.CreateSession();
            shell.AddScript(@"
param([string] $Path, [string] $JUnitPath)
$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'None'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'JUnitXml'
$configuration.TestResult.OutputPath = $JUnitPath
$result = Invoke-Pester -Configuration $configuration
$container = $result.Containers | Select-Object -First 1
[pscustomobject]@{
    Container = [string] $container.Result
    ContainerError = ($container.ErrorRecord | ForEach-Object { $_.ToString() + [Environment]::NewLine + $_.ScriptStackTrace }) -join [Environment]::NewLine
    Failed = $result.FailedCount
    Summary = ""{0}: {1} passed, {2} failed, {3} skipped, {4} not run in {5}"" -f $Path, $result.PassedCount, $result.FailedCount, $result.SkippedCount, $result.NotRunCount, $result.Duration
}
foreach ($test in $result.Tests) {
    [pscustomobject]@{
        Name = $test.ExpandedPath
        RawPath = $test.Path -join '.'
        Result = [string] $test.Result
        Error = ($test.ErrorRecord | ForEach-Object { $_.ToString() + [Environment]::NewLine + $_.ScriptStackTrace }) -join [Environment]::NewLine
    }
}
").AddParameter("Path", Path.Combine(PesterHost.RepositoryRoot, file)).AddParameter("JUnitPath", junit);
            var output = shell.Invoke();
            if (output.Count == 0) throw new InvalidOperationException($"Invoke-Pester returned nothing for {file}: {string.Join("\n", shell.Streams.Error)}");
            PSObject head = output[0];
            var tests = output.Skip(1).Select(o => new PesterTestResult(
                (string)o.Properties["Name"].Value, (string)o.Properties["RawPath"].Value, (string)o.Properties["Result"].Value, (string?)o.Properties["Error"].Value ?? string.Empty)).ToList();
            string summary = (string)head.Properties["Summary"].Value + "\n" + (string?)head.Properties["ContainerError"].Value;
            return new PesterFileRun((string)head.Properties["Container"].Value, Convert.ToInt32(head.Properties["Failed"].Value), tests, junit, summary);
        }
    }
}

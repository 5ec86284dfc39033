using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using BenchmarkDotNet.Attributes;
using BinanceKeys.Policy;
using BinanceKeys.State;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace BinanceKeys.Benchmarks
{
    /// <summary>
    /// The offline part of a desired state (load, validate, and later diff) against YamlDotNet parsing the same file
    /// into an object graph, for generated estates of 1,000, 5,700 and 30,000 keys (docs/performance.md,
    /// "Desired-state files"). The Ratio and Alloc Ratio columns are against YamlDotNet's YamlStream.
    /// </summary>
    [MemoryDiagnoser]
    public class DesiredStateBenchmarks
    {
        private string folder = null!;
        private string file = null!;

        /// <summary>Keys in the estate.</summary>
        [Params(1_000, 5_700, 30_000)]
        public int Keys { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            folder = Path.Combine(Path.GetTempPath(), "bk-estate-" + Keys.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N"));
            file = DesiredStateEstate.Write(folder, Keys);
        }

        [GlobalCleanup]
        public void Cleanup() => Directory.Delete(folder, recursive: true);

        [Benchmark(Baseline = true, Description = "YamlDotNet YamlStream (parse to node graph)")]
        public object YamlDotNetStream() => OfflineSteps.ParseWithYamlStream(file);

        [Benchmark(Description = "YamlDotNet Deserialize<object> (parse to dictionaries)")]
        public object? YamlDotNetDeserialize() => OfflineSteps.DeserializeWithYamlDotNet(file);

        [Benchmark(Description = "BinanceKeys load + policy")]
        public object LoadAndEvaluate() => OfflineSteps.Evaluate(OfflineSteps.Load(file));

        [Benchmark(Description = "BinanceKeys load + policy + diff")]
        public object? LoadEvaluateAndDiff()
        {
            DesiredState state = OfflineSteps.Load(file);
            OfflineSteps.Evaluate(state);
            return OfflineSteps.Diff(state);
        }
    }

    /// <summary>The steps the benchmarks time, once each, so the quick mode and BenchmarkDotNet measure the same code.</summary>
    public static class OfflineSteps
    {
        private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

        /// <summary>The diff of a loaded state against a live state: the planner, against a snapshot of the same keys (<see cref="PlannerDiff"/>).</summary>
        public static Func<DesiredState, object?> Diff { get; set; } = PlannerDiff.Plan;

        public static object ParseWithYamlStream(string path)
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(path)) stream.Load(reader);
            return stream;
        }

        public static object? DeserializeWithYamlDotNet(string path)
        {
            using var reader = new StreamReader(path);
            return Deserializer.Deserialize<object>(reader);
        }

        public static DesiredState Load(string path) => DesiredStateLoader.Load(path);

        public static IReadOnlyList<PolicyFinding> Evaluate(DesiredState state) =>
            new PolicyEngine(clock: () => new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero)).Evaluate(state);

        /// <summary>
        /// `quick [keys...]`: each step a few times, timed in processor time, with the allocation counter, and the
        /// ratios; quick to run and steadier than wall time on a busy machine (BenchmarkDotNet's run is the full measurement).
        /// </summary>
        public static void Quick(IReadOnlyList<string> arguments)
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            var sizes = new List<int>();
            foreach (string argument in arguments) sizes.Add(int.Parse(argument, CultureInfo.InvariantCulture));
            if (sizes.Count == 0) sizes.AddRange(new[] { 1_000, 5_700, 30_000 });
            foreach (int keys in sizes)
            {
                string folder = Path.Combine(Path.GetTempPath(), "bk-estate-quick-" + Guid.NewGuid().ToString("N"));
                try
                {
                    string path = DesiredStateEstate.Write(folder, keys);
                    var (streamTime, streamBytes) = Measure(() => ParseWithYamlStream(path));
                    var (deserializeTime, deserializeBytes) = Measure(() => DeserializeWithYamlDotNet(path));
                    var (loadTime, loadBytes) = Measure(() => Evaluate(Load(path)));
                    var (diffTime, diffBytes) = Measure(() => { DesiredState state = Load(path); Evaluate(state); return Diff(state); });
                    var (onlyLoadTime, onlyLoadBytes) = Measure(() => Load(path));
                    DesiredState loaded = Load(path);
                    var (policyTime, policyBytes) = Measure(() => Evaluate(loaded));
                    Console.WriteLine(
                        $"{keys,6} keys, {new FileInfo(path).Length / 1e6:0.00} MB: YamlStream {streamTime:0.0} ms {streamBytes / 1e6:0.0} MB; Deserialize<object> {deserializeTime:0.0} ms {deserializeBytes / 1e6:0.0} MB; " +
                        $"load+policy {loadTime:0.0} ms {loadBytes / 1e6:0.0} MB ({loadTime / streamTime:0.00}x time, {(double)loadBytes / streamBytes:0.00}x alloc of YamlStream; " +
                        $"{loadTime / deserializeTime:0.00}x, {(double)loadBytes / deserializeBytes:0.00}x of Deserialize); +diff {diffTime:0.0} ms {diffBytes / 1e6:0.0} MB; {loadBytes / keys / 1024.0:0.0} KB a key; of which load {onlyLoadTime:0.0} ms {onlyLoadBytes / 1e6:0.0} MB, policy {policyTime:0.0} ms {policyBytes / 1e6:0.0} MB");
                }
                finally
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }

        // Processor time of this process, not wall time: on a shared machine (the build machines run several builds
        // at once) wall time mostly measures the neighbours. Best of five, after a warm-up run.
        private static (double Milliseconds, long Bytes) Measure(Func<object?> step)
        {
            step();
            double best = double.MaxValue;
            long bytes = long.MaxValue;
            using var process = Process.GetCurrentProcess();
            for (int i = 0; i < 5; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                process.Refresh();
                TimeSpan before = process.TotalProcessorTime;
                long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                step();
                process.Refresh();
                best = Math.Min(best, (process.TotalProcessorTime - before).TotalMilliseconds);
                bytes = Math.Min(bytes, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
            }
            return (best, bytes);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Policy;
using BinanceKeys.State;
using CsCheck;
using Xunit;
using Xunit.Abstractions;

namespace BinanceKeys.Tests.State
{
    /// <summary>
    /// Issue 9's bad-input campaign: random mutations of the example files and the fixtures, and random YAML, through
    /// the loader and the policy engine. For every input: nothing but <see cref="DesiredStateException"/> is thrown,
    /// it finishes within a generous bound (a hang fails the test), and no value that came through env: or file: (the
    /// canaries) appears in any error or finding. A short run is part of the suite; set BINANCEKEYS_FUZZ_INPUTS to a
    /// larger number (e.g. 200000) for a long campaign.
    /// </summary>
    public sealed class LoaderFuzzTests : IDisposable
    {
        private const string Canary = "CanaryS3cretValue";
        private const string CanaryAddress = "198.18.77.66"; // a valid address: the rules must not echo it either
        private const string CanaryIpv6 = "2001:db8::7766";
        private const string CanaryCidr = "198.18.0.0/15";
        private const string OutsideCanary = "OutsideCanaryValue";
        private static readonly string[] Canaries = { Canary, CanaryAddress, CanaryIpv6, CanaryCidr, OutsideCanary };

        // Budget per input: generous (a load of these files takes milliseconds); exceeding it is a hang and fails the test.
        private static readonly TimeSpan PerInput = TimeSpan.FromSeconds(30);

        private readonly ITestOutputHelper output;
        private readonly string root = Path.Combine(Path.GetTempPath(), "bk-fuzz-" + Guid.NewGuid().ToString("N"));
        private readonly string folder;
        private readonly string[] seeds;
        private readonly DesiredStateLoadOptions options;

        public LoaderFuzzTests(ITestOutputHelper output)
        {
            this.output = output;
            folder = Path.Combine(root, "state");
            CopyTree(Path.Combine(AppContext.BaseDirectory, "examples"), folder);
            CopyTree(Path.Combine(TestSupport.FixtureDirectory, "keys"), Path.Combine(folder, "keys"));
            File.WriteAllText(Path.Combine(folder, "canary.txt"), $"{CanaryAddress}\n{Canary}\n{CanaryIpv6}, {CanaryCidr}\n");
            File.WriteAllText(Path.Combine(folder, "keys", "canary.pub.pem"), Canary + "\n");
            File.WriteAllText(Path.Combine(root, "outside-canary.txt"), OutsideCanary + "\n");
            seeds = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "examples"), "*.yaml", SearchOption.AllDirectories)
                .Concat(Directory.GetFiles(Path.Combine(TestSupport.FixtureDirectory, "invalid"), "*.yaml"))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(File.ReadAllText)
                .ToArray();
            var environment = new Dictionary<string, string>
            {
                ["CANARY_ENV"] = Canary,
                ["CANARY_IPS"] = $"{CanaryAddress}, {CanaryIpv6} {CanaryCidr}\n{Canary}",
                ["CANARY_ADDRESS"] = CanaryAddress,
                ["BINANCE_API_SECRET"] = Canary,
                ["BINANCEKEYS_VAULT_PASSPHRASE"] = Canary,
            };
            options = new DesiredStateLoadOptions { GetEnvironmentVariable = name => environment.TryGetValue(name, out string? value) ? value : null };
        }

        public void Dispose() => Directory.Delete(root, recursive: true);

        private static void CopyTree(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
            foreach (string sub in Directory.GetDirectories(from)) CopyTree(sub, Path.Combine(to, Path.GetFileName(sub)));
        }

        private static long Budget(long normal)
        {
            string? configured = Environment.GetEnvironmentVariable("BINANCEKEYS_FUZZ_INPUTS");
            return long.TryParse(configured, out long inputs) && inputs > 0 ? inputs : normal;
        }

        // References and YAML pieces the mutations splice in.
        private static readonly string[] Splices =
        {
            "env:CANARY_ENV", "env:CANARY_IPS", "env:CANARY_ADDRESS", "env:BINANCE_API_SECRET", "env:binanceKeys_vault_passphrase", "'file:canary.txt'",
            "'file:../outside-canary.txt'", "'file:/etc/hostname'", "keys/canary.pub.pem", "file:keys/canary.pub.pem", "../outside-canary.txt", "env:",
            "file:", ":", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "&b [*a, *a]", "!!binary ", "!Ref ", "|", ">", "'", "\"", "#", "%", "@", "`",
            "\t", "\n", "  ", "~", "null", "true", "1e3", "0x1F", ".inf", "203.0.113.7", "::1", "10.0.0.0/8", "<<: *a", "---\n", "...\n", "? ",
            "\u00e9", "\u202e", "\uFEFF", "\0",
        };

        private static string Mutate(string text, int[] operations)
        {
            var builder = new StringBuilder(text);
            foreach (int operation in operations)
            {
                int kind = operation & 7;
                int at = builder.Length == 0 ? 0 : (int)((uint)operation >> 3) % (builder.Length + 1);
                string[] lines;
                switch (kind)
                {
                    case 0: // splice a piece in
                    case 1:
                        builder.Insert(at, Splices[(int)((uint)operation >> 5) % Splices.Length]);
                        break;
                    case 2: // delete a few characters
                        if (at < builder.Length) builder.Remove(at, Math.Min(builder.Length - at, 1 + (operation >> 20 & 7)));
                        break;
                    case 3: // replace a value after a colon with a reference
                        int colon = builder.ToString().IndexOf(": ", at, StringComparison.Ordinal);
                        if (colon >= 0)
                        {
                            int end = builder.ToString().IndexOf('\n', colon);
                            if (end < 0) end = builder.Length;
                            builder.Remove(colon + 2, end - colon - 2).Insert(colon + 2, Splices[(int)((uint)operation >> 7) % 11]);
                        }
                        break;
                    case 4: // duplicate a line
                        lines = builder.ToString().Split('\n');
                        int copy = (int)((uint)operation >> 3) % lines.Length;
                        builder.Clear().Append(string.Join("\n", lines.Take(copy + 1).Append(lines[copy]).Concat(lines.Skip(copy + 1))));
                        break;
                    case 5: // delete a line
                        lines = builder.ToString().Split('\n');
                        int drop = (int)((uint)operation >> 3) % lines.Length;
                        builder.Clear().Append(string.Join("\n", lines.Where((_, i) => i != drop)));
                        break;
                    case 6: // shift a line's indentation
                        lines = builder.ToString().Split('\n');
                        int shift = (int)((uint)operation >> 3) % lines.Length;
                        lines[shift] = (operation & 8) != 0 ? "  " + lines[shift] : lines[shift].TrimStart();
                        builder.Clear().Append(string.Join("\n", lines));
                        break;
                    default: // truncate
                        builder.Length = at;
                        break;
                }
            }
            return builder.ToString();
        }

        /// <summary>A random document: mostly the format's own shape, with random values, references, anchors and junk.</summary>
        private static string RandomYaml(int seed)
        {
            var random = new Random(seed);
            var text = new StringBuilder();
            string Pick(params string[] choices) => choices[random.Next(choices.Length)];
            string Scalar() => random.Next(6) switch
            {
                0 => Pick("env:CANARY_ENV", "env:CANARY_IPS", "'file:canary.txt'", "'file:../outside-canary.txt'", "env:BINANCE_API_SECRET", "keys/canary.pub.pem"),
                1 => Pick("203.0.113.7", "198.51.100.1", "1.2.3", "::1", "10.0.0.0/8", "999.1.1.1"),
                2 => Pick("true", "no", "1", "-5", "3.5", "null", "~", "''", "\"\""),
                3 => Pick("spotAndMarginTrading", "futures", "withdrawals", "hmac", "ed25519", "rsa", "trusted", "thirdParty", "vault:x/y"),
                4 => Pick("&a [1, 2]", "*a", "!!str x", "[]", "{}", "[*a, *a]"),
                _ => "v" + random.Next(1000),
            };
            string List() => "[" + string.Join(", ", Enumerable.Range(0, random.Next(4)).Select(_ => Scalar())) + "]";
            if (random.Next(10) > 0) text.Append("version: ").Append(Pick("1", "1", "2", "'1'", "1.0")).Append('\n');
            if (random.Next(3) == 0) text.Append("defaultSecurityControls: ").Append(Scalar()).Append('\n');
            if (random.Next(2) == 0)
            {
                text.Append("policy:\n");
                foreach (string field in DesiredStateLoader.PolicyFields.Where(_ => random.Next(2) == 0))
                    text.Append("  ").Append(field).Append(": ").Append(random.Next(2) == 0 ? List() : Scalar()).Append('\n');
            }
            text.Append("accounts:\n");
            for (int a = random.Next(4); a > 0; a--)
            {
                text.Append("  - name: ").Append(Scalar()).Append('\n');
                foreach (string field in DesiredStateLoader.AccountFields.Where(f => f != "name" && f != "keys" && random.Next(3) == 0))
                    text.Append("    ").Append(field).Append(": ").Append(Scalar()).Append('\n');
                text.Append("    keys:\n");
                for (int k = random.Next(4); k > 0; k--)
                {
                    text.Append("      - label: ").Append(Scalar()).Append('\n');
                    foreach (string field in DesiredStateLoader.KeyFields.Where(f => f != "label" && random.Next(2) == 0))
                        text.Append("        ").Append(field).Append(": ")
                            .Append(field == "ipWhitelist" || field == "permissions" || field == "symbolWhitelist" ? List() : Scalar()).Append('\n');
                    if (random.Next(8) == 0) text.Append("        ").Append(Pick("unknown", "permisions", "? [a]", "<<")).Append(": x\n");
                }
            }
            return text.ToString();
        }

        /// <summary>One input through the loader and the rules; returns whether it loaded. Fails the test on any broken promise.</summary>
        private bool Check(string yaml)
        {
            Task<(bool Loaded, string Text)> run = Task.Factory.StartNew(() =>
            {
                try
                {
                    DesiredState state = DesiredStateLoader.LoadText(yaml, "fuzz.yaml", folder, options);
                    IReadOnlyList<PolicyFinding> findings = new PolicyEngine(clock: () => TestSupport.Now).Evaluate(state);
                    return (true, string.Join("\n", findings.Select(f => f + " " + f.Remediation + " " + f.YamlPath)));
                }
                catch (DesiredStateException e)
                {
                    return (false, e.ToString() + string.Join("\n", e.Errors.Select(error => error.ToString())));
                }
            }, CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);

            if (!run.Wait(PerInput)) Assert.Fail($"The loader did not finish within {PerInput.TotalSeconds} s (a hang) on:\n{yaml}");
            if (run.IsFaulted) Assert.Fail($"The loader threw {run.Exception!.InnerException!.GetType().Name}, not DesiredStateException: {run.Exception.InnerException}\non:\n{yaml}");
            (bool loaded, string text) = run.Result;
            foreach (string canary in Canaries)
            {
                // A canary written in the input itself would be fair to quote; the generators never write one.
                if (yaml.Contains(canary, StringComparison.Ordinal)) continue;
                Assert.False(text.Contains(canary, StringComparison.Ordinal), $"'{canary}', read through a reference, appears in:\n{text}\nfor:\n{yaml}");
            }
            return loaded;
        }

        [Fact]
        public void TheSeedsThemselves_KeepEveryPromise()
        {
            Assert.True(seeds.Length >= 20, $"only {seeds.Length} seed files");
            foreach (string seed in seeds) Check(seed);
        }

        [Fact]
        public void MutatedExamplesAndFixtures_KeepEveryPromise()
        {
            long inputs = Budget(1_000), loaded = 0, tried = 0;
            var clock = Stopwatch.StartNew();
            Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Int.Array[1, 6]).Sample((seed, operations) =>
            {
                Interlocked.Increment(ref tried);
                if (Check(Mutate(seeds[seed], operations))) Interlocked.Increment(ref loaded);
            }, iter: inputs);
            output.WriteLine($"{tried} mutated inputs ({loaded} loaded, {tried - loaded} refused with DesiredStateException) in {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(loaded > 0 && loaded < tried, $"{loaded} of {tried} loaded: the mutations should reach both sides");
        }

        [Fact]
        public void RandomDocuments_KeepEveryPromise()
        {
            long inputs = Budget(1_000), loaded = 0, tried = 0;
            var clock = Stopwatch.StartNew();
            Gen.Int.Sample(seed =>
            {
                Interlocked.Increment(ref tried);
                if (Check(RandomYaml(seed))) Interlocked.Increment(ref loaded);
            }, iter: inputs);
            output.WriteLine($"{tried} random documents ({loaded} loaded, {tried - loaded} refused with DesiredStateException) in {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(tried == inputs);
        }

        [Fact]
        public void RandomCharacters_KeepEveryPromise()
        {
            long inputs = Budget(1_000), tried = 0;
            Gen.String[Gen.Char["-:[]{}&*!|>'\"#%@ \t\nabcv1:.,/~?"], 0, 120].Sample(text =>
            {
                Interlocked.Increment(ref tried);
                Check(text);
            }, iter: inputs);
            output.WriteLine($"{tried} random character strings");
        }
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;
using BinanceKeys.Keys;
using BinanceKeys.Sandbox;
using BinanceKeys.State.Local;
using BinanceKeys.State.Planning;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace BinanceKeys.Benchmarks
{
    /// <summary>
    /// Plan and apply at scale (issue 8, "Rate limits and scale"): a sandbox seeded with many sub-accounts and keys, a
    /// desired state with mixed changes, and plan, apply and a cached plan run through the core services with a
    /// scaled rate-limit window. For each phase it counts the calls per endpoint from the sandbox's request log and
    /// compares the wall time with the floor: the largest, over endpoints, of (calls / 60) windows, since every key
    /// endpoint has its own budget of about 60 calls a window (docs/binance.md §4). Not a test: it prints figures.
    /// </summary>
    /// <remarks>dotnet run -c Release --project benchmarks/BinanceKeys.Benchmarks -- plan-apply [--accounts 200] [--keys 5] [--time-scale 0.05] [--concurrency 16]</remarks>
    internal static class PlanApplyAtScale
    {
        private const string DemoApiKey = "SandboxDemoAdminApiKeyu8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdoc";
        private const string DemoSecret = "SandboxDemoAdminSecretJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7DxtpY";
        private const int CallsPerWindow = 60; // UID 180,000 / 3,000 per call

        public static async Task<int> RunAsync(string[] args)
        {
            int accounts = Option(args, "--accounts", 200);
            int keys = Option(args, "--keys", 5);
            int concurrency = Option(args, "--concurrency", 16);
            double scale = double.Parse(OptionText(args, "--time-scale") ?? "0.05", CultureInfo.InvariantCulture);
            var window = TimeSpan.FromMinutes(1) * scale;
            string folder = Directory.CreateTempSubdirectory("bk-scale-").FullName;
            try
            {
                var world = new World(accounts, keys);
                Console.WriteLine($"Plan and apply at scale: {accounts} sub-accounts x {keys} keys, time scale {scale} (a rate-limit window of {window.TotalSeconds:0.###} s), concurrency {concurrency}.");
                Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
                await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Urls = "http://127.0.0.1:0", SeedYaml = world.Seed(), TimeScale = scale });
                using var admin = new HttpClient { BaseAddress = sandbox.BaseAddress };
                var options = new BinanceClientOptions { Endpoint = sandbox.BaseAddress, RateLimitWindow = window, Timeout = TimeSpan.FromSeconds(30) };
                using var connection = await BinanceConnection.ConnectAsync(options, DemoApiKey, Credentials.FromSecret(DemoSecret.ToCharArray()), "benchmark", CancellationToken.None);
                var local = LocalKeyState.Open(Path.Combine(folder, "state"));
                var service = new KeyPlanService(connection, local) { Concurrency = concurrency };
                var applier = new KeyPlanApplier(connection, local) { Concurrency = concurrency };

                // The keys to be replaced must have been made by the module (its record knows their public key).
                string setup = Path.Combine(folder, "setup.yaml");
                File.WriteAllText(setup, world.Desired(setup: true));
                var setupPlan = await service.PlanAsync(new PlanRequest { Path = setup }, null, CancellationToken.None);
                Check(await applier.ApplyAsync(setupPlan, new ApplyCallbacks(), CancellationToken.None), "setup");

                string desired = Path.Combine(folder, "desired.yaml");
                File.WriteAllText(desired, world.Desired(setup: false));
                await ClearLogAsync(admin);

                var (plan, planTime) = await TimeAsync(window, () => service.PlanAsync(new PlanRequest { Path = desired }, null, CancellationToken.None));
                var planCalls = await TakeLogAsync(admin);
                Console.WriteLine($"The plan: {plan.Summary}");

                var (results, applyTime) = await TimeAsync(window, () => applier.ApplyAsync(plan, new ApplyCallbacks(), CancellationToken.None));
                var applyCalls = await TakeLogAsync(admin);
                Check(results, "apply");

                var (cached, cachedTime) = await TimeAsync(window, () => service.PlanAsync(new PlanRequest { Path = desired, UseCachedIpWhitelists = true }, null, CancellationToken.None));
                var cachedCalls = await TakeLogAsync(admin);
                var after = await service.PlanAsync(new PlanRequest { Path = desired }, null, CancellationToken.None);
                await TakeLogAsync(admin);
                var violations = JsonDocument.Parse(await admin.GetStringAsync("/admin/violations")).RootElement.GetArrayLength();

                Console.WriteLine();
                Console.WriteLine("| phase | wall time | floor | wall / floor | calls (busiest endpoint) | 429 answers |");
                Console.WriteLine("|---|---|---|---|---|---|");
                Report("plan", planTime, planCalls, window);
                Report("apply", applyTime, applyCalls, window);
                Report("plan -UseCache", cachedTime, cachedCalls, window);
                Console.WriteLine();
                Console.WriteLine($"After the apply a fresh plan has changes: {after.HasChanges} (must be False); the cached plan has changes: {cached.HasChanges}; key audit violations: {violations} (must be 0).");
                foreach (var (name, calls) in new[] { ("plan", planCalls), ("apply", applyCalls), ("plan -UseCache", cachedCalls) })
                {
                    Console.WriteLine($"{name} calls per endpoint: " + string.Join(", ", calls.GroupBy(c => c.Endpoint).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));
                }
                return after.HasChanges || violations > 0 ? 1 : 0;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        private static void Check(IReadOnlyList<KeyPlanResult> results, string phase)
        {
            var failed = results.Where(r => r.Status == KeyPlanResultStatus.Failed).ToList();
            if (failed.Count > 0) throw new InvalidOperationException($"The {phase} failed: " + string.Join("; ", failed.Take(5).Select(r => r.Target + ": " + r.Message)));
        }

        private static void Report(string phase, TimeSpan wall, IReadOnlyList<LoggedCall> calls, TimeSpan window)
        {
            var busiest = calls.GroupBy(c => c.Endpoint).OrderByDescending(g => g.Count()).First();
            var floor = TimeSpan.FromTicks((long)(window.Ticks * (busiest.Count() / (double)CallsPerWindow)));
            int limited = calls.Count(c => c.Status == 429);
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:0.00} s | {2:0.00} s | {3:0.00}x | {4} {5} | {6} |",
                phase, wall.TotalSeconds, floor.TotalSeconds, wall.TotalSeconds / floor.TotalSeconds, busiest.Count(), busiest.Key, limited));
        }

        // Each phase starts with a fresh rate-limit window (the sandbox's windows are aligned to its clock's scaled
        // minutes, like Binance's), so that one phase does not inherit what the one before used of the current window.
        private static async Task<(T Result, TimeSpan Elapsed)> TimeAsync<T>(TimeSpan window, Func<Task<T>> work)
        {
            long windowMs = (long)window.TotalMilliseconds;
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await Task.Delay(TimeSpan.FromMilliseconds(windowMs - now % windowMs + 20));
            var clock = Stopwatch.StartNew();
            var result = await work();
            return (result, clock.Elapsed);
        }

        private sealed record LoggedCall(string Endpoint, int Status);

        private static async Task<IReadOnlyList<LoggedCall>> TakeLogAsync(HttpClient admin)
        {
            var log = JsonDocument.Parse(await admin.GetStringAsync("/admin/requests")).RootElement;
            await ClearLogAsync(admin);
            return log.EnumerateArray().Select(e => new LoggedCall(e.GetProperty("method").GetString() + " " + e.GetProperty("path").GetString(), e.GetProperty("status").GetInt32())).ToList();
        }

        private static async Task ClearLogAsync(HttpClient admin) => (await admin.DeleteAsync("/admin/requests")).EnsureSuccessStatusCode();

        private static int Option(string[] args, string name, int fallback) =>
            OptionText(args, name) is string text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

        private static string? OptionText(string[] args, string name)
        {
            int at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }

        /// <summary>
        /// The seeded estate and the desired state: every fifth account gains a key, one has an IP address swapped, one a
        /// permission added, one (pruned) loses a key, and every twentieth has a key whose public key is rotated.
        /// </summary>
        private sealed class World
        {
            private readonly int accounts;
            private readonly int keys;
            private readonly Dictionary<string, string> publicKeys = new Dictionary<string, string>();

            public World(int accounts, int keys)
            {
                this.accounts = accounts;
                this.keys = keys;
            }

            private static string Email(int account) => $"desk-{account:000}@example.com";

            private static string Ip(int account, int key) => $"10.{account / 250}.{account % 250}.{key}";

            private static bool Replaces(int account) => account % 20 == 4;

            private string PublicKey(string name)
            {
                if (!publicKeys.TryGetValue(name, out var spki))
                {
                    var generator = new Ed25519KeyPairGenerator();
                    generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
                    spki = Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(generator.GenerateKeyPair().Public).GetEncoded());
                    publicKeys[name] = spki;
                }
                return spki;
            }

            public string Seed()
            {
                var text = new StringBuilder();
                text.Append("master:\n  email: master@example.com\n  keys:\n");
                text.Append($"    - {{ label: admin, type: hmac, apiKey: \"{DemoApiKey}\", secretKey: \"{DemoSecret}\", permissions: [spotAndMarginTrading], ipWhitelist: [127.0.0.1] }}\n");
                text.Append("subAccounts:\n");
                for (int a = 0; a < accounts; a++)
                {
                    text.Append($"  - email: {Email(a)}\n    futuresEnabled: true\n    marginEnabled: false\n    keys:\n");
                    for (int k = 1; k <= keys; k++)
                    {
                        text.Append($"      - {{ label: k{k}, type: ed25519, publicKey: \"{PublicKey($"{a}/k{k}")}\", permissions: [spotAndMarginTrading], ipWhitelist: [{Ip(a, k)}] }}\n");
                    }
                }
                return text.ToString();
            }

            public string Desired(bool setup)
            {
                var text = new StringBuilder("version: 1\naccounts:\n");
                for (int a = 0; a < accounts; a++)
                {
                    if (setup && !Replaces(a)) continue;
                    int change = a % 5;
                    text.Append($"  - name: desk-{a:000}\n    email: {Email(a)}\n    futuresEnabled: true\n    marginEnabled: false\n    prune: {(!setup && change == 3 ? "true" : "false")}\n    keys:\n");
                    for (int k = 1; k <= keys && !setup; k++)
                    {
                        if (change == 3 && k == keys) continue;                                   // pruned: deleted
                        string permissions = change == 2 && k == 2 ? "spotAndMarginTrading, futures" : "spotAndMarginTrading"; // one permission more
                        string ip = change == 1 && k == 1 ? Ip(a, 200) : Ip(a, k);               // one address swapped
                        Key(text, $"k{k}", PublicKey($"{a}/k{k}"), permissions, ip);
                    }
                    if (!setup && change == 0) Key(text, "new", PublicKey($"{a}/new"), "spotAndMarginTrading", Ip(a, 100));
                    if (Replaces(a)) Key(text, "rot", PublicKey(setup ? $"{a}/rot" : $"{a}/rot2"), "spotAndMarginTrading", Ip(a, 101));
                }
                return text.ToString();
            }

            private static void Key(StringBuilder text, string label, string spki, string permissions, string ip) =>
                text.Append($"      - label: {label}\n        type: ed25519\n        publicKey: |\n          -----BEGIN PUBLIC KEY-----\n          {spki}\n          -----END PUBLIC KEY-----\n")
                    .Append($"        permissions: [{permissions}]\n        ipWhitelist: [{ip}]\n");
        }
    }
}

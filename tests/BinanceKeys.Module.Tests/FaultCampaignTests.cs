using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>The kinds of write an apply makes, each the target of a fault.</summary>
    public enum WriteKind
    {
        CreateSubAccountKeyV1,
        CreateSubAccountKeyV2,
        CreateBrokerKey,
        BrokerRestrictStep,
        BrokerGrantStep,
        IpUpdate,
        IpListDelete,
        PermissionChange,
        KeyDelete,
        ReplaceCreate,
        ReplaceDelete,
    }

    /// <summary>The sandbox's faults (docs/sandbox.md), as the campaign injects them.</summary>
    public enum InjectedFault
    {
        ErrorBeforeChange,
        ErrorAfterChange,
        DropAfterChange,
        DelayPastTimeout,
        RateLimitBurst,
        ClockSkew,
    }

    /// <summary>
    /// Fault campaigns (issue 8): for every kind of write and every sandbox fault, an apply runs into the fault, then a
    /// re-run finishes the job. Whatever the fault, afterwards Binance equals the file, no key exists twice, every
    /// HMAC key has its secret in the vault, and the sandbox's audit saw no key with more than reading and no IP
    /// restriction. The cases are split over classes, one per fault, each with its own sandbox, so that they run side by side.
    /// </summary>
    public abstract class FaultCampaign : IDisposable
    {
        // Short enough that a delay fault outlasts it quickly, long enough that a busy machine answers in time.
        private const int TimeoutSec = 2;
        private const int DelayMs = 4500;

        private readonly SandboxProcess sandbox;
        private readonly PlanApplyWorkspace work;

        protected FaultCampaign(SandboxProcess sandbox, SharedSession session)
        {
            this.sandbox = sandbox;
            sandbox.Reset();
            work = new PlanApplyWorkspace(sandbox, "bk-faults-") { TimeoutSec = TimeoutSec };
            work.UseOneSession(session.Shell);
        }

        public void Dispose() => work.Dispose();

        public static IEnumerable<object[]> Cases(params InjectedFault[] faults) =>
            from fault in faults from write in Enum.GetValues<WriteKind>() select new object[] { write, fault };

        private sealed record Scenario(DeclaredAccount[]? Before, DeclaredAccount[] After, string Method, string Path);

        private Scenario ScenarioOf(WriteKind write)
        {
            string[] trading = { "spotAndMarginTrading" };
            var bot = new DeclaredKey("bot", "ed25519", trading, new[] { "10.0.0.1" }, work.NewPublicKey("bot"));
            var other = new DeclaredKey("other", "ed25519", Array.Empty<string>(), new[] { "10.0.0.2" }, work.NewPublicKey("other"));
            DeclaredAccount DeskA(bool prune, params DeclaredKey[] keys) => new DeclaredAccount("desk-a", "desk-a@example.com", null, prune, keys);
            DeclaredAccount Broker(params DeclaredKey[] keys) => new DeclaredAccount("broker", null, "1001", true, keys);
            const string subCreateV1 = "/sapi/v1/sub-account/subAccountApi";
            const string subCreateV2 = "/sapi/v2/sub-account/subAccountApi";
            return write switch
            {
                // HMAC without a public key or FIX: v1 (docs/binance.md §2.3); the secret must reach the vault.
                WriteKind.CreateSubAccountKeyV1 => new Scenario(null,
                    new[] { DeskA(true, new DeclaredKey("h", "hmac", trading, new[] { "10.0.0.3" }, null, "vault:desk-a/h")) }, "POST", subCreateV1),
                WriteKind.CreateSubAccountKeyV2 => new Scenario(null,
                    new[] { DeskA(true, bot with { Permissions = new[] { "spotAndMarginTrading", "futures" } }) }, "POST", subCreateV2),
                // Broker keys: created reading only, restricted, then granted (three writes); HMAC, so the vault is in play.
                WriteKind.CreateBrokerKey or WriteKind.BrokerRestrictStep or WriteKind.BrokerGrantStep => new Scenario(null,
                    new[] { Broker(new DeclaredKey("bk", "hmac", new[] { "spotAndMarginTrading", "futures" }, new[] { "10.0.0.4", "10.0.0.5" }, null, "vault:broker/bk")) },
                    "POST", write == WriteKind.CreateBrokerKey ? "/sapi/v1/broker/subAccountApi"
                        : write == WriteKind.BrokerRestrictStep ? "/sapi/v2/broker/subAccountApi/ipRestriction" : "/sapi/v1/broker/subAccountApi/permission"),
                // 10.0.0.1 -> 10.0.0.6: the new address goes in first, then the old one is deleted.
                WriteKind.IpUpdate or WriteKind.IpListDelete => new Scenario(new[] { DeskA(true, bot) },
                    new[] { DeskA(true, bot with { Ips = new[] { "10.0.0.6" } }) },
                    write == WriteKind.IpUpdate ? "POST" : "DELETE",
                    write == WriteKind.IpUpdate ? "/sapi/v2/sub-account/subAccountApi/ipRestriction" : "/sapi/v1/sub-account/subAccountApi/ipRestriction/ipList"),
                WriteKind.PermissionChange => new Scenario(new[] { DeskA(true, bot) },
                    new[] { DeskA(true, bot with { Permissions = new[] { "spotAndMarginTrading", "futures" } }) }, "POST", "/sapi/v1/sub-account/subAccountApiPermission"),
                WriteKind.KeyDelete => new Scenario(new[] { DeskA(true, bot, other) }, new[] { DeskA(true, bot) }, "DELETE", subCreateV1),
                WriteKind.ReplaceCreate or WriteKind.ReplaceDelete => new Scenario(new[] { DeskA(true, bot) },
                    new[] { DeskA(true, bot with { PublicKeyFile = work.NewPublicKey("bot-rotated") }) },
                    write == WriteKind.ReplaceCreate ? "POST" : "DELETE", write == WriteKind.ReplaceCreate ? subCreateV2 : subCreateV1),
                _ => throw new ArgumentOutOfRangeException(nameof(write)),
            };
        }

        private static object FaultSpec(InjectedFault fault, string method, string path) => fault switch
        {
            InjectedFault.ErrorBeforeChange => new { kind = "errorBeforeChange", method, path, count = 1, status = 503 },
            InjectedFault.ErrorAfterChange => new { kind = "errorAfterChange", method, path, count = 1, status = 500 },
            InjectedFault.DropAfterChange => new { kind = "dropAfterChange", method, path, count = 1 },
            InjectedFault.DelayPastTimeout => new { kind = "delay", method, path, count = 1, delayMs = DelayMs },
            InjectedFault.RateLimitBurst => new { kind = "rateLimit", method, path, count = 2, retryAfterSeconds = 1 },
            // The server 2 s behind: the request's timestamp is "ahead of the server's time" (-1021).
            InjectedFault.ClockSkew => new { kind = "clockSkew", method, path, count = 1, offsetMs = -2000 },
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };

        // A broker create whose answer never arrived leaves a key that Binance lists only masked (docs/binance.md §2.6):
        // its full API key was in the lost answer, so nothing can restrict or delete it through the API. The sandbox
        // makes it with reading only and no restriction, and the module says so; it is the one extra key allowed.
        private static bool LeavesAMaskedOrphan(WriteKind write, InjectedFault fault) =>
            write == WriteKind.CreateBrokerKey && (fault == InjectedFault.ErrorAfterChange || fault == InjectedFault.DropAfterChange || fault == InjectedFault.DelayPastTimeout);

        protected void Run(WriteKind write, InjectedFault fault)
        {
            var scenario = ScenarioOf(write);
            if (scenario.Before != null)
            {
                work.Write(scenario.Before);
                AssertClean(work.Run(PlanApplyWorkspace.Apply), "the setup apply");
            }
            work.Write(scenario.After);
            int before = work.Requests().Count;
            sandbox.AddFault(FaultSpec(fault, scenario.Method, scenario.Path));

            var faulted = work.Run(PlanApplyWorkspace.Apply);

            // The fault hit the write it was meant for, and the apply ended without an unexpected (terminating) error.
            Assert.True(work.PendingFaults().Count == 0,
                $"the fault on {scenario.Method} {scenario.Path} was never hit");
            Assert.True(faulted.Terminating is null, "the faulted apply stopped: " + faulted.Terminating);
            if (fault == InjectedFault.DelayPastTimeout)
            {
                // Binance executes a request that timed out on the client's side when it gets to it: let it.
                PlanApplyWorkspace.WaitUntil(() => work.Requests().Skip(before).Any(r => r!["faults"]!.AsArray().Any(f => (string?)f == "delay")),
                    "the delayed request was executed");
            }

            var rerun = work.Run(PlanApplyWorkspace.Apply);
            AssertClean(rerun, "the re-run");

            var allowedExtra = LeavesAMaskedOrphan(write, fault) ? (Func<JsonNode, bool>)(k => IsReadingOnlyAndUnrestricted(k)) : null;
            work.AssertLiveEquals(scenario.After, allowedExtra);
            if (allowedExtra != null)
            {
                var keys = work.KeysOf(scenario.After[0]);
                Assert.True(keys.Count(allowedExtra) == 1, "expected one masked orphan: " + string.Join("; ", keys.Select(k => k.ToJsonString())));
                // Said by the faulted apply, or (a create that timed out) by the re-run that settles it.
                Assert.Contains("web UI", faulted.AllText() + rerun.AllText(), StringComparison.Ordinal);
            }
            work.AssertEveryHmacSecretIsInTheVault(scenario.After, allowedExtra);
            work.AssertNoViolations();
            var plan = work.Run(PlanApplyWorkspace.Plan);
            Assert.True(plan.Terminating is null, "the last plan failed: " + plan.Terminating);
            Assert.False((bool)plan.Output.Single().Properties["HasChanges"].Value, "a third run would still change something");
        }

        private static bool IsReadingOnlyAndUnrestricted(JsonNode key) =>
            !(bool)key["ipRestricted"]! && PlanApplyWorkspace.Strings(key["permissions"]).SequenceEqual(new[] { "reading" });

        private static void AssertClean(ScriptResult result, string what)
        {
            Assert.True(result.Terminating is null, what + " stopped: " + result.Terminating);
            Assert.True(result.Errors.Count == 0, what + " failed: " + string.Join("; ", result.Errors.Select(e => e.ToString())));
        }
    }

    public sealed class FaultCampaignErrorBeforeChange : FaultCampaign, IClassFixture<SandboxProcess>, IClassFixture<SharedSession>
    {
        public FaultCampaignErrorBeforeChange(SandboxProcess sandbox, SharedSession session) : base(sandbox, session) { }

        public static IEnumerable<object[]> Data => Cases(InjectedFault.ErrorBeforeChange);

        [Theory]
        [MemberData(nameof(Data))]
        public void AfterTheFaultAReRunReachesTheDesiredStateSafely(WriteKind write, InjectedFault fault) => Run(write, fault);
    }

    public sealed class FaultCampaignErrorAfterChange : FaultCampaign, IClassFixture<SandboxProcess>, IClassFixture<SharedSession>
    {
        public FaultCampaignErrorAfterChange(SandboxProcess sandbox, SharedSession session) : base(sandbox, session) { }

        public static IEnumerable<object[]> Data => Cases(InjectedFault.ErrorAfterChange);

        [Theory]
        [MemberData(nameof(Data))]
        public void AfterTheFaultAReRunReachesTheDesiredStateSafely(WriteKind write, InjectedFault fault) => Run(write, fault);
    }

    public sealed class FaultCampaignDropAfterChange : FaultCampaign, IClassFixture<SandboxProcess>, IClassFixture<SharedSession>
    {
        public FaultCampaignDropAfterChange(SandboxProcess sandbox, SharedSession session) : base(sandbox, session) { }

        public static IEnumerable<object[]> Data => Cases(InjectedFault.DropAfterChange);

        [Theory]
        [MemberData(nameof(Data))]
        public void AfterTheFaultAReRunReachesTheDesiredStateSafely(WriteKind write, InjectedFault fault) => Run(write, fault);
    }

    public sealed class FaultCampaignDelayPastTimeout : FaultCampaign, IClassFixture<SandboxProcess>, IClassFixture<SharedSession>
    {
        public FaultCampaignDelayPastTimeout(SandboxProcess sandbox, SharedSession session) : base(sandbox, session) { }

        public static IEnumerable<object[]> Data => Cases(InjectedFault.DelayPastTimeout);

        [Theory]
        [MemberData(nameof(Data))]
        public void AfterTheFaultAReRunReachesTheDesiredStateSafely(WriteKind write, InjectedFault fault) => Run(write, fault);
    }

    public sealed class FaultCampaignRateLimitBurst : FaultCampaign, IClassFixture<SandboxProcess>, IClassFixture<SharedSession>
    {
        public FaultCampaignRateLimitBurst(SandboxProcess sandbox, SharedSession session) : base(sandbox, session) { }

        public static IEnumerable<object[]> Data => Cases(InjectedFault.RateLimitBurst);

        [Theory]
        [MemberData(nameof(Data))]
        public void AfterTheFaultAReRunReachesTheDesiredStateSafely(WriteKind write, InjectedFault fault) => Run(write, fault);
    }

    public sealed class FaultCampaignClockSkew : FaultCampaign, IClassFixture<SandboxProcess>, IClassFixture<SharedSession>
    {
        public FaultCampaignClockSkew(SandboxProcess sandbox, SharedSession session) : base(sandbox, session) { }

        public static IEnumerable<object[]> Data => Cases(InjectedFault.ClockSkew);

        [Theory]
        [MemberData(nameof(Data))]
        public void AfterTheFaultAReRunReachesTheDesiredStateSafely(WriteKind write, InjectedFault fault) => Run(write, fault);
    }

    /// <summary>
    /// A process killed mid-apply (issue 8): the module runs in a child process (tools/BinanceKeys.Shell) applying a file;
    /// it is killed while a create is held by the sandbox, which then executes the create with nobody to receive its
    /// one-time secret. A plan/apply in a new process finishes the job: the orphan is deleted, the key made again.
    /// </summary>
    public sealed class KilledApplyTests : IClassFixture<SandboxProcess>, IDisposable
    {
        private readonly SandboxProcess sandbox;
        private readonly PlanApplyWorkspace work;

        public KilledApplyTests(SandboxProcess sandbox)
        {
            this.sandbox = sandbox;
            sandbox.Reset();
            work = new PlanApplyWorkspace(sandbox, "bk-killed-");
        }

        public void Dispose() => work.Dispose();

        [Theory]
        [InlineData("hmac", "/sapi/v1/sub-account/subAccountApi")]
        [InlineData("ed25519", "/sapi/v2/sub-account/subAccountApi")]
        public void AnApplyKilledWhileACreateIsInFlightIsFinishedByTheNextRun(string type, string createPath)
        {
            string shell = Path.Combine(ModuleHost.RepositoryRoot, "tools", "BinanceKeys.Shell", "bin",
                AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug", "net10.0", "BinanceKeys.Shell.dll");
            Assert.True(File.Exists(shell), "This test runs the module in tools/BinanceKeys.Shell, which is not built: " + shell);
            var key = type == "hmac"
                ? new DeclaredKey("k", "hmac", new[] { "spotAndMarginTrading" }, new[] { "10.0.0.1" }, null, "vault:desk-a/k")
                : new DeclaredKey("k", "ed25519", new[] { "spotAndMarginTrading" }, new[] { "10.0.0.1" }, work.NewPublicKey("k"));
            var desired = new[] { new DeclaredAccount("desk-a", "desk-a@example.com", null, true, key) };
            work.Write(desired);
            string script = Path.Combine(work.Folder, "apply.ps1");
            File.WriteAllText(script, "param($endpoint, $desired, $vault)\n$ErrorActionPreference = 'Stop'\n" +
                "Connect-BinanceAccount -Endpoint $endpoint | Out-Null\nInvoke-BinanceKeyPlan -Path $desired -VaultPath $vault -Force\n");
            // The create is held long enough for the kill to land while it is in flight.
            sandbox.AddFault(new { kind = "delay", method = "POST", path = createPath, count = 1, delayMs = 3000 });

            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = work.Folder };
            foreach (string argument in new[] { shell, "-File", script, sandbox.BaseAddress, work.DesiredPath, work.Vault }) start.ArgumentList.Add(argument);
            start.Environment["BINANCE_API_KEY"] = SandboxProcess.DemoApiKey;
            start.Environment["BINANCE_API_SECRET"] = SandboxProcess.DemoSecret;
            start.Environment["BINANCEKEYS_VAULT"] = work.Vault;
            start.Environment["BINANCEKEYS_VAULT_PASSPHRASE"] = PlanApplyWorkspace.Passphrase;
            using (var child = Process.Start(start)!)
            {
                var output = new StringBuilder();
                child.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
                child.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
                child.BeginOutputReadLine();
                child.BeginErrorReadLine();
                PlanApplyWorkspace.WaitUntil(() => work.PendingFaults().Count == 0 || child.HasExited, "the child's create reached the sandbox");
                Assert.False(child.HasExited, "the child ended before the kill: " + output);
                child.Kill(entireProcessTree: true);
                child.WaitForExit();
            }
            // Binance executes the create anyway; its answer (and an HMAC key's secret) goes nowhere.
            PlanApplyWorkspace.WaitUntil(() => sandbox.KeysOf("desk-a@example.com").Count == 1, "the held create was executed");

            var rerun = work.Run(PlanApplyWorkspace.Apply);

            Assert.True(rerun.Terminating is null && rerun.Errors.Count == 0, "the re-run failed: " + rerun.Terminating + string.Join("; ", rerun.Errors));
            work.AssertLiveEquals(desired);
            work.AssertEveryHmacSecretIsInTheVault(desired);
            work.AssertNoViolations();
            var plan = work.Run(PlanApplyWorkspace.Plan);
            Assert.False((bool)plan.Output.Single().Properties["HasChanges"].Value);
        }
    }
}

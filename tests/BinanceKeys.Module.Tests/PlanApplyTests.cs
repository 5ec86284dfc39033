using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// Get-BinanceKeyPlan and Invoke-BinanceKeyPlan through PowerShell against the sandbox (issue 8): what the apply
    /// sends is read from the sandbox's request log and what it leaves from its admin state, never from the module.
    /// Each test has its own vault and local state in a temporary folder.
    /// </summary>
    public sealed class PlanApplyTests : IClassFixture<SandboxProcess>, IDisposable
    {
        private const string DeskAEmail = "desk-a@example.com";   // futures enabled
        private const string DeskBEmail = "desk-b@example.com";   // margin enabled
        private const string DeskCEmail = "desk-c@example.com";   // neither
        private const string CreateV1 = "POST /sapi/v1/sub-account/subAccountApi";
        private const string CreateV2 = "POST /sapi/v2/sub-account/subAccountApi";
        private const string Delete = "DELETE /sapi/v1/sub-account/subAccountApi";
        private const string Query = "GET /sapi/v1/sub-account/subAccountApi";
        private const string GetIp = "GET /sapi/v1/sub-account/subAccountApi/ipRestriction";

        private readonly SandboxProcess sandbox;
        private readonly PlanApplyWorkspace work;

        public PlanApplyTests(SandboxProcess sandbox)
        {
            this.sandbox = sandbox;
            sandbox.Reset();
            work = new PlanApplyWorkspace(sandbox, "bk-plan-apply-");
            work.UseOneSession();
        }

        public void Dispose() => work.Dispose();

        private static DeclaredAccount DeskA(bool prune, params DeclaredKey[] keys) => new DeclaredAccount("desk-a", DeskAEmail, null, prune, keys);

        private static DeclaredAccount DeskB(bool prune, params DeclaredKey[] keys) => new DeclaredAccount("desk-b", DeskBEmail, null, prune, keys);

        private static DeclaredAccount DeskC(bool prune, params DeclaredKey[] keys) => new DeclaredAccount("desk-c", DeskCEmail, null, prune, keys);

        private static DeclaredAccount Broker(bool prune, params DeclaredKey[] keys) => new DeclaredAccount("broker", null, "1001", prune, keys);

        private DeclaredKey Ed(string label, string[] permissions, params string[] ips) => new DeclaredKey(label, "ed25519", permissions, ips, work.NewPublicKey(label));

        private static DeclaredKey Hmac(string label, string secret, string[] permissions, params string[] ips) => new DeclaredKey(label, "hmac", permissions, ips, null, "vault:" + secret);

        private static readonly string[] Trading = { "spotAndMarginTrading" };
        private static readonly string[] None = Array.Empty<string>();

        private static List<KeyPlanResultView> Results(ScriptResult result) => result.Output.Where(o => o.BaseObject.GetType().Name == "KeyPlanResult").Select(o => new KeyPlanResultView(o)).ToList();

        private static PSObject PlanOf(ScriptResult result) => Assert.Single(result.Output, o => o.BaseObject.GetType().Name == "KeyPlan");

        private static PSObject[] ActionsOf(PSObject plan) => ((Array)plan.Properties["Actions"].Value).Cast<object>().Select(PSObject.AsPSObject).ToArray();

        private static string KindOf(PSObject action) => action.Properties["Kind"].Value.ToString()!;

        private List<JsonNode> RequestsSince(int count) => work.Requests().Skip(count).Select(r => r!).ToList();

        private void AssertSucceeded(ScriptResult result)
        {
            Assert.True(result.Terminating is null, "terminating: " + result.Terminating);
            Assert.True(result.Errors.Count == 0, "errors: " + string.Join("; ", result.Errors.Select(e => e.ToString())));
        }

        /// <summary>
        /// Saves a plan of the desired file, applies it, and checks that the calls the apply made, per endpoint, are the
        /// calls its actions planned (KeyPlanAction.Calls) plus what applying a saved plan reads once: each account's key
        /// list (is the plan still fresh?) and, when a sub-account changes, the sub-account list and status (the facts
        /// the policy checks need). This pins the plan's estimate to the write path.
        /// </summary>
        private (ScriptResult Applied, PSObject[] Actions) ApplySavedPlanMakingExactlyThePlannedCalls()
        {
            var planned = work.Run(PlanApplyWorkspace.Plan + " -OutFile $planPath");
            AssertSucceeded(planned);
            var plan = PlanOf(planned);
            var actions = ActionsOf(plan);
            var expected = new Dictionary<string, int>(StringComparer.Ordinal);
            void Add(string endpoint, int count) => expected[endpoint] = expected.GetValueOrDefault(endpoint) + count;
            foreach (var call in actions.SelectMany(a => ((Array)a.Properties["Calls"].Value).Cast<object>().Select(PSObject.AsPSObject)))
            {
                Add((string)call.Properties["Endpoint"].Value, (int)call.Properties["Count"].Value);
            }
            foreach (var account in ((Array)plan.Properties["Accounts"].Value).Cast<object>().Select(PSObject.AsPSObject))
            {
                Add(account.Properties["AccountKind"].Value.ToString() == "BrokerSubAccount" ? "GET /sapi/v1/broker/subAccountApi" : Query, 1);
            }
            if (actions.Any(a => a.Properties["AccountKind"].Value.ToString() == "SubAccount" && KindOf(a) != "Manual" && KindOf(a) != "NoChange"))
            {
                Add("GET /sapi/v1/sub-account/list", 1);
                Add("GET /sapi/v1/sub-account/status", 1);
            }

            int before = work.Requests().Count;
            var applied = work.Run("Invoke-BinanceKeyPlan -PlanPath $planPath -VaultPath $vault -VaultPassphrase $p -Force");

            AssertSucceeded(applied);
            Assert.Equal(actions.Length, Results(applied).Count);
            // The connect's own calls (server time, the connected key's restrictions) are not the apply's.
            var actual = PlanApplyWorkspace.PerEndpoint(RequestsSince(before).Where(r => ((string)r["path"]!).Contains("sub-account", StringComparison.Ordinal) || ((string)r["path"]!).Contains("broker", StringComparison.Ordinal)));
            Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), actual.OrderBy(e => e.Key, StringComparer.Ordinal));
            return (applied, actions);
        }

        // ---- create, converge, no-op ---------------------------------------------------------------------------

        [Fact]
        public void CreatesFromEmptyThenAReRunSendsNothingThatChanges()
        {
            var desired = new[]
            {
                DeskA(true, Ed("bot", new[] { "spotAndMarginTrading", "futures" }, "10.0.0.1"), Hmac("rep", "desk-a/rep", None, "10.0.0.2")),
                DeskC(false, Hmac("trader", "desk-c/trader", Trading, "10.0.0.3")),
                Broker(true, Ed("bk", Trading, "10.0.0.4")),
            };
            work.Write(desired);

            var (applied, _) = ApplySavedPlanMakingExactlyThePlannedCalls();

            var results = Results(applied);
            Assert.Equal(4, results.Count);
            Assert.All(results, r => Assert.Equal(("Create", "Succeeded"), (r.Kind, r.Status)));
            work.AssertLiveEquals(desired);
            work.AssertEveryHmacSecretIsInTheVault(desired);
            work.AssertNoViolations();

            int before = work.Requests().Count;
            var again = work.Run(PlanApplyWorkspace.Apply);
            AssertSucceeded(again);
            Assert.DoesNotContain(Results(again), r => r.Kind != "NoChange");
            Assert.Empty(PlanApplyWorkspace.Writes(RequestsSince(before)));
            var plan = work.Run(PlanApplyWorkspace.Plan);
            Assert.False((bool)PlanOf(plan).Properties["HasChanges"].Value);
        }

        [Fact]
        public void ConvergesFromADifferentLiveStateAndEveryActionMakesExactlyThePlannedCalls()
        {
            var bot = Ed("bot", Trading, "10.0.0.1");
            var gone = Ed("gone", None, "10.0.0.9");
            var margin = Ed("m", new[] { "marginLoanRepayTransfer" }, "10.0.0.5");
            var broker = Ed("bk", Trading, "10.0.0.4");
            work.Write(DeskA(true, bot, Hmac("rep", "desk-a/rep", None, "10.0.0.2"), gone), DeskB(false, margin), Broker(true, broker));
            AssertSucceeded(work.Run(PlanApplyWorkspace.Apply));

            // Each kind of change at once: permissions, an IP list replaced (one address out, one in) and then a grant on
            // the same key, one list extended, a delete by prune, a create, and a broker key's permissions (three endpoints).
            var desired = new[]
            {
                DeskA(true, bot with { Permissions = new[] { "spotAndMarginTrading", "futures" } }, Hmac("rep", "desk-a/rep", Trading, "10.0.0.3"), Ed("fresh", None, "10.0.0.8")),
                DeskB(false, margin with { Ips = new[] { "10.0.0.5", "10.0.0.6" } }),
                Broker(true, broker with { Permissions = new[] { "spotAndMarginTrading", "futures", "universalTransfer" } }),
            };
            work.Write(desired);
            var (_, actions) = ApplySavedPlanMakingExactlyThePlannedCalls();

            Assert.Equal(new[] { "Create", "Delete", "UpdateIpWhitelist", "UpdatePermissions", "UpdatePermissions" }, actions.Where(a => (string?)a.Properties["Account"].Value == "desk-a").Select(KindOf).OrderBy(k => k));
            work.AssertLiveEquals(desired);
            work.AssertNoViolations();
        }

        // ---- drift, prune ---------------------------------------------------------------------------------------

        [Fact]
        public void APlanReportsAChangeMadeByHand()
        {
            var desired = new[] { DeskA(false, Ed("bot", Trading, "10.0.0.1")) };
            work.Write(desired);
            AssertSucceeded(work.Run(PlanApplyWorkspace.Apply));
            string apiKey = (string)work.KeysOf(desired[0]).Single()["apiKey"]!;

            AssertSucceeded(work.Run($"Set-BinanceApiKeyRestriction -Email {DeskAEmail} -ApiKey {apiKey} -AddIpAddress 10.0.0.7 -Confirm:$false | Out-Null"));
            var plan = work.Run(PlanApplyWorkspace.Plan);

            AssertSucceeded(plan);
            var action = Assert.Single(ActionsOf(PlanOf(plan)));
            Assert.Equal("UpdateIpWhitelist", KindOf(action));
            Assert.Equal(apiKey, action.Properties["ApiKey"].Value);
            var change = PSObject.AsPSObject(Assert.Single((Array)action.Properties["Changes"].Value));
            Assert.Equal("[10.0.0.1, 10.0.0.7]", change.Properties["Before"].Value);
            Assert.Equal("[10.0.0.1]", change.Properties["After"].Value);
            Assert.Equal(new[] { "10.0.0.7" }, (string[])change.Properties["Removed"].Value);
        }

        [Fact]
        public void PruneOffKeepsUndeclaredKeysPruneOnDeletesThemAndWarnsWhenAnAccountWouldLoseEveryKey()
        {
            var keys = new[] { Ed("a", None, "10.0.0.1"), Ed("b", None, "10.0.0.2") };
            work.Write(DeskC(false, keys));
            AssertSucceeded(work.Run(PlanApplyWorkspace.Apply));

            work.Write(DeskC(false));
            var kept = work.Run(PlanApplyWorkspace.Plan);
            AssertSucceeded(kept);
            Assert.False((bool)PlanOf(kept).Properties["HasChanges"].Value);
            Assert.Equal(2, kept.Warnings.Count(w => w.Contains("prune is off", StringComparison.Ordinal)));

            work.Write(DeskC(true));
            var pruned = work.Run(PlanApplyWorkspace.Plan);
            AssertSucceeded(pruned);
            Assert.Equal(new[] { "Delete", "Delete" }, ActionsOf(PlanOf(pruned)).Select(KindOf));
            Assert.Contains(pruned.Warnings, w => w.Contains("deletes every key of the account", StringComparison.Ordinal));

            AssertSucceeded(work.Run(PlanApplyWorkspace.Apply));
            Assert.Empty(sandbox.KeysOf(DeskCEmail));
        }

        // ---- replace ---------------------------------------------------------------------------------------------

        [Fact]
        public void AReplaceCreatesAndVerifiesTheNewKeyBeforeItDeletesTheOldOne()
        {
            var bot = Ed("bot", Trading, "10.0.0.1");
            work.Write(DeskA(false, bot));
            AssertSucceeded(work.Run(PlanApplyWorkspace.Apply));
            string oldKey = (string)sandbox.KeysOf(DeskAEmail).Single()!["apiKey"]!;

            var rotated = bot with { PublicKeyFile = work.NewPublicKey("bot2") };
            work.Write(DeskA(false, rotated));
            int before = work.Requests().Count;
            var (_, actions) = ApplySavedPlanMakingExactlyThePlannedCalls();

            Assert.Equal("Replace", KindOf(Assert.Single(actions)));
            var calls = RequestsSince(before).Select(r => (string)r["method"]! + " " + (string)r["path"]!).ToList();
            int create = calls.IndexOf(CreateV2);
            int delete = calls.IndexOf(Delete);
            Assert.True(create >= 0 && delete > create, string.Join(", ", calls));
            // Verified in between: the new key and its whitelist read back.
            Assert.Contains(Query, calls.Skip(create + 1).Take(delete - create - 1));
            Assert.Contains(GetIp, calls.Skip(create + 1).Take(delete - create - 1));
            var key = Assert.Single(sandbox.KeysOf(DeskAEmail));
            Assert.NotEqual(oldKey, (string)key!["apiKey"]!);
            Assert.Equal(File.ReadAllText(Path.Combine(work.Folder, rotated.PublicKeyFile!)).Trim(), ((string)key["publicKey"]!).Trim());
            work.AssertLiveEquals(new[] { DeskA(true, rotated) });
            work.AssertNoViolations();
        }

        // ---- saved plans -----------------------------------------------------------------------------------------

        [Fact]
        public void ASavedPlanIsRefusedWhenItsFileChangedAndNothingIsSent()
        {
            work.Write(DeskA(false, Ed("bot", Trading, "10.0.0.1")));
            AssertSucceeded(work.Run(PlanApplyWorkspace.Plan + " -OutFile $planPath | Out-Null"));
            File.AppendAllText(work.DesiredPath, "# edited after the plan\n");

            int before = work.Requests().Count;
            var applied = work.Run("Invoke-BinanceKeyPlan -PlanPath $planPath -VaultPath $vault -VaultPassphrase $p -Force");

            Assert.Equal("ApiKeyStalePlan,BinanceKeys.Commands.InvokeBinanceKeyPlanCommand", applied.Error?.FullyQualifiedErrorId);
            Assert.Contains("changed since the plan was made", applied.Error!.Exception.Message);
            Assert.Empty(PlanApplyWorkspace.Writes(RequestsSince(before)));
            Assert.Empty(sandbox.KeysOf(DeskAEmail));
        }

        [Fact]
        public void ASavedPlanIsRefusedWhenTheKeysChangedOnBinanceNamingTheAccounts()
        {
            work.Write(DeskA(false, Ed("bot", Trading, "10.0.0.1")), DeskC(false, Ed("c", None, "10.0.0.2")));
            AssertSucceeded(work.Run(PlanApplyWorkspace.Plan + " -OutFile $planPath | Out-Null"));
            string pub = work.NewPublicKey("byhand");
            AssertSucceeded(work.Run($"New-BinanceApiKey -Email {DeskAEmail} -Label byhand -PublicKeyPath {pub} -IpAddress 10.0.0.3 -Confirm:$false | Out-Null"));

            int before = work.Requests().Count;
            var applied = work.Run("Invoke-BinanceKeyPlan -PlanPath $planPath -VaultPath $vault -VaultPassphrase $p -Force");

            Assert.Equal("ApiKeyStalePlan,BinanceKeys.Commands.InvokeBinanceKeyPlanCommand", applied.Error?.FullyQualifiedErrorId);
            Assert.Contains("'desk-a'", applied.Error!.Exception.Message);
            Assert.DoesNotContain("'desk-c'", applied.Error.Exception.Message);
            Assert.Empty(PlanApplyWorkspace.Writes(RequestsSince(before)));
            Assert.Single(sandbox.KeysOf(DeskAEmail));
            Assert.Empty(sandbox.KeysOf(DeskCEmail));
        }

        [Fact]
        public void ASavedPlanEditedByHandIsRefused()
        {
            work.Write(DeskA(false, Ed("bot", Trading, "10.0.0.1")));
            AssertSucceeded(work.Run(PlanApplyWorkspace.Plan + " -OutFile $planPath | Out-Null"));
            File.WriteAllText(work.PlanPath, File.ReadAllText(work.PlanPath).Replace("10.0.0.1", "10.0.0.66", StringComparison.Ordinal));

            int before = work.Requests().Count;
            var applied = work.Run("Invoke-BinanceKeyPlan -PlanPath $planPath -VaultPath $vault -VaultPassphrase $p -Force");

            Assert.Equal("ApiKeyStalePlan,BinanceKeys.Commands.InvokeBinanceKeyPlanCommand", applied.Error?.FullyQualifiedErrorId);
            Assert.Contains("does not match the desired-state file", applied.Error!.Exception.Message);
            Assert.Contains("IP whitelist differs", applied.Error.Exception.Message);
            Assert.Empty(PlanApplyWorkspace.Writes(RequestsSince(before)));
        }

        [Fact]
        public void APermissionChangeIsRefusedWhenTheKeysIpWhitelistChangedSinceThePlan()
        {
            var bot = Ed("bot", Trading, "10.0.0.1");
            work.Write(DeskA(false, bot));
            AssertSucceeded(work.Run(PlanApplyWorkspace.Apply));
            string apiKey = (string)sandbox.KeysOf(DeskAEmail).Single()!["apiKey"]!;
            work.Write(DeskA(false, bot with { Permissions = new[] { "spotAndMarginTrading", "futures" } }));
            AssertSucceeded(work.Run(PlanApplyWorkspace.Plan + " -OutFile $planPath | Out-Null"));
            // By hand, after the plan: the key's restriction is lifted (its key list row, which the plan's freshness
            // check compares, does not change).
            AssertSucceeded(work.Run($"Set-BinanceApiKeyRestriction -Email {DeskAEmail} -ApiKey {apiKey} -Unrestricted -KeyType Ed25519 -Confirm:$false -WarningAction SilentlyContinue | Out-Null"));
            int before = work.Requests().Count;

            var applied = work.Run("Invoke-BinanceKeyPlan -PlanPath $planPath -VaultPath $vault -VaultPassphrase $p -Force");

            // The grant was planned for a restricted key: it is not made on an unrestricted one.
            var failed = Assert.Single(Results(applied));
            Assert.Equal(("UpdatePermissions", "Failed", "ApiKeyStalePlan"), (failed.Kind, failed.Status, failed.ErrorId));
            Assert.Empty(PlanApplyWorkspace.Writes(RequestsSince(before)));
            Assert.DoesNotContain("futures", PlanApplyWorkspace.Strings(sandbox.KeysOf(DeskAEmail).Single()!["permissions"]));
        }

        [Fact]
        public void APolicyErrorStopsThePlanBeforeAnyCall()
        {
            // Default Security Controls (on by default): an HMAC key with trading needs an IP whitelist (BN002).
            work.Write(DeskA(false, Hmac("risky", "desk-a/risky", Trading)));
            int before = work.Requests().Count;

            var plan = work.Run(PlanApplyWorkspace.Plan);
            var applied = work.Run(PlanApplyWorkspace.Apply);

            Assert.Equal("PolicyViolation,BinanceKeys.Commands.GetBinanceKeyPlanCommand", plan.Error?.FullyQualifiedErrorId);
            Assert.Equal("PolicyViolation,BinanceKeys.Commands.InvokeBinanceKeyPlanCommand", applied.Error?.FullyQualifiedErrorId);
            Assert.Contains("BN002", plan.Error!.Exception.Message);
            // The two connects' own calls only: not one key or sub-account endpoint.
            Assert.DoesNotContain(RequestsSince(before), r => ((string)r["path"]!).Contains("sub-account", StringComparison.Ordinal) || ((string)r["path"]!).Contains("broker", StringComparison.Ordinal));
        }

        // ---- the lock --------------------------------------------------------------------------------------------

        [Fact]
        public async Task ASecondApplyWhileOneIsRunningIsRefused()
        {
            work.Write(DeskA(false, Ed("bot", Trading, "10.0.0.1")));
            AssertSucceeded(work.Run(PlanApplyWorkspace.Plan + " -OutFile $planPath | Out-Null"));
            // The first apply's create is held by the sandbox while the second one starts.
            sandbox.AddFault(new { kind = "delay", method = "POST", path = "/sapi/v2/sub-account/subAccountApi", delayMs = 8000 });
            using var second = ModuleHost.CreateSession();
            AssertSucceeded(work.Run(second, PlanApplyWorkspace.ConnectScript));

            var first = Task.Run(() => work.Run("Invoke-BinanceKeyPlan -PlanPath $planPath -VaultPath $vault -VaultPassphrase $p -Force"));
            PlanApplyWorkspace.WaitUntil(() => work.PendingFaults().Count == 0, "the first apply's create reached the sandbox");
            var refused = work.Run(second, "Invoke-BinanceKeyPlan -PlanPath $planPath -VaultPath $vault -VaultPassphrase $p -Force");

            Assert.Equal("ApiKeyApplyInProgress,BinanceKeys.Commands.InvokeBinanceKeyPlanCommand", refused.Error?.FullyQualifiedErrorId);
            Assert.Contains("Another apply is running", refused.Error!.Exception.Message);
            AssertSucceeded(await first);
            Assert.Single(sandbox.KeysOf(DeskAEmail));
            // One create went through (held past its recvWindow, it may be refused once with -1021 and sent again).
            var writes = PlanApplyWorkspace.Writes(work.Requests()).Where(w => (int)w["status"]! == 200).ToList();
            Assert.True(writes.Count == 1, string.Join(", ", work.Requests().Select(r => (string?)r!["method"] + " " + (string?)r["path"] + " " + (int)r["status"]!)));
        }

        // ---- ShouldProcess -------------------------------------------------------------------------------------

        [Theory]
        [InlineData("Invoke-BinanceKeyPlan -Path $desired -VaultPath $vault -VaultPassphrase $p -WhatIf")]
        [InlineData("Invoke-BinanceKeyPlan -Path $desired -VaultPath $vault -VaultPassphrase $p -WhatIf -Force")]
        [InlineData("$WhatIfPreference = $true; Invoke-BinanceKeyPlan -Path $desired -VaultPath $vault -VaultPassphrase $p -Force")]
        public void WhatIfSendsNoWrite(string script)
        {
            work.Write(DeskA(true, Ed("bot", Trading, "10.0.0.1")), DeskC(false, Hmac("h", "desk-c/h", None, "10.0.0.2")));
            string pub = work.NewPublicKey("undeclared");
            AssertSucceeded(work.Run($"New-BinanceApiKey -Email {DeskAEmail} -Label undeclared -PublicKeyPath {pub} -IpAddress 10.0.0.3 -Confirm:$false | Out-Null"));
            int before = work.Requests().Count;

            var result = work.Run(script);

            AssertSucceeded(result);
            Assert.Empty(PlanApplyWorkspace.Writes(RequestsSince(before)));
            Assert.Equal(new[] { "undeclared" }, sandbox.KeysOf(DeskAEmail).Select(k => (string?)k!["label"]));
            Assert.Empty(sandbox.KeysOf(DeskCEmail));
        }

        [Theory]
        [InlineData("-Confirm", 2)]                // once per action, the delete not twice
        [InlineData("", 1)]                        // the delete (high impact) asks; the create does not
        [InlineData("-Force", 0)]
        [InlineData("-Confirm:$false", 0)]
        public void ConfirmAsksOncePerActionAndADeleteAsksUnlessForcedOrConfirmFalse(string switches, int prompts)
        {
            work.Write(DeskA(true, Ed("bot", Trading, "10.0.0.1")));
            string pub = work.NewPublicKey("undeclared");
            AssertSucceeded(work.Run($"New-BinanceApiKey -Email {DeskAEmail} -Label undeclared -PublicKeyPath {pub} -IpAddress 10.0.0.3 -Confirm:$false | Out-Null"));
            var host = new TestHost("Yes");
            using var shell = ModuleHost.CreateSession(host);

            var result = work.Run(shell, PlanApplyWorkspace.ConnectScript + "Invoke-BinanceKeyPlan -Path $desired -VaultPath $vault -VaultPassphrase $p " + switches);

            AssertSucceeded(result);
            Assert.Equal(prompts, host.Prompts.Count);
            if (prompts == 1) Assert.Contains("Delete key 'undeclared'", host.Prompts[0]);
            Assert.All(Results(result), r => Assert.Equal("Succeeded", r.Status));
            Assert.Equal(new[] { "bot" }, sandbox.KeysOf(DeskAEmail).Select(k => (string?)k!["label"]));
        }

        // ---- failures ------------------------------------------------------------------------------------------

        [Fact]
        public void AFailedActionIsANonTerminatingErrorWithAStableIdAndEveryActionHasOneResult()
        {
            var desired = new[] { DeskA(false, Ed("bot", Trading, "10.0.0.1"), Ed("other", None, "10.0.0.4")), DeskC(false, Ed("c", None, "10.0.0.2")) };
            work.Write(desired);
            // One of the three creates fails before anything changes (a 5xx on a write is not re-sent).
            sandbox.AddFault(new { kind = "errorBeforeChange", method = "POST", path = "/sapi/v2/sub-account/subAccountApi", count = 1, status = 503 });

            var result = work.Run(PlanApplyWorkspace.Apply + "; $ok = $?; [pscustomobject]@{ Ok = $ok }");

            Assert.Null(result.Terminating);
            var results = Results(result);
            Assert.Equal(3, results.Count);
            var failed = Assert.Single(results, r => r.Status == "Failed");
            Assert.Equal("ApiKeyOutcomeUnknown", failed.ErrorId);
            Assert.Equal("ApiKeyOutcomeUnknown,BinanceKeys.Commands.InvokeBinanceKeyPlanCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
            Assert.Equal(2, results.Count(r => r.Status == "Succeeded"));
            Assert.False((bool)result.Output.Last().Properties["Ok"].Value);
            Assert.Contains(result.Warnings, w => w.Contains("1 failed", StringComparison.Ordinal));
        }

        [Fact]
        public void ErrorActionStopStopsAtTheFirstFailure()
        {
            work.Write(DeskC(false, Ed("a", None, "10.0.0.1"), Ed("b", None, "10.0.0.2"), Ed("c", None, "10.0.0.3")));
            sandbox.AddFault(new { kind = "errorBeforeChange", method = "POST", path = "/sapi/v2/sub-account/subAccountApi", count = 1, status = 503 });
            int before = work.Requests().Count;

            var result = work.Run(PlanApplyWorkspace.Apply + " -ErrorAction Stop");

            Assert.NotNull(result.Terminating);
            Assert.Equal("ApiKeyOutcomeUnknown,BinanceKeys.Commands.InvokeBinanceKeyPlanCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Single(RequestsSince(before), r => (string?)r["method"] == "POST");
            Assert.Empty(sandbox.KeysOf(DeskCEmail));
        }

        // ---- secrets -------------------------------------------------------------------------------------------

        [Fact]
        public void NoSecretReachesAnyStreamThePlanFileOrTheLocalState()
        {
            var desired = new[] { DeskC(false, Hmac("h", "desk-c/h", Trading, "10.0.0.2")) };
            work.Write(desired);
            var planned = work.Run(PlanApplyWorkspace.Plan + " -OutFile $planPath -Verbose -Debug");
            var applied = work.Run("Invoke-BinanceKeyPlan -PlanPath $planPath -VaultPath $vault -VaultPassphrase $p -Force -Verbose -Debug");
            AssertSucceeded(applied);

            string secret = (string)sandbox.KeysOf(DeskCEmail).Single()!["secretKey"]!;
            work.AssertEveryHmacSecretIsInTheVault(desired);
            foreach (string text in new[] { planned.AllText(), applied.AllText(), File.ReadAllText(work.PlanPath) }
                .Concat(Directory.GetFiles(work.StateFolder, "*", SearchOption.AllDirectories).Select(File.ReadAllText)))
            {
                Assert.DoesNotContain(secret, text);
                Assert.DoesNotContain(PlanApplyWorkspace.Passphrase, text);
                Assert.DoesNotContain(SandboxProcess.DemoSecret, text);
            }
        }

        /// <summary>A KeyPlanResult read through PowerShell's adapter (the test does not reference the module).</summary>
        private sealed class KeyPlanResultView
        {
            public KeyPlanResultView(PSObject result)
            {
                Kind = result.Properties["Kind"].Value.ToString()!;
                Status = result.Properties["Status"].Value.ToString()!;
                ErrorId = (string?)result.Properties["ErrorId"].Value;
                Message = (string)result.Properties["Message"].Value;
            }

            public string Kind { get; }
            public string Status { get; }
            public string? ErrorId { get; }
            public string Message { get; }

            public override string ToString() => $"{Kind} {Status}: {Message}";
        }
    }
}

using System.Text.RegularExpressions;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>The default views of plans and apply results, rendered through Out-Default as a user's console shows them.</summary>
    public sealed class PlanViewTests
    {
        // A plan built by hand (no sandbox needed): one action of each kind the view marks.
        private const string Plan = @"
$plan = [BinanceKeys.KeyPlan]::new()
$plan.Path = '/tmp/desks.yaml'
$plan.Endpoint = 'https://api.binance.com'
$create = [BinanceKeys.KeyPlanAction]@{ Kind = 'Create'; Account = 'desk-eu'; Label = 'mm-bot'; Type = 'Ed25519' }
$change = [BinanceKeys.KeyPropertyChange]@{ Property = 'ipWhitelist'; Before = '[203.0.113.7]'; After = '[203.0.113.7, 203.0.113.8]'; BeforeSource = 'Cache' }
$update = [BinanceKeys.KeyPlanAction]@{ Kind = 'UpdateIpWhitelist'; Account = 'desk-eu'; Label = 'hedge'; Changes = @($change) }
$delete = [BinanceKeys.KeyPlanAction]@{ Kind = 'Delete'; Account = 'desk-us'; Label = 'old'; ApiKey = 'k0' }
$replace = [BinanceKeys.KeyPlanAction]@{ Kind = 'Replace'; Account = 'desk-us'; Label = 'rotated'; ApiKey = 'k1' }
$manual = [BinanceKeys.KeyPlanAction]@{ Kind = 'Manual'; Account = 'master'; Label = 'treasury'; Steps = @('Log in.', 'Tick it.') }
$plan.Actions = @($create, $update, $delete, $replace, $manual)
$plan.EstimatedDuration = [TimeSpan]::FromSeconds(42)
";

        private static string Render(string script)
        {
            var host = new TestHost();
            using var shell = ModuleHost.CreateSession(host);
            var result = ModuleHost.Run(shell, Plan + script);
            Assert.Null(result.Terminating);
            Assert.Empty(result.Errors);
            return Regex.Replace(host.Text, "\x1b\\[[0-9;]*m", string.Empty);
        }

        [Fact]
        public void APlanReadsLikeTerraformPlan()
        {
            string text = Render("$plan | Out-Default");

            Assert.Matches(@"(?m)^\s+\+ desk-eu/mm-bot \(create ed25519\)", text);
            Assert.Matches(@"(?m)^\s+~ desk-eu/hedge \(update IP whitelist\)", text);
            Assert.Matches(@"(?m)^\s+ipWhitelist: \[203\.0\.113\.7\] -> \[203\.0\.113\.7, 203\.0\.113\.8\]\s+\(before: cache\)", text);
            Assert.Matches(@"(?m)^\s+- desk-us/old \(delete k0\)", text);
            Assert.Matches(@"(?m)^-/\+ desk-us/rotated \(replace", text);
            Assert.Matches(@"(?m)^\s+! master/treasury \(manual step in the web UI\)", text);
            Assert.Matches(@"(?m)^\s+2\. Tick it\.", text);
            Assert.Contains("Plan: 1 to create, 1 to update, 1 to replace, 1 to delete, 1 manual, 0 unchanged.", text);
            Assert.Matches(@"(?m)^Estimated time at Binance's rate limits: 42 s\.", text);
        }

        [Fact]
        public void ActionsAndResultsAreTables()
        {
            string text = Render("$plan.Actions | Out-Default; [BinanceKeys.KeyPlanResult]@{ Action = $delete; Status = 'Failed'; Message = 'It went wrong.' } | Out-Default");

            Assert.Matches(@"(?m)^\s+Target\s+Kind\s+Changes", text);
            Assert.Matches(@"(?m)^~\s+desk-eu/hedge\s+UpdateIpWhitelist\s+ipWhitelist: \[203\.0\.113\.7\] -> ", text);
            Assert.Matches(@"(?m)^Status\s+Target\s+Message", text);
            Assert.Matches(@"(?m)^Failed\s+-\s+desk-us/old\s+It went wrong\.", text);
        }
    }
}

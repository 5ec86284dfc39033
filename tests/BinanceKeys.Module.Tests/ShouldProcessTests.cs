using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// -WhatIf, $WhatIfPreference, -Confirm and -Force over every cmdlet that supports ShouldProcess, found by reflection:
    /// a new state-changing cmdlet fails <see cref="EveryStateChangingCmdletHasAScenario"/> until it gets a scenario here.
    /// State is everything a command could change: the files under the test folder, the sandbox's accounts and keys, and
    /// the session's connection.
    /// </summary>
    public sealed class ShouldProcessTests : IClassFixture<SandboxProcess>, IDisposable
    {
        private const string Connect = "Connect-BinanceAccount -Endpoint $endpoint -ApiKey $demoKey -Secret $demoSecret | Out-Null; ";
        private const string Ed25519Key = Connect +
            "$k = New-BinanceKeyPair -Name e -Path ./k -NoEncryption -WarningAction SilentlyContinue; " +
            "$key = New-BinanceApiKey -Email desk-a@example.com -Label t -KeyPair $k -IpAddress 1.1.1.1; ";
        private const string StoredSecret = "Set-BinanceSecret -Name s -ApiKey k -Secret $secret -VaultPath ./v.bkv -VaultPassphrase $vp | Out-Null; ";
        private const string SavedPlan = Connect +
            "$k = New-BinanceKeyPair -Name e -Path ./k -NoEncryption -WarningAction SilentlyContinue; " +
            "Set-Content -Path ./d.yaml -Value \"version: 1`naccounts:`n  - name: c`n    email: desk-c@example.com`n    keys:`n      - label: p`n        type: ed25519`n        publicKey: k/e.pub.pem`n        ipWhitelist: [1.1.1.1]\"; " +
            "Get-BinanceKeyPlan -Path ./d.yaml -OutFile ./plan.json -VaultPath ./v.bkv | Out-Null; ";

        /// <summary>Per cmdlet: what to set up first, and a command that changes state ({0}: where switches go).</summary>
        private static readonly Dictionary<string, (string Setup, string Command)> Scenarios = new Dictionary<string, (string, string)>
        {
            ["Connect-BinanceAccount"] = ("", "Connect-BinanceAccount -Endpoint $endpoint -ApiKey $demoKey -Secret $demoSecret {0} | Out-Null"),
            ["Disconnect-BinanceAccount"] = (Connect, "Disconnect-BinanceAccount {0}"),
            ["Export-BinanceKeyState"] = (Connect, "Export-BinanceKeyState -Email desk-a@example.com -OutFile ./e.yaml -VaultPath ./v.bkv {0} | Out-Null"),
            ["Invoke-BinanceKeyPlan"] = (SavedPlan, "Invoke-BinanceKeyPlan -PlanPath ./plan.json -VaultPath ./v.bkv {0} | Out-Null"),
            ["Invoke-BinanceRestMethod"] = (Ed25519Key, "Invoke-BinanceRestMethod DELETE /sapi/v1/sub-account/subAccountApi -Parameter ([ordered]@{ email = 'desk-a@example.com'; subAccountApiKey = $key.ApiKey }) {0} | Out-Null"),
            ["New-BinanceApiKey"] = (Connect + "$k = New-BinanceKeyPair -Name e -Path ./k -NoEncryption -WarningAction SilentlyContinue; ",
                "New-BinanceApiKey -Email desk-a@example.com -Label n -KeyPair $k -IpAddress 1.1.1.1 {0} | Out-Null"),
            ["New-BinanceKeyPair"] = ("", "New-BinanceKeyPair -Name n -Path ./out -NoEncryption -WarningAction SilentlyContinue {0} | Out-Null"),
            ["Remove-BinanceApiKey"] = (Ed25519Key, "$key | Remove-BinanceApiKey {0}"),
            ["Remove-BinanceSecret"] = (StoredSecret, "Remove-BinanceSecret -Name s -VaultPath ./v.bkv -VaultPassphrase $vp {0}"),
            ["Set-BinanceApiKeyPermission"] = (Ed25519Key, "$key | Set-BinanceApiKeyPermission -Permission spotAndMarginTrading {0}"),
            ["Set-BinanceApiKeyRestriction"] = (Ed25519Key, "$key | Set-BinanceApiKeyRestriction -IpAddress 2.2.2.2 {0}"),
            ["Set-BinanceSecret"] = (StoredSecret, "Set-BinanceSecret -Name s2 -ApiKey k2 -Secret $secret -VaultPath ./v.bkv -VaultPassphrase $vp {0} | Out-Null"),
        };

        private readonly SandboxProcess sandbox;
        private readonly string folder = Directory.CreateTempSubdirectory("bk-shouldprocess-").FullName;

        public ShouldProcessTests(SandboxProcess sandbox)
        {
            this.sandbox = sandbox;
            sandbox.Reset();
        }

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private static List<Type> Cmdlets() =>
            ModuleHost.Run("Get-Command -Module BinanceKeys -CommandType Cmdlet").Output.Select(o => ((CmdletInfo)o.BaseObject).ImplementingType).ToList();

        private static string NameOf(Type cmdlet)
        {
            var attribute = cmdlet.GetCustomAttribute<CmdletAttribute>()!;
            return attribute.VerbName + "-" + attribute.NounName;
        }

        private static bool HasForce(Type cmdlet) =>
            cmdlet.GetProperty("Force")?.GetCustomAttributes<ParameterAttribute>().Any() == true;

        public static IEnumerable<object[]> StateChangingCmdlets() =>
            Cmdlets().Where(t => t.GetCustomAttribute<CmdletAttribute>()!.SupportsShouldProcess).Select(t => new object[] { NameOf(t) });

        public static IEnumerable<object[]> CmdletsWithForce() =>
            Cmdlets().Where(t => t.GetCustomAttribute<CmdletAttribute>()!.SupportsShouldProcess && HasForce(t)).Select(t => new object[] { NameOf(t) });

        private Dictionary<string, object?> Vars() => new Dictionary<string, object?>
        {
            ["endpoint"] = sandbox.BaseAddress,
            ["demoKey"] = SandboxProcess.DemoApiKey,
            ["demoSecret"] = ModuleHost.Secure(SandboxProcess.DemoSecret),
            ["secret"] = ModuleHost.Secure("StoredHmacSecretStoredHmacSecretStoredHmacSecretStoredHmac1234"),
            ["vp"] = ModuleHost.Secure("vault pass phrase"),
        };

        /// <summary>Runs the scenario's setup, then the command with <paramref name="switches"/>; returns the state before and after.</summary>
        private (string Before, string After, ScriptResult Result) RunScenario(string cmdlet, string switches, string preamble = "", System.Management.Automation.Host.PSHost? host = null)
        {
            var (setup, command) = Scenarios[cmdlet];
            using var shell = ModuleHost.CreateSession(host);
            var prepared = ModuleHost.Run(shell, setup, Vars(), folder);
            Assert.True(prepared.Terminating is null && prepared.Errors.Count == 0, $"setup of {cmdlet} failed: {prepared.Error}");
            string before = State(shell);
            // The setup's variables ($key, $k) live in the session; the command runs in the same global scope.
            var result = ModuleHost.Run(shell, preamble + command.Replace("{0}", switches), null, folder);
            string after = State(shell);
            return (before, after, result);
        }

        private string State(System.Management.Automation.PowerShell shell)
        {
            var state = new StringBuilder();
            foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => !IsBookkeeping(f)).OrderBy(f => f, StringComparer.Ordinal))
            {
                state.Append(Path.GetRelativePath(folder, file)).Append(' ').AppendLine(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));
            }
            foreach (string directory in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories).OrderBy(d => d, StringComparer.Ordinal))
            {
                state.Append(Path.GetRelativePath(folder, directory)).AppendLine("/");
            }
            state.AppendLine(sandbox.State().ToJsonString());
            var connected = ModuleHost.Run(shell, "$WhatIfPreference = $false; (Get-BinanceApiKey -ErrorAction SilentlyContinue).ApiKey", null, folder);
            state.Append("connected as: ").AppendLine(string.Join(",", connected.Output.Select(o => o?.ToString())));
            return state.ToString();
        }

        // The module's IP cache and apply lock (beside the vault) are rewritten by any plan, including one that then changes
        // nothing; its records and journal of created keys are state, and are compared like every other file.
        private static bool IsBookkeeping(string file) =>
            Path.GetFileName(file) is "ip-cache.json" or "apply.lock" or "state.lock" &&
            Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file))) == "state";

        [Fact]
        public void EveryStateChangingCmdletHasAScenario()
        {
            var names = StateChangingCmdlets().Select(row => (string)row[0]).ToList();
            Assert.NotEmpty(names);
            foreach (string name in names) Assert.True(Scenarios.ContainsKey(name), $"{name} supports ShouldProcess but has no scenario in ShouldProcessTests");
            foreach (string name in Scenarios.Keys) Assert.Contains(name, names);
        }

        [Theory]
        [MemberData(nameof(StateChangingCmdlets))]
        public void TheScenarioChangesStateWhenConfirmed(string cmdlet)
        {
            // Without this, the tests below could pass on a command that changes nothing anyway.
            var (before, after, result) = RunScenario(cmdlet, "-Confirm:$false");
            Assert.Null(result.Terminating);
            Assert.Empty(result.Errors);
            Assert.NotEqual(before, after);
        }

        [Theory]
        [MemberData(nameof(StateChangingCmdlets))]
        public void WhatIfPreferenceChangesNothing(string cmdlet)
        {
            var host = new TestHost("No");
            var (before, after, result) = RunScenario(cmdlet, "", "$WhatIfPreference = $true; ", host);
            Assert.Equal(before, after);
            Assert.Null(result.Terminating);
            Assert.Empty(host.Prompts);
            Assert.Contains("What if:", host.Text);
        }

        [Theory]
        [MemberData(nameof(CmdletsWithForce))]
        public void WhatIfPreferenceWinsOverForce(string cmdlet)
        {
            var host = new TestHost("No");
            var (before, after, _) = RunScenario(cmdlet, "-Force", "$WhatIfPreference = $true; ", host);
            Assert.Equal(before, after);
            Assert.Empty(host.Prompts);
            Assert.Contains("What if:", host.Text);
        }

        [Theory]
        [MemberData(nameof(CmdletsWithForce))]
        public void WhatIfWinsOverForce(string cmdlet)
        {
            var host = new TestHost("No");
            var (before, after, _) = RunScenario(cmdlet, "-Force -WhatIf", "", host);
            Assert.Equal(before, after);
            Assert.Contains("What if:", host.Text);
        }

        [Theory]
        [MemberData(nameof(StateChangingCmdlets))]
        public void ConfirmPromptsAndNoChangesNothing(string cmdlet)
        {
            var host = new TestHost("No");
            var (before, after, _) = RunScenario(cmdlet, "-Confirm", "", host);
            Assert.Single(host.Prompts);
            Assert.Equal(before, after);
        }

        [Theory]
        [MemberData(nameof(CmdletsWithForce))]
        public void ForceWithConfirmStillPrompts(string cmdlet)
        {
            var host = new TestHost("No");
            var (before, after, _) = RunScenario(cmdlet, "-Force -Confirm", "", host);
            Assert.Single(host.Prompts);
            Assert.Equal(before, after);
        }

        [Theory]
        [MemberData(nameof(CmdletsWithForce))]
        public void ForceAloneDoesNotPromptEvenWhenEverythingIsConfirmed(string cmdlet)
        {
            // $ConfirmPreference = 'Low' asks before any change; -Force is the CI opt-out from prompts.
            var host = new TestHost("No");
            var (before, after, result) = RunScenario(cmdlet, "-Force", "$ConfirmPreference = 'Low'; ", host);
            Assert.Empty(host.Prompts);
            Assert.Empty(result.Errors);
            Assert.NotEqual(before, after);
        }

        [Theory]
        [InlineData("Remove-BinanceApiKey")]
        [InlineData("Remove-BinanceSecret")]
        public void HighImpactCommandsPromptWithoutForce(string cmdlet)
        {
            var host = new TestHost("No");
            var (before, after, _) = RunScenario(cmdlet, "", "", host);
            Assert.Single(host.Prompts);
            Assert.Equal(before, after);

            var yes = new TestHost("Yes");
            sandbox.Reset();
            foreach (string entry in Directory.EnumerateFileSystemEntries(folder)) DeleteEntry(entry);
            var (beforeYes, afterYes, _) = RunScenario(cmdlet, "", "", yes);
            Assert.Single(yes.Prompts);
            Assert.NotEqual(beforeYes, afterYes);
        }

        private static void DeleteEntry(string path)
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else File.Delete(path);
        }
    }
}

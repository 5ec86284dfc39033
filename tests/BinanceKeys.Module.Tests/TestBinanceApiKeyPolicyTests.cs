using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>Test-BinanceApiKeyPolicy hosted in PowerShell 7.6: binding, output objects, -Quiet, errors with positions.</summary>
    public sealed class TestBinanceApiKeyPolicyTests
    {
        private static string RepoRoot => ModuleHost.RepositoryRoot;

        private static string Example(string relative) => Path.Combine(RepoRoot, "examples", relative);

        private static Collection<PSObject> Run(string script, params (string Name, object Value)[] variables)
        {
            ScriptResult result = ModuleHost.Run(script, variables.ToDictionary(v => v.Name, v => (object?)v.Value));
            Assert.Null(result.Terminating);
            Assert.Empty(result.Errors);
            return result.Output;
        }

        private static ErrorRecord Fails(string path)
        {
            using PowerShell shell = ModuleHost.CreateSession();
            shell.AddCommand("Test-BinanceApiKeyPolicy").AddParameter("Path", path);
            // Invoked as a command, a terminating error surfaces as an exception (WriteError would not).
            var e = Assert.Throws<CmdletInvocationException>(() => shell.Invoke());
            return ((IContainsErrorRecord)e).ErrorRecord;
        }

        [Fact]
        public void Path_WritesTypedFindings_AndPassingExamplesHaveNoError()
        {
            var output = Run("Test-BinanceApiKeyPolicy -Path $file", ("file", Example("fund-desks.yaml")));
            Assert.NotEmpty(output);
            Assert.All(output, o => Assert.Equal("BinanceKeys.PolicyFinding", o.BaseObject.GetType().FullName));
            Assert.DoesNotContain(output, o => o.Properties["Severity"].Value.ToString() == "Error");
            Assert.Contains(output, o => (string)o.Properties["RuleId"].Value == "BN025" && (string)o.Properties["Label"].Value == "treasury-fix");
        }

        [Theory]
        [InlineData("fund-desks.yaml", true)]
        [InlineData("broker-fleet.yaml", true)]
        [InlineData("failing/risky-desk.yaml", false)]
        [InlineData("failing/risky-desk-corrected.yaml", true)]
        public void Quiet_ReturnsASingleBoolean(string example, bool expected)
        {
            var output = Run("Test-BinanceApiKeyPolicy -Path $file -Quiet", ("file", Example(example)));
            Assert.Equal(expected, Assert.IsType<bool>(Assert.Single(output).BaseObject));
        }

        [Fact]
        public void FailingFile_FindingsCarryPositionsAndRemediation()
        {
            var output = Run("Test-BinanceApiKeyPolicy $file | Where-Object RuleId -eq 'ORG002'", ("file", Example("failing/risky-desk.yaml")));
            PSObject finding = Assert.Single(output);
            Assert.Equal("Error", finding.Properties["Severity"].Value.ToString());
            Assert.Equal("desk-eu", finding.Properties["Account"].Value);
            Assert.Equal("payout", finding.Properties["Label"].Value);
            Assert.Equal((20, 36), ((int)finding.Properties["Line"].Value, (int)finding.Properties["Column"].Value));
            Assert.Equal("accounts[0].keys[1].ipWhitelist[1]", finding.Properties["YamlPath"].Value);
            Assert.Contains("policy.allowedNetworks", (string)finding.Properties["Remediation"].Value);
        }

        [Fact]
        public void MalformedFile_IsATerminatingErrorWithThePosition()
        {
            string file = Path.Combine(RepoRoot, "tests", "BinanceKeys.Core.Tests", "Fixtures", "desired-state", "invalid", "unknown-permission.yaml");
            ErrorRecord record = Fails(file);
            Assert.Equal("DesiredStateInvalid,BinanceKeys.Commands.TestBinanceApiKeyPolicyCommand", record.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, record.CategoryInfo.Category);
            Assert.StartsWith(file + ":11:23: accounts[0].keys[0].permissions[0]: unknown permission 'spotAndMarginTradng'; did you mean 'spotAndMarginTrading'?", record.Exception.Message);
        }

        [Fact]
        public void MissingFile_IsObjectNotFound()
        {
            ErrorRecord record = Fails(Path.Combine(RepoRoot, "nowhere.yaml"));
            Assert.Equal("DesiredStateFileNotFound,BinanceKeys.Commands.TestBinanceApiKeyPolicyCommand", record.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, record.CategoryInfo.Category);
        }

        [Fact]
        public void Path_AcceptsWildcards_AndQuietCombinesAllFiles()
        {
            Assert.True((bool)Assert.Single(Run("Test-BinanceApiKeyPolicy -Path $pattern -Quiet", ("pattern", Path.Combine(Example(""), "*.yaml")))).BaseObject);
            Assert.False((bool)Assert.Single(Run("Test-BinanceApiKeyPolicy -Path $pattern -Quiet", ("pattern", Path.Combine(Example("failing"), "*.yaml")))).BaseObject);
        }

        [Fact]
        public void PathBindsFromFullNameProperty()
        {
            var output = Run("[pscustomobject]@{ FullName = $file } | Test-BinanceApiKeyPolicy -Quiet", ("file", Example("failing/risky-desk.yaml")));
            Assert.False((bool)Assert.Single(output).BaseObject);
        }

        [Fact]
        public void PipelineKeys_AreChecked_PermissionsBindCaseInsensitively()
        {
            const string script = @"
                $keys = @(
                    [BinanceKeys.ApiKeyInfo]@{ Account = 'desk'; AccountKind = 'SubAccount'; Label = 'payout'; Type = 'ed25519'
                                               Permission = 'WITHDRAWALS', 'spotAndMarginTrading'; IpAccess = 'Unrestricted' }
                    [BinanceKeys.ApiKeyInfo]@{ Account = 'desk'; AccountKind = 'SubAccount'; Label = 'reader'; Type = 'hmac'
                                               Permission = 'reading'; IpAccess = 'TrustedIps'; IpAddress = '203.0.113.7', '198.51.100.1' }
                )
                $keys | Test-BinanceApiKeyPolicy -PolicyPath $policy";
            var output = Run(script, ("policy", Example("failing/risky-desk.yaml")));
            var ids = output.Select(o => (string)o.Properties["RuleId"].Value).ToList();
            Assert.Contains("BN003", ids);   // withdrawals without an IP restriction
            Assert.Contains("ORG001", ids);  // forbidden by the policy file
            Assert.Contains("ORG002", ids);  // 198.51.100.1 outside 203.0.113.0/24
            Assert.All(output, o => Assert.Null(o.Properties["File"].Value));
        }

        [Fact]
        public void TableView_ShowsRuleSeverityAccountLabelMessage()
        {
            var host = new TestHost();
            using var shell = ModuleHost.CreateSession(host);
            var result = ModuleHost.Run(shell, "Test-BinanceApiKeyPolicy -Path $file | Out-Default",
                new Dictionary<string, object?> { ["file"] = Example("failing/risky-desk.yaml") });
            Assert.Null(result.Terminating);
            string header = host.Text.Split('\n').First(line => line.Contains("RuleId"));
            Assert.Matches(@"^RuleId\s+Severity\s+Account\s+Label\s+Message\s*$", header.TrimEnd('\r'));
            Assert.Contains("ORG002", host.Text);
            Assert.DoesNotContain("YamlPath", host.Text);
            Assert.DoesNotContain("Remediation", host.Text);
        }

        [Fact]
        public void Findings_NameTheFileInToString()
        {
            var output = Run("Test-BinanceApiKeyPolicy -Path $file | ForEach-Object { \"$_\" }", ("file", Example("failing/risky-desk.yaml")));
            Assert.Contains(output, o => o.ToString()!.StartsWith(Example("failing/risky-desk.yaml") + ":20:36: ORG002 Error desk-eu/payout: "));
        }

        [Fact]
        public void PipelineKeys_Quiet_TrueWhenClean()
        {
            const string script = @"
                [BinanceKeys.ApiKeyInfo]@{ Account = 'desk'; Label = 'reader'; Type = 'ed25519'; Permission = 'reading'
                                           IpAccess = 'TrustedIps'; IpAddress = '203.0.113.7' } | Test-BinanceApiKeyPolicy -Quiet";
            Assert.True((bool)Assert.Single(Run(script)).BaseObject);
        }
    }
}

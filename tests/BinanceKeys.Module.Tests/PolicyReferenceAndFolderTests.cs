using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// Test-BinanceApiKeyPolicy with a folder of files (issue 8) and the reference rules (issue 9, item 1): the
    /// issue's reproductions, through PowerShell, with every stream captured.
    /// </summary>
    public sealed class PolicyReferenceAndFolderTests : IDisposable
    {
        private readonly string folder = Path.Combine(Path.GetTempPath(), "bk-policy-refs-" + Guid.NewGuid().ToString("N"));
        private readonly string canaryVariable = "BK_TEST_CANARY_" + Guid.NewGuid().ToString("N");
        private const string Canary = "TopSecretCanaryValue42";

        public PolicyReferenceAndFolderTests()
        {
            Directory.CreateDirectory(Path.Combine(folder, "state", "keys"));
            File.Copy(Path.Combine(ModuleHost.RepositoryRoot, "examples", "keys", "desk-eu-mm.pub.pem"), Path.Combine(folder, "state", "keys", "bot.pub.pem"));
            File.WriteAllText(Path.Combine(folder, "outside.txt"), Canary + "\n");
            Environment.SetEnvironmentVariable(canaryVariable, Canary);
        }

        public void Dispose()
        {
            Environment.SetEnvironmentVariable(canaryVariable, null);
            Directory.Delete(folder, recursive: true);
        }

        private string State => Path.Combine(folder, "state");

        private string Write(string name, string account, string whitelist)
        {
            string path = Path.Combine(State, name);
            File.WriteAllText(path, $"version: 1\naccounts:\n  - name: {account}\n    email: {account}@example.com\n    keys:\n" +
                $"      - label: bot\n        type: ed25519\n        publicKey: keys/bot.pub.pem\n        permissions: [spotAndMarginTrading]\n        ipWhitelist: {whitelist}\n");
            return path;
        }

        private static string Everything(ScriptResult result) => string.Join("\n",
            result.Output.Select(o => string.Join(" | ", o.Properties.Select(p => p.Value?.ToString())))
                .Concat(result.Errors.Select(e => e.ToString() + " " + e.Exception))
                .Concat(new[] { result.Terminating?.ToString() ?? "" })
                .Concat(result.Warnings).Concat(result.Verbose).Concat(result.Debug).Concat(result.Information));

        [Fact]
        public void AnEnvironmentValueInTheWhitelist_IsNamedNeverPrinted()
        {
            // The issue: ipWhitelist: [env:BINANCE_API_SECRET] printed the secret in BN012's message. Any variable now.
            string path = Write("desk.yaml", "desk", $"[env:{canaryVariable}]");
            ScriptResult result = ModuleHost.Run("Test-BinanceApiKeyPolicy -Path $p -Verbose", new Dictionary<string, object?> { ["p"] = path });

            Assert.Null(result.Terminating);
            PSObject finding = Assert.Single(result.Output, o => (string)o.Properties["RuleId"].Value == "BN012");
            Assert.Contains($"value 1 of env:{canaryVariable}", (string)finding.Properties["Message"].Value);
            Assert.DoesNotContain(Canary, Everything(result));
        }

        [Fact]
        public void TheModulesSecretVariable_CannotBeReferenced()
        {
            string path = Write("desk.yaml", "desk", "[env:BINANCE_API_SECRET]");
            ScriptResult result = ModuleHost.Run("Test-BinanceApiKeyPolicy -Path $p", new Dictionary<string, object?> { ["p"] = path });
            Assert.Equal("DesiredStateInvalid,BinanceKeys.Commands.TestBinanceApiKeyPolicyCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains("BINANCE_API_SECRET holds the module's own credentials and can never be referenced", result.Error!.Exception.Message);
        }

        [Fact]
        public void AFileOutsideTheFolder_IsRefused_UnlessAllowed_AndNeverPrinted()
        {
            string path = Write("desk.yaml", "desk", "['file:../outside.txt']");
            ScriptResult refused = ModuleHost.Run("Test-BinanceApiKeyPolicy -Path $p", new Dictionary<string, object?> { ["p"] = path });
            Assert.Equal("DesiredStateInvalid,BinanceKeys.Commands.TestBinanceApiKeyPolicyCommand", refused.Error?.FullyQualifiedErrorId);
            Assert.Contains("file '../outside.txt' is outside", refused.Error!.Exception.Message);
            Assert.DoesNotContain(Canary, Everything(refused));

            ScriptResult allowed = ModuleHost.Run("Test-BinanceApiKeyPolicy -Path $p -AllowReferenceOutside $o",
                new Dictionary<string, object?> { ["p"] = path, ["o"] = folder });
            Assert.Null(allowed.Terminating);
            Assert.Contains("value 1 of file:../outside.txt", (string)Assert.Single(allowed.Output, o => (string)o.Properties["RuleId"].Value == "BN012").Properties["Message"].Value);
            Assert.DoesNotContain(Canary, Everything(allowed));
        }

        [Fact]
        public void PathTakesAFolder_AndFindingsNameTheirFile()
        {
            Write("a.yaml", "desk-a", "[203.0.113.7]");
            string b = Write("b.yaml", "desk-b", "['not-an-address']");
            var result = ModuleHost.Run("Test-BinanceApiKeyPolicy -Path $p", new Dictionary<string, object?> { ["p"] = State });
            Assert.Null(result.Terminating);
            PSObject finding = Assert.Single(result.Output, o => (string)o.Properties["RuleId"].Value == "BN012");
            Assert.Equal(b, finding.Properties["File"].Value);
            Assert.Equal(10, finding.Properties["Line"].Value);

            var quiet = ModuleHost.Run("Test-BinanceApiKeyPolicy $p -Quiet", new Dictionary<string, object?> { ["p"] = State });
            Assert.False((bool)Assert.Single(quiet.Output).BaseObject);
        }

        [Fact]
        public void AFolderWithAContradiction_IsDesiredStateInvalid_NamingBothFiles()
        {
            string a = Write("a.yaml", "desk-a", "[203.0.113.7]");
            string b = Write("b.yaml", "desk-b", "[203.0.113.7]");
            File.AppendAllText(a, "defaultSecurityControls: true\n");
            File.AppendAllText(b, "defaultSecurityControls: false\n");
            var result = ModuleHost.Run("Test-BinanceApiKeyPolicy -Path $p", new Dictionary<string, object?> { ["p"] = State });
            Assert.Equal("DesiredStateInvalid,BinanceKeys.Commands.TestBinanceApiKeyPolicyCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains(b + ":11:26", result.Error!.Exception.Message);
            Assert.Contains("in " + a + ":11", result.Error.Exception.Message);
        }
    }
}

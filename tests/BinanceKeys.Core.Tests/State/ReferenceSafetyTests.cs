using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using BinanceKeys.Policy;
using BinanceKeys.State;
using Xunit;
using static BinanceKeys.Tests.TestSupport;

namespace BinanceKeys.Tests.State
{
    /// <summary>
    /// Issue 9, item 1: a desired-state file must not be a way to print (or read) a pipeline's secrets. A value that
    /// came through env: or file: is never echoed; files stay inside the desired state's folder unless the caller
    /// allows more; the module's own credential variables cannot be referenced at all.
    /// </summary>
    public sealed class ReferenceSafetyTests : IDisposable
    {
        private const string Canary = "TopSecretCanary7f3a";

        private readonly string folder = Path.Combine(Path.GetTempPath(), "bk-references-" + Guid.NewGuid().ToString("N"));

        public ReferenceSafetyTests()
        {
            Directory.CreateDirectory(Path.Combine(folder, "state", "keys"));
            File.Copy(Fixture("keys/ed25519.pub.pem"), Path.Combine(folder, "state", "keys", "bot.pub.pem"));
            File.Copy(Fixture("keys/ed25519.pub.pem"), Path.Combine(folder, "outside.pub.pem"));
            File.WriteAllText(Path.Combine(folder, "outside.txt"), Canary + "\n");
        }

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private string StateFolder => Path.Combine(folder, "state");

        private static string KeyWith(string ipWhitelist, string publicKey = "keys/bot.pub.pem", string policy = "") => Normalize($@"
            version: 1
            {policy}
            accounts:
              - name: desk
                email: desk@example.com
                keys:
                  - label: bot
                    type: ed25519
                    publicKey: {publicKey}
                    permissions: [spotAndMarginTrading]
                    ipWhitelist: {ipWhitelist}
            ");

        private string Write(string yaml, string name = "desk.yaml")
        {
            string path = Path.Combine(StateFolder, name);
            File.WriteAllText(path, yaml);
            return path;
        }

        private static DesiredStateLoadOptions Environment(string name, string value)
        {
            var options = Options(new Dictionary<string, string> { [name] = value });
            return options;
        }

        private static string Everything(PolicyReport report) =>
            string.Join("\n", report.Findings.Select(f => f.ToString() + " | " + f.Message + " | " + f.Remediation));

        [Fact]
        public void Bn012_NamesTheReference_NeverTheValueFromTheEnvironment()
        {
            // The issue's reproduction: the secret in an env variable, referenced as an IP whitelist entry.
            string path = Write(KeyWith("[203.0.113.7, env:RUNNER_IPS]"));
            PolicyReport report = PolicyService.TestFile(path, Environment("RUNNER_IPS", Canary), () => Now);

            PolicyFinding finding = Assert.Single(report.Findings, f => f.RuleId == "BN012");
            Assert.DoesNotContain(Canary, Everything(report));
            Assert.Contains("value 1 of env:RUNNER_IPS", finding.Message);
            Assert.Contains("ipWhitelist[1]", finding.Message);
            Assert.Equal("accounts[0].keys[0].ipWhitelist[1]", finding.YamlPath);
        }

        [Fact]
        public void Bn012_NeverEchoesTheContentOfAReferencedFile()
        {
            File.WriteAllText(Path.Combine(StateFolder, "egress.txt"), "203.0.113.9\n" + Canary + "\n");
            string path = Write(KeyWith("[203.0.113.7, 'file:egress.txt']"));
            PolicyReport report = PolicyService.TestFile(path, Options(), () => Now);

            PolicyFinding finding = Assert.Single(report.Findings, f => f.RuleId == "BN012");
            Assert.Contains("value 2 of file:egress.txt", finding.Message);
            Assert.DoesNotContain(Canary, Everything(report));
        }

        [Theory]
        [InlineData("2001:db8::1", "BN013")]
        [InlineData("203.0.113.0/24", "BN013")]
        [InlineData("198.51.100.77", "ORG002")]
        public void OtherRulesThatQuoteAnAddress_NameTheReferenceInstead(string value, string rule)
        {
            string path = Write(KeyWith("[203.0.113.7, env:RUNNER_IPS]", policy: "policy: {allowedNetworks: [203.0.113.0/24]}"));
            PolicyReport report = PolicyService.TestFile(path, Environment("RUNNER_IPS", value), () => Now);

            PolicyFinding finding = Assert.Single(report.Findings, f => f.RuleId == rule);
            Assert.Contains("env:RUNNER_IPS", finding.Message);
            Assert.DoesNotContain(value, Everything(report));
        }

        [Fact]
        public void Bn014_DuplicateFromAReference_IsNotEchoed()
        {
            string path = Write(KeyWith("[env:RUNNER_IPS]"));
            PolicyReport report = PolicyService.TestFile(path, Environment("RUNNER_IPS", "203.0.113.77, 203.0.113.77"), () => Now);

            PolicyFinding finding = Assert.Single(report.Findings, f => f.RuleId == "BN014");
            Assert.Contains("value 2 of env:RUNNER_IPS", finding.Message);
            Assert.DoesNotContain("203.0.113.77", Everything(report));
        }

        [Fact]
        public void ALiteralAddressIsStillQuoted()
        {
            string path = Write(KeyWith("[203.0.113.7, 'not-an-ip']"));
            PolicyReport report = PolicyService.TestFile(path, Options(), () => Now);
            Assert.Contains("'not-an-ip'", Assert.Single(report.Findings, f => f.RuleId == "BN012").Message);
        }

        public static IEnumerable<object[]> CredentialVariables() => new[]
        {
            // Written out here, not taken from the loader: the variables docs and README tell pipelines to set.
            "BINANCE_API_KEY", "BINANCE_API_SECRET", "BINANCE_PRIVATE_KEY_PATH", "BINANCE_PRIVATE_KEY_PASSPHRASE", "BINANCEKEYS_VAULT_PASSPHRASE",
            "binance_api_secret",
        }.Select(name => new object[] { name });

        [Theory]
        [MemberData(nameof(CredentialVariables))]
        public void TheModulesOwnCredentialVariables_CannotBeReferenced(string variable)
        {
            foreach (string yaml in new[] { KeyWith($"[env:{variable}]"), KeyWith("[203.0.113.7]", publicKey: $"env:{variable}") })
            {
                string path = Write(yaml);
                var e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.Load(path, Environment(variable, Canary)));
                DesiredStateError error = Assert.Single(e.Errors);
                Assert.Contains("can never be referenced", error.Message);
                Assert.DoesNotContain(Canary, e.ToString());
            }
        }

        [Fact]
        public void EveryCredentialVariableTheCoreReads_IsForbidden()
        {
            // Every constant named like an environment variable that holds a secret, a key or a passphrase, found by
            // reflection, so a variable added later cannot be forgotten.
            var credentialConstants = typeof(DesiredStateLoader).Assembly.GetTypes()
                .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
                .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name.EndsWith("Variable", StringComparison.Ordinal))
                .Select(f => (string)f.GetRawConstantValue()!)
                .Where(value => value.Contains("SECRET") || value.Contains("PASSPHRASE") || value.Contains("_KEY"))
                .ToList();
            Assert.Contains("BINANCE_API_SECRET", credentialConstants);
            Assert.Contains("BINANCEKEYS_VAULT_PASSPHRASE", credentialConstants);
            Assert.All(credentialConstants, name => Assert.Contains(name, DesiredStateLoader.ForbiddenEnvironmentVariables));
        }

        [Theory]
        [InlineData("'file:../outside.txt'")]
        [InlineData("'file:keys/../../outside.txt'")]
        [InlineData("'file:/etc/hostname'")]
        public void AFileReference_StaysInsideTheFolder(string reference)
        {
            string path = Write(KeyWith($"[{reference}]"));
            var e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.Load(path, Options()));
            DesiredStateError error = Assert.Single(e.Errors);
            Assert.Contains("is outside " + StateFolder, error.Message);
            Assert.Equal("accounts[0].keys[0].ipWhitelist[0]", error.Location.YamlPath);
            Assert.DoesNotContain(Canary, e.ToString());
        }

        [Fact]
        public void APublicKeyPath_StaysInsideTheFolder_UnlessTheCallerAllowsMore()
        {
            string path = Write(KeyWith("[203.0.113.7]", publicKey: "../outside.pub.pem"));
            var e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.Load(path, Options()));
            Assert.Contains("publicKey: file '../outside.pub.pem' is outside", Assert.Single(e.Errors).Message);

            var allowed = Options();
            allowed.AllowedReferenceRoots.Add(folder);
            DesiredState state = DesiredStateLoader.Load(path, allowed);
            Assert.Equal(ApiKeyType.Ed25519, state.Accounts[0].Keys[0].PublicKeyAlgorithm);
        }

        [UnixFact] // links are not resolved on Windows (documented)
        public void ASymbolicLinkInsideTheFolder_CannotLeadOutOfIt()
        {
            File.CreateSymbolicLink(Path.Combine(StateFolder, "egress.txt"), Path.Combine(folder, "outside.txt"));
            string path = Write(KeyWith("['file:egress.txt']"));
            var e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.Load(path, Options()));
            Assert.Contains("leads outside " + StateFolder + " through a symbolic link", Assert.Single(e.Errors).Message);
            Assert.DoesNotContain(Canary, e.ToString());
        }

        [UnixFact] // links are not resolved on Windows (documented)
        public void AnAllowedFolder_IsComparedAfterLinksAreResolved()
        {
            File.CreateSymbolicLink(Path.Combine(StateFolder, "egress.txt"), Path.Combine(folder, "outside.txt"));
            File.WriteAllText(Path.Combine(folder, "outside.txt"), "203.0.113.9\n");
            string path = Write(KeyWith("['file:egress.txt']"));
            var allowed = Options();
            allowed.AllowedReferenceRoots.Add(folder);
            Assert.Equal("203.0.113.9", DesiredStateLoader.Load(path, allowed).Accounts[0].Keys[0].IpWhitelist.Single().Value);
        }

        [Fact]
        public void AReferencedFileIsReadOnlyUpToTheLimit_WhateverItsReportedLength()
        {
            File.WriteAllText(Path.Combine(StateFolder, "big.txt"), new string('1', 100));
            string path = Write(KeyWith("['file:big.txt']"));
            var options = Options();
            options.MaxReferencedFileBytes = 99;
            var e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.Load(path, options));
            Assert.Contains("file:big.txt: file 'big.txt' is larger than 99 bytes", Assert.Single(e.Errors, error => error.Location.YamlPath.EndsWith("ipWhitelist[0]")).Message);
            options.MaxReferencedFileBytes = 100; // exactly the limit: read (the public-key file is larger, and still refused)
            e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.Load(path, options));
            Assert.DoesNotContain(e.Errors, error => error.Location.YamlPath.EndsWith("ipWhitelist[0]") && error.Message.Contains("larger"));
        }

        [Fact]
        public void AnUnreadableReference_NeverEchoesWhatTheEnvironmentHolds()
        {
            // A public key from the environment that is not one: the error names the reference, never the value.
            string path = Write(KeyWith("[203.0.113.7]", publicKey: "env:MM_BOT_PUBLIC_KEY"));
            var e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.Load(path, Environment("MM_BOT_PUBLIC_KEY", Canary)));
            Assert.Contains("env:MM_BOT_PUBLIC_KEY: not a readable public key", Assert.Single(e.Errors).Message);
            Assert.DoesNotContain(Canary, e.ToString());
        }

        [Fact]
        public void EachDistinctPublicKeyFile_IsReadOncePerLoad()
        {
            // Twenty keys sharing one file: the same facts, and the loader's cache means one read (the result is shared).
            var yaml = new System.Text.StringBuilder("version: 1\naccounts:\n  - name: desk\n    email: desk@example.com\n    keys:\n");
            for (int i = 0; i < 20; i++)
                yaml.Append($"      - label: bot-{i}\n        type: ed25519\n        publicKey: keys/bot.pub.pem\n        ipWhitelist: [203.0.113.7]\n");
            DesiredState state = DesiredStateLoader.Load(Write(yaml.ToString()), Options());
            Assert.Equal(20, state.Accounts[0].Keys.Count);
            Assert.Single(state.Accounts[0].Keys.Select(k => k.PublicKeyPem).Distinct());
            Assert.All(state.Accounts[0].Keys, k => Assert.Same(state.Accounts[0].Keys[0].PublicKeyPem, k.PublicKeyPem));
        }
    }
}

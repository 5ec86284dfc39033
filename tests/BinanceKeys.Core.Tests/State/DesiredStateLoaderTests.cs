using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using BinanceKeys.State;
using Xunit;
using static BinanceKeys.Tests.TestSupport;

namespace BinanceKeys.Tests.State
{
    /// <summary>The loader: typed model, exact positions for every error, did-you-mean, sets, duplicates and references.</summary>
    public sealed class DesiredStateLoaderTests
    {
        private const string Minimal = @"
            version: 1
            accounts:
              - name: desk-eu
                email: desk-eu@example.com
                keys:
                  - label: mm-bot
                    type: ed25519
                    publicKey: keys/ed25519.pub.pem
                    permissions: [spotAndMarginTrading, futures]
                    ipWhitelist: [203.0.113.7, 203.0.113.8]
            ";

        private static DesiredStateError OnlyError(DesiredStateException e) => Assert.Single(e.Errors);

        private static void AssertAt(DesiredStateError error, int line, int column, string path, string messagePart)
        {
            Assert.Equal("test.yaml", error.Location.File);
            Assert.Equal(path, error.Location.YamlPath);
            Assert.Equal((line, column), (error.Location.Line, error.Location.Column));
            Assert.Contains(messagePart, error.Message);
        }

        [Fact]
        public void Minimal_LoadsIntoTypedModel()
        {
            DesiredState state = Load(Minimal);
            var account = Assert.Single(state.Accounts);
            Assert.Equal(AccountKind.SubAccount, account.Kind);
            Assert.True(account.Facts.DefaultSecurityControls);
            Assert.Null(account.Facts.FuturesEnabled);
            var key = Assert.Single(account.Keys);
            Assert.Equal(ApiKeyType.Ed25519, key.Type);
            Assert.Equal(ApiKeyType.Ed25519, key.PublicKeyAlgorithm);
            Assert.Equal(new[] { ApiKeyPermission.SpotAndMarginTrading, ApiKeyPermission.Futures }, key.Permissions.Select(p => p.Value));
            Assert.Equal(IpAccessMode.TrustedIps, key.IpAccess);
            Assert.Equal(new[] { "203.0.113.7", "203.0.113.8" }, key.IpWhitelist.Select(i => i.Value));
            Assert.Equal((10, 36), (key.IpWhitelist[1].Location!.Line, key.IpWhitelist[1].Location!.Column));
            Assert.Equal("accounts[0].keys[0].ipWhitelist[1]", key.IpWhitelist[1].Location!.YamlPath);
        }

        [Fact]
        public void AccountKinds_FollowFromIdentity()
        {
            var state = Load(@"
                version: 1
                accounts:
                  - name: me
                  - name: broker-1
                    brokerSubAccountId: 123
                  - name: broker-2
                    brokerSubAccountId: '456'
                ");
            Assert.Equal(new[] { AccountKind.Own, AccountKind.BrokerSubAccount, AccountKind.BrokerSubAccount }, state.Accounts.Select(a => a.Kind));
            Assert.Equal("123", state.Accounts[1].BrokerSubAccountId);
        }

        [Fact]
        public void UnknownField_SuggestsTheNearestName()
        {
            var e = LoadFails(Minimal.Replace("permissions:", "permisions:"));
            AssertAt(OnlyError(e), 9, 9, "accounts[0].keys[0].permisions", "unknown field 'permisions'; did you mean 'permissions'?");
        }

        [Fact]
        public void UnknownField_WithoutNearName_ListsTheValidOnes()
        {
            var e = LoadFails(Minimal.Replace("email: desk-eu@example.com", "colour: red\n                email: desk-eu@example.com"));
            AssertAt(OnlyError(e), 4, 5, "accounts[0].colour", "expected one of: name, email, brokerSubAccountId");
        }

        [Fact]
        public void UnknownPermission_SuggestsTheNearestName()
        {
            var e = LoadFails(Minimal.Replace("futures]", "futrues]"));
            AssertAt(OnlyError(e), 9, 45, "accounts[0].keys[0].permissions[1]", "unknown permission 'futrues'; did you mean 'futures'?");
        }

        [Fact]
        public void EnumValues_AreExact_LikeTheSchema_WithTheCanonicalSpellingSuggested()
        {
            var e = LoadFails(Minimal.Replace("futures]", "Futures]").Replace("type: ed25519", "type: Ed25519"));
            Assert.Equal(2, e.Errors.Count);
            AssertAt(e.Errors[0], 7, 15, "accounts[0].keys[0].type", "unknown key type 'Ed25519'; did you mean 'ed25519'?");
            AssertAt(e.Errors[1], 9, 45, "accounts[0].keys[0].permissions[1]", "unknown permission 'Futures'; did you mean 'futures'?");
        }

        [Fact]
        public void NumbersAndBooleans_AreNotText_UnlessQuoted()
        {
            var e = LoadFails(Minimal.Replace("label: mm-bot", "label: 2024"));
            AssertAt(OnlyError(e), 6, 16, "accounts[0].keys[0].label", "expected a string, found a number '2024' (quote it to make it text)");
            Assert.Equal("2024", Load(Minimal.Replace("label: mm-bot", "label: '2024'")).Accounts[0].Keys[0].Label);
        }

        [Fact]
        public void UnknownKeyType_SuggestsTheNearestName()
        {
            var e = LoadFails(Minimal.Replace("type: ed25519", "type: ed2519"));
            AssertAt(OnlyError(e), 7, 15, "accounts[0].keys[0].type", "did you mean 'ed25519'?");
        }

        [Fact]
        public void AllErrors_AreCollected_InFileOrder()
        {
            var e = LoadFails(Minimal.Replace("permissions:", "permisions:").Replace("type: ed25519", "type: dsa").Replace("version: 1", "version: 2"));
            Assert.Equal(new[] { 1, 7, 9 }, e.Errors.Select(x => x.Location.Line));
            Assert.Equal(1, e.Line);
            Assert.Equal("version", e.YamlPath);
            Assert.Contains("3 errors", e.Message);
            Assert.Contains("test.yaml:7:15: accounts[0].keys[0].type: unknown key type 'dsa'", e.Message);
        }

        [Fact]
        public void DuplicateLabel_IsRejected_CaseInsensitively()
        {
            var e = LoadFails(Minimal.TrimEnd() + "\n                  - label: MM-Bot\n                    type: hmac\n                    secret: vault:x\n");
            AssertAt(OnlyError(e), 11, 16, "accounts[0].keys[1].label", "duplicate key label 'MM-Bot' in account 'desk-eu' (first declared at line 6)");
        }

        [Fact]
        public void DuplicateAccountName_AndEmail_AreRejected()
        {
            var e = LoadFails(@"
                version: 1
                accounts:
                  - name: desk
                    email: a@example.com
                  - name: DESK
                    email: b@example.com
                  - name: other
                    email: A@example.com
                ");
            Assert.Equal(2, e.Errors.Count);
            AssertAt(e.Errors[0], 5, 11, "accounts[1].name", "duplicate account name 'DESK' (first declared at line 3)");
            AssertAt(e.Errors[1], 8, 12, "accounts[2].email", "declares email A@example.com again (already declared by 'desk' at line 3)");
        }

        [Fact]
        public void TwoOwnAccounts_AreRejected()
        {
            var e = LoadFails("version: 1\naccounts:\n  - name: me\n  - name: also-me\n");
            AssertAt(OnlyError(e), 4, 11, "accounts[1].name", "the calling account's own keys");
        }

        [Fact]
        public void EmailAndBrokerId_AreExclusive()
        {
            var e = LoadFails("version: 1\naccounts:\n  - name: x\n    email: x@example.com\n    brokerSubAccountId: 12\n");
            AssertAt(OnlyError(e), 5, 25, "accounts[0].brokerSubAccountId", "not both");
        }

        [Theory]
        [InlineData("version: 1\naccounts:\n  - name: x\n    keys: [a\n", 5, 1, "YAML syntax error")]
        [InlineData("version: 1\naccounts:\n  - name: x\n    name: y\n", 4, 5, "duplicate key 'name'")]
        [InlineData("version: 1\naccounts: {}\n", 2, 11, "expected a list, found a mapping")]
        [InlineData("version: one\naccounts: []\n", 1, 10, "expected a whole number, found a string 'one'")]
        [InlineData("version: 1\n", 1, 1, "missing required field 'accounts'")]
        [InlineData("accounts: []\n", 1, 1, "missing required field 'version'")]
        [InlineData("", 1, 1, "the file is empty")]
        [InlineData("- 1\n", 1, 1, "expected a mapping")]
        [InlineData("version: 1\naccounts: []\n---\nversion: 1\n", 3, 1, "more than one YAML document")]
        [InlineData("version: 1\naccounts:\n  - name: x\n    prune: yes\n", 4, 12, "expected true or false, found a string 'yes'")]
        [InlineData("version: 1\naccounts:\n  - name: x\n    keys:\n      - type: hmac\n", 5, 9, "missing required field 'label'")]
        [InlineData("version: 1\naccounts: *nothing\n", 2, 11, "refers to no anchor")]
        [InlineData("version: 1\naccounts:\n  - name: !!binary aGVsbG8=\n", 3, 11, "explicit YAML tags such as 'tag:yaml.org,2002:binary' are not supported")]
        [InlineData("version: 1\naccounts: !custom []\n", 2, 11, "explicit YAML tags")]
        public void MalformedDocuments_ReportExactPositions(string yaml, int line, int column, string messagePart)
        {
            var e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.LoadText(yaml, "test.yaml", FixtureDirectory, Options()));
            Assert.Equal((line, column), (e.Line, e.Column));
            Assert.Contains(messagePart, e.Errors[0].Message);
            Assert.StartsWith($"test.yaml:{line}:{column}:", e.Message);
        }

        [Fact]
        public void Policy_IsValidatedWithPositions()
        {
            var e = LoadFails(@"
                version: 1
                policy:
                  forbidPermissions: [withdrawl]
                  allowedNetworks: [203.0.113.7/24, 2001:db8::/32]
                  keyTypes: [ed25519, ecdsa]
                  maxKeysPerAccount: 31
                  labelPattern: '^[a-z'
                accounts: []
                ");
            Assert.Equal(6, e.Errors.Count);
            AssertAt(e.Errors[0], 3, 23, "policy.forbidPermissions[0]", "did you mean 'withdrawals'?");
            AssertAt(e.Errors[1], 4, 21, "policy.allowedNetworks[0]", "host bits are set; did you mean 203.0.113.0/24?");
            AssertAt(e.Errors[2], 4, 37, "policy.allowedNetworks[1]", "IPv4 network");
            AssertAt(e.Errors[3], 5, 23, "policy.keyTypes[1]", "unknown key type 'ecdsa'");
            AssertAt(e.Errors[4], 6, 22, "policy.maxKeysPerAccount", "between 1 and 30");
            AssertAt(e.Errors[5], 7, 17, "policy.labelPattern", "not a valid regular expression");
        }

        [Fact]
        public void Secret_MustBeAReference_AndIsNeverEchoed()
        {
            var e = LoadFails("version: 1\naccounts:\n  - name: x\n    email: x@example.com\n    keys:\n      - label: k\n        type: hmac\n        secret: NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j\n");
            AssertAt(OnlyError(e), 8, 17, "accounts[0].keys[0].secret", "vault:NAME");
            Assert.DoesNotContain("NhqPtmd", e.Message);
        }

        [Fact]
        public void PrivateKey_InPublicKeyField_IsRejected_WithoutEcho()
        {
            const string privateKey = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u\n-----END PRIVATE KEY-----";
            var e = LoadFails(Minimal.Replace("keys/ed25519.pub.pem", "env:PEM"), new Dictionary<string, string> { ["PEM"] = privateKey });
            AssertAt(OnlyError(e), 8, 20, "accounts[0].keys[0].publicKey", "PRIVATE key");
            Assert.DoesNotContain("MC4CAQ", e.Message);
        }

        [Fact]
        public void PublicKey_OfUnsupportedAlgorithm_IsRejected()
        {
            var e = LoadFails(Minimal.Replace("keys/ed25519.pub.pem", "keys/p256.pub.pem"));
            AssertAt(OnlyError(e), 8, 20, "accounts[0].keys[0].publicKey", "unsupported public key algorithm");
        }

        [Fact]
        public void PublicKey_MissingFile_NamesThePath()
        {
            var e = LoadFails(Minimal.Replace("keys/ed25519.pub.pem", "keys/missing.pub.pem"));
            AssertAt(OnlyError(e), 8, 20, "accounts[0].keys[0].publicKey", "file 'keys/missing.pub.pem' not found");
        }

        [Fact]
        public void PublicKey_FromEnvironment_AndInline()
        {
            string pem = File.ReadAllText(Fixture("keys/rsa2048.pub.pem"));
            var fromEnv = Load(Minimal.Replace("keys/ed25519.pub.pem", "env:MM_BOT_PUBLIC_KEY"), new Dictionary<string, string> { ["MM_BOT_PUBLIC_KEY"] = pem });
            Assert.Equal(ApiKeyType.Rsa, fromEnv.Accounts[0].Keys[0].PublicKeyAlgorithm);
            Assert.Equal(2048, fromEnv.Accounts[0].Keys[0].PublicKeyBits);
            var fromFileReference = Load(Minimal.Replace("keys/ed25519.pub.pem", "file:keys/rsa2048.pub.pem"));
            Assert.Equal(ApiKeyType.Rsa, fromFileReference.Accounts[0].Keys[0].PublicKeyAlgorithm);
        }

        [Fact]
        public void IpWhitelist_ExpandsEnvironmentAndFileReferences()
        {
            File.WriteAllText(Path.Combine(FixtureDirectory, "runner-ips.txt"), "# CI runners\n198.51.100.1\n198.51.100.2, 198.51.100.3 # egress\n");
            var state = Load(Minimal.Replace("[203.0.113.7, 203.0.113.8]", "[203.0.113.7, env:DESK_IPS, 'file:runner-ips.txt']"),
                new Dictionary<string, string> { ["DESK_IPS"] = "203.0.113.20,203.0.113.21" });
            var whitelist = state.Accounts[0].Keys[0].IpWhitelist;
            Assert.Equal(new[] { "203.0.113.7", "203.0.113.20", "203.0.113.21", "198.51.100.1", "198.51.100.2", "198.51.100.3" }, whitelist.Select(w => w.Value));
            Assert.Equal("env:DESK_IPS", whitelist[1].Origin);
            Assert.Equal("accounts[0].keys[0].ipWhitelist[1]", whitelist[2].Location!.YamlPath);
            Assert.Equal("accounts[0].keys[0].ipWhitelist[2]", whitelist[5].Location!.YamlPath);
        }

        [Theory]
        [InlineData("env:UNSET_VAR", "environment variable UNSET_VAR is not set")]
        [InlineData("env:EMPTY_VAR", "environment variable EMPTY_VAR is empty")]
        [InlineData("env:BAD-NAME", "not a valid environment reference")]
        [InlineData("file:nowhere.txt", "file 'nowhere.txt' not found")]
        public void IpWhitelist_BadReference_IsAnErrorAtTheEntry(string reference, string messagePart)
        {
            var e = LoadFails(Minimal.Replace("[203.0.113.7, 203.0.113.8]", $"[203.0.113.7, '{reference}']"), new Dictionary<string, string> { ["EMPTY_VAR"] = " " });
            AssertAt(OnlyError(e), 10, 36, "accounts[0].keys[0].ipWhitelist[1]", messagePart);
        }

        [Fact]
        public void OversizedFile_IsRefusedBeforeParsing_AtTheDefaultLimitOf16MiB()
        {
            string path = Path.Combine(FixtureDirectory, "oversized.generated.yaml");
            const string Head = "version: 1\naccounts: []\n# ";
            File.WriteAllText(path, Head + new string('x', 16 * 1024 * 1024 - Head.Length - 1) + "\n");
            Assert.Empty(DesiredStateLoader.LoadFile(path, Options()).Accounts); // exactly 16 MiB: read
            File.AppendAllText(path, "\n");
            var e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.LoadFile(path, Options()));
            Assert.Equal((1, 1), (e.Line, e.Column));
            Assert.Contains("the file is 16777217 bytes; desired-state files are limited to 16777216 bytes each", e.Message);
            File.Delete(path);
        }

        [Theory]
        [InlineData(4096, true)]
        [InlineData(4095, false)]
        public void FileSizeLimit_HoldsAtItsBoundary(long limit, bool loads)
        {
            string path = Path.Combine(FixtureDirectory, $"size-{limit}.generated.yaml");
            const string Head = "version: 1\naccounts: []\n# ";
            File.WriteAllText(path, Head + new string('x', 4096 - Head.Length - 1) + "\n");
            Assert.Equal(4096, new FileInfo(path).Length);
            var options = Options();
            options.Limits.MaxFileBytes = limit;
            if (loads) DesiredStateLoader.LoadFile(path, options);
            else Assert.Contains($"limited to {limit} bytes", Assert.Throws<DesiredStateException>(() => DesiredStateLoader.LoadFile(path, options)).Message);
            File.Delete(path);
        }

        [Fact]
        public void AliasBomb_IsRefused()
        {
            // 10, 100, ... 10^9 nodes: the 2,000,000-node cap stops it at x6 (10^7 nodes), line 8.
            var yaml = new StringBuilder("version: 1\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for (int i = 1; i < 9; i++) yaml.Append($"x{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
            yaml.Append("accounts: []\n");
            var e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.LoadText(yaml.ToString(), "test.yaml", FixtureDirectory, Options()));
            Assert.Contains("expands to more than 2000000 nodes", e.Message);
            Assert.Contains("alias bomb", e.Message);
            Assert.Equal(8, e.Line);
        }

        [Theory]
        [InlineData(100, true)]
        [InlineData(101, false)]
        public void AliasLimit_HoldsAtItsBoundary(int aliases, bool loads)
        {
            var yaml = "version: 1\nx: &a 1\ny: [" + string.Join(", ", Enumerable.Repeat("*a", aliases)) + "]\naccounts: []\n";
            var options = Options();
            options.Limits.MaxAliases = 100;
            options.Limits.MaxExpandedNodes = long.MaxValue;
            if (loads)
            {
                // The unknown fields x and y are the only errors: the aliases themselves were accepted.
                var fields = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.LoadText(yaml, "test.yaml", FixtureDirectory, options));
                Assert.All(fields.Errors, error => Assert.Contains("unknown field", error.Message));
                return;
            }
            var e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.LoadText(yaml, "test.yaml", FixtureDirectory, options));
            Assert.Contains("more than 100 aliases", e.Message);
            Assert.Equal(3, e.Line);
        }

        [Fact]
        public void DefaultAliasLimit_Is100000_SoAFleetCanReuseOneIpListInEveryKey()
        {
            var options = Options();
            Assert.Equal(100_000, options.Limits.MaxAliases);
            var yaml = "version: 1\nx: &a 1\ny: [" + string.Join(",", Enumerable.Repeat("*a", 100_001)) + "]\naccounts: []\n";
            var e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.LoadText(yaml, "test.yaml", FixtureDirectory, options));
            Assert.Contains("more than 100000 aliases", e.Message);
        }

        [Theory]
        [InlineData(5, true)]
        [InlineData(4, false)]
        public void ExpandedNodeLimit_HoldsAtItsBoundary(long limit, bool loads)
        {
            // The mapping, 'version' and 1, 'accounts' and [] : 5 nodes.
            const string Yaml = "version: 1\naccounts: []\n";
            var options = Options();
            options.Limits.MaxExpandedNodes = limit;
            if (loads) DesiredStateLoader.LoadText(Yaml, "test.yaml", FixtureDirectory, options);
            else Assert.Contains($"more than {limit} nodes", Assert.Throws<DesiredStateException>(() => DesiredStateLoader.LoadText(Yaml, "test.yaml", FixtureDirectory, options)).Message);
        }

        [Theory]
        [InlineData(13, true)]
        [InlineData(12, false)]
        public void ExpandedNodeLimit_CountsEveryAliasExpansion(long limit, bool loads)
        {
            // The mapping 1, version 2, 'x' and its two-item list 4, 'y' and the alias 1 + 3 (its target's nodes), accounts 2: 13.
            var options = Options();
            options.Limits.MaxExpandedNodes = limit;
            string yaml = "version: 1\nx: &a [1, 2]\ny: *a\naccounts: []\n";
            if (loads)
                Assert.All(Assert.Throws<DesiredStateException>(() => DesiredStateLoader.LoadText(yaml, "test.yaml", FixtureDirectory, options)).Errors,
                    error => Assert.Contains("unknown field", error.Message));
            else
                Assert.Contains("nodes", Assert.Throws<DesiredStateException>(() => DesiredStateLoader.LoadText(yaml, "test.yaml", FixtureDirectory, options)).Message);
        }

        [Theory]
        [InlineData("1&:\t/ \"&1\n\n{!  ~!|&\t~\n/@* >:-~*@v\n&.c\t{![[\n")]
        [InlineData("version: 1\naccounts: []\n&.c\t{![[\n")]
        public void InputThatBreaksYamlDotNetsScanner_IsASyntaxError(string yaml)
        {
            // Found by LoaderFuzzTests: YamlDotNet threw InvalidOperationException here, which escaped the loader.
            var e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.LoadText(yaml, "test.yaml", FixtureDirectory, Options()));
            Assert.Contains("YAML syntax error", Assert.Single(e.Errors).Message);
        }

        [Fact]
        public void DeepNesting_IsRefused()
        {
            string yaml = "version: 1\naccounts: " + new string('[', 40) + new string(']', 40) + "\n";
            var e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.LoadText(yaml, "test.yaml", FixtureDirectory, Options()));
            Assert.Contains("nesting deeper than 32 levels", e.Message);
            Assert.Equal((2, 42), (e.Line, e.Column));
        }

        [Fact]
        public void ModestAliases_AreAccepted()
        {
            var state = Load(@"
                version: 1
                accounts:
                  - name: a
                    email: a@example.com
                    keys:
                      - label: k
                        type: hmac
                        secret: vault:a
                        ipWhitelist: &office [203.0.113.7, 203.0.113.8]
                  - name: b
                    email: b@example.com
                    keys:
                      - label: k
                        type: hmac
                        secret: vault:b
                        ipWhitelist: *office
                ");
            Assert.Equal(2, state.Accounts[1].Keys[0].IpWhitelist.Count);
        }

        [Fact]
        public void AMergeKey_IsRefusedAsSuch_NotAsAMisspelledField()
        {
            var e = LoadFails(@"
                version: 1
                accounts:
                  - name: desk-eu
                    email: desk-eu@example.com
                    keys:
                      - &base
                        label: a
                        type: hmac
                        secret: vault:a
                      - <<: *base
                        label: b
                ");
            AssertAt(e.Errors[0], 10, 9, "accounts[0].keys[1].<<", "YAML merge keys ('<<: *anchor') are not supported");
            Assert.DoesNotContain("did you mean", e.Errors[0].Message);
        }

        // The accounts are bound while the file is read (YamlTreeReader's streamed list); these pin what that must not change.

        [Fact]
        public void SyntaxError_AfterAccountsWithErrors_IsTheOnlyErrorReported()
        {
            // The first account has an unknown field, found before the reader reaches the broken line: only the syntax error counts.
            var e = LoadFails(Minimal.Replace("email: desk-eu@example.com", "colour: red\n                email: desk-eu@example.com").TrimEnd() +
                "\n              - name: [unclosed\n");
            var error = OnlyError(e);
            Assert.Contains("YAML syntax error", error.Message);
        }

        [Fact]
        public void FieldsAfterTheAccounts_AreRead_AndErrorsStayInFileOrder()
        {
            var e = LoadFails(@"
                accounts:
                  - name: desk-eu
                    email: not-an-email
                    keys: []
                  - name: desk-us
                    email: desk-us@example.com
                    keys:
                      - label: k
                        type: dsa
                policy:
                  maxKeysPerAccount: 0
                version: 2
                ");
            Assert.Equal(new[] { 3, 9, 11, 12 }, e.Errors.Select(x => x.Location.Line));
            Assert.Equal(new[] { "accounts[0].email", "accounts[1].keys[0].type", "policy.maxKeysPerAccount", "version" }, e.Errors.Select(x => x.Location.YamlPath));
        }

        [Fact]
        public void AnAnchoredAccountsList_IsReadWhole()
        {
            var state = Load(@"
                version: 1
                accounts: &all
                  - name: desk-eu
                    email: desk-eu@example.com
                    keys: []
                  - name: desk-us
                    email: desk-us@example.com
                    keys: []
                ");
            Assert.Equal(new[] { "desk-eu", "desk-us" }, state.Accounts.Select(a => a.Name));
        }

        [Fact]
        public void Positions_OfFieldsAndItems_AreExact_WhenFirstAskedFor()
        {
            var state = Load(@"
                version: 1
                policy:
                  allowedNetworks: [203.0.113.0/24]
                accounts:
                  - name: desk-eu
                    email: desk-eu@example.com
                    keys:
                      - label: mm-bot
                        type: hmac
                        secret: vault:desk-eu/mm-bot
                        permissions: [spotAndMarginTrading]
                ");
            DesiredKey key = state.Accounts[0].Keys[0];
            Assert.Equal(new[] { "label", "type", "secret", "permissions" }, key.FieldNames);
            SourceLocation secret = key.At("secret")!;
            Assert.Equal(("test.yaml", 10, 17, "accounts[0].keys[0].secret"), (secret.File, secret.Line, secret.Column, secret.YamlPath));
            Assert.Same(secret, key.At("secret"));
            Assert.Same(key.Location, key.At("ipWhitelist"));
            Assert.Equal("accounts[0].keys[0]", key.Location!.YamlPath);
            Located<ApiKeyPermission> permission = Assert.Single(key.Permissions);
            Assert.Equal((11, 23, "accounts[0].keys[0].permissions[0]"), (permission.Location!.Line, permission.Location.Column, permission.Location.YamlPath));
            Located<BinanceKeys.Policy.Ipv4Network> network = Assert.Single(state.Policy.AllowedNetworks);
            Assert.Equal((3, 21, "policy.allowedNetworks[0]"), (network.Location!.Line, network.Location.Column, network.Location.YamlPath));
            Assert.Equal("policy.allowedNetworks", state.Policy.At("allowedNetworks")!.YamlPath);
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BinanceKeys.State;
using BinanceKeys.State.Planning;
using Xunit;
using static BinanceKeys.Tests.TestSupport;

namespace BinanceKeys.Tests.State
{
    /// <summary>
    /// What Export-BinanceKeyState writes reads back through the desired-state loader as exactly the same accounts and
    /// keys, whatever characters labels and emails hold, and says in comments what Binance could not tell.
    /// </summary>
    public sealed class DesiredStateWriterTests
    {
        // Labels YAML would read as something else unquoted (numbers, booleans, null), or whose characters mean something
        // in YAML (indicators, comments, quotes, line breaks), and plain ones. Unique case-insensitively.
        public static readonly string[] OddLabels =
        {
            "mm-bot", "a.b_c", "2024", "007", "true", "No", "off", "y", "null", "~", "1e3", "0x1F", "0o17", ".inf", "-1", "+1", ".5",
            "a: b", "a #b", "#x", "it's", "say \"hi\"", "[x]", "{y}", "*star", "&anchor", "!tag", "%pct", "@at", "`tick", "|pipe", ">gt",
            "-dash", "? q", "tab\there", "é-ü", "line\nbreak", " lead", "trail ", "vault:", "x,y", "back\\slash", "bell\u0007",
        };

        private static ExportDocument Document()
        {
            var document = new ExportDocument { SchemaReference = "../module/schema/binancekeys.schema.json" };
            document.Header.Add("Exported from https://api.binance.com at 2026-11-25 06:00:00 UTC.");
            var odd = new ExportAccount { Name = "o'neil+ops#1", Email = "o'neil+ops#1@example.com", FuturesEnabled = true, MarginEnabled = false };
            for (int i = 0; i < OddLabels.Length; i++)
            {
                var key = new ExportKey
                {
                    Label = OddLabels[i],
                    Type = i % 2 == 0 ? ApiKeyType.Hmac : ApiKeyType.Ed25519,
                    TypeSource = i % 3 == 0 ? ExportedTypeSource.Assumed : ExportedTypeSource.Record,
                    PublicKeyFingerprint = i % 2 == 0 ? null : "ab12",
                    Secret = i % 4 == 0 ? "vault:desk/" + i : null,
                    IpWhitelist = i % 5 == 0 ? null : new List<string> { "203.0.113." + (i + 1), "198.51.100.7" },
                };
                key.Permissions.Add(ApiKeyPermission.SpotAndMarginTrading);
                if (i % 2 == 1) key.Permissions.Add(ApiKeyPermission.Futures);
                odd.Keys.Add(key);
            }
            odd.NotExported.Add("abc*****: masked\nand odd");
            document.Accounts.Add(odd);
            document.Accounts.Add(new ExportAccount { Name = "2024", Email = "2024@example.com" });
            var broker = new ExportAccount { Name = "true", BrokerSubAccountId = "0071" };
            var fix = new ExportKey { Label = "fix", Type = ApiKeyType.Ed25519, TypeSource = ExportedTypeSource.Deduced };
            fix.Permissions.AddRange(new[] { ApiKeyPermission.Reading, ApiKeyPermission.FixApiReading });
            fix.UnknownPermissions.AddRange(new[] { ApiKeyPermission.UniversalTransfer, ApiKeyPermission.EuropeanOptions });
            broker.Keys.Add(fix);
            document.Accounts.Add(broker);
            return document;
        }

        private static DesiredState RoundTrip(string text) => DesiredStateLoader.LoadText(text, "export.yaml", FixtureDirectory, Options());

        [Fact]
        public void EveryAccountAndKeyReadsBackExactly()
        {
            var document = Document();
            var state = RoundTrip(DesiredStateWriter.Write(document));

            Assert.Equal(document.Accounts.Count, state.Accounts.Count);
            for (int a = 0; a < document.Accounts.Count; a++)
            {
                var written = document.Accounts[a];
                var read = state.Accounts[a];
                Assert.Equal(written.Name, read.Name);
                Assert.Equal(written.Email, read.Email);
                Assert.Equal(written.BrokerSubAccountId, read.BrokerSubAccountId);
                Assert.Equal(written.FuturesEnabled, read.Facts.FuturesEnabled);
                Assert.Equal(written.MarginEnabled, read.Facts.MarginEnabled);
                Assert.Null(read.Facts.OptionsEnabled);
                Assert.Null(read.Facts.Verified);
                Assert.Null(read.Facts.TwoFactorEnabled);
                Assert.Null(read.Facts.PortfolioMargin);
                Assert.NotEqual(false, read.Facts.DefaultSecurityControls); // left out: on, as Binance defaults it
                Assert.False(read.Prune);
                Assert.Equal(written.Keys.Count, read.Keys.Count);
                for (int k = 0; k < written.Keys.Count; k++)
                {
                    var expected = written.Keys[k];
                    var key = read.Keys[k];
                    Assert.Equal(expected.Label, key.Label);
                    Assert.Equal(expected.Type, key.Type);
                    Assert.Null(key.PublicKeyPem);
                    Assert.Equal(expected.Secret, key.Secret);
                    Assert.Equal(expected.Permissions.Where(p => p != ApiKeyPermission.Reading).OrderBy(p => p), key.PermissionSet.OrderBy(p => p));
                    Assert.Equal(expected.IpWhitelist is null ? IpAccessMode.Unrestricted : IpAccessMode.TrustedIps, key.IpAccess);
                    Assert.Equal(expected.IpWhitelist ?? new List<string>(), key.IpWhitelist.Select(e => e.Value).ToList());
                }
            }
            Assert.Equal("0071", state.Accounts[2].BrokerSubAccountId);
        }

        [Theory]
        [MemberData(nameof(Labels))]
        public void ALabelReadsBackAsTheSameString(string label)
        {
            var document = new ExportDocument();
            var account = new ExportAccount { Name = label, Email = "desk@example.com" };
            account.Keys.Add(new ExportKey { Label = label, Type = ApiKeyType.Ed25519, TypeSource = ExportedTypeSource.Record, IpWhitelist = new List<string> { "203.0.113.7" } });
            document.Accounts.Add(account);

            var state = RoundTrip(DesiredStateWriter.Write(document));

            Assert.Equal(label, state.Accounts[0].Name);
            Assert.Equal(label, state.Accounts[0].Keys[0].Label);
        }

        public static IEnumerable<object[]> Labels() => OddLabels.Select(l => new object[] { l });

        [Fact]
        public void TheFileStartsWithTheSchemaLineAndTheHeader()
        {
            string[] lines = DesiredStateWriter.Write(Document()).Split('\n');
            Assert.Equal("# yaml-language-server: $schema=../module/schema/binancekeys.schema.json", lines[0]);
            Assert.Equal("# Exported from https://api.binance.com at 2026-11-25 06:00:00 UTC.", lines[1]);
            Assert.StartsWith("# defaultSecurityControls: true|false  # TODO", lines[2]);
            Assert.Equal("version: 1", lines[3]);
        }

        [Fact]
        public void WithoutASchemaPathTheFileSaysWhereTheSchemaIs()
        {
            var document = new ExportDocument { SchemaNote = "The JSON Schema ships with BinanceKeys." };
            string text = DesiredStateWriter.Write(document);
            Assert.StartsWith("# The JSON Schema ships with BinanceKeys.\n", text);
            Assert.DoesNotContain("yaml-language-server", text);
            Assert.Empty(RoundTrip(text).Accounts); // no account: an empty list, still a valid file
            Assert.Contains("accounts: []", text);
        }

        [Fact]
        public void WhatBinanceCannotTellIsATodoComment()
        {
            var document = new ExportDocument();
            var account = new ExportAccount { Name = "desk", Email = "desk@example.com", FuturesEnabled = true };
            var assumed = new ExportKey { Label = "legacy", Type = ApiKeyType.Hmac, TypeSource = ExportedTypeSource.Assumed };
            var recorded = new ExportKey { Label = "bot", Type = ApiKeyType.Ed25519, TypeSource = ExportedTypeSource.Record, PublicKeyFingerprint = "0a1b2c", IpWhitelist = new List<string> { "203.0.113.7" } };
            var hmac = new ExportKey { Label = "reporting", Type = ApiKeyType.Hmac, TypeSource = ExportedTypeSource.Record, Secret = "vault:desk/reporting", IpWhitelist = new List<string> { "203.0.113.8" } };
            var elsewhere = new ExportKey { Label = "filed", Type = ApiKeyType.Hmac, TypeSource = ExportedTypeSource.Record, SecretElsewhere = "file '/secrets/filed'", IpWhitelist = new List<string> { "203.0.113.9" } };
            account.Keys.AddRange(new[] { assumed, recorded, hmac, elsewhere });
            account.NotExported.Add("abc*****: masked");
            document.Accounts.Add(account);

            string text = DesiredStateWriter.Write(document);

            Assert.Contains("    futuresEnabled: true # as Binance's sub-account list reports it\n", text);
            Assert.Contains("    # marginEnabled: true|false  # margin is enabled (rule BN006)\n", text);
            Assert.Contains("    # optionsEnabled: true|false", text);
            Assert.Contains("    # portfolioMargin: true|false", text);
            Assert.Contains("    # verified: true|false", text);
            Assert.Contains("    # twoFactorEnabled: true|false", text);
            Assert.Contains("    prune: false # true: an apply deletes keys", text);
            Assert.Contains("        type: hmac # ASSUMED: Binance does not report a key's type", text);
            Assert.Contains("        # TODO secret: vault:NAME", text);
            Assert.Contains("        # no ipWhitelist: the key has no IP restriction\n", text);
            Assert.Contains("        type: ed25519 # from the module's record of creating this key\n        # TODO publicKey: path/to/bot.pub.pem", text);
            Assert.Contains("SHA-256 fingerprint 0a1b2c", text);
            Assert.Contains("        secret: vault:desk/reporting # from the module's record", text);
            Assert.Contains("the module's record says this key's secret went to file '/secrets/filed'", text);
            Assert.Contains("    # Not exported: abc*****: masked\n", text);
            Assert.DoesNotContain("publicKey: path", text.Replace("# TODO publicKey: path", string.Empty));

            var keys = RoundTrip(text).Accounts[0].Keys;
            Assert.Null(keys.Single(k => k.Label == "legacy").Secret);
            Assert.Null(keys.Single(k => k.Label == "filed").Secret);
        }

        [Theory]
        [InlineData("mm-bot", true)]
        [InlineData("desk-a@example.com", true)]
        [InlineData("vault:desk-a/reporting", true)]
        [InlineData("203.0.113.7", true)]
        [InlineData("2024", false)]
        [InlineData("1.5", false)]
        [InlineData("yes", false)] // a boolean in YAML 1.1
        [InlineData("On", false)]
        [InlineData("n", false)]
        [InlineData("NULL", false)]
        [InlineData("vault:", false)] // a trailing colon starts a mapping
        [InlineData("a b", false)]
        [InlineData("", false)]
        public void OnlyTextNoYamlReaderCanMistakeIsWrittenUnquoted(string text, bool plain) =>
            Assert.Equal(plain, DesiredStateWriter.IsSafePlain(text));

        [Fact]
        public void AKeysTypeComesFromTheRecordElseFromFixPermissionsElseHmacIsAssumed()
        {
            var recorded = StateExporter.Key(new UndeclaredKey
            {
                Label = "a", ApiKey = "K1", Type = ApiKeyType.Rsa, Permission = new[] { ApiKeyPermission.Reading, ApiKeyPermission.Futures },
                UnknownPermission = new[] { ApiKeyPermission.UniversalTransfer, ApiKeyPermission.FixApiTrading },
                IpRestricted = true, IpAddress = new[] { "203.0.113.10", "203.0.113.9", "10.0.0.1" },
            });
            Assert.Equal(ApiKeyType.Rsa, recorded.Type);
            Assert.Equal(ExportedTypeSource.Record, recorded.TypeSource);
            Assert.Equal(new[] { ApiKeyPermission.Futures }, recorded.Permissions);
            Assert.Equal(new[] { ApiKeyPermission.UniversalTransfer }, recorded.UnknownPermissions); // an RSA key has no FIX permission
            Assert.Equal(new[] { "10.0.0.1", "203.0.113.9", "203.0.113.10" }, recorded.IpWhitelist); // numeric order: the same state, the same text

            var fix = StateExporter.Key(new UndeclaredKey { Label = "f", ApiKey = "K2", Permission = new[] { ApiKeyPermission.Reading, ApiKeyPermission.FixApiReading }, IpRestricted = true, IpAddress = new[] { "203.0.113.7" } });
            Assert.Equal(ApiKeyType.Ed25519, fix.Type);
            Assert.Equal(ExportedTypeSource.Deduced, fix.TypeSource);

            var unknown = StateExporter.Key(new UndeclaredKey
            {
                Label = "u", ApiKey = "K3", Permission = new[] { ApiKeyPermission.Reading, ApiKeyPermission.SpotAndMarginTrading },
                UnknownPermission = new[] { ApiKeyPermission.FixApiTrading }, IpRestricted = false,
            });
            Assert.Equal(ApiKeyType.Hmac, unknown.Type);
            Assert.Equal(ExportedTypeSource.Assumed, unknown.TypeSource);
            Assert.Null(unknown.IpWhitelist);
            Assert.Null(unknown.Secret);
            Assert.Equal(new[] { ApiKeyPermission.FixApiTrading }, unknown.UnknownPermissions); // it may be an Ed25519 key

            var vault = StateExporter.Key(new UndeclaredKey { Label = "v", ApiKey = "K4", Type = ApiKeyType.Hmac, Secret = "vault:desk/v" });
            Assert.Equal("vault:desk/v", vault.Secret);
            var elsewhere = StateExporter.Key(new UndeclaredKey { Label = "e", ApiKey = "K5", Type = ApiKeyType.Hmac, Secret = "local vault '/v.bkv' entry 'e'" });
            Assert.Null(elsewhere.Secret);
            Assert.Equal("local vault '/v.bkv' entry 'e'", elsewhere.SecretElsewhere);
        }

        [Fact]
        public void TheSchemaPathIsRelativeToTheFilesFolder()
        {
            string root = Path.Combine(Path.GetTempPath(), "bk relative");
            Assert.Equal("../../module/schema/binancekeys.schema.json",
                StateExporter.RelativePath(Path.Combine(root, "estate", "desks"), Path.Combine(root, "module", "schema", "binancekeys.schema.json")));
            Assert.Equal("s.json", StateExporter.RelativePath(root, Path.Combine(root, "s.json")));
            Assert.Equal("../schema#1.json", StateExporter.RelativePath(Path.Combine(root, "a"), Path.Combine(root, "schema#1.json")));
            Assert.Null(StateExporter.RelativePath(Path.Combine(root, "a"), Path.Combine(root, "s #1.json"))); // ' #' would end the modeline's path
        }
    }
}

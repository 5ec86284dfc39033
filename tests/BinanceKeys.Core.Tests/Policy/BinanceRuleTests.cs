using System.Collections.Generic;
using System.Linq;
using BinanceKeys.Policy;
using Xunit;
using static BinanceKeys.Tests.Policy.RuleDocuments;
using static BinanceKeys.Tests.TestSupport;

namespace BinanceKeys.Tests.Policy
{
    /// <summary>Every Binance rule on both sides of its boundary: a crafted document where it fires, and its corrected twin.</summary>
    public sealed class BinanceRuleTests
    {
        private static PolicyFinding Single(string yaml, string ruleId, FindingSeverity severity, string yamlPath)
        {
            var findings = Findings(yaml, ruleId);
            PolicyFinding finding = Assert.Single(findings);
            Assert.Equal(severity, finding.Severity);
            Assert.Equal(yamlPath, finding.YamlPath);
            Assert.Equal("desk", finding.Account);
            Assert.Equal("test.yaml", finding.File);
            Assert.True(finding.Line > 0 && finding.Column > 0);
            Assert.False(string.IsNullOrWhiteSpace(finding.Remediation));
            return finding;
        }

        private static void Silent(string yaml, string ruleId) => Assert.Empty(Findings(yaml, ruleId));

        [Fact]
        public void BN001_Fires_On31Keys()
        {
            var finding = Single(Doc(ManyKeys(31)), "BN001", FindingSeverity.Error, "accounts[0].keys[30]");
            Assert.Equal("bot-31", finding.Label);
            Assert.Contains("31 keys", finding.Message);
        }

        [Fact]
        public void BN001_Silent_On30Keys() => Silent(Doc(ManyKeys(30)), "BN001");

        [Fact]
        public void BN002_Fires_OnUnrestrictedHmacThatTrades()
        {
            var finding = Single(Doc(Hmac(permissions: "[spotAndMarginTrading]", ipWhitelist: null)), "BN002", FindingSeverity.Error, "accounts[0].keys[0].permissions[0]");
            Assert.Contains("Key 'bot' of account 'desk'", finding.Message);
        }

        [Fact]
        public void BN002_Fires_WhenControlsDeclaredOn() =>
            Single(Doc(Hmac(permissions: "[futures]", ipWhitelist: null), top: "defaultSecurityControls: true"), "BN002", FindingSeverity.Error, "accounts[0].keys[0].permissions[0]");

        [Fact]
        public void BN002_Silent_WithIpWhitelist() => Silent(Doc(Hmac(permissions: "[spotAndMarginTrading]")), "BN002");

        [Fact]
        public void BN002_Silent_WhenControlsOff() =>
            Silent(Doc(Hmac(permissions: "[spotAndMarginTrading]", ipWhitelist: null), top: "defaultSecurityControls: false"), "BN002");

        [Fact]
        public void BN002_Silent_WhenOnlyReading() => Silent(Doc(Hmac(permissions: "[reading]", ipWhitelist: null)), "BN002");

        [Fact]
        public void BN002_Silent_ForEd25519() => Silent(Doc(Key(permissions: "[spotAndMarginTrading]", ipWhitelist: null)), "BN002");

        [Fact]
        public void BN003_Fires_OnWithdrawalsWithoutIpRestriction() =>
            Single(Doc(Key(permissions: "[reading, withdrawals]", ipWhitelist: null)), "BN003", FindingSeverity.Error, "accounts[0].keys[0].permissions[1]");

        [Fact]
        public void BN003_Silent_WithIpWhitelist() => Silent(Doc(Key(permissions: "[withdrawals]")), "BN003");

        [Fact]
        public void BN004_Fires_WhenFuturesAccountClosed() =>
            Single(Doc(Key(permissions: "[futures]"), facts: "futuresEnabled: false"), "BN004", FindingSeverity.Error, "accounts[0].keys[0].permissions[0]");

        [Fact]
        public void BN004_Fires_AsWarning_WhenFuturesAccountUndeclared() =>
            Single(Doc(Key(permissions: "[futures]"), facts: ""), "BN004", FindingSeverity.Warning, "accounts[0].keys[0].permissions[0]");

        [Fact]
        public void BN004_Silent_WhenFuturesAccountOpen() => Silent(Doc(Key(permissions: "[futures]")), "BN004");

        [Fact]
        public void BN005_Fires_UnderPortfolioMargin() =>
            Single(Doc(Key(permissions: "[futures]"), facts: "futuresEnabled: true\nportfolioMargin: true"), "BN005", FindingSeverity.Error, "accounts[0].keys[0].permissions[0]");

        [Fact]
        public void BN005_Silent_WithoutPortfolioMargin() => Silent(Doc(Key(permissions: "[futures]")), "BN005");

        [Fact]
        public void BN006_Fires_WhenMarginDisabled() =>
            Single(Doc(Key(permissions: "[marginLoanRepayTransfer]"), facts: "marginEnabled: false"), "BN006", FindingSeverity.Error, "accounts[0].keys[0].permissions[0]");

        [Fact]
        public void BN006_Silent_WhenMarginEnabled() => Silent(Doc(Key(permissions: "[marginLoanRepayTransfer]")), "BN006");

        [Fact]
        public void BN007_Fires_WhenOptionsDisabled() =>
            Single(Doc(Key(permissions: "[europeanOptions]"), facts: "optionsEnabled: false"), "BN007", FindingSeverity.Error, "accounts[0].keys[0].permissions[0]");

        [Fact]
        public void BN007_Silent_WhenOptionsEnabled() => Silent(Doc(Key(permissions: "[europeanOptions]")), "BN007");

        [Fact]
        public void BN008_Fires_OnTradingWithoutWhitelist()
        {
            var finding = Single(Doc(Key(permissions: "[spotAndMarginTrading]", ipWhitelist: null)), "BN008", FindingSeverity.Warning, "accounts[0].keys[0].permissions[0]");
            Assert.Contains("30 days", finding.Message);
        }

        [Fact]
        public void BN008_Silent_WithWhitelist() => Silent(Doc(Key(permissions: "[spotAndMarginTrading]")), "BN008");

        [Fact]
        public void BN009_Fires_OnRsaWithFix() =>
            Single(Doc(Key(type: "rsa", publicKey: "keys/rsa2048.pub.pem", permissions: "[fixApiReading]")), "BN009", FindingSeverity.Error, "accounts[0].keys[0].permissions[0]");

        [Fact]
        public void BN009_Fires_OnHmacWithFix() =>
            Single(Doc(Hmac(permissions: "[reading, fixApiTrading]")), "BN009", FindingSeverity.Error, "accounts[0].keys[0].permissions[1]");

        [Fact]
        public void BN009_Silent_OnEd25519WithFix() => Silent(Doc(Key(permissions: "[fixApiTrading, fixApiReading]")), "BN009");

        [Fact]
        public void BN010_Fires_On31Addresses() =>
            Single(Doc(Key(ipWhitelist: Ips(31))), "BN010", FindingSeverity.Error, "accounts[0].keys[0].ipWhitelist[30]");

        [Fact]
        public void BN010_Silent_On30Addresses() => Silent(Doc(Key(ipWhitelist: Ips(30))), "BN010");

        [Fact]
        public void BN010_CountsDuplicatesOnce() => Silent(Doc(Key(ipWhitelist: Ips(30, "203.0.113.1"))), "BN010");

        [Fact]
        public void BN011_Fires_At501Characters()
        {
            var ips = IpsWithJoinedLength(501);
            Assert.Equal(501, string.Join(",", ips).Length);
            Single(Doc(Key(ipWhitelist: "[" + string.Join(", ", ips) + "]")), "BN011", FindingSeverity.Error, "accounts[0].keys[0].ipWhitelist");
        }

        [Fact]
        public void BN011_Silent_At500Characters()
        {
            var ips = IpsWithJoinedLength(500);
            Assert.Equal(500, string.Join(",", ips).Length);
            Silent(Doc(Key(ipWhitelist: "[" + string.Join(", ", ips) + "]")), "BN011");
        }

        [Theory]
        [InlineData("203.0.113.256")]
        [InlineData("010.0.0.1")]
        [InlineData("203.0.113")]
        [InlineData("203.0.113.7,203.0.113.8")]
        [InlineData("host.example.com")]
        public void BN012_Fires_OnInvalidAddress(string address) =>
            Single(Doc(Key(ipWhitelist: $"['{address}']")), "BN012", FindingSeverity.Error, "accounts[0].keys[0].ipWhitelist[0]");

        [Theory]
        [InlineData("203.0.113.255")]
        [InlineData("0.0.0.0")]
        [InlineData("10.0.0.1")]
        public void BN012_Silent_OnValidAddress(string address) => Silent(Doc(Key(ipWhitelist: $"['{address}']")), "BN012");

        [Theory]
        [InlineData("203.0.113.0/24")]
        [InlineData("2001:db8::1")]
        [InlineData("2001:db8::/32")]
        public void BN013_Fires_OnIpv6OrCidr(string address) =>
            Single(Doc(Key(ipWhitelist: $"['{address}']")), "BN013", FindingSeverity.Error, "accounts[0].keys[0].ipWhitelist[0]");

        [Fact]
        public void BN013_Silent_OnIpv4() => Silent(Doc(Key(ipWhitelist: "[203.0.113.0]")), "BN013");

        [Fact]
        public void BN014_Fires_OnDuplicateAddress() =>
            Single(Doc(Key(ipWhitelist: "[203.0.113.7, 203.0.113.8, 203.0.113.7]")), "BN014", FindingSeverity.Warning, "accounts[0].keys[0].ipWhitelist[2]");

        [Fact]
        public void BN014_Silent_OnDistinctAddresses() => Silent(Doc(Key(ipWhitelist: "[203.0.113.7, 203.0.113.8]")), "BN014");

        [Fact]
        public void BN015_Fires_OnDuplicatePermission() =>
            Single(Doc(Key(permissions: "[futures, spotAndMarginTrading, futures]")), "BN015", FindingSeverity.Warning, "accounts[0].keys[0].permissions[2]");

        [Fact]
        public void BN015_Silent_OnDistinctPermissions() => Silent(Doc(Key(permissions: "[futures, spotAndMarginTrading]")), "BN015");

        [Fact]
        public void BN016_Fires_OnTrustedWithoutAddresses() =>
            Single(Doc(Key(ipWhitelist: null, extra: "ipAccess: trusted")), "BN016", FindingSeverity.Error, "accounts[0].keys[0].ipAccess");

        [Fact]
        public void BN016_Fires_OnUnrestrictedWithAddresses() =>
            Single(Doc(Key(extra: "ipAccess: unrestricted")), "BN016", FindingSeverity.Error, "accounts[0].keys[0].ipWhitelist");

        [Fact]
        public void BN016_Silent_OnTrustedWithAddresses() => Silent(Doc(Key(extra: "ipAccess: trusted")), "BN016");

        [Fact]
        public void BN017_Fires_OnThirdPartyWithoutName() =>
            Single(Doc(Key(ipWhitelist: null, extra: "ipAccess: thirdParty")), "BN017", FindingSeverity.Error, "accounts[0].keys[0].ipAccess");

        [Fact]
        public void BN017_Fires_OnNameWithoutThirdParty() =>
            Single(Doc(Key(extra: "thirdPartyName: SomeVendor")), "BN017", FindingSeverity.Error, "accounts[0].keys[0].thirdPartyName");

        [Fact]
        public void BN017_Fires_OnBrokerThirdParty()
        {
            var findings = Findings(Doc(Key(ipWhitelist: null, extra: new[] { "ipAccess: thirdParty", "thirdPartyName: SomeVendor" }), identity: "brokerSubAccountId: 42"), "BN017");
            Assert.Contains("broker", Assert.Single(findings).Message);
        }

        [Fact]
        public void BN017_Silent_OnSubAccountThirdPartyWithName() =>
            Silent(Doc(Key(ipWhitelist: null, extra: new[] { "ipAccess: thirdParty", "thirdPartyName: SomeVendor" })), "BN017");

        [Fact]
        public void BN018_Fires_On31Symbols() =>
            Single(Doc(Key(extra: "symbolWhitelist: " + Symbols(31))), "BN018", FindingSeverity.Error, "accounts[0].keys[0].symbolWhitelist[30]");

        [Fact]
        public void BN018_Silent_On30Symbols() => Silent(Doc(Key(extra: "symbolWhitelist: " + Symbols(30))), "BN018");

        [Theory]
        [InlineData("abcdefghijklmnopqrstuvwxyz012345")]   // 32 characters
        [InlineData("'my bot'")]
        [InlineData("-bot")]
        [InlineData("bot/eu")]
        [InlineData("''")]
        public void BN019_Fires_OnBadLabel(string label) =>
            Single(Doc(Key(label: label)), "BN019", FindingSeverity.Error, "accounts[0].keys[0].label");

        [Theory]
        [InlineData("abcdefghijklmnopqrstuvwxyz01234")]    // 31 characters
        [InlineData("mm-bot_2.eu")]
        [InlineData("B")]
        public void BN019_Silent_OnGoodLabel(string label) => Silent(Doc(Key(label: label)), "BN019");

        // BN020 (duplicate labels) cannot be written into a file that loads: the loader rejects it
        // (DesiredStateLoaderTests.DuplicateLabel_IsRejected); it fires for observed keys (ObservedKeyTests).

        [Fact]
        public void BN021_Fires_OnHmacWithPublicKey() =>
            Single(Doc(Key(type: "hmac", extra: "secret: vault:bot")), "BN021", FindingSeverity.Error, "accounts[0].keys[0].publicKey");

        // Only a create needs the public key, and offline nobody knows whether the key exists: a warning in the file check
        // (the plan refuses to create or replace the key without it).
        [Theory]
        [InlineData("ed25519")]
        [InlineData("rsa")]
        public void BN021_Warns_OnPublicKeyTypeWithoutPublicKey(string type)
        {
            var finding = Single(Doc(Key(type: type, publicKey: null)), "BN021", FindingSeverity.Warning, "accounts[0].keys[0].type");
            Assert.Contains("without a publicKey", finding.Message);
            Assert.Contains("refuses to create or replace", finding.Message);
        }

        [Fact]
        public void BN021_Fires_OnTypeAlgorithmMismatch()
        {
            var finding = Single(Doc(Key(type: "rsa")), "BN021", FindingSeverity.Error, "accounts[0].keys[0].publicKey");
            Assert.Contains("ed25519", finding.Message);
        }

        [Fact]
        public void BN021_Fires_On1024BitRsa() =>
            Single(Doc(Key(type: "rsa", publicKey: "keys/rsa1024.pub.pem")), "BN021", FindingSeverity.Error, "accounts[0].keys[0].publicKey");

        [Fact]
        public void BN021_Fires_OnSecretForEd25519() =>
            Single(Doc(Key(extra: "secret: vault:bot")), "BN021", FindingSeverity.Error, "accounts[0].keys[0].secret");

        [Fact]
        public void BN021_Warns_OnHmacWithoutSecretStore() =>
            Single(Doc(Key(type: "hmac", publicKey: null, permissions: "[]", extra: "secret: vault:x").Replace("secret: vault:x", "").TrimEnd()), "BN021", FindingSeverity.Warning, "accounts[0].keys[0].type");

        [Theory]
        [InlineData("ed25519", "keys/ed25519.pub.pem")]
        [InlineData("rsa", "keys/rsa2048.pub.pem")]
        public void BN021_Silent_OnMatchingKeyMaterial(string type, string publicKey) => Silent(Doc(Key(type: type, publicKey: publicKey)), "BN021");

        [Fact]
        public void BN021_Silent_OnHmacWithSecretStore() => Silent(Doc(Hmac()), "BN021");

        [Fact]
        public void BN021_Silent_OnOwnAccountHmacWithoutSecretStore() =>
            Silent(Doc(Key(type: "hmac", publicKey: null, permissions: "[]", extra: "secret: vault:x").Replace("secret: vault:x", "").TrimEnd(), identity: ""), "BN021");

        [Fact]
        public void BN022_Fires_WithoutTwoFactor() =>
            Single(Doc(Key(), facts: "twoFactorEnabled: false"), "BN022", FindingSeverity.Error, "accounts[0].twoFactorEnabled");

        [Fact]
        public void BN022_Fires_WithoutVerification() =>
            Single(Doc(Key(), facts: "verified: false"), "BN022", FindingSeverity.Error, "accounts[0].verified");

        [Fact]
        public void BN022_Silent_WhenVerifiedWithTwoFactor() => Silent(Doc(Key()), "BN022");

        [Fact]
        public void BN023_Fires_OnWithdrawalsForSubAccount() =>
            Single(Doc(Key(permissions: "[spotAndMarginTrading, withdrawals]")), "BN023", FindingSeverity.Warning, "accounts[0].keys[0].permissions[1]");

        [Fact]
        public void BN023_Fires_OnFixForBroker() =>
            Single(Doc(Key(permissions: "[fixApiTrading]"), identity: "brokerSubAccountId: '42'"), "BN023", FindingSeverity.Warning, "accounts[0].keys[0].permissions[0]");

        [Fact]
        public void BN023_Silent_OnApiSettablePermissions() =>
            Silent(Doc(Key(permissions: "[reading, spotAndMarginTrading, marginLoanRepayTransfer, futures, universalTransfer, europeanOptions, fixApiTrading]")), "BN023");

        [Fact]
        public void BN024_Informs_OnSymbolWhitelist() =>
            Single(Doc(Key(extra: "symbolWhitelist: [BTCUSDT]")), "BN024", FindingSeverity.Info, "accounts[0].keys[0].symbolWhitelist");

        [Fact]
        public void BN024_Warns_OnSymbolWhitelistWithoutTrading() =>
            Single(Doc(Key(permissions: "[]", extra: "symbolWhitelist: [BTCUSDT]")), "BN024", FindingSeverity.Warning, "accounts[0].keys[0].symbolWhitelist");

        [Fact]
        public void BN024_Silent_WithoutSymbolWhitelist() => Silent(Doc(Key()), "BN024");

        [Fact]
        public void BN025_Informs_OnOwnAccountKey() =>
            Single(Doc(Key(), identity: ""), "BN025", FindingSeverity.Info, "accounts[0].keys[0]");

        [Fact]
        public void BN025_Silent_OnSubAccountKey() => Silent(Doc(Key()), "BN025");

        [Fact]
        public void BN026_Fires_WithoutPortfolioMargin() =>
            Single(Doc(Key(permissions: "[portfolioMarginTrading]")), "BN026", FindingSeverity.Error, "accounts[0].keys[0].permissions[0]");

        [Fact]
        public void BN026_Silent_WithPortfolioMargin() =>
            Silent(Doc(Key(permissions: "[portfolioMarginTrading]"), facts: "portfolioMargin: true"), "BN026");

        [Fact]
        public void CorrectedDocument_HasNoFindingAtAll() => Assert.Empty(Evaluate(Doc(Key())));

        internal static string Ips(int count, params string[] extra) =>
            "[" + string.Join(", ", Enumerable.Range(1, count).Select(i => "203.0.113." + i).Concat(extra)) + "]";

        internal static string Symbols(int count) =>
            "[" + string.Join(", ", Enumerable.Range(1, count).Select(i => "COIN" + i + "USDT")) + "]";

        /// <summary>Distinct IPv4 addresses whose comma-joined text is exactly <paramref name="total"/> characters.</summary>
        internal static List<string> IpsWithJoinedLength(int total)
        {
            var ips = new List<string>();
            int length = 0;
            for (int i = 0; total - (length + (ips.Count > 0 ? 1 : 0) + 15) >= 8; i++)
            {
                length += (ips.Count > 0 ? 1 : 0) + 15;
                ips.Add("100.100.100." + (100 + i));
            }
            int rest = total - length - 1;
            string[] bySize = { "1.1.1.1", "1.1.1.10", "1.1.1.100", "1.1.10.100", "1.1.100.100", "1.10.100.100", "1.100.100.100", "10.100.100.100", "101.100.100.100" };
            if (rest > 15)
            {
                ips.Add(bySize[0]);
                rest -= 8;
            }
            ips.Add(bySize[rest - 7]);
            return ips;
        }
    }
}

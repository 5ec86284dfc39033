using BinanceKeys.Policy;
using Xunit;
using static BinanceKeys.Tests.Policy.RuleDocuments;
using static BinanceKeys.Tests.TestSupport;

namespace BinanceKeys.Tests.Policy
{
    /// <summary>Every organisation rule on both sides of its boundary.</summary>
    public sealed class OrganisationRuleTests
    {
        private static PolicyFinding Single(string yaml, string ruleId, string yamlPath)
        {
            PolicyFinding finding = Assert.Single(Findings(yaml, ruleId));
            Assert.Equal(FindingSeverity.Error, finding.Severity);
            Assert.Equal(yamlPath, finding.YamlPath);
            return finding;
        }

        private static void Silent(string yaml, string ruleId) => Assert.Empty(Findings(yaml, ruleId));

        [Fact]
        public void ORG001_Fires_OnForbiddenPermission()
        {
            var finding = Single(Doc(Key(permissions: "[spotAndMarginTrading, withdrawals]"), top: "policy:\n  forbidPermissions: [withdrawals]"), "ORG001", "accounts[0].keys[0].permissions[1]");
            Assert.Contains("withdrawals", finding.Message);
        }

        [Fact]
        public void ORG001_Silent_WithoutForbiddenPermission() =>
            Silent(Doc(Key(permissions: "[spotAndMarginTrading]"), top: "policy:\n  forbidPermissions: [withdrawals]"), "ORG001");

        [Theory]
        [InlineData("198.51.100.7")]
        [InlineData("203.0.114.0")]      // first address after the /24
        [InlineData("203.0.112.255")]    // last address before it
        public void ORG002_Fires_OutsideAllowedNetworks(string address) =>
            Single(Doc(Key(ipWhitelist: $"[203.0.113.7, {address}]"), top: "policy:\n  allowedNetworks: [203.0.113.0/24]"), "ORG002", "accounts[0].keys[0].ipWhitelist[1]");

        [Theory]
        [InlineData("203.0.113.0")]
        [InlineData("203.0.113.255")]
        public void ORG002_Silent_InsideAllowedNetworks(string address) =>
            Silent(Doc(Key(ipWhitelist: $"[{address}]"), top: "policy:\n  allowedNetworks: [203.0.113.0/24]"), "ORG002");

        [Fact]
        public void ORG002_Silent_InsideSecondNetwork() =>
            Silent(Doc(Key(ipWhitelist: "[198.51.100.9]"), top: "policy:\n  allowedNetworks: [203.0.113.0/24, 198.51.100.9]"), "ORG002");

        [Fact]
        public void ORG003_Fires_OnDisallowedKeyType() =>
            Single(Doc(Hmac(), top: "policy:\n  keyTypes: [ed25519, rsa]"), "ORG003", "accounts[0].keys[0].type");

        [Fact]
        public void ORG003_Silent_OnAllowedKeyType() => Silent(Doc(Key(), top: "policy:\n  keyTypes: [ed25519, rsa]"), "ORG003");

        [Fact]
        public void ORG004_Fires_OnUnrestrictedKey() =>
            Single(Doc(Key(ipWhitelist: null), top: "policy:\n  requireIpRestriction: true"), "ORG004", "accounts[0].keys[0]");

        [Fact]
        public void ORG004_Fires_OnThirdPartyRestriction() =>
            Single(Doc(Key(ipWhitelist: null, extra: new[] { "ipAccess: thirdParty", "thirdPartyName: Vendor" }), top: "policy:\n  requireIpRestriction: true"), "ORG004", "accounts[0].keys[0]");

        [Fact]
        public void ORG004_Silent_OnWhitelistedKey() => Silent(Doc(Key(), top: "policy:\n  requireIpRestriction: true"), "ORG004");

        [Fact]
        public void ORG004_Silent_WhenNotRequired() => Silent(Doc(Key(ipWhitelist: null), top: "policy:\n  requireIpRestriction: false"), "ORG004");

        [Fact]
        public void ORG005_Fires_AboveMaximum() =>
            Single(Doc(ManyKeys(3), top: "policy:\n  maxKeysPerAccount: 2"), "ORG005", "accounts[0].keys[2]");

        [Fact]
        public void ORG005_Silent_AtMaximum() => Silent(Doc(ManyKeys(2), top: "policy:\n  maxKeysPerAccount: 2"), "ORG005");

        [Fact]
        public void ORG006_Fires_OnLabelNotMatchingPattern() =>
            Single(Doc(Key(label: "Bot1"), top: "policy:\n  labelPattern: '^[a-z]+-bot$'"), "ORG006", "accounts[0].keys[0].label");

        [Fact]
        public void ORG006_Silent_OnLabelMatchingPattern() => Silent(Doc(Key(label: "mm-bot"), top: "policy:\n  labelPattern: '^[a-z]+-bot$'"), "ORG006");

        [Fact]
        public void OrganisationRules_Silent_WithoutPolicyBlock() =>
            Assert.DoesNotContain(Evaluate(Doc(Hmac(permissions: "[withdrawals]", ipWhitelist: "[198.51.100.7]"))), f => f.RuleId.StartsWith("ORG"));
    }
}

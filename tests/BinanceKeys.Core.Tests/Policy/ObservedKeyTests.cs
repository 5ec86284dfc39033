using System;
using System.Linq;
using BinanceKeys.Policy;
using Xunit;

namespace BinanceKeys.Tests.Policy
{
    /// <summary>Keys from the pipeline (as Get-BinanceApiKey will emit them): same rules, no positions, no account facts.</summary>
    public sealed class ObservedKeyTests
    {
        private static ApiKeyInfo Key(string label, ApiKeyType? type = ApiKeyType.Ed25519, params ApiKeyPermission[] permissions) => new ApiKeyInfo
        {
            Account = "desk",
            AccountKind = AccountKind.SubAccount,
            Email = "desk@example.com",
            Label = label,
            Type = type,
            Permission = permissions,
            IpAccess = IpAccessMode.TrustedIps,
            IpAddress = new[] { "203.0.113.7" },
        };

        private static PolicyReport Test(params ApiKeyInfo[] keys) => PolicyService.TestKeys(keys, clock: () => TestSupport.Now);

        [Fact]
        public void BN020_Fires_OnObservedDuplicateLabels()
        {
            var report = Test(Key("bot"), Key("BOT"));
            PolicyFinding finding = Assert.Single(report.Findings, f => f.RuleId == "BN020");
            Assert.Equal(FindingSeverity.Warning, finding.Severity);
            Assert.Null(finding.File);
            Assert.Equal(0, finding.Line);
        }

        [Fact]
        public void BN020_Silent_OnDistinctLabels() => Assert.DoesNotContain(Test(Key("bot"), Key("bot-2")).Findings, f => f.RuleId == "BN020");

        [Fact]
        public void DefaultSecurityControls_UnknownForObservedKeys_IsAWarning()
        {
            var key = Key("legacy", ApiKeyType.Hmac, ApiKeyPermission.SpotAndMarginTrading);
            key.IpAccess = IpAccessMode.Unrestricted;
            key.IpAddress = Array.Empty<string>();
            var report = Test(key);
            Assert.Equal(FindingSeverity.Warning, Assert.Single(report.Findings, f => f.RuleId == "BN002").Severity);
            Assert.True(report.Passed);
        }

        [Fact]
        public void TradingExpiry_NamesTheReportedDate()
        {
            var key = Key("trader", ApiKeyType.Ed25519, ApiKeyPermission.SpotAndMarginTrading);
            key.IpAccess = IpAccessMode.Unrestricted;
            key.IpAddress = Array.Empty<string>();
            key.TradingAuthorityExpirationTime = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
            Assert.Contains("expires on 2026-12-01 00:00 UTC", Assert.Single(Test(key).Findings, f => f.RuleId == "BN008").Message);
            key.TradingAuthorityExpirationTime = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
            Assert.Contains("expired on 2026-11-01", Assert.Single(Test(key).Findings, f => f.RuleId == "BN008").Message);
        }

        [Fact]
        public void ObservedKeys_WithWithdrawalsUnrestricted_Fail()
        {
            var key = Key("payout", ApiKeyType.Ed25519, ApiKeyPermission.Withdrawals);
            key.IpAccess = IpAccessMode.Unrestricted;
            key.IpAddress = Array.Empty<string>();
            var report = Test(key);
            Assert.False(report.Passed);
            var finding = Assert.Single(report.Findings, f => f.RuleId == "BN003");
            Assert.Equal("desk", finding.Account);
            Assert.Equal("payout", finding.Label);
        }

        [Fact]
        public void ObservedKeys_DoNotReportFileOnlyRules()
        {
            // Observed keys have no public key, secret store or facts: none of that can be held against them.
            var report = Test(Key("bot", null, ApiKeyPermission.Futures, ApiKeyPermission.Withdrawals));
            Assert.DoesNotContain(report.Findings, f => f.RuleId == "BN021" || f.RuleId == "BN004" || f.RuleId == "BN023" || f.RuleId == "BN025");
        }

        [Fact]
        public void ObservedKeys_GroupByAccount()
        {
            var other = Key("bot");
            other.Account = "other";
            var keys = Enumerable.Range(1, 31).Select(i => Key("bot-" + i)).Append(other).ToArray();
            var finding = Assert.Single(Test(keys).Findings, f => f.RuleId == "BN001");
            Assert.Equal("desk", finding.Account);
        }

        [Fact]
        public void ApiKeyInfo_TreatsPermissionsAndAddressesAsSets()
        {
            var key = new ApiKeyInfo
            {
                Permission = new[] { ApiKeyPermission.Futures, ApiKeyPermission.Reading, ApiKeyPermission.Futures },
                IpAddress = new[] { " 203.0.113.7", "203.0.113.7", "203.0.113.8" },
            };
            Assert.Equal(new[] { ApiKeyPermission.Reading, ApiKeyPermission.Futures }, key.Permission);
            Assert.Equal(new[] { "203.0.113.7", "203.0.113.8" }, key.IpAddress);
        }

        [Fact]
        public void Finding_ToString_NamesPositionRuleAndKey()
        {
            var finding = new PolicyFinding { RuleId = "BN003", Severity = FindingSeverity.Error, Account = "desk", Label = "bot", Message = "m", File = "f.yaml", Line = 3, Column = 7 };
            Assert.Equal("f.yaml:3:7: BN003 Error desk/bot: m", finding.ToString());
            Assert.Equal("BN003 Error desk/bot: m", new PolicyFinding { RuleId = "BN003", Severity = FindingSeverity.Error, Account = "desk", Label = "bot", Message = "m" }.ToString());
        }
    }
}

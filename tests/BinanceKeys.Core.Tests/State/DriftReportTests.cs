using System;
using System.Collections.Generic;
using System.Linq;
using BinanceKeys.Binance;
using BinanceKeys.Keys;
using BinanceKeys.State;
using BinanceKeys.State.Planning;
using Xunit;
using static BinanceKeys.Tests.TestSupport;

namespace BinanceKeys.Tests.State
{
    /// <summary>
    /// The drift report read off a plan: a desired state and a live state written by hand, planned by the real planner,
    /// and the entries expected from what differs between the two.
    /// </summary>
    public sealed class DriftReportTests
    {
        private const string Email = "desk@example.com";

        private static string File(string keys, string prune = "false", string identity = "email: desk@example.com") => $@"
            version: 1
            accounts:
              - name: desk
                {identity}
                futuresEnabled: true
                prune: {prune}
                keys:{keys}";

        private static string Ed25519Key(string label, string permissions, string ips, string extra = "") => $@"
                  - label: {label}
                    type: ed25519
                    publicKey: keys/ed25519.pub.pem
                    permissions: {permissions}
                    ipWhitelist: {ips}{extra}";

        private static LiveKey LiveKey(string apiKey, string? label, bool trade = false, bool futures = false, string[]? ips = null, KeyRecord? record = null, bool fixReading = false)
        {
            var remote = new RemoteApiKey
            {
                ApiKey = apiKey,
                ApiName = label,
                CanTrade = trade,
                CanMarginLoanRepay = false,
                CanFuturesTrade = futures,
                CanUniversalTransfer = false,
                CanVanillaOptions = false,
                CanFixApiTrading = false,
                CanFixApiReading = fixReading,
                CreateTime = Now.AddDays(-1),
            };
            return new LiveKey(remote, apiKey, record)
            {
                Ip = new IpRestriction { ApiKey = apiKey, IpRestrict = ips != null, IpList = ips ?? Array.Empty<string>() },
                IpSource = ValueSource.Live,
            };
        }

        private static (DriftReport Report, KeyPlan Plan) Report(string yaml, IEnumerable<LiveKey> keys, PlanInputs? inputs = null)
        {
            var state = Load(yaml);
            var account = state.Accounts.Single();
            var live = new LiveAccount(AccountReference.From(account.Email, account.BrokerSubAccountId));
            if (account.Kind == AccountKind.Own) live.Readable = false;
            live.Keys.AddRange(keys);
            var planned = KeyPlanner.Run(state.Accounts, new[] { live }, inputs ?? new PlanInputs());
            var plan = new KeyPlan
            {
                Accounts = new[] { new KeyPlanAccount { Name = account.Name } },
                Actions = planned.Actions.ToArray(),
                Notes = planned.Notes.ToArray(),
                Undeclared = planned.Undeclared.ToArray(),
            };
            return (DriftReport.From(plan), plan);
        }

        private static KeyStateDrift Entry(DriftReport report, KeyStateDriftKind kind, string label, string property = "") =>
            Assert.Single(report.Entries, e => e.Kind == kind && e.Label == label && e.Property == property);

        [Fact]
        public void WhenBinanceMatchesTheFileThereIsNoEntry()
        {
            var (report, _) = Report(File(Ed25519Key("bot", "[spotAndMarginTrading, futures]", "[203.0.113.7, 203.0.113.8]")),
                new[] { LiveKey("K1", "BOT", trade: true, futures: true, ips: new[] { "203.0.113.8", "203.0.113.7" }) });
            Assert.Empty(report.Entries);
            Assert.True(report.InDesiredState);
        }

        [Fact]
        public void ADeclaredKeyThatIsNotOnBinanceIsMissing()
        {
            var (report, _) = Report(File(Ed25519Key("bot", "[futures]", "[203.0.113.7]")), Array.Empty<LiveKey>());
            var missing = Entry(report, KeyStateDriftKind.Missing, "bot");
            Assert.Equal("desk", missing.Account);
            Assert.Equal("ed25519 key with permissions [reading, futures], ipWhitelist [203.0.113.7]", missing.Desired);
            Assert.Equal("(none)", missing.Actual);
            Assert.True(missing.IsDrift);
            Assert.False(report.InDesiredState);
            Assert.Equal("desk/bot Missing: declared (ed25519 key with permissions [reading, futures], ipWhitelist [203.0.113.7]), not on Binance", missing.ToString());
        }

        [Fact]
        public void EachPropertyThatDiffersIsOneChangedEntry()
        {
            var (report, _) = Report(File(Ed25519Key("bot", "[spotAndMarginTrading]", "[203.0.113.7]")),
                new[] { LiveKey("K1", "bot", trade: false, futures: true, ips: new[] { "203.0.113.9" }) });

            var permissions = Entry(report, KeyStateDriftKind.Changed, "bot", "permissions");
            Assert.Equal("[reading, futures]", permissions.Actual);
            Assert.Equal("[reading, spotAndMarginTrading]", permissions.Desired);
            Assert.Equal("K1", permissions.ApiKey);
            var ips = Entry(report, KeyStateDriftKind.Changed, "bot", "ipWhitelist");
            Assert.Equal("[203.0.113.9]", ips.Actual);
            Assert.Equal("[203.0.113.7]", ips.Desired);
            Assert.Equal(ValueSource.Live, ips.ActualSource);
            Assert.Equal(2, report.Entries.Count);
        }

        [Fact]
        public void TheTypeAndPublicKeyAreComparedWithTheModulesRecord()
        {
            var record = new KeyRecord { AccountKind = AccountKind.SubAccount, Email = Email, Label = "bot", ApiKey = "K1", Type = ApiKeyType.Hmac, SecretDestination = "vault:desk/bot" };
            var (report, _) = Report(File(Ed25519Key("bot", "[]", "[203.0.113.7]")), new[] { LiveKey("K1", "bot", ips: new[] { "203.0.113.7" }, record: record) });

            var type = Entry(report, KeyStateDriftKind.Changed, "bot", "type");
            Assert.Equal("hmac", type.Actual);
            Assert.Equal("ed25519", type.Desired);
            Assert.Equal(ValueSource.Record, type.ActualSource);
        }

        [Fact]
        public void UndeclaredKeysAreUnmanagedWithPruneOffAndTheirLiveStateIsInThePlan()
        {
            var record = new KeyRecord { AccountKind = AccountKind.SubAccount, Email = Email, Label = "old", ApiKey = "K2", Type = ApiKeyType.Hmac, SecretDestination = "vault:desk/old" };
            var (report, plan) = Report(File(Ed25519Key("bot", "[]", "[203.0.113.7]")),
                new[] { LiveKey("K1", "bot", ips: new[] { "203.0.113.7" }), LiveKey("K2", "old", trade: true, ips: new[] { "198.51.100.2", "198.51.100.1" }, record: record) });

            var unmanaged = Entry(report, KeyStateDriftKind.Unmanaged, "old");
            Assert.False(unmanaged.IsDrift);
            Assert.True(report.InDesiredState);
            Assert.Equal("K2 with permissions [reading, spotAndMarginTrading], ipWhitelist [198.51.100.2, 198.51.100.1]", unmanaged.Actual);

            var undeclared = Assert.Single(plan.Undeclared);
            Assert.Equal(UndeclaredKeyStatus.Kept, undeclared.Status);
            Assert.Equal("old", undeclared.Label);
            Assert.Equal("K2", undeclared.ApiKey);
            Assert.Equal(ApiKeyType.Hmac, undeclared.Type);
            Assert.Equal("vault:desk/old", undeclared.Secret);
            Assert.Equal(new[] { ApiKeyPermission.Reading, ApiKeyPermission.SpotAndMarginTrading }, undeclared.Permission);
            Assert.Equal(true, undeclared.IpRestricted);
            Assert.Equal(new[] { "198.51.100.2", "198.51.100.1" }, undeclared.IpAddress);
            Assert.Empty(undeclared.UnknownPermission);
            Assert.Contains(plan.Notes, n => n.Contains("'old'") && n.Contains("prune is off")); // the text notes stay as they were
        }

        [Fact]
        public void UndeclaredKeysAreDriftWithPruneOn()
        {
            var (report, plan) = Report(File(Ed25519Key("bot", "[]", "[203.0.113.7]"), prune: "true"),
                new[] { LiveKey("K1", "bot", ips: new[] { "203.0.113.7" }), LiveKey("K2", "old", ips: new[] { "198.51.100.1" }) });

            var undeclared = Entry(report, KeyStateDriftKind.Undeclared, "old");
            Assert.True(undeclared.IsDrift);
            Assert.Equal("K2", undeclared.ApiKey);
            Assert.Contains("prune", undeclared.Reason);
            Assert.Empty(plan.Undeclared); // the plan deletes it: an action, not a key it leaves
            Assert.False(report.InDesiredState);
        }

        [Fact]
        public void AMaskedBrokerKeyInAPrunedAccountIsDriftOnlyTheWebUiCanRemove()
        {
            var yaml = File(" []", prune: "true", identity: "brokerSubAccountId: \"1001\"");
            var masked = new LiveKey(new RemoteApiKey { ApiKey = "abc*****", CanTrade = true, CanMarginLoanRepay = false, CanFuturesTrade = false }, "abc*****", null)
            {
                Ip = null,
            };
            var (report, plan) = Report(yaml, new[] { masked });

            var undeclared = Entry(report, KeyStateDriftKind.Undeclared, "abc*****");
            Assert.True(undeclared.IsDrift);
            Assert.Contains("web UI", undeclared.Reason);
            var entry = Assert.Single(plan.Undeclared);
            Assert.Equal(UndeclaredKeyStatus.WebUiOnly, entry.Status);
            Assert.True(entry.IsMasked);
            Assert.Null(entry.Label);
            Assert.Null(entry.IpRestricted);
            // The broker query does not report universal transfer or options, and nothing recorded them.
            Assert.Equal(new[] { ApiKeyPermission.UniversalTransfer, ApiKeyPermission.EuropeanOptions }, entry.UnknownPermission);
        }

        [Fact]
        public void AKeyLeftByAnInterruptedCreateIsUndeclaredDriftWhateverPruneSays()
        {
            var inputs = new PlanInputs { Orphans = new[] { (AccountReference.SubAccount(Email), "K9", "bot") } };
            var (report, _) = Report(File(Ed25519Key("bot", "[]", "[203.0.113.7]")),
                new[] { LiveKey("K1", "bot", ips: new[] { "203.0.113.7" }), LiveKey("K9", "bot-new", ips: new[] { "203.0.113.7" }) }, inputs);

            var left = Entry(report, KeyStateDriftKind.Undeclared, "bot-new");
            Assert.Equal("K9", left.ApiKey);
            Assert.Contains("interrupted create", left.Reason);
            Assert.True(left.IsDrift);
        }

        [Fact]
        public void FixPermissionsThatDifferAreChangedThoughOnlyTheWebUiChangesThem()
        {
            var (report, plan) = Report(File(Ed25519Key("bot", "[fixApiReading]", "[203.0.113.7]")), new[] { LiveKey("K1", "bot", ips: new[] { "203.0.113.7" }) });

            Assert.Contains(plan.Actions, a => a.Kind == KeyPlanActionKind.Manual);
            Assert.DoesNotContain(plan.Actions, a => a.IsChange);
            var fix = Entry(report, KeyStateDriftKind.Changed, "bot", "permissions");
            Assert.Equal("[reading]", fix.Actual);
            Assert.Equal("[reading, fixApiReading]", fix.Desired);
            Assert.Contains("web UI", fix.Reason);
            Assert.False(report.InDesiredState);
        }

        [Fact]
        public void WhatOnlyTheWebUiTellsIsUnverifiableAndNotDrift()
        {
            string keys = Ed25519Key("bot", "[spotAndMarginTrading, withdrawals]", "[203.0.113.7]", "\n                    symbolWhitelist: [BTCUSDT]") + $@"
                  - label: partner
                    type: ed25519
                    publicKey: keys/ed25519.pub.pem
                    ipAccess: thirdParty
                    thirdPartyName: acme";
            var (report, _) = Report(File(keys), new[] { LiveKey("K1", "bot", trade: true, ips: new[] { "203.0.113.7" }), LiveKey("K2", "partner") });

            Assert.Equal("[withdrawals]", Entry(report, KeyStateDriftKind.Unverifiable, "bot", "permissions").Desired);
            var symbols = Entry(report, KeyStateDriftKind.Unverifiable, "bot", "symbolWhitelist");
            Assert.Equal("[BTCUSDT]", symbols.Desired);
            Assert.Equal(ValueSource.Unknown, symbols.ActualSource);
            Assert.Equal("thirdParty 'acme'", Entry(report, KeyStateDriftKind.Unverifiable, "partner", "ipAccess").Desired);
            Assert.All(report.Entries, e => Assert.False(e.IsDrift));
            Assert.True(report.InDesiredState);
        }

        [Fact]
        public void AThirdPartyKeyThatIsNotOnBinanceIsMissing()
        {
            string keys = @"
                  - label: partner
                    type: ed25519
                    publicKey: keys/ed25519.pub.pem
                    ipAccess: thirdParty
                    thirdPartyName: acme";
            var (report, _) = Report(File(keys), Array.Empty<LiveKey>());
            var missing = Entry(report, KeyStateDriftKind.Missing, "partner");
            Assert.Contains("third-party", missing.Reason);
        }

        [Fact]
        public void OwnAccountKeysAreUnverifiable()
        {
            string keys = @"
                  - label: admin
                    type: hmac
                    permissions: [spotAndMarginTrading]
                    ipWhitelist: [127.0.0.1]";
            var (report, _) = Report(File(keys, identity: ""), Array.Empty<LiveKey>());
            var own = Entry(report, KeyStateDriftKind.Unverifiable, "admin", "key");
            Assert.Contains("127.0.0.1", own.Desired);
            Assert.True(report.InDesiredState);
        }

        [Fact]
        public void DriftComesBeforeInformation()
        {
            var (report, _) = Report(File(Ed25519Key("bot", "[]", "[203.0.113.7]") + Ed25519Key("new", "[]", "[203.0.113.8]")),
                new[] { LiveKey("K0", "extra", ips: new[] { "198.51.100.1" }), LiveKey("K1", "bot", ips: new[] { "203.0.113.7" }) });
            Assert.Equal(new[] { KeyStateDriftKind.Missing, KeyStateDriftKind.Unmanaged }, report.Entries.Select(e => e.Kind));
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using BinanceKeys.Binance;
using BinanceKeys.Crypto;
using BinanceKeys.Keys;
using BinanceKeys.State;
using BinanceKeys.State.Planning;
using Xunit;

namespace BinanceKeys.Tests.State
{
    /// <summary>
    /// The planner alone (no network): a desired state against live snapshots built by hand, so that every rule of the
    /// comparison is pinned at its boundary: matching by label, sets, safe order, records, prune, manual steps.
    /// </summary>
    public sealed class KeyPlannerTests
    {
        private static readonly AccountReference DeskA = AccountReference.SubAccount("desk-a@example.com");
        private static readonly AccountReference Broker = AccountReference.Broker("1001");
        private static readonly Lazy<PublicKey> EdKey = new Lazy<PublicKey>(() => { using var k = KeyGenerator.Generate(KeyAlgorithm.Ed25519); return k.PublicKey; });
        private static readonly Lazy<PublicKey> OtherEdKey = new Lazy<PublicKey>(() => { using var k = KeyGenerator.Generate(KeyAlgorithm.Ed25519); return k.PublicKey; });

        private static string Pem(PublicKey key) => "|\n" + string.Join("\n", key.Pem.Trim().Split('\n').Select(l => "          " + l));

        private static DesiredState File(string keysYaml, bool prune = false, string account = "email: desk-a@example.com") => TestSupport.Load($@"
            version: 1
            accounts:
              - name: desk-a
                {account}
                futuresEnabled: true
                marginEnabled: true
                prune: {(prune ? "true" : "false")}
                keys:
{keysYaml}");

        private static string Key(string label, string type = "ed25519", string permissions = "[spotAndMarginTrading]", string ips = "[203.0.113.7, 203.0.113.8]", PublicKey? publicKey = null) =>
            $@"                  - label: {label}
                    type: {type}
                    permissions: {permissions}
                    ipWhitelist: {ips}
" + (type == "hmac" ? $"                    secret: vault:desk-a/{label}\n" : $"                    publicKey: {Pem(publicKey ?? EdKey.Value).Replace("\n          ", "\n                      ")}\n");

        private static LiveKey Live(string apiKey, string? label, bool trade = true, bool margin = false, bool futures = false, string[]? ips = null, KeyRecord? record = null, bool restricted = true)
        {
            var key = new LiveKey(new RemoteApiKey
            {
                ApiKey = apiKey,
                ApiName = label,
                CanTrade = trade,
                CanMarginLoanRepay = margin,
                CanFuturesTrade = futures,
                CanUniversalTransfer = false,
                CanVanillaOptions = false,
            }, apiKey, record)
            {
                Ip = new IpRestriction { ApiKey = apiKey, IpRestrict = restricted, IpList = restricted ? (ips ?? new[] { "203.0.113.7", "203.0.113.8" }) : Array.Empty<string>() },
                IpSource = ValueSource.Live,
            };
            return key;
        }

        private static KeyRecord Record(string apiKey, string label, ApiKeyType type, PublicKey? publicKey) => new KeyRecord
        {
            AccountKind = AccountKind.SubAccount,
            Email = DeskA.Email,
            Label = label,
            ApiKey = apiKey,
            Type = type,
            PublicKeyFingerprint = publicKey?.Fingerprint,
        };

        private static (List<KeyPlanAction> Actions, List<string> Notes, int Unchanged) Plan(DesiredState state, AccountReference account, IEnumerable<LiveKey> keys, PlanInputs? inputs = null)
        {
            var live = new LiveAccount(account);
            live.Keys.AddRange(keys);
            return KeyPlanner.Plan(state.Accounts, new[] { live }, inputs ?? new PlanInputs());
        }

        [Fact]
        public void ADeclaredKeyThatIsMissingIsCreatedWithEverythingItNeeds()
        {
            var (actions, _, unchanged) = Plan(File(Key("mm-bot")), DeskA, Array.Empty<LiveKey>());

            var create = Assert.Single(actions);
            Assert.Equal(KeyPlanActionKind.Create, create.Kind);
            Assert.Equal(new[] { ApiKeyPermission.Reading, ApiKeyPermission.SpotAndMarginTrading }, create.DesiredPermission);
            Assert.Equal(new[] { "203.0.113.7", "203.0.113.8" }, create.DesiredIpAddress);
            Assert.Equal(EdKey.Value.Fingerprint, create.PublicKeyFingerprint);
            Assert.Contains(create.Changes, c => c.Property == "publicKey" && c.After == "SHA256:" + EdKey.Value.Fingerprint);
            Assert.Equal(0, unchanged);
            // v2 create (a public key), then the read-back: query and IP whitelist.
            Assert.Contains(create.Calls, c => c.Endpoint == "POST /sapi/v2/sub-account/subAccountApi" && c.Count == 1);
            Assert.Contains(create.Calls, c => c.Endpoint == "GET /sapi/v1/sub-account/subAccountApi" && c.Count == 2);
        }

        [Fact]
        public void LabelsMatchCaseInsensitivelyAndSetsIgnoreOrderAndDuplicates()
        {
            var state = File(Key("MM-Bot", ips: "[203.0.113.8, 203.0.113.7, 203.0.113.7]"));

            var (actions, _, unchanged) = Plan(state, DeskA, new[] { Live("k1", "mm-bot", ips: new[] { "203.0.113.7", " 203.0.113.8" }) });

            Assert.Empty(actions);
            Assert.Equal(1, unchanged);
        }

        [Fact]
        public void AnIpChangeIsOneActionWithItsAdditionsAndRemovals()
        {
            var (actions, _, _) = Plan(File(Key("mm-bot", ips: "[203.0.113.7, 203.0.113.9]")), DeskA, new[] { Live("k1", "mm-bot") });

            var update = Assert.Single(actions);
            Assert.Equal(KeyPlanActionKind.UpdateIpWhitelist, update.Kind);
            var change = Assert.Single(update.Changes);
            Assert.Equal("[203.0.113.7, 203.0.113.8]", change.Before);
            Assert.Equal("[203.0.113.7, 203.0.113.9]", change.After);
            Assert.Equal(new[] { "203.0.113.9" }, change.Added);
            Assert.Equal(new[] { "203.0.113.8" }, change.Removed);
            // The surplus address goes in a second call, once the wanted ones are in.
            Assert.Contains(update.Calls, c => c.Endpoint == "DELETE /sapi/v1/sub-account/subAccountApi/ipRestriction/ipList");
        }

        [Fact]
        public void WhenAKeyGetsRestrictedAndGrantedTheRestrictionComesFirst()
        {
            var (actions, _, _) = Plan(File(Key("mm-bot", permissions: "[spotAndMarginTrading, futures]")), DeskA,
                new[] { Live("k1", "mm-bot", trade: false, restricted: false) });

            Assert.Equal(new[] { KeyPlanActionKind.UpdateIpWhitelist, KeyPlanActionKind.UpdatePermissions }, actions.Select(a => a.Kind));
        }

        [Fact]
        public void WhenARestrictionIsLiftedThePermissionsGoFirst()
        {
            var (actions, _, _) = Plan(File(Key("mm-bot", permissions: "[]", ips: "[]")), DeskA, new[] { Live("k1", "mm-bot", trade: true) });

            Assert.Equal(new[] { KeyPlanActionKind.UpdatePermissions, KeyPlanActionKind.UpdateIpWhitelist }, actions.Select(a => a.Kind));
            Assert.Equal(new[] { ApiKeyPermission.Reading }, actions[0].DesiredPermission);
        }

        [Fact]
        public void AChangedPublicKeyIsAReplaceOnlyWhenTheModuleRecordedTheOldOne()
        {
            var state = File(Key("mm-bot", publicKey: OtherEdKey.Value));

            var recorded = Plan(state, DeskA, new[] { Live("k1", "mm-bot", record: Record("k1", "mm-bot", ApiKeyType.Ed25519, EdKey.Value)) });
            var replace = Assert.Single(recorded.Actions);
            Assert.Equal(KeyPlanActionKind.Replace, replace.Kind);
            Assert.Equal("k1", replace.ApiKey);
            var change = Assert.Single(replace.Changes);
            Assert.Equal(("publicKey", "SHA256:" + EdKey.Value.Fingerprint, "SHA256:" + OtherEdKey.Value.Fingerprint, ValueSource.Record),
                (change.Property, change.Before, change.After, change.BeforeSource));
            Assert.Contains(replace.Calls, c => c.Endpoint == "DELETE /sapi/v1/sub-account/subAccountApi");

            var unrecorded = Plan(state, DeskA, new[] { Live("k1", "mm-bot") });
            Assert.Empty(unrecorded.Actions);
            Assert.Contains(unrecorded.Notes, n => n.Contains("no record of creating k1") && n.Contains("cannot tell"));
        }

        [Fact]
        public void AChangedTypeIsAReplace()
        {
            var state = File(Key("reporting", type: "hmac", permissions: "[]"));
            var (actions, _, _) = Plan(state, DeskA, new[] { Live("k1", "reporting", trade: false, record: Record("k1", "reporting", ApiKeyType.Ed25519, EdKey.Value)) });

            var replace = Assert.Single(actions);
            Assert.Equal(KeyPlanActionKind.Replace, replace.Kind);
            Assert.Equal("vault:desk-a/reporting", replace.Secret);
            Assert.Contains(replace.Changes, c => c.Property == "type" && c.Before == "ed25519" && c.After == "hmac");
        }

        [Fact]
        public void UndeclaredKeysAreDeletedOnlyWithPruneAndNeverTheConnectedKey()
        {
            var live = new[] { Live("k1", "mm-bot"), Live("stray", "stray"), Live("session", "admin") };
            var inputs = new PlanInputs { ConnectedApiKey = "session" };

            var off = Plan(File(Key("mm-bot")), DeskA, live, inputs);
            Assert.Empty(off.Actions);
            Assert.Contains(off.Notes, n => n.Contains("'stray'") && n.Contains("prune is off"));

            var on = Plan(File(Key("mm-bot"), prune: true), DeskA, live, inputs);
            var delete = Assert.Single(on.Actions);
            Assert.Equal((KeyPlanActionKind.Delete, "stray"), (delete.Kind, delete.ApiKey));
            Assert.Contains(on.Notes, n => n.Contains("session") && n.Contains("prune never deletes it"));
        }

        [Fact]
        public void DeletingEveryKeyOfAnAccountIsAWarning()
        {
            var state = TestSupport.Load(@"
                version: 1
                accounts:
                  - name: desk-a
                    email: desk-a@example.com
                    prune: true
                    keys: []");
            var (actions, notes, _) = Plan(state, DeskA, new[] { Live("k1", "a"), Live("k2", "b") });

            Assert.Equal(2, actions.Count(a => a.Kind == KeyPlanActionKind.Delete));
            Assert.Contains(notes, n => n.Contains("deletes every key of the account (2)"));
        }

        [Fact]
        public void AKeyLeftByAnInterruptedCreateIsDeletedWhateverPruneSays()
        {
            var inputs = new PlanInputs { Orphans = new[] { (DeskA, "orphan", "reporting") } };
            var (actions, _, _) = Plan(File(Key("mm-bot")), DeskA, new[] { Live("k1", "mm-bot"), Live("orphan", null) }, inputs);

            var delete = Assert.Single(actions);
            Assert.Equal((KeyPlanActionKind.Delete, "orphan"), (delete.Kind, delete.ApiKey));
            Assert.Contains("never reached its store", delete.Reason);
        }

        [Fact]
        public void WhatOnlyTheWebUiCanDoIsAManualStepNotAChange()
        {
            var state = File(Key("payout", permissions: "[spotAndMarginTrading, withdrawals]"));
            var (actions, _, unchanged) = Plan(state, DeskA, new[] { Live("k1", "payout") });

            var manual = Assert.Single(actions);
            Assert.Equal(KeyPlanActionKind.Manual, manual.Kind);
            Assert.Contains(manual.Steps, s => s.Contains("'Enable Withdrawals'"));
            Assert.False(manual.IsChange);
            Assert.Equal(1, unchanged);
        }

        [Fact]
        public void OwnAccountKeysAreManualSteps()
        {
            var state = TestSupport.Load(@"
                version: 1
                accounts:
                  - name: master
                    keys:
                      - label: treasury
                        type: hmac
                        permissions: [spotAndMarginTrading]
                        ipWhitelist: [203.0.113.7]");
            var own = new LiveAccount(AccountReference.Own) { Readable = false };

            var (actions, _, _) = KeyPlanner.Plan(state.Accounts, new[] { own }, new PlanInputs());

            var manual = Assert.Single(actions);
            Assert.Equal(KeyPlanActionKind.Manual, manual.Kind);
            Assert.Contains(manual.Steps, s => s.Contains("'treasury'"));
        }

        [Fact]
        public void BrokerKeysAreKnownByTheRecordAndMaskedUnknownOnesAreLeftAlone()
        {
            var state = File(Key("bot", permissions: "[spotAndMarginTrading, universalTransfer]"), prune: true, account: "brokerSubAccountId: \"1001\"");
            var record = new KeyRecord { AccountKind = AccountKind.BrokerSubAccount, BrokerSubAccountId = "1001", Label = "bot", ApiKey = "abcFULLKEY", Type = ApiKeyType.Ed25519, PublicKeyFingerprint = EdKey.Value.Fingerprint };
            var known = new LiveKey(new RemoteApiKey { ApiKey = "abc*************", CanTrade = true, CanMarginLoanRepay = false, CanFuturesTrade = false }, "abcFULLKEY", record)
            {
                Ip = new IpRestriction { IpRestrict = true, IpList = new[] { "203.0.113.7", "203.0.113.8" } },
                IpSource = ValueSource.Live,
            };
            var unknown = new LiveKey(new RemoteApiKey { ApiKey = "xyz*************", CanTrade = false }, "xyz*************", null);

            var (actions, notes, _) = Plan(state, Broker, new[] { known, unknown });

            // universalTransfer is not reported by the broker query and the module never set it: set once, to be sure.
            var update = Assert.Single(actions);
            Assert.Equal((KeyPlanActionKind.UpdatePermissions, "abcFULLKEY"), (update.Kind, update.ApiKey));
            Assert.Contains(ApiKeyPermission.UniversalTransfer, update.DesiredPermission);
            Assert.Contains(update.Calls, c => c.Endpoint == "POST /sapi/v1/broker/subAccountApi/permission/universalTransfer");
            Assert.Contains(notes, n => n.Contains("xyz*************") && n.Contains("cannot be deleted through the API"));
        }

        [Fact]
        public void TwoKeysWithOneLabelAreResolvedByTheRecordOfTheReplace()
        {
            var state = File(Key("mm-bot", publicKey: OtherEdKey.Value), prune: false);
            var oldKey = Live("old", "mm-bot", record: Record("old", "mm-bot", ApiKeyType.Ed25519, EdKey.Value));
            var newRecord = Record("new", "mm-bot", ApiKeyType.Ed25519, OtherEdKey.Value);
            newRecord.Replaces = "old";
            var newKey = Live("new", "mm-bot", record: newRecord);

            var (actions, _, _) = Plan(state, DeskA, new[] { oldKey, newKey });

            var delete = Assert.Single(actions);
            Assert.Equal((KeyPlanActionKind.Delete, "old"), (delete.Kind, delete.ApiKey));
            Assert.Contains("interrupted replace", delete.Reason);
        }
    }
}

using System;
using System.IO;
using System.Linq;
using BinanceKeys.Binance;
using BinanceKeys.Keys;
using BinanceKeys.State;
using BinanceKeys.State.Local;
using BinanceKeys.State.Planning;
using Xunit;
using static BinanceKeys.Tests.TestSupport;

namespace BinanceKeys.Tests.State
{
    /// <summary>
    /// What the planner and the journal must never get wrong, at the boundaries the sandbox cannot reach (the key a
    /// session is connected with is a master key, which no sub-account query lists) or reaches only slowly.
    /// </summary>
    public sealed class PlanSafetyTests
    {
        private const string Email = "desk@example.com";

        private static readonly AccountReference Desk = AccountReference.SubAccount(Email);

        private static LiveAccount Live(params (string ApiKey, string Label)[] keys)
        {
            var live = new LiveAccount(Desk);
            foreach (var (apiKey, label) in keys)
            {
                var row = new RemoteApiKey { ApiKey = apiKey, ApiName = label, CanTrade = false, CanMarginLoanRepay = false, CanFuturesTrade = false, CanUniversalTransfer = false, CanVanillaOptions = false };
                live.Keys.Add(new LiveKey(row, apiKey, null)
                {
                    Ip = new IpRestriction { ApiKey = apiKey, IpRestrict = true, IpList = new[] { "10.0.0.1" } },
                    IpSource = ValueSource.Live,
                });
            }
            return live;
        }

        private static (System.Collections.Generic.List<KeyPlanAction> Actions, System.Collections.Generic.List<string> Notes) Plan(string keysYaml, LiveAccount live, PlanInputs inputs)
        {
            var state = Load("version: 1\naccounts:\n  - name: desk\n    email: " + Email + "\n    prune: true\n    keys:" + keysYaml);
            var (actions, notes, _) = KeyPlanner.Plan(state.Accounts, new[] { live }, inputs);
            return (actions, notes);
        }

        [Fact]
        public void PruneNeverDeletesTheConnectedKeyAndAnAccountThatKeepsItIsNotEmptied()
        {
            var live = Live(("ConnectedKey", "ops"), ("OtherKey", "old"));

            var (actions, notes) = Plan(" []\n", live, new PlanInputs { ConnectedApiKey = "ConnectedKey" });

            var delete = Assert.Single(actions);
            Assert.Equal((KeyPlanActionKind.Delete, "OtherKey"), (delete.Kind, delete.ApiKey));
            Assert.Contains(notes, n => n.Contains("ConnectedKey", StringComparison.Ordinal) && n.Contains("prune never deletes it", StringComparison.Ordinal));
            Assert.DoesNotContain(notes, n => n.Contains("deletes every key", StringComparison.Ordinal));
        }

        [Fact]
        public void APlanThatDeletesEveryKeyOfAnAccountSaysSo()
        {
            var (actions, notes) = Plan(" []\n", Live(("KeyA", "a"), ("KeyB", "b")), new PlanInputs { ConnectedApiKey = "SomeMasterKey" });

            Assert.Equal(new[] { "KeyA", "KeyB" }, actions.Where(a => a.Kind == KeyPlanActionKind.Delete).Select(a => a.ApiKey).OrderBy(k => k));
            Assert.Contains(notes, n => n.Contains("deletes every key of the account (2)", StringComparison.Ordinal));
        }

        [Fact]
        public void AnOrphanWithTheDeclaredLabelIsDeletedAndTheKeyMadeAgain()
        {
            // An interrupted create left 'h' on Binance, but its one-time secret never reached the vault.
            var live = Live(("OrphanKey", "h"));
            var inputs = new PlanInputs { Orphans = new[] { (Desk, "OrphanKey", "h") } };

            var (actions, _) = Plan("\n      - label: h\n        type: hmac\n        secret: vault:desk/h\n        permissions: []\n        ipWhitelist: [10.0.0.1]\n", live, inputs);

            Assert.Equal(new[] { KeyPlanActionKind.Delete, KeyPlanActionKind.Create }, actions.Select(a => a.Kind));
            Assert.Equal("OrphanKey", actions[0].ApiKey);
            Assert.Null(actions[1].ApiKey);
        }

        [Fact]
        public void ACreateWhoseOutcomeStayedUnknownIsLeftForTheNextPlanEvenFromThisProcess()
        {
            string folder = Directory.CreateTempSubdirectory("bk-journal-").FullName;
            try
            {
                var local = LocalKeyState.Open(folder);
                var inFlight = local.BeginCreate(Desk, "a", ApiKeyType.Hmac, null, "vault:a", null);
                var lost = local.BeginCreate(Desk, "b", ApiKeyType.Hmac, null, "vault:b", null);

                local.Unsettled(lost);

                // This process is alive: its create in flight is its own business; the unsettled one is the next plan's.
                Assert.Equal(new[] { "b" }, local.Interrupted().Select(e => e.Label));
                Assert.Equal(new[] { "b" }, LocalKeyState.Open(folder).Interrupted().Select(e => e.Label));
                local.Abandoned(inFlight);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        [Fact]
        public void RecordsThatCannotBeOpened_AreNullWithTheReason_AndAReadOnlyOpenCreatesNothing()
        {
            Assert.True(Environment.GetEnvironmentVariable(LocalKeyState.FolderVariable) is null, "BINANCEKEYS_STATE must be unset: it moves the records away from the vault");
            var endpoint = new Uri("http://127.0.0.1:5080");
            string root = Directory.CreateTempSubdirectory("bk-records-").FullName;
            try
            {
                // Read-only (a Tab press): a vault whose state folder does not exist reads as no records and creates no folder.
                string vault = Path.Combine(root, "v.bkv");
                var empty = LocalKeyState.TryOpenRecords(endpoint, vault, readOnly: true, out string? none);
                Assert.NotNull(empty);
                Assert.Null(none);
                Assert.False(Directory.Exists(Path.Combine(root, "state")));

                // A vault "beside" a plain file: the state folder cannot be made, and the caller learns why instead of failing.
                string blocker = Path.Combine(root, "file");
                File.WriteAllText(blocker, "");
                var records = LocalKeyState.TryOpenRecords(endpoint, Path.Combine(blocker, "v.bkv"), readOnly: false, out string? problem);
                Assert.Null(records);
                Assert.False(string.IsNullOrEmpty(problem));
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}

using System;
using System.IO;
using System.Linq;
using BinanceKeys.Benchmarks;
using BinanceKeys.Policy;
using BinanceKeys.State;
using Xunit;
using static BinanceKeys.Tests.TestSupport;

namespace BinanceKeys.Tests.State
{
    /// <summary>Issue 8, "A fleet must fit": a desired state across a folder of files, and caps that let real fleets in.</summary>
    public sealed class FolderLoadTests : IDisposable
    {
        private readonly string folder = Path.Combine(Path.GetTempPath(), "bk-folder-" + Guid.NewGuid().ToString("N"));

        public FolderLoadTests()
        {
            Directory.CreateDirectory(Path.Combine(folder, "keys"));
            File.Copy(Fixture("keys/ed25519.pub.pem"), Path.Combine(folder, "keys", "bot.pub.pem"));
        }

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private string Write(string name, string yaml)
        {
            string path = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Normalize(yaml));
            return path;
        }

        private static string Desk(string name, string email, string extra = "", string top = "") => $@"
            version: 1
            {top}
            accounts:
              - name: {name}
                email: {email}
                {extra}
                keys:
                  - label: bot
                    type: ed25519
                    publicKey: keys/bot.pub.pem
                    permissions: [spotAndMarginTrading]
                    ipWhitelist: [203.0.113.7]
            ";

        private DesiredStateException LoadFails() => Assert.Throws<DesiredStateException>(() => DesiredStateLoader.Load(folder, Options()));

        [Fact]
        public void AFolder_IsOneStateAcrossItsFiles_InNameOrder_AndPositionsNameTheirFile()
        {
            string b = Write("b-desk.yaml", Desk("desk-b", "b@example.com"));
            string a = Write("a-desk.yml", Desk("desk-a", "a@example.com"));

            DesiredState state = DesiredStateLoader.Load(folder, Options());

            Assert.Equal(new[] { "desk-a", "desk-b" }, state.Accounts.Select(x => x.Name));
            Assert.Equal(new[] { a, b }, state.Files);
            Assert.Equal(folder, state.File);
            Assert.Equal(a, state.Accounts[0].Keys[0].At("label")!.File);
            Assert.Equal(b, state.Accounts[1].Keys[0].Permissions[0].Location!.File);
            Assert.All(state.Accounts, x => Assert.Equal(ApiKeyType.Ed25519, x.Keys[0].PublicKeyAlgorithm));
        }

        [Fact]
        public void OnlyYamlFilesDirectlyInTheFolderCount()
        {
            Write("desk.yaml", Desk("desk-a", "a@example.com"));
            Write("sub/ignored.yaml", "this is: [not read");
            Write(".hidden.yaml", "this is: [not read");
            Write("notes.txt", "this is: [not read");
            Write("desk.yaml.bak", "this is: [not read");
            Assert.Equal("desk-a", Assert.Single(DesiredStateLoader.Load(folder, Options()).Accounts).Name);
        }

        [Fact]
        public void AFolderWithoutDesiredStateFiles_IsAnError()
        {
            Write("notes.txt", "nothing");
            var e = LoadFails();
            Assert.Contains("the folder holds no desired-state file (*.yaml or *.yml directly in it)", e.Message);
            Assert.Equal(folder, e.File);
        }

        [Fact]
        public void ErrorsOfEveryFile_AreReportedTogether_InFileOrder()
        {
            Write("b.yaml", Desk("desk-b", "b@example.com").Replace("spotAndMarginTrading", "spotAndMarginTradng"));
            Write("a.yaml", Desk("desk-a", "a@example.com").Replace("version: 1", "version: 2"));
            var e = LoadFails();
            Assert.Equal(2, e.Errors.Count);
            Assert.EndsWith("a.yaml", e.Errors[0].Location.File);
            Assert.Contains("unsupported version 2", e.Errors[0].Message);
            Assert.EndsWith("b.yaml", e.Errors[1].Location.File);
            Assert.Contains("did you mean 'spotAndMarginTrading'", e.Errors[1].Message);
        }

        [Fact]
        public void EveryFileNeedsItsVersion()
        {
            Write("a.yaml", Desk("desk-a", "a@example.com"));
            Write("b.yaml", Desk("desk-b", "b@example.com").Replace("version: 1", ""));
            DesiredStateError error = Assert.Single(LoadFails().Errors);
            Assert.EndsWith("b.yaml", error.Location.File);
            Assert.Contains("missing required field 'version'", error.Message);
        }

        [Fact]
        public void AFileMayHoldOnlyThePolicy_WhichAppliesToTheWholeFolder()
        {
            Write("policy.yaml", "version: 1\npolicy:\n  forbidPermissions: [spotAndMarginTrading]\n");
            Write("desk.yaml", Desk("desk-a", "a@example.com"));
            DesiredState state = DesiredStateLoader.Load(folder, Options());
            PolicyFinding finding = Assert.Single(new PolicyEngine(clock: () => Now).Evaluate(state), f => f.RuleId == "ORG001");
            Assert.EndsWith("desk.yaml", finding.File);
        }

        [Fact]
        public void AFolderWhereNoFileHasAccounts_IsAnError()
        {
            Write("policy.yaml", "version: 1\npolicy:\n  requireIpRestriction: true\n");
            Assert.Contains("no file of the folder has 'accounts'", Assert.Single(LoadFails().Errors).Message);
        }

        [Fact]
        public void APolicySettingRepeatedWithTheSameValue_IsAccepted_AsSets()
        {
            Write("a.yaml", Desk("desk-a", "a@example.com", top: "policy: {keyTypes: [ed25519, rsa], maxKeysPerAccount: 5}"));
            Write("b.yaml", Desk("desk-b", "b@example.com", top: "policy: {keyTypes: [rsa, ed25519, rsa], maxKeysPerAccount: 5.0}"));
            DesiredState state = DesiredStateLoader.Load(folder, Options());
            Assert.Equal(5, state.Policy.MaxKeysPerAccount);
            Assert.Equal(2, state.Policy.KeyTypes.Count); // the first declaration stands; the second only agreed with it
        }

        [Theory]
        [InlineData("policy: {maxKeysPerAccount: 5}", "policy: {maxKeysPerAccount: 6}", "policy.maxKeysPerAccount is 6 here but 5 in")]
        [InlineData("policy: {allowedNetworks: [203.0.113.0/24]}", "policy: {allowedNetworks: [198.51.100.0/24]}", "policy.allowedNetworks is [198.51.100.0/24] here but [203.0.113.0/24] in")]
        [InlineData("policy: {requireIpRestriction: true}", "policy: {requireIpRestriction: false}", "policy.requireIpRestriction is false here but true in")]
        [InlineData("policy: {labelPattern: '^a'}", "policy: {labelPattern: '^b'}", "policy.labelPattern is '^b' here but '^a' in")]
        [InlineData("defaultSecurityControls: true", "defaultSecurityControls: false", "defaultSecurityControls is false here but true in")]
        public void AContradiction_BetweenFiles_NamesBothFiles(string first, string second, string message)
        {
            string a = Write("a.yaml", Desk("desk-a", "a@example.com", top: first));
            Write("b.yaml", Desk("desk-b", "b@example.com", top: second));
            DesiredStateError error = Assert.Single(LoadFails().Errors);
            Assert.EndsWith("b.yaml", error.Location.File);
            Assert.Equal(2, error.Location.Line);
            Assert.Contains(message + " " + a + ":2", error.Message);
        }

        [Fact]
        public void DefaultSecurityControls_DeclaredInOneFile_CoversEveryAccount()
        {
            Write("a.yaml", Desk("desk-a", "a@example.com", top: "defaultSecurityControls: false"));
            Write("b.yaml", Desk("desk-b", "b@example.com"));
            Assert.All(DesiredStateLoader.Load(folder, Options()).Accounts, x => Assert.False(x.Facts.DefaultSecurityControls));
        }

        [Fact]
        public void AnAccountDeclaredInTwoFiles_IsAnError_NamingBothFilesAndLines()
        {
            string a = Write("a.yaml", Desk("desk-a", "a@example.com"));
            Write("b.yaml", "version: 1\naccounts:\n  - name: DESK-A\n    email: b@example.com\n  - name: other\n    email: a@example.com\n");
            var e = LoadFails();
            Assert.Equal(2, e.Errors.Count);
            Assert.Contains($"duplicate account name 'DESK-A' (first declared at {a}:4)", e.Errors[0].Message);
            Assert.EndsWith("b.yaml", e.Errors[0].Location.File);
            Assert.Contains($"account 'other' declares email a@example.com again (already declared by 'desk-a' at {a}:4)", e.Errors[1].Message);
        }

        [UnixFact] // links are not resolved on Windows (documented)
        public void AFileThatLinksOutOfTheFolder_IsRefused()
        {
            string outside = Path.Combine(Path.GetTempPath(), "bk-outside-" + Guid.NewGuid().ToString("N") + ".yaml");
            File.WriteAllText(outside, Normalize(Desk("desk-x", "x@example.com")));
            try
            {
                Write("a.yaml", Desk("desk-a", "a@example.com"));
                File.CreateSymbolicLink(Path.Combine(folder, "b.yaml"), outside);
                DesiredStateError error = Assert.Single(LoadFails().Errors);
                Assert.Contains("'b.yaml' is a link to a file outside the folder", error.Message);
            }
            finally
            {
                File.Delete(outside);
            }
        }

        [Theory]
        [InlineData(3, true)]
        [InlineData(2, false)]
        public void TheNumberOfFilesInAFolder_HasALimit(int limit, bool loads)
        {
            for (int i = 0; i < 3; i++) Write($"desk-{i}.yaml", Desk($"desk-{i}", $"d{i}@example.com"));
            var options = Options();
            options.Limits.MaxFolderFiles = limit;
            if (loads) Assert.Equal(3, DesiredStateLoader.Load(folder, options).Accounts.Count);
            else Assert.Contains("the folder holds 3 desired-state files; at most 2 are read", Assert.Throws<DesiredStateException>(() => DesiredStateLoader.Load(folder, options)).Message);
        }

        [Theory]
        [InlineData(0, true)]
        [InlineData(-1, false)]
        public void TheTotalSizeOfAFolder_HasALimit(int slack, bool loads)
        {
            long total = 0;
            for (int i = 0; i < 2; i++) total += new FileInfo(Write($"desk-{i}.yaml", Desk($"desk-{i}", $"d{i}@example.com"))).Length;
            var options = Options();
            options.Limits.MaxFolderBytes = total + slack;
            if (loads) DesiredStateLoader.Load(folder, options);
            else Assert.Contains($"hold {total} bytes together; the limit is {total - 1} bytes", Assert.Throws<DesiredStateException>(() => DesiredStateLoader.Load(folder, options)).Message);
        }

        [Fact]
        public void APathThatIsNeitherFileNorFolder_IsAnError()
        {
            var e = Assert.Throws<DesiredStateException>(() => DesiredStateLoader.Load(Path.Combine(folder, "missing"), Options()));
            Assert.Contains("file or folder not found", e.Message);
        }

        [Fact]
        public void AFleetOf30000Keys_FitsInOneFile_AndInAFolder_WithTheDefaultLimits()
        {
            // 1,000 sub-accounts of 30 keys in the documented layout: 5.4 MB in one file, which the old 1 MiB cap refused.
            string estate = Path.Combine(folder, "estate");
            string file = DesiredStateEstate.Write(estate, 30_000);
            Assert.InRange(new FileInfo(file).Length, 5_000_000, 6_000_000);
            DesiredState state = DesiredStateLoader.Load(file, new DesiredStateLoadOptions());
            Assert.Equal(30_000, state.Accounts.Sum(x => x.Keys.Count));
            Assert.True(new PolicyEngine(clock: () => Now).Evaluate(state).All(f => f.Severity != FindingSeverity.Error));

            string split = Path.Combine(folder, "split");
            DesiredStateEstate.Write(split, 30_000, files: 10);
            DesiredState fromFolder = DesiredStateLoader.Load(split, new DesiredStateLoadOptions());
            Assert.Equal(1_000, fromFolder.Accounts.Count);
            Assert.Equal(10, fromFolder.Files.Count);
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>What the drift and export tests share: a session connected to a sandbox, and a state folder of their own.</summary>
    public abstract class DesiredStateSandboxTest : IDisposable
    {
        private readonly List<(string Name, string? Value)> previous = new List<(string, string?)>();

        protected DesiredStateSandboxTest(SandboxProcess sandbox)
        {
            Sandbox = sandbox;
            sandbox.Reset();
            Folder = Directory.CreateTempSubdirectory("bk-drift-export-").FullName;
            // The module keeps its records, journal and IP cache beside the vault: a vault of this test's own keeps them apart.
            Vault = Path.Combine(Folder, "vault", "vault.bkv");
            SetEnvironment("BINANCEKEYS_VAULT", Vault);
            SetEnvironment("BINANCEKEYS_VAULT_PASSPHRASE", null);
            Session = ModuleHost.CreateSession();
            var connected = Run("Connect-BinanceAccount -Endpoint $endpoint -ApiKey $apiKey -Secret $secret | Out-Null");
            Assert.Null(connected.Error);
        }

        protected SandboxProcess Sandbox { get; }

        protected string Folder { get; }

        protected string Vault { get; }

        protected PowerShell Session { get; }

        private protected ScriptResult Run(string script) => ModuleHost.Run(Session, script, new Dictionary<string, object?>
        {
            ["endpoint"] = Sandbox.BaseAddress,
            ["apiKey"] = SandboxProcess.DemoApiKey,
            ["secret"] = ModuleHost.Secure(SandboxProcess.DemoSecret),
            ["vp"] = ModuleHost.Secure("vault pass phrase"),
            ["otherVault"] = Path.Combine(Folder, "other", "vault.bkv"),
        }, Folder);

        protected void WriteFile(string name, string text)
        {
            string path = Path.Combine(Folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text.Replace("\r\n", "\n"));
        }

        protected string ReadFile(string name) => File.ReadAllText(Path.Combine(Folder, name));

        /// <summary>Requests that change something (POST, DELETE) the sandbox has logged so far.</summary>
        protected int Writes() => Sandbox.Requests().Count(r => (string?)r!["method"] != "GET");

        protected int Requests() => Sandbox.Requests().Count;

        /// <summary>Every secret the sandbox holds (HMAC secrets of every key, the demo key's included).</summary>
        protected List<string> SandboxSecrets() => Sandbox.State()["accounts"]!.AsArray()
            .SelectMany(a => a!["keys"]!.AsArray()).Select(k => (string?)k!["secretKey"]).Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList();

        protected static void AssertNoSecret(IEnumerable<string> secrets, string text)
        {
            foreach (string secret in secrets) Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain(SandboxProcess.DemoSecret, text);
        }

        protected static T Property<T>(PSObject item, string name) => (T)item.Properties[name].Value;

        /// <summary>A property as text: the module's own types (enums) are not referenced by the tests, as a user's script would not.</summary>
        protected static string? Text(PSObject item, string name) => item.Properties[name].Value?.ToString();

        private void SetEnvironment(string name, string? value)
        {
            previous.Add((name, Environment.GetEnvironmentVariable(name)));
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose()
        {
            Session.Runspace.Dispose();
            Session.Dispose();
            foreach (var (name, value) in previous) Environment.SetEnvironmentVariable(name, value);
            Directory.Delete(Folder, recursive: true);
        }
    }

    /// <summary>Test-BinanceKeyState and Export-BinanceKeyState against the sandbox's demo world, through PowerShell.</summary>
    [Collection("Environment")] // sets BINANCEKEYS_VAULT for the process
    public sealed class DesiredStateDriftAndExportTests : DesiredStateSandboxTest, IClassFixture<SandboxProcess>
    {
        private const string Desks = @"version: 1
accounts:
  - name: desk-a
    email: desk-a@example.com
    prune: {0}
    keys:
      - label: mm-bot
        type: ed25519
        publicKey: keys/mm-bot.pub.pem
        permissions: [spotAndMarginTrading, futures]
        ipWhitelist: [203.0.113.7, 203.0.113.8]
      - label: reporting
        type: {1}
        {2}
        permissions: []
        ipWhitelist: [203.0.113.20]
  - name: broker
    brokerSubAccountId: ""1001""
    futuresEnabled: true
    keys:
      - label: client-bot
        type: ed25519
        publicKey: keys/mm-bot.pub.pem
        permissions: [spotAndMarginTrading]
        ipWhitelist: [203.0.113.30]
";

        public DesiredStateDriftAndExportTests(SandboxProcess sandbox)
            : base(sandbox)
        {
        }

        private static string DesksFile(bool prune = false, string type = "hmac", string material = "secret: vault:desk-a/reporting") =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, Desks, prune ? "true" : "false", type, material);

        // Applies desks.yaml from nothing: three keys, all recorded by the module.
        private void Apply()
        {
            WriteFile("desks.yaml", DesksFile());
            var applied = Run("New-BinanceKeyPair -Name mm-bot -Path ./keys -NoEncryption -WarningAction SilentlyContinue | Out-Null; " +
                "Invoke-BinanceKeyPlan -Path ./desks.yaml -Force -VaultPassphrase $vp -WarningAction SilentlyContinue");
            Assert.Null(applied.Error);
            Assert.Equal(3, applied.Output.Count(o => Text(o, "Status") == "Succeeded"));
        }

        private List<PSObject> Detailed(string file = "desks.yaml", string extra = "")
        {
            var result = Run($"Test-BinanceKeyState -Path ./{file} -Detailed {extra} -WarningAction SilentlyContinue");
            Assert.Null(result.Error);
            return result.Output.ToList();
        }

        private static PSObject Entry(IEnumerable<PSObject> entries, string kind, string label, string property = "") =>
            Assert.Single(entries, e => Text(e, "Kind") == kind && Text(e, "Label") == label && Text(e, "Property") == property);

        // ---- Test-BinanceKeyState ---------------------------------------------------------------------------------

        [Fact]
        public void TheCheckIsTrueAfterAnApplyAndFalseAfterAChangeByHand()
        {
            Apply();

            var clean = Run("Test-BinanceKeyState -Path ./desks.yaml -WarningAction SilentlyContinue");
            Assert.Null(clean.Error);
            Assert.True(Assert.IsType<bool>(Assert.Single(clean.Output).BaseObject));

            var changed = Run("$k = Get-BinanceApiKey -Email desk-a@example.com -Label mm-bot; " +
                "$k | Set-BinanceApiKeyPermission -Permission spotAndMarginTrading; $k | Set-BinanceApiKeyRestriction -IpAddress 203.0.113.7, 203.0.113.9");
            Assert.Null(changed.Error);
            int writes = Writes();

            var check = Run("if (-not (Test-BinanceKeyState -Path ./desks.yaml -Verbose -WarningAction SilentlyContinue)) { 'exit 2' } else { 'exit 0' }");
            Assert.Null(check.Error);
            Assert.Equal("exit 2", Assert.Single(check.Output).BaseObject);
            Assert.Contains(check.Verbose, line => line.StartsWith("Drift: desk-a/mm-bot Changed permissions", StringComparison.Ordinal));
            Assert.Contains(check.Verbose, line => line.StartsWith("Drift: desk-a/mm-bot Changed ipWhitelist", StringComparison.Ordinal));
            Assert.Equal(writes, Writes()); // a drift check changes nothing

            var entries = Detailed();
            Assert.Equal(2, entries.Count);
            Assert.All(entries, e => Assert.Equal("BinanceKeys.KeyStateDrift", e.TypeNames[0]));
            var permissions = Entry(entries, "Changed", "mm-bot", "permissions");
            Assert.Equal("[reading, spotAndMarginTrading]", Property<string>(permissions, "Actual"));
            Assert.Equal("[reading, spotAndMarginTrading, futures]", Property<string>(permissions, "Desired"));
            Assert.True(Property<bool>(permissions, "IsDrift"));
            Assert.Equal("desk-a", Property<string>(permissions, "Account"));
            var ips = Entry(entries, "Changed", "mm-bot", "ipWhitelist");
            Assert.Equal("[203.0.113.7, 203.0.113.9]", Property<string>(ips, "Actual"));
            Assert.Equal("[203.0.113.7, 203.0.113.8]", Property<string>(ips, "Desired"));
            Assert.Equal("Live", Text(ips, "ActualSource"));
            Assert.Equal((string)Sandbox.KeysOf("desk-a@example.com").Single(k => (string?)k!["label"] == "mm-bot")!["apiKey"]!, Property<string>(ips, "ApiKey"));

            AssertNoSecret(SandboxSecrets(), check.AllText());

            // -Account checks only the accounts named; one the file does not have is an error.
            var broker = Run("Test-BinanceKeyState -Path ./desks.yaml -Account BROKER -WarningAction SilentlyContinue");
            Assert.True((bool)Assert.Single(broker.Output).BaseObject);
            var unknown = Run("Test-BinanceKeyState -Path ./desks.yaml -Account desk-z -WarningAction SilentlyContinue");
            Assert.Equal("ApiKeyNotFound,BinanceKeys.Commands.TestBinanceKeyStateCommand", unknown.Error?.FullyQualifiedErrorId);
            Assert.Contains("'desk-z'", unknown.Error!.Exception.Message);
        }

        [Fact]
        public void AKeyDeletedByHandIsMissing()
        {
            Apply();
            Assert.Null(Run("Get-BinanceApiKey -Email desk-a@example.com -Label reporting | Remove-BinanceApiKey -Force").Error);

            var entries = Detailed();
            var missing = Entry(entries, "Missing", "reporting");
            Assert.True(Property<bool>(missing, "IsDrift"));
            Assert.Equal("hmac key with permissions [reading], ipWhitelist [203.0.113.20]", Property<string>(missing, "Desired"));
            Assert.Equal("(none)", Property<string>(missing, "Actual"));
            Assert.Single(entries);
        }

        [Fact]
        public void AnUndeclaredKeyIsUnmanagedWithPruneOffAndDriftWithPruneOn()
        {
            Apply();
            var extra = Run("$k = New-BinanceKeyPair -Name extra -Path ./keys -NoEncryption -WarningAction SilentlyContinue; " +
                "(New-BinanceApiKey -Email desk-a@example.com -Label extra -KeyPair $k -Permission spotAndMarginTrading -IpAddress 198.51.100.5).ApiKey");
            Assert.Null(extra.Error);
            string apiKey = (string)Assert.Single(extra.Output).BaseObject;

            var keep = Run("Test-BinanceKeyState -Path ./desks.yaml -WarningAction SilentlyContinue");
            Assert.True((bool)Assert.Single(keep.Output).BaseObject);
            var unmanaged = Entry(Detailed(), "Unmanaged", "extra");
            Assert.False(Property<bool>(unmanaged, "IsDrift"));
            Assert.Equal(apiKey, Property<string>(unmanaged, "ApiKey"));
            Assert.Equal($"{apiKey} with permissions [reading, spotAndMarginTrading], ipWhitelist [198.51.100.5]", Property<string>(unmanaged, "Actual"));
            Assert.Contains("prune is off", Property<string>(unmanaged, "Reason"));

            WriteFile("pruned.yaml", DesksFile(prune: true));
            var prune = Run("Test-BinanceKeyState -Path ./pruned.yaml -WarningAction SilentlyContinue");
            Assert.False((bool)Assert.Single(prune.Output).BaseObject);
            var undeclared = Entry(Detailed("pruned.yaml"), "Undeclared", "extra");
            Assert.True(Property<bool>(undeclared, "IsDrift"));
            Assert.Equal(apiKey, Property<string>(undeclared, "ApiKey"));
        }

        [Fact]
        public void WhatOnlyTheWebUiTellsIsUnverifiableAndNotDrift()
        {
            Apply();
            WriteFile("webui.yaml", DesksFile().Replace("permissions: [spotAndMarginTrading, futures]", "permissions: [spotAndMarginTrading, futures, withdrawals]\n        symbolWhitelist: [BTCUSDT, ETHUSDT]") +
                "  - name: master\n    keys:\n      - label: admin\n        type: hmac\n        permissions: [spotAndMarginTrading]\n        ipWhitelist: [127.0.0.1]\n");

            var result = Run("Test-BinanceKeyState -Path ./webui.yaml -WarningAction SilentlyContinue");
            Assert.Null(result.Error);
            Assert.True((bool)Assert.Single(result.Output).BaseObject);
            var entries = Detailed("webui.yaml");
            Assert.All(entries, e => Assert.False(Property<bool>(e, "IsDrift")));
            Assert.Equal("[withdrawals]", Property<string>(Entry(entries, "Unverifiable", "mm-bot", "permissions"), "Desired"));
            Assert.Equal("[BTCUSDT, ETHUSDT]", Property<string>(Entry(entries, "Unverifiable", "mm-bot", "symbolWhitelist"), "Desired"));
            var own = Entry(entries, "Unverifiable", "admin", "key");
            Assert.Equal("master", Property<string>(own, "Account"));
            Assert.Equal("Unknown", Text(own, "ActualSource"));
            Assert.Equal(3, entries.Count);
        }

        [Fact]
        public void ATypeOrPublicKeyChangeIsDriftOnThatPropertyFromTheModulesRecord()
        {
            Apply();
            Assert.Null(Run("New-BinanceKeyPair -Name other -Path ./keys -NoEncryption -WarningAction SilentlyContinue | Out-Null").Error);
            WriteFile("changed.yaml", DesksFile(type: "ed25519", material: "publicKey: keys/other.pub.pem")
                .Replace("publicKey: keys/mm-bot.pub.pem\n        permissions: [spotAndMarginTrading, futures]", "publicKey: keys/other.pub.pem\n        permissions: [spotAndMarginTrading, futures]"));

            var entries = Detailed("changed.yaml");
            var type = Entry(entries, "Changed", "reporting", "type");
            Assert.Equal("hmac", Property<string>(type, "Actual"));
            Assert.Equal("ed25519", Property<string>(type, "Desired"));
            Assert.Equal("Record", Text(type, "ActualSource"));
            var publicKey = Entry(entries, "Changed", "mm-bot", "publicKey");
            Assert.Equal("SHA256:" + Fingerprint("keys/mm-bot.pub.pem"), Property<string>(publicKey, "Actual"));
            Assert.Equal("SHA256:" + Fingerprint("keys/other.pub.pem"), Property<string>(publicKey, "Desired"));
        }

        [Fact]
        public void UseCacheTakesIpWhitelistsFromTheLastPlanAndSaysSo()
        {
            Apply();
            Assert.Null(Run("Test-BinanceKeyState -Path ./desks.yaml -WarningAction SilentlyContinue | Out-Null").Error); // fills the cache
            WriteFile("moved.yaml", DesksFile().Replace("[203.0.113.20]", "[203.0.113.21]"));
            int ipReads = IpReads();

            var entries = Detailed("moved.yaml", "-UseCache");
            var ip = Entry(entries, "Changed", "reporting", "ipWhitelist");
            Assert.Equal("Cache", Text(ip, "ActualSource"));
            Assert.Equal("[203.0.113.20]", Property<string>(ip, "Actual"));
            Assert.Equal(ipReads, IpReads());
        }

        [Fact]
        public void APolicyErrorStopsTheCheckBeforeAnyCall()
        {
            WriteFile("risky.yaml", "version: 1\naccounts:\n  - name: desk-a\n    email: desk-a@example.com\n    keys:\n      - label: risky\n        type: hmac\n        secret: vault:x\n        permissions: [spotAndMarginTrading]\n");
            int requests = Requests();

            var result = Run("Test-BinanceKeyState -Path ./risky.yaml -WarningAction SilentlyContinue");

            Assert.Equal("PolicyViolation,BinanceKeys.Commands.TestBinanceKeyStateCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains("BN002", result.Error!.Exception.Message);
            Assert.Empty(result.Output);
            Assert.Equal(requests, Requests());
        }

        private int IpReads() => Sandbox.Requests().Count(r => (string?)r!["method"] == "GET" && ((string?)r["path"])!.EndsWith("/ipRestriction", StringComparison.Ordinal));

        private string Fingerprint(string publicKeyFile)
        {
            // SHA-256 over the DER SubjectPublicKeyInfo, computed here from the PEM file itself.
            var pem = ReadFile(publicKeyFile);
            string base64 = string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));
            return Convert.ToHexString(SHA256.HashData(Convert.FromBase64String(base64))).ToLowerInvariant();
        }

        // ---- BN021 at plan time ------------------------------------------------------------------------------------

        [Fact]
        public void APlanRefusesToCreateAPublicKeyTypeWithoutItsPublicKey()
        {
            WriteFile("nokey.yaml", "version: 1\naccounts:\n  - name: desk-a\n    email: desk-a@example.com\n    keys:\n      - label: bot\n        type: ed25519\n        ipWhitelist: [203.0.113.7]\n");
            Assert.True((bool)Assert.Single(Run("Test-BinanceApiKeyPolicy -Path ./nokey.yaml -Quiet").Output).BaseObject); // only a warning offline
            int writes = Writes();

            var result = Run("Get-BinanceKeyPlan -Path ./nokey.yaml -WarningAction SilentlyContinue");

            Assert.Equal("PolicyViolation,BinanceKeys.Commands.GetBinanceKeyPlanCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains("[BN021]", result.Error!.Exception.Message);
            Assert.Contains("must be created", result.Error.Exception.Message);
            Assert.Contains("publicKey", result.Error.Exception.Message);
            Assert.Equal(writes, Writes());
        }

        [Fact]
        public void APlanLeavesAnExistingKeyWithoutPublicKeyAloneAndRefusesToReplaceIt()
        {
            Apply();
            WriteFile("kept.yaml", DesksFile().Replace("        publicKey: keys/mm-bot.pub.pem\n        permissions: [spotAndMarginTrading, futures]", "        permissions: [spotAndMarginTrading, futures]"));
            var kept = Run("Get-BinanceKeyPlan -Path ./kept.yaml -WarningAction SilentlyContinue");
            Assert.Null(kept.Error);
            Assert.False(Property<bool>(Assert.Single(kept.Output), "HasChanges"));

            WriteFile("replace.yaml", DesksFile(type: "ed25519", material: ""));
            var replace = Run("Get-BinanceKeyPlan -Path ./replace.yaml -WarningAction SilentlyContinue");
            Assert.Equal("PolicyViolation,BinanceKeys.Commands.GetBinanceKeyPlanCommand", replace.Error?.FullyQualifiedErrorId);
            Assert.Contains("must be replaced", replace.Error!.Exception.Message);
        }

        // ---- Export-BinanceKeyState --------------------------------------------------------------------------------

        [Fact]
        public void AnExportPassesThePolicyCheckAndPlansToNoChange()
        {
            Apply();
            // A key the module did not create (its record is beside another vault): Binance does not tell its type.
            var legacy = Run("$k = New-BinanceKeyPair -Name legacy -Path ./keys -NoEncryption -WarningAction SilentlyContinue; $env:BINANCEKEYS_VAULT = $otherVault; " +
                "try { New-BinanceApiKey -Email desk-b@example.com -Label legacy -KeyPair $k -Permission marginLoanRepayTransfer -IpAddress 198.51.100.7, 198.51.100.70 | Out-Null } " +
                "finally { $env:BINANCEKEYS_VAULT = $null }");
            Assert.Null(legacy.Error);
            Environment.SetEnvironmentVariable("BINANCEKEYS_VAULT", Vault);
            int writes = Writes();

            var export = Run("Export-BinanceKeyState -All -OutFile ./export/estate.yaml -Verbose");
            Assert.Null(export.Error);
            Assert.Equal(writes, Writes()); // an export only reads
            var summary = Assert.Single(export.Output);
            Assert.Equal("BinanceKeys.KeyStateExport", summary.TypeNames[0]);
            Assert.Equal(4, Property<int>(summary, "KeyCount"));
            Assert.Equal(4, Property<int>(summary, "AccountCount")); // desk-a, desk-b, desk-c and broker sub-account 1001
            Assert.Equal(1, Property<int>(summary, "AssumedTypeCount"));
            Assert.True(Property<bool>(summary, "PassesPolicy"));
            Assert.Empty(Property<string[]>(summary, "NotExported"));

            var policy = Run("Test-BinanceApiKeyPolicy -Path ./export/estate.yaml -Quiet");
            Assert.True((bool)Assert.Single(policy.Output).BaseObject);
            var plan = Run("Get-BinanceKeyPlan -Path ./export/estate.yaml -WarningAction SilentlyContinue");
            Assert.Null(plan.Error);
            Assert.False(Property<bool>(Assert.Single(plan.Output), "HasChanges"));
            Assert.Empty(Property<Array>(plan.Output[0], "Actions"));
            var drift = Run("Test-BinanceKeyState -Path ./export/estate.yaml -WarningAction SilentlyContinue");
            Assert.True((bool)Assert.Single(drift.Output).BaseObject);

            string text = ReadFile("export/estate.yaml");
            string[] lines = text.Split('\n');
            Assert.StartsWith("# yaml-language-server: $schema=", lines[0]);
            string schema = Path.GetFullPath(Path.Combine(Folder, "export", lines[0].Substring("# yaml-language-server: $schema=".Length)));
            Assert.Equal(Path.Combine(ModuleHost.RepositoryRoot, "module", "schema", "binancekeys.schema.json"), schema);
            Assert.Contains("from " + Sandbox.BaseAddress + " at ", lines[1]);
            Assert.Contains("secret: vault:desk-a/reporting", text);
            Assert.Contains("SHA-256 fingerprint " + Fingerprint("keys/mm-bot.pub.pem"), text);
            Assert.Contains("# optionsEnabled: true|false", text);
            Assert.Contains("prune: false", text);
            Assert.Matches(@"- label: legacy\n\s+type: hmac # ASSUMED", text);
            Assert.Contains("ipWhitelist: [198.51.100.7, 198.51.100.70]", text);
            Assert.DoesNotContain("publicKey: keys", text);
            AssertNoSecret(SandboxSecrets(), text);
            AssertNoSecret(SandboxSecrets(), export.AllText());
        }

        [Fact]
        public void AnExistingFileIsReplacedOnlyWithForceAndWhatIfWritesNothing()
        {
            WriteFile("estate.yaml", "keep me\n");
            int requests = Requests();

            var refused = Run("Export-BinanceKeyState -Email desk-a@example.com -OutFile ./estate.yaml");
            Assert.Equal("DesiredStateFileExists,BinanceKeys.Commands.ExportBinanceKeyStateCommand", refused.Error?.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, refused.Error!.CategoryInfo.Category);
            Assert.Contains("-Force", refused.Error.Exception.Message);
            Assert.Equal("keep me\n", ReadFile("estate.yaml"));
            Assert.Equal(requests, Requests()); // refused before anything was read

            var whatIf = Run("Export-BinanceKeyState -Email desk-a@example.com -OutFile ./new.yaml -WhatIf");
            Assert.Null(whatIf.Error);
            Assert.False(File.Exists(Path.Combine(Folder, "new.yaml")));
            Assert.Equal(requests, Requests());
            var preference = Run("$WhatIfPreference = $true; Export-BinanceKeyState -Email desk-a@example.com -OutFile ./estate.yaml -Force; $WhatIfPreference = $false");
            Assert.Null(preference.Error);
            Assert.Equal("keep me\n", ReadFile("estate.yaml"));

            var forced = Run("Export-BinanceKeyState -Email desk-a@example.com -OutFile ./estate.yaml -Force");
            Assert.Null(forced.Error);
            Assert.StartsWith("# yaml-language-server: $schema=", ReadFile("estate.yaml"));
            Assert.Contains("email: desk-a@example.com", ReadFile("estate.yaml"));
        }

        [Fact]
        public void AnExportNeedsAccountsAndNamesThemClearly()
        {
            var none = Run("Export-BinanceKeyState -OutFile ./x.yaml");
            Assert.Equal("ApiKeyInvalidArgument,BinanceKeys.Commands.ExportBinanceKeyStateCommand", none.Error?.FullyQualifiedErrorId);
            Assert.Contains("-All", none.Error!.Exception.Message);

            var unknown = Run("Export-BinanceKeyState -Email nobody@example.com -OutFile ./x.yaml");
            Assert.Equal("ApiKeyNotFound,BinanceKeys.Commands.ExportBinanceKeyStateCommand", unknown.Error?.FullyQualifiedErrorId);
            Assert.Contains("nobody@example.com", unknown.Error!.Exception.Message);
            Assert.False(File.Exists(Path.Combine(Folder, "x.yaml")));

            var folderTarget = Run("Export-BinanceKeyState -Email desk-a@example.com -OutFile ./keys-folder");
            Assert.Null(folderTarget.Error); // a new file named like a folder is fine
            Directory.CreateDirectory(Path.Combine(Folder, "a-folder"));
            var isFolder = Run("Export-BinanceKeyState -Email desk-a@example.com -OutFile ./a-folder -Force");
            Assert.Equal("DesiredStateFileIsFolder,BinanceKeys.Commands.ExportBinanceKeyStateCommand", isFolder.Error?.FullyQualifiedErrorId);
        }

        [Fact]
        public void TheDriftViewIsATable()
        {
            Apply();
            Assert.Null(Run("Get-BinanceApiKey -Email desk-a@example.com -Label reporting | Remove-BinanceApiKey -Force").Error);
            var host = new TestHost();
            using var shell = ModuleHost.CreateSession(host);
            ModuleHost.Run(shell, "Connect-BinanceAccount -Endpoint $endpoint -ApiKey $apiKey -Secret $secret | Out-Null; Test-BinanceKeyState -Path ./desks.yaml -Detailed -WarningAction SilentlyContinue | Out-Default",
                new Dictionary<string, object?> { ["endpoint"] = Sandbox.BaseAddress, ["apiKey"] = SandboxProcess.DemoApiKey, ["secret"] = ModuleHost.Secure(SandboxProcess.DemoSecret) }, Folder);
            Assert.Matches(@"Kind\s+Drift\s+Account\s+Label\s+Property\s+Actual \(Binance\)\s+Desired \(file\)", host.Text);
            Assert.Matches(@"Missing\s+True\s+desk-a\s+reporting", host.Text);
        }
    }

    /// <summary>A sandbox seeded with what Binance allows and a desired-state file finds odd: YAML-special labels and emails, keys whose type nobody recorded, masked broker keys, shared labels.</summary>
    public sealed class OddWorldSandbox : IDisposable
    {
        private const string PublicKey = "MCowBQYDK2VwAyEA6rTD7P+LhJT7BZrnOdtNK3fJlhgJXIR4jZc1uh0f4fA=";
        private readonly string seed = Path.Combine(Path.GetTempPath(), "bk-odd-world-" + Guid.NewGuid().ToString("N") + ".yaml");

        public OddWorldSandbox()
        {
            File.WriteAllText(seed, $@"master:
  email: master@example.com
  keys:
    - {{ label: admin, type: hmac, apiKey: {SandboxProcess.DemoApiKey}, secretKey: {SandboxProcess.DemoSecret}, permissions: [spotAndMarginTrading], ipWhitelist: [127.0.0.1] }}
subAccounts:
  - email: ""{OddEmail}""
    futuresEnabled: true
    marginEnabled: false
    keys:
      - {{ label: ""2024"", type: ed25519, publicKey: ""{PublicKey}"", permissions: [spotAndMarginTrading], ipWhitelist: [203.0.113.10, 203.0.113.9] }}
      - {{ label: ""true"", type: hmac, permissions: [] }}
      - {{ label: ""null"", type: hmac, permissions: [futures], ipWhitelist: [203.0.113.11] }}
      - {{ label: ""1e3"", type: ed25519, publicKey: ""{PublicKey}"", permissions: [], ipWhitelist: [203.0.113.12] }}
      - {{ label: fix-bot, type: ed25519, publicKey: ""{PublicKey}"", permissions: [fixApiReading], ipWhitelist: [203.0.113.13] }}
  - email: rules@example.com
    futuresEnabled: false
    marginEnabled: false
    keys:
      - {{ label: ""desk: a #b"", type: hmac, permissions: [], ipWhitelist: [198.51.100.1] }}
      - {{ label: trader, type: ed25519, publicKey: ""{PublicKey}"", permissions: [spotAndMarginTrading] }}
  - email: twin@one.example
  - email: TWIN@two.example
  - email: dup@example.com
    keys:
      - {{ label: dup, type: hmac, permissions: [], ipWhitelist: [198.51.100.2] }}
      - {{ label: DUP, type: hmac, permissions: [], ipWhitelist: [198.51.100.3] }}
brokerSubAccounts:
  - subAccountId: ""2002""
    futuresEnabled: false
    marginEnabled: false
    keys:
      - {{ label: seeded, type: hmac, permissions: [spotAndMarginTrading], ipWhitelist: [203.0.113.5] }}
");
            Sandbox = SandboxProcess.WithSeed(seed);
        }

        public const string OddEmail = "o'neil+ops#1@example.com";

        public SandboxProcess Sandbox { get; }

        public void Dispose()
        {
            Sandbox.Dispose();
            File.Delete(seed);
        }
    }

    /// <summary>Export-BinanceKeyState over keys the module did not create, with labels and emails that need YAML's quoting.</summary>
    [Collection("Environment")] // sets BINANCEKEYS_VAULT for the process
    public sealed class OddKeyExportTests : DesiredStateSandboxTest, IClassFixture<OddWorldSandbox>
    {
        public OddKeyExportTests(OddWorldSandbox world)
            : base(world.Sandbox)
        {
        }

        [Fact]
        public void LabelsAndEmailsWithYamlCharactersReadBackAndPlanToNoChange()
        {
            var export = Run("Export-BinanceKeyState -Email 'o''neil+ops#1@example.com' -OutFile ./odd.yaml -WarningAction SilentlyContinue");
            Assert.Null(export.Error);
            Assert.True(Property<bool>(Assert.Single(export.Output), "PassesPolicy"));
            Assert.Equal(5, Property<int>(export.Output[0], "KeyCount"));
            // The module created none of them, and the key query reports no FIX flag to tell an Ed25519 key by: every type is assumed.
            Assert.Equal(5, Property<int>(export.Output[0], "AssumedTypeCount"));

            string text = ReadFile("odd.yaml");
            Assert.Contains("name: 'o''neil+ops#1'", text);
            Assert.Contains("email: 'o''neil+ops#1@example.com'", text);
            foreach (string label in new[] { "2024", "true", "null", "1e3" }) Assert.Contains($"- label: '{label}'", text);
            Assert.Matches(@"- label: fix-bot\n\s+type: hmac # ASSUMED", text);
            Assert.Contains("ipWhitelist: [203.0.113.9, 203.0.113.10]", text);

            var plan = Run("$p = Get-BinanceKeyPlan -Path ./odd.yaml -IncludeUnchanged -WarningAction SilentlyContinue; $p.HasChanges; $p.Actions | ForEach-Object { $_.Kind.ToString() + '|' + $_.Label + '|' + $_.Email }");
            Assert.Null(plan.Error);
            Assert.False((bool)plan.Output[0].BaseObject);
            Assert.Equal(new[] { "NoChange|1e3|" + OddWorldSandbox.OddEmail, "NoChange|2024|" + OddWorldSandbox.OddEmail, "NoChange|fix-bot|" + OddWorldSandbox.OddEmail, "NoChange|null|" + OddWorldSandbox.OddEmail, "NoChange|true|" + OddWorldSandbox.OddEmail },
                plan.Output.Skip(1).Select(o => (string)o.BaseObject).OrderBy(l => l, StringComparer.Ordinal));
            var drift = Run("Test-BinanceKeyState -Path ./odd.yaml -WarningAction SilentlyContinue");
            Assert.True((bool)Assert.Single(drift.Output).BaseObject);
        }

        [Fact]
        public void KeysThatBreakARuleAreExportedAndTheFindingsPrinted()
        {
            var export = Run("Export-BinanceKeyState -Email rules@example.com -OutFile ./rules.yaml");
            Assert.Null(export.Error);
            Assert.False(Property<bool>(Assert.Single(export.Output), "PassesPolicy"));
            Assert.Contains(export.Warnings, w => w.StartsWith("[BN019]", StringComparison.Ordinal) && w.Contains("desk: a #b"));
            Assert.Contains(export.Warnings, w => w.StartsWith("[BN002]", StringComparison.Ordinal) && w.Contains("trader"));

            // The file check finds the same: the odd label read back exactly, the assumed HMAC type of a key that trades unrestricted.
            var check = Run("Test-BinanceApiKeyPolicy -Path ./rules.yaml | Where-Object Severity -eq 'Error' | ForEach-Object { $_.RuleId + '|' + $_.Label }");
            Assert.Equal(new[] { "BN002|trader", "BN019|desk: a #b" }, check.Output.Select(o => (string)o.BaseObject).OrderBy(l => l, StringComparer.Ordinal));
            AssertNoSecret(SandboxSecrets(), ReadFile("rules.yaml"));
        }

        [Fact]
        public void MaskedBrokerKeysAndKeysSharingALabelAreListedNotExported()
        {
            var export = Run("Export-BinanceKeyState -All -OutFile ./all.yaml");
            Assert.Null(export.Error);
            var summary = Assert.Single(export.Output);
            Assert.Equal(6, Property<int>(summary, "AccountCount"));
            var notExported = Property<string[]>(summary, "NotExported");
            Assert.Equal(2, notExported.Length);
            string apiKey = (string)Sandbox.KeysOf("2002").Single()!["apiKey"]!;
            Assert.Contains(notExported, n => n.StartsWith("broker-2002: ", StringComparison.Ordinal) && n.Contains('*') && n.Contains("masked") && !n.Contains(apiKey));
            Assert.Contains(notExported, n => n.StartsWith("dup: ", StringComparison.Ordinal) && n.Contains("same label"));
            Assert.Contains(export.Warnings, w => w.StartsWith("Not exported: broker-2002", StringComparison.Ordinal));

            string text = ReadFile("all.yaml");
            Assert.Contains("brokerSubAccountId: '2002'", text);
            // Names come from the email's local part (or broker-ID), made unique case-insensitively.
            Assert.Equal(new[] { "o'neil+ops#1", "rules", "twin", "TWIN-2", "dup", "broker-2002" },
                System.Text.RegularExpressions.Regex.Matches(text, @"^  - name: (.+)$", System.Text.RegularExpressions.RegexOptions.Multiline).Select(m => m.Groups[1].Value.Trim('\'').Replace("''", "'")));
            Assert.Matches(@"# Not exported: [A-Za-z0-9]+\*+: Binance lists this broker key only masked", text);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, @"- label: (dup|DUP)\n"));
            AssertNoSecret(SandboxSecrets(), text);
        }
    }
}

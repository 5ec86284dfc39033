using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// Every pipeline the documentation shows, run against the sandbox: the ones written out in README.md, docs/,
    /// examples/*.ps1 and the help examples (found by <see cref="DocumentedPipelines"/>, so a new one fails
    /// <see cref="EveryDocumentedPipelineHasAScenario"/> until it is tested here), and every pipeline input the help
    /// promises (an input type of a cmdlet), each for sub-accounts and broker sub-accounts where both exist.
    /// </summary>
    public sealed class DocumentedPipelineTests : IClassFixture<SandboxProcess>, IDisposable
    {
        private const string Connect = "Connect-BinanceAccount -Endpoint $endpoint -ApiKey $demoKey -Secret $demoSecret | Out-Null; " +
            "$k = New-BinanceKeyPair -Name e -Path ./k -NoEncryption -WarningAction SilentlyContinue; ";
        private const string Vault = " -VaultPath ./v.bkv -VaultPassphrase $vp";

        private readonly SandboxProcess sandbox;
        private readonly string folder = Directory.CreateTempSubdirectory("bk-pipelines-").FullName;

        public DocumentedPipelineTests(SandboxProcess sandbox)
        {
            this.sandbox = sandbox;
            sandbox.Reset();
        }

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private sealed class Scenario
        {
            public Scenario(string script, Action<ScriptResult, DocumentedPipelineTests> check, string setup = "")
            {
                Setup = setup;
                Script = script;
                Check = check;
            }

            /// <summary>Run first, in the same session; the requests it makes are not in <see cref="Requests"/>.</summary>
            public string Setup { get; }

            public string Script { get; }

            public Action<ScriptResult, DocumentedPipelineTests> Check { get; }
        }

        /// <summary>The requests the scenario's script (not its setup) sent to the sandbox: "METHOD path".</summary>
        private List<string> Requests { get; set; } = new List<string>();

        private static readonly Scenario RestrictPipedKeys = new Scenario(Connect +
            "$key = New-BinanceApiKey -Email desk-a@example.com -Label mm-bot -KeyPair $k -Permission spotAndMarginTrading -IpAddress 203.0.113.7; " +
            "$key | Set-BinanceApiKeyRestriction -IpAddress 203.0.113.7, 203.0.113.8; " +
            "$b = New-BinanceApiKey -BrokerSubAccountId 1001 -Label bot -KeyPair $k -IpAddress 5.5.5.5; " +
            "$b | Set-BinanceApiKeyRestriction -IpAddress 6.6.6.6; " +
            "Get-BinanceApiKey -Email desk-a@example.com -Label mm-bot",
            (result, test) =>
            {
                NoErrors(result);
                Assert.Equal(new[] { "203.0.113.7", "203.0.113.8" }, test.Whitelist("desk-a@example.com"));
                Assert.Equal(new[] { "6.6.6.6" }, test.Whitelist("1001"));
                // The quick start prints this key: its type is the one the module created, not "?".
                Assert.Equal("Ed25519", result.Output.Last().Properties["Type"].Value?.ToString());
            });

        private static readonly Scenario RemovePipedKeys = new Scenario(Connect +
            "$key = New-BinanceApiKey -Email desk-a@example.com -Label mm-bot -KeyPair $k -IpAddress 1.1.1.1; " +
            "$b = New-BinanceApiKey -BrokerSubAccountId 1001 -Label bot -KeyPair $k -IpAddress 1.1.1.1; " +
            "$key, $b | Remove-BinanceApiKey -Force",
            (result, test) =>
            {
                NoErrors(result);
                Assert.Empty(test.sandbox.KeysOf("desk-a@example.com"));
                Assert.Empty(test.sandbox.KeysOf("1001"));
            });

        private static readonly Scenario TestListedKeys = new Scenario(Connect +
            "New-BinanceApiKey -Email desk-a@example.com -Label open -KeyPair $k -Permission spotAndMarginTrading -WarningAction SilentlyContinue | Out-Null; " +
            "$b = New-BinanceApiKey -BrokerSubAccountId 1001 -Label bot -KeyPair $k -IpAddress 1.1.1.1; " +
            "Get-BinanceApiKey -Email desk-a@example.com | Test-BinanceApiKeyPolicy; '---'; " +
            "$b | Test-BinanceApiKeyPolicy; '---'; " +
            "Get-BinanceApiKey | Test-BinanceApiKeyPolicy -PolicyPath $policy",
            (result, _) =>
            {
                NoErrors(result);
                var sections = Sections(result);
                Assert.Contains(sections[0], o => (string?)o.Properties["RuleId"]?.Value == "BN008" && (string?)o.Properties["Label"]?.Value == "open");
                Assert.All(sections.SelectMany(s => s), o => Assert.Equal("BinanceKeys.PolicyFinding", o.TypeNames[0]));
            });

        private static readonly Scenario RemoveListedKeys = new Scenario(Connect +
            "'old-1', 'old-2', 'keep' | ForEach-Object { New-BinanceApiKey -Email desk-a@example.com -Label $_ -KeyPair $k -IpAddress 1.1.1.1 } | Out-Null; " +
            "Get-BinanceApiKey -Email desk-a@example.com -Label old-* | Remove-BinanceApiKey -Force",
            (result, test) =>
            {
                NoErrors(result);
                Assert.Equal(new[] { "keep" }, test.sandbox.KeysOf("desk-a@example.com").Select(k => (string?)k!["label"]));
            });

        private static readonly Scenario SetPermissionOfListedKeys = new Scenario(Connect +
            "'a', 'b' | ForEach-Object { New-BinanceApiKey -Email desk-b@example.com -Label $_ -KeyPair $k -IpAddress 1.1.1.1 -Permission spotAndMarginTrading } | Out-Null; " +
            "$c = New-BinanceApiKey -BrokerSubAccountId 1001 -Label c -KeyPair $k -IpAddress 1.1.1.1 -Permission spotAndMarginTrading; " +
            "Get-BinanceApiKey -Email desk-b@example.com | Set-BinanceApiKeyPermission -Permission @() -WhatIf; " +
            "$whatIf = (Get-BinanceApiKey -Email desk-b@example.com).Permission -contains 'SpotAndMarginTrading'; " +
            "Get-BinanceApiKey -Email desk-b@example.com | Set-BinanceApiKeyPermission -Permission @(); " +
            "$c | Set-BinanceApiKeyPermission -Permission @(); $whatIf",
            (result, test) =>
            {
                NoErrors(result);
                Assert.Equal(true, result.Output.Last().BaseObject); // -WhatIf changed nothing
                foreach (string account in new[] { "desk-b@example.com", "1001" })
                {
                    Assert.All(test.sandbox.KeysOf(account), key => Assert.Equal(new[] { "reading" }, key!["permissions"]!.AsArray().Select(p => (string?)p)));
                }
            });

        private static readonly Scenario RestrictListedKey = new Scenario(Connect +
            "New-BinanceApiKey -Email desk-a@example.com -Label mm-bot -KeyPair $k -IpAddress 1.1.1.1 | Out-Null; " +
            "Get-BinanceApiKey -Email desk-a@example.com -Label mm-bot | Set-BinanceApiKeyRestriction -IpAddress 203.0.113.7,203.0.113.8 -PassThru",
            (result, test) =>
            {
                NoErrors(result);
                Assert.Equal(new[] { "203.0.113.7", "203.0.113.8" }, test.Whitelist("desk-a@example.com"));
                Assert.Equal("Ed25519", Assert.Single(result.Output).Properties["Type"].Value?.ToString());
            });

        private static readonly Scenario ReadPublicKeyFiles = new Scenario(
            "New-BinanceKeyPair -Name a -Path ./keys -NoEncryption -WarningAction SilentlyContinue | Out-Null; New-BinanceKeyPair -Name b -Path ./keys -NoEncryption -WarningAction SilentlyContinue | Out-Null; " +
            // Get-ChildItem's FileInfo objects (the hosted test session has no Get-ChildItem): bound by FullName.
            "[System.IO.DirectoryInfo]::new(\"$pwd/keys\").GetFiles('*.pub.pem') | Get-BinanceKeyPair; '---'; './keys/a.pem' | Get-BinanceKeyPair",
            (result, _) =>
            {
                NoErrors(result);
                var sections = Sections(result);
                Assert.Equal(new[] { "a", "b" }, sections[0].Select(o => (string)o.Properties["Name"].Value).OrderBy(n => n));
                Assert.Equal(true, Assert.Single(sections[1]).Properties["HasPrivateKey"].Value);
            });

        private static readonly Scenario KeysOfPipedSubAccounts = new Scenario(
            "Get-BinanceSubAccount | Get-BinanceApiKey; '---'; Get-BinanceSubAccount -Broker | Get-BinanceApiKey -ErrorAction SilentlyContinue",
            (result, test) =>
            {
                Assert.Null(result.Terminating);
                var sections = Sections(result);
                var sub = Assert.Single(sections[0]);
                Assert.Equal("sub", sub.Properties["Label"].Value);
                Assert.Equal("SubAccount", sub.Properties["AccountKind"].Value.ToString());
                // The broker sub-account binds -BrokerSubAccountId only (it used to fail with AmbiguousParameterSet)
                // and its keys are read from the broker endpoints, never the sub-account ones by its email.
                Assert.DoesNotContain(result.Errors, e => !e.FullyQualifiedErrorId.StartsWith("Binance", StringComparison.Ordinal));
                Assert.Contains("GET /sapi/v1/broker/subAccountApi", test.Requests);
                Assert.Equal(3, test.Requests.Count(r => r == "GET /sapi/v1/sub-account/subAccountApi")); // desk-a, desk-b, desk-c
            },
            setup: Connect +
                "New-BinanceApiKey -Email desk-a@example.com -Label sub -KeyPair $k -IpAddress 1.1.1.1 | Out-Null; " +
                "New-BinanceApiKey -BrokerSubAccountId 1001 -Label brk -KeyPair $k -IpAddress 1.1.1.1 | Out-Null");

        private static readonly Scenario NewKeysInPipedSubAccounts = new Scenario(Connect +
            "Get-BinanceSubAccount -Email desk-a@example.com | New-BinanceApiKey -Label piped -KeyPair $k -IpAddress 1.1.1.1; " +
            "Get-BinanceSubAccount -Broker -BrokerSubAccountId 1001 | New-BinanceApiKey -Label piped -KeyPair $k -IpAddress 1.1.1.1",
            (result, test) =>
            {
                NoErrors(result);
                Assert.Equal(new[] { "SubAccount", "BrokerSubAccount" }, result.Output.Select(o => o.Properties["AccountKind"].Value.ToString()));
                Assert.Single(test.sandbox.KeysOf("desk-a@example.com"));
                Assert.Single(test.sandbox.KeysOf("1001"));
                Assert.Empty(test.sandbox.KeysOf("desk-b@example.com"));
            });

        private static readonly Scenario ReadPipedKeys = new Scenario(
            "$key | Get-BinanceApiKey; '---'; Get-BinanceApiKey | Get-BinanceApiKey; '---'; " +
            "$typed = [BinanceKeys.ApiKeyInfo]::new(); $typed.Email = 'desk-a@example.com'; $typed.ApiKey = $key.ApiKey; $typed.Type = 'Ed25519'; " +
            "Disconnect-BinanceAccount; Connect-BinanceAccount -Endpoint $endpoint -ApiKey $demoKey -Secret $demoSecret | Out-Null; " +
            "$typed | Get-BinanceApiKey; '---'; $b | Get-BinanceApiKey -ErrorAction SilentlyContinue",
            (result, test) =>
            {
                Assert.Null(result.Terminating);
                var sections = Sections(result);
                var one = Assert.Single(sections[0]);
                Assert.Equal("one", one.Properties["Label"].Value);
                Assert.Equal("Ed25519", one.Properties["Type"].Value?.ToString());
                Assert.Equal("Own", Assert.Single(sections[1]).Properties["AccountKind"].Value.ToString());
                // A new connection has seen nothing, so the type comes from the piped object alone.
                Assert.Equal("Ed25519", Assert.Single(sections[2]).Properties["Type"].Value?.ToString());
                // A piped broker key reads that key from the broker endpoints.
                Assert.DoesNotContain(result.Errors, e => !e.FullyQualifiedErrorId.StartsWith("Binance", StringComparison.Ordinal));
                Assert.Contains("GET /sapi/v1/broker/subAccountApi", test.Requests);
            },
            setup: Connect +
                "$key = New-BinanceApiKey -Email desk-a@example.com -Label one -KeyPair $k -IpAddress 1.1.1.1; " +
                "New-BinanceApiKey -Email desk-a@example.com -Label two -KeyPair $k -IpAddress 1.1.1.1 | Out-Null; " +
                "$b = New-BinanceApiKey -BrokerSubAccountId 1001 -Label brk -KeyPair $k -IpAddress 1.1.1.1");

        private static readonly Scenario TestFilesFromThePipeline = new Scenario(
            // The help's input: paths "by the FullName or PSPath property", as Get-ChildItem's FileInfo objects carry them.
            "[System.IO.DirectoryInfo]::new($examples).GetFiles('fund-desks.yaml') | Test-BinanceApiKeyPolicy | ForEach-Object RuleId; '---'; " +
            "Test-BinanceApiKeyPolicy -Path \"$examples/fund-desks.yaml\" | ForEach-Object RuleId",
            (result, _) =>
            {
                NoErrors(result);
                var sections = Sections(result).Select(s => string.Join(",", s.Select(o => o.ToString()))).ToList();
                Assert.Equal(sections[1], sections[0]);
            });

        private static readonly Scenario NewKeyPairsFromNames = new Scenario(
            "'a', 'b' | New-BinanceKeyPair -Path ./n -NoEncryption -WarningAction SilentlyContinue | ForEach-Object Name",
            (result, test) =>
            {
                NoErrors(result);
                Assert.Equal(new[] { "a", "b" }, result.Output.Select(o => o.ToString()));
                Assert.Equal(4, Directory.GetFiles(Path.Combine(test.folder, "n")).Length);
            });

        private static readonly Scenario PipedSecretEntries = new Scenario(
            "Set-BinanceSecret -Name one -ApiKey k1 -Secret $s" + Vault + " | Out-Null; Set-BinanceSecret -Name two -ApiKey k2 -Secret $s" + Vault + " | Out-Null; " +
            "Get-BinanceSecret" + Vault + " | Get-BinanceSecret -AsPlainText" + Vault + "; '---'; " +
            "Get-BinanceSecret" + Vault + " | Remove-BinanceSecret -Force" + Vault + "; @(Get-BinanceSecret" + Vault + ").Count",
            (result, _) =>
            {
                NoErrors(result);
                var sections = Sections(result);
                Assert.Equal(new[] { "PipedSecretPipedSecretPipedSecret1", "PipedSecretPipedSecretPipedSecret1" }, sections[0].Select(o => o.ToString()));
                Assert.Equal("0", sections[1].Single().ToString());
            });

        private static readonly Scenario SecretsFromObjects = new Scenario(Connect +
            "[pscustomobject]@{ Name = 'obj'; ApiKey = 'k9'; Account = 'desk-a@example.com'; Label = 'bot' } | Set-BinanceSecret -Secret $s" + Vault + " | Out-Null; " +
            "$key = New-BinanceApiKey -Email desk-a@example.com -Label mm-bot -KeyPair $k -IpAddress 1.1.1.1; " +
            "$key | Set-BinanceSecret -Name fromkey -Secret $s" + Vault + " | Out-Null; " +
            "Get-BinanceSecret" + Vault + " | ForEach-Object { $_.Name + '|' + $_.ApiKey + '|' + $_.Account + '|' + $_.Label }; $key.ApiKey",
            (result, _) =>
            {
                NoErrors(result);
                var lines = result.Output.Select(o => o.ToString()).ToList();
                string apiKey = lines.Last();
                Assert.Contains("obj|k9|desk-a@example.com|bot", lines);
                Assert.Contains($"fromkey|{apiKey}|desk-a@example.com|mm-bot", lines);
            });

        private static readonly Scenario SignPipedPayloadsAndPairs = new Scenario(
            "'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559', 'timestamp=1' | New-BinanceSignature -Secret $vector; '---'; " +
            "New-BinanceKeyPair -Name sig -Path ./s -NoEncryption -WarningAction SilentlyContinue | New-BinanceSignature -Payload 'timestamp=1'; '---'; " +
            "New-BinanceKeyPair -Name enc -Path ./s -Passphrase $p | Out-Null; Get-BinanceKeyPair ./s/enc.pem -Passphrase $p | New-BinanceSignature -Payload 'timestamp=1' -Passphrase $p",
            (result, _) =>
            {
                NoErrors(result);
                var sections = Sections(result);
                Assert.Equal("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", sections[0][0].ToString());
                Assert.Equal(2, sections[0].Count);
                Assert.Equal(88, Assert.Single(sections[1]).ToString()!.Length);
                Assert.Equal(88, Assert.Single(sections[2]).ToString()!.Length);
            });

        private const string DesiredFile = Connect +
            "$k = New-BinanceKeyPair -Name p -Path ./k -NoEncryption -WarningAction SilentlyContinue; " +
            "Set-Content -Path ./d.yaml -Value \"version: 1`naccounts:`n  - name: c`n    email: desk-c@example.com`n    keys:`n      - label: p`n        type: ed25519`n        publicKey: k/p.pub.pem`n        ipWhitelist: [1.1.1.1]\"; ";

        private static readonly Scenario PlanFilesFromThePipeline = new Scenario(
            // A path as a string, and a file object by its FullName, as Get-ChildItem gives it.
            "'./d.yaml' | Get-BinanceKeyPlan -VaultPath ./v.bkv | ForEach-Object CreateCount; '---'; " +
            "Get-ChildItem -Path . -Filter d.yaml | Get-BinanceKeyPlan -VaultPath ./v.bkv | ForEach-Object CreateCount",
            (result, _) =>
            {
                NoErrors(result);
                Assert.Equal(new[] { "1", "1" }, Sections(result).Select(s => string.Join(",", s.Select(o => o.ToString()))));
            },
            DesiredFile);

        private static readonly Scenario ApplyPipedPlans = new Scenario(
            "Get-BinanceKeyPlan -Path ./d.yaml -VaultPath ./v.bkv | Invoke-BinanceKeyPlan -Force -VaultPath ./v.bkv | ForEach-Object Status",
            (result, test) =>
            {
                NoErrors(result);
                Assert.Equal("Succeeded", Assert.Single(result.Output).ToString());
                Assert.Equal("p", (string?)Assert.Single(test.sandbox.KeysOf("desk-c@example.com"))!["label"]);
            },
            DesiredFile);

        private static readonly Scenario CheckFilesFromThePipeline = new Scenario(
            "'./d.yaml' | Test-BinanceKeyState -VaultPath ./v.bkv; '---'; Get-ChildItem -Path . -Filter d.yaml | Test-BinanceKeyState -VaultPath ./v.bkv",
            (result, _) =>
            {
                NoErrors(result);
                // The declared key is missing on Binance: drift, from both kinds of input.
                Assert.Equal(new[] { "False", "False" }, Sections(result).Select(s => string.Join(",", s.Select(o => o.ToString()))));
            },
            DesiredFile);

        /// <summary>"producer | consumer" as the documentation writes it, or "InputType | Cmdlet" from the help's inputs.</summary>
        private static readonly Dictionary<string, Scenario> Scenarios = new Dictionary<string, Scenario>
        {
            ["$key | Set-BinanceApiKeyRestriction"] = RestrictPipedKeys,
            ["$key | Remove-BinanceApiKey"] = RemovePipedKeys,
            ["Get-BinanceApiKey | Test-BinanceApiKeyPolicy"] = TestListedKeys,
            ["$keys | Test-BinanceApiKeyPolicy"] = TestListedKeys,
            ["System.String | Get-BinanceKeyPlan"] = PlanFilesFromThePipeline,
            ["BinanceKeys.KeyPlan | Invoke-BinanceKeyPlan"] = ApplyPipedPlans,
            ["System.String | Test-BinanceKeyState"] = CheckFilesFromThePipeline,
            ["Get-BinanceApiKey | Remove-BinanceApiKey"] = RemoveListedKeys,
            ["Get-BinanceApiKey | Set-BinanceApiKeyPermission"] = SetPermissionOfListedKeys,
            ["Get-BinanceApiKey | Set-BinanceApiKeyRestriction"] = RestrictListedKey,
            ["Get-ChildItem | Get-BinanceKeyPair"] = ReadPublicKeyFiles,
            ["Get-BinanceSubAccount | Get-BinanceApiKey"] = KeysOfPipedSubAccounts,
            ["BinanceKeys.SubAccountInfo | Get-BinanceApiKey"] = KeysOfPipedSubAccounts,
            ["BinanceKeys.ApiKeyInfo | Get-BinanceApiKey"] = ReadPipedKeys,
            ["BinanceKeys.SubAccountInfo | New-BinanceApiKey"] = NewKeysInPipedSubAccounts,
            ["BinanceKeys.ApiKeyInfo | Remove-BinanceApiKey"] = RemovePipedKeys,
            ["BinanceKeys.ApiKeyInfo | Set-BinanceApiKeyPermission"] = SetPermissionOfListedKeys,
            ["BinanceKeys.ApiKeyInfo | Set-BinanceApiKeyRestriction"] = RestrictPipedKeys,
            ["BinanceKeys.ApiKeyInfo | Test-BinanceApiKeyPolicy"] = TestListedKeys,
            ["System.String | Test-BinanceApiKeyPolicy"] = TestFilesFromThePipeline,
            ["System.String | Get-BinanceKeyPair"] = ReadPublicKeyFiles,
            ["System.String | New-BinanceKeyPair"] = NewKeyPairsFromNames,
            ["BinanceKeys.BinanceSecretInfo | Get-BinanceSecret"] = PipedSecretEntries,
            ["BinanceKeys.BinanceSecretInfo | Remove-BinanceSecret"] = PipedSecretEntries,
            ["System.Management.Automation.PSObject | Set-BinanceSecret"] = SecretsFromObjects,
            ["System.String | New-BinanceSignature"] = SignPipedPayloadsAndPairs,
            ["BinanceKeys.KeyPairInfo | New-BinanceSignature"] = SignPipedPayloadsAndPairs,
        };

        public static IEnumerable<object[]> ScenarioNames() => Scenarios.Keys.Select(k => new object[] { k });

        [Theory]
        [MemberData(nameof(ScenarioNames))]
        public void TheDocumentedPipelineWorks(string pipeline)
        {
            var scenario = Scenarios[pipeline];
            var variables = new Dictionary<string, object?>
            {
                ["endpoint"] = sandbox.BaseAddress,
                ["demoKey"] = SandboxProcess.DemoApiKey,
                ["demoSecret"] = ModuleHost.Secure(SandboxProcess.DemoSecret),
                ["p"] = ModuleHost.Secure("pipeline pass phrase"),
                ["vp"] = ModuleHost.Secure("pipeline vault pass phrase"),
                ["s"] = ModuleHost.Secure("PipedSecretPipedSecretPipedSecret1"),
                ["vector"] = ModuleHost.Secure("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"),
                ["policy"] = Path.Combine(ModuleHost.RepositoryRoot, "examples", "fund-desks.yaml"),
                ["examples"] = Path.Combine(ModuleHost.RepositoryRoot, "examples"),
            };
            using var shell = ModuleHost.CreateSession();
            if (scenario.Setup.Length > 0)
            {
                var setup = ModuleHost.Run(shell, scenario.Setup, variables, folder);
                NoErrors(setup);
            }
            int before = sandbox.Requests().Count;
            var result = ModuleHost.Run(shell, scenario.Script, variables, folder);
            Requests = sandbox.Requests().Skip(before).Select(r => (string)r!["method"]! + " " + (string)r["path"]!).ToList();
            scenario.Check(result, this);
        }

        [Fact]
        public void BrokerKeysAreListedWithTheirWhitelists()
        {
            var result = ModuleHost.Run(Connect +
                "New-BinanceApiKey -BrokerSubAccountId 1001 -Label brk -KeyPair $k -IpAddress 1.1.1.1 | Out-Null; Get-BinanceSubAccount -Broker | Get-BinanceApiKey",
                new Dictionary<string, object?> { ["endpoint"] = sandbox.BaseAddress, ["demoKey"] = SandboxProcess.DemoApiKey, ["demoSecret"] = ModuleHost.Secure(SandboxProcess.DemoSecret) }, folder);
            NoErrors(result);
            var key = Assert.Single(result.Output);
            // Binance lists broker keys masked and without a label (docs/binance.md §2.6): the module's record of the key it
            // created gives the full key (so its whitelist can be read) and the label.
            Assert.Equal(new[] { "1.1.1.1" }, (string[])key.Properties["IpAddress"].Value);
            Assert.Equal("brk", key.Properties["Label"].Value);
            Assert.DoesNotContain("*", (string)key.Properties["ApiKey"].Value);
        }

        [Fact]
        public void ABrokerKeyTheModuleDidNotCreateIsListedMaskedWithItsWhitelistUnknown()
        {
            // The key's record is kept beside another vault, so the listing (default vault) has none.
            var result = ModuleHost.Run(Connect +
                "New-BinanceApiKey -BrokerSubAccountId 1001 -Label brk -KeyPair $k -IpAddress 1.1.1.1 -VaultPath ./other.bkv | Out-Null; Get-BinanceApiKey -BrokerSubAccountId 1001",
                new Dictionary<string, object?> { ["endpoint"] = sandbox.BaseAddress, ["demoKey"] = SandboxProcess.DemoApiKey, ["demoSecret"] = ModuleHost.Secure(SandboxProcess.DemoSecret) }, folder);
            NoErrors(result);
            var key = Assert.Single(result.Output);
            Assert.Contains("*", (string)key.Properties["ApiKey"].Value);
            Assert.Equal("Unknown", key.Properties["IpAccess"].Value.ToString());
        }

        [Fact]
        public void EveryDocumentedPipelineHasAScenario()
        {
            var documented = DocumentedPipelines().ToList();
            // The scanner itself finds what the README, the quick start and the help show today.
            Assert.Contains(documented, d => d.Pipeline == "$key | Set-BinanceApiKeyRestriction" && d.Source == "README.md");
            Assert.Contains(documented, d => d.Pipeline == "Get-BinanceSubAccount | Get-BinanceApiKey");
            Assert.Contains(documented, d => d.Pipeline == "BinanceKeys.SubAccountInfo | New-BinanceApiKey");
            var missing = documented.Where(d => !Scenarios.ContainsKey(d.Pipeline)).Select(d => $"{d.Source} documents '{d.Pipeline}'").Distinct().ToList();
            Assert.True(missing.Count == 0, "DocumentedPipelineTests does not run: " + string.Join("; ", missing));
        }

        /// <summary>
        /// The pipelines the documentation shows: in README.md and docs/*.md (outside table rows), examples/*.ps1 (outside
        /// comments), the help's examples, descriptions and notes, as "producer | consumer" where the consumer is a module
        /// command; and the help's pipeline inputs, as "InputType | Cmdlet".
        /// </summary>
        public static IEnumerable<(string Source, string Pipeline)> DocumentedPipelines()
        {
            string root = ModuleHost.RepositoryRoot;
            var commands = ModuleCommands();
            var texts = new List<(string Source, string Text)>();
            foreach (string file in new[] { Path.Combine(root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md")))
            {
                texts.AddRange(File.ReadAllLines(file).Where(l => !l.TrimStart().StartsWith("|", StringComparison.Ordinal)).Select(l => (Path.GetRelativePath(root, file), l)));
            }
            foreach (string file in Directory.GetFiles(Path.Combine(root, "examples"), "*.ps1"))
            {
                texts.AddRange(File.ReadAllLines(file).Where(l => !l.TrimStart().StartsWith("#", StringComparison.Ordinal)).Select(l => (Path.GetRelativePath(root, file), l)));
            }
            var help = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "module", "help", "cmdlets.json")))!.AsArray();
            foreach (var cmdlet in help)
            {
                string name = (string)cmdlet!["name"]!;
                string source = "help of " + name;
                foreach (var example in cmdlet["examples"]!.AsArray())
                {
                    texts.AddRange(((string)example![1]!).Split('\n').Select(l => (source, l)));
                }
                texts.AddRange(((string)cmdlet["description"]! + "\n" + (string)cmdlet["notes"]!).Split('\n').Select(l => (source, l)));
                foreach (var input in cmdlet["inputs"]!.AsArray())
                {
                    string type = (string)input![0]!;
                    if (type != "None") yield return (source, type + " | " + name);
                }
            }
            foreach (var (source, text) in texts)
            {
                string[] segments = text.Split('|');
                for (int i = 1; i < segments.Length; i++)
                {
                    string? consumer = FirstToken(segments[i]);
                    if (consumer is null || !commands.Contains(consumer)) continue;
                    // The producer starts the statement the pipe is in: after the last ';', or inside the last '{' block.
                    string? producer = FirstToken(segments[i - 1].Split(';').Last().Split('{').Last());
                    if (producer != null) yield return (source, producer + " | " + consumer);
                }
            }
        }

        private static string? FirstToken(string segment)
        {
            var match = Regex.Match(segment, @"^[\s`(]*(\$\(|\()?\s*(?<token>\$?[A-Za-z][\w.-]*|'[^']*'|""[^""]*"")");
            if (!match.Success) return null;
            string token = match.Groups["token"].Value;
            return token.StartsWith("'", StringComparison.Ordinal) || token.StartsWith("\"", StringComparison.Ordinal) ? "System.String" : token;
        }

        private static HashSet<string> ModuleCommands()
        {
            var result = ModuleHost.Run("Get-Command -Module BinanceKeys | ForEach-Object Name");
            return result.Output.Select(o => o.ToString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }

        private string[] Whitelist(string account) =>
            sandbox.KeysOf(account).Single()!["ipWhitelist"]!.AsArray().Select(n => (string)n!).OrderBy(a => a, StringComparer.Ordinal).ToArray();

        private static void NoErrors(ScriptResult result)
        {
            Assert.True(result.Terminating is null && result.Errors.Count == 0,
                $"the pipeline failed: {result.Error?.FullyQualifiedErrorId}: {result.Error?.Exception.Message}");
        }

        private static List<List<PSObject>> Sections(ScriptResult result)
        {
            var sections = new List<List<PSObject>> { new List<PSObject>() };
            foreach (var item in result.Output)
            {
                if (item?.BaseObject is string text && text == "---") sections.Add(new List<PSObject>());
                else if (item != null) sections[^1].Add(item);
            }
            return sections;
        }
    }
}

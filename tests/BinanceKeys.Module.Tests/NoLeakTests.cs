using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// Drives the module's cmdlets, successful and failing, with -Verbose and -Debug, and looks for secrets in
    /// everything a user, a log or a transcript could see: output objects (ToString and every property), every
    /// stream, error records and exception text, and the files written. Grows with every cmdlet (issue 5).
    /// </summary>
    public sealed class NoLeakTests : IClassFixture<SandboxProcess>, IDisposable
    {
        private const string Passphrase = "Leak-Canary-Passphrase-7f3a";
        private const string HmacSecret = "LeakCanaryHmacSecretL8n2Qx5Vb7Mz1Kc3Jd9Hf4Gs6Aa0Pp2Ww4Ee6Rr8Tt0Yy";
        private const string VaultPassphrase = "Leak-Canary-Vault-Passphrase-91c2";
        private const string Vault = " -VaultPath ./v.bkv -VaultPassphrase $vp";
        private readonly string folder = Directory.CreateTempSubdirectory("bk-noleak-").FullName;
        private readonly SandboxProcess sandbox;

        public NoLeakTests(SandboxProcess sandbox)
        {
            this.sandbox = sandbox;
            sandbox.Reset();
        }

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private Dictionary<string, object?> Vars() => new Dictionary<string, object?>
        {
            ["p"] = ModuleHost.Secure(Passphrase),
            ["wrong"] = ModuleHost.Secure(Passphrase + "-wrong"),
            ["secret"] = ModuleHost.Secure(HmacSecret),
            ["endpoint"] = sandbox.BaseAddress,
            ["demoKey"] = SandboxProcess.DemoApiKey,
            ["demoSecret"] = ModuleHost.Secure(SandboxProcess.DemoSecret),
            ["vp"] = ModuleHost.Secure(VaultPassphrase),
            ["wrongVp"] = ModuleHost.Secure(VaultPassphrase + "-wrong"),
        };

        private const string Connect = "Connect-BinanceAccount -Endpoint $endpoint -ApiKey $demoKey -Secret $demoSecret -Verbose -Debug; ";

        public static TheoryData<string> Scenarios => new TheoryData<string>
        {
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p -Verbose -Debug",
            "New-BinanceKeyPair -Name r -Path ./k -Algorithm RSA -Passphrase $p -Verbose -Debug",
            "New-BinanceKeyPair -Name u -Path ./k -NoEncryption -Verbose -Debug",
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p -Verbose -Debug; New-BinanceKeyPair -Name e -Path ./k -Passphrase $p -Verbose -Debug",
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p -WhatIf -Verbose -Debug",
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p | Out-Null; Get-BinanceKeyPair ./k/e.pem -Passphrase $p -Verbose -Debug",
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p | Out-Null; Get-BinanceKeyPair ./k/e.pem -Passphrase $wrong -Verbose -Debug",
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p | Out-Null; Get-BinanceKeyPair ./k/e.pem -Verbose -Debug",
            "New-BinanceKeyPair -Name u -Path ./k -NoEncryption | Out-Null; Get-BinanceKeyPair ./k/u.pem -Verbose -Debug | New-BinanceSignature -Payload 'timestamp=1' -Verbose -Debug",
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p | Out-Null; New-BinanceSignature -PrivateKeyPath ./k/e.pem -Passphrase $p -Payload 'timestamp=1' -Verbose -Debug",
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p | Out-Null; New-BinanceSignature -PrivateKeyPath ./k/e.pem -Passphrase $wrong -Payload 'timestamp=1' -Verbose -Debug",
            "New-BinanceSignature -Secret $secret -Payload 'timestamp=1' -Verbose -Debug",
            "$WhatIfPreference = $true; New-BinanceSignature -Secret $secret -Payload 'timestamp=1' -Verbose -Debug",
            Connect + "Get-BinanceApiKey -Verbose -Debug; Get-BinanceSubAccount -Verbose -Debug; Get-BinanceSubAccount -Broker -Verbose -Debug",
            "Connect-BinanceAccount -Endpoint $endpoint -ApiKey $demoKey -Secret $secret -Verbose -Debug",
            Connect + "New-BinanceApiKey -Email desk-b@example.com -Label h -IpAddress 1.1.1.1 -Permission spotAndMarginTrading -SecretPath ./h.secret -Verbose -Debug | " +
                "Set-BinanceApiKeyPermission -Permission @() -Verbose -Debug -PassThru | Set-BinanceApiKeyRestriction -AddIpAddress 2.2.2.2 -PassThru -Verbose -Debug | Remove-BinanceApiKey -Force -Verbose -Debug",
            Connect + "New-BinanceApiKey -Email desk-b@example.com -Label h -Permission spotAndMarginTrading -SecretPath ./h.secret -Verbose -Debug",
            Connect + "New-BinanceKeyPair -Name q -Path ./k -Passphrase $p | Out-Null; $kp = Get-BinanceKeyPair ./k/q.pem -Passphrase $p; New-BinanceApiKey -Email desk-a@example.com -Label q -KeyPair $kp -IpAddress 1.1.1.1 -Verbose -Debug | Get-BinanceApiKey -Verbose -Debug",
            Connect + "Invoke-BinanceRestMethod GET /sapi/v1/account/apiRestrictions -Verbose -Debug; Invoke-BinanceRestMethod POST /sapi/v1/nothing -Parameter @{ x = 1 } -Verbose -Debug",
            "New-BinanceKeyPair -Name q -Path ./k -Passphrase $p | Out-Null; Connect-BinanceAccount -Endpoint $endpoint -ApiKey $demoKey -PrivateKeyPath ./k/q.pem -Passphrase $p -Verbose -Debug",
            Connect + "Disconnect-BinanceAccount -Verbose -Debug",
            "Set-BinanceSecret -Name s -ApiKey k -Secret $secret -Verbose -Debug" + Vault + "; Get-BinanceSecret -Verbose -Debug" + Vault + "; Get-BinanceSecret -Name s -Verbose -Debug" + Vault + "; Remove-BinanceSecret -Name s -Force -Verbose -Debug" + Vault,
            "Set-BinanceSecret -Name s -ApiKey k -Secret $secret" + Vault + " | Out-Null; Get-BinanceSecret -Name s -VaultPath ./v.bkv -VaultPassphrase $wrongVp -Verbose -Debug; Set-BinanceSecret -Name s -ApiKey k -Secret $secret -Verbose -Debug" + Vault,
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p | Out-Null; Set-BinanceSecret -Name pk -ApiKey k -PrivateKeyPath ./k/e.pem -Passphrase $p -Verbose -Debug" + Vault + "; Get-BinanceSecret -Name pk -Verbose -Debug" + Vault,
            "New-BinanceKeyPair -Name v -Path ./k -StoreInVault -Verbose -Debug" + Vault,
            "Test-BinanceApiKeyPolicy -Path '" + Path.Combine(ModuleHost.RepositoryRoot, "examples", "fund-desks.yaml").Replace("'", "''") + "' -Verbose -Debug; Test-BinanceApiKeyPolicy -Path ./missing.yaml -Verbose -Debug",
            Connect + "New-BinanceApiKey -Email desk-b@example.com -Label r -IpAddress 127.0.0.1 -Verbose -Debug" + Vault + "; Connect-BinanceAccount -Endpoint $endpoint -SecretName desk-b@example.com/r -Verbose -Debug" + Vault + "; Get-BinanceApiKey -Verbose -Debug",
            // Desired state: an HMAC key made by an apply (its secret goes to the vault), then a drift check and an export;
            // the plan files, the module's state folder beside the vault and the exported file are scanned too.
            Connect + "[IO.File]::WriteAllText(\"$PWD/desks.yaml\", \"version: 1`naccounts:`n  - name: desk-b`n    email: desk-b@example.com`n    keys:`n      - label: rep`n        type: hmac`n        secret: vault:desk-b/rep`n        ipWhitelist: [1.1.1.1]`n\"); " +
                "Get-BinanceKeyPlan -Path ./desks.yaml -OutFile ./plan.json -MarkdownPath ./plan.md -VaultPath ./v.bkv -Verbose -Debug; Invoke-BinanceKeyPlan -Path ./desks.yaml -Force -Verbose -Debug" + Vault + "; " +
                "Test-BinanceKeyState -Path ./desks.yaml -Detailed -VaultPath ./v.bkv -Verbose -Debug; Export-BinanceKeyState -All -OutFile ./export.yaml -VaultPath ./v.bkv -Verbose -Debug",
            // A saved plan applied, then the same file in one step.
            Connect + "[IO.File]::WriteAllText(\"$PWD/d.yaml\", \"version: 1`naccounts:`n  - name: c`n    email: desk-c@example.com`n    keys:`n      - label: h`n        type: hmac`n        secret: vault:desk-c/h`n" +
                "        permissions: [spotAndMarginTrading]`n        ipWhitelist: [1.1.1.1]`n\"); Get-BinanceKeyPlan -Path ./d.yaml -OutFile ./plan.json -MarkdownPath ./plan.md -VaultPath ./v.bkv -Verbose -Debug; " +
                "Invoke-BinanceKeyPlan -PlanPath ./plan.json -Force -Verbose -Debug" + Vault + "; Invoke-BinanceKeyPlan -Path ./d.yaml -Force -Verbose -Debug" + Vault,
        };

        [Theory]
        [MemberData(nameof(Scenarios))]
        public void NoSecretAppearsAnywhere(string script)
        {
            var host = new TestHost();
            using var shell = ModuleHost.CreateSession(host);
            var result = ModuleHost.Run(shell, "$DebugPreference = 'Continue'; " + script, Vars(), folder);
            ModuleHost.Run(shell, "$Error | ForEach-Object { $_ | Out-Default }");

            var seen = new StringBuilder(result.AllText()).AppendLine(host.Text);
            var forbidden = new List<string> { Passphrase, VaultPassphrase, HmacSecret, Hex(HmacSecret), Convert.ToBase64String(Encoding.UTF8.GetBytes(HmacSecret)), SandboxProcess.DemoSecret };
            // Every HMAC secret the sandbox ever handed out during the scenario (they stay in its state until reset).
            foreach (var account in sandbox.State()["accounts"]!.AsArray())
            {
                foreach (var key in account!["keys"]!.AsArray())
                {
                    if ((string?)key!["secretKey"] is string issued && issued.Length > 0) forbidden.Add(issued);
                }
            }

            // The private keys written by the scenario: their PEM bodies and raw key bytes in base64 and hex.
            var sanctioned = new List<string>();
            foreach (string file in Directory.EnumerateFiles(folder, "*.pem", SearchOption.AllDirectories).Where(f => !f.EndsWith(".pub.pem")))
            {
                sanctioned.Add(file);
                string pem = File.ReadAllText(file);
                string body = string.Concat(pem.Split('\n').Where(line => line.Length > 0 && !line.StartsWith("-----")));
                forbidden.Add(body);
                forbidden.AddRange(pem.Split('\n').Where(line => line.Length >= 40 && !line.StartsWith("-----")));
                if (pem.Contains("BEGIN PRIVATE KEY"))
                {
                    byte[] der = Convert.FromBase64String(body);
                    byte[] raw = der[^32..]; // Ed25519 seed, or the last bytes of the RSA CRT coefficient
                    forbidden.Add(Convert.ToBase64String(raw));
                    forbidden.Add(Convert.ToHexString(raw));
                    forbidden.Add(Convert.ToHexString(raw).ToLowerInvariant());
                }
            }
            // Whatever the vault holds (HMAC secrets, private keys kept with -StoreInVault), read with the deliberate
            // -AsPlainText opt-in in a separate call whose output is not part of what is checked.
            if (File.Exists(Path.Combine(folder, "v.bkv")))
            {
                var stored = ModuleHost.Run(shell, "Get-BinanceSecret" + Vault + " | ForEach-Object { Get-BinanceSecret -Name $_.Name -AsPlainText" + Vault + " }", Vars(), folder);
                foreach (var item in stored.Output)
                {
                    string value = item.ToString();
                    forbidden.Add(value);
                    forbidden.AddRange(value.Split('\n').Where(line => line.Length >= 40 && !line.StartsWith("-----")));
                }
            }

            // HMAC secrets written to their -SecretPath files: those files are their one sanctioned place.
            foreach (string file in Directory.EnumerateFiles(folder, "*.secret", SearchOption.AllDirectories))
            {
                sanctioned.Add(file);
                forbidden.Add(File.ReadAllText(file));
            }
            // The vault file is encrypted: it is scanned too, and must not show any secret in the clear.
            foreach (string other in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => !sanctioned.Contains(f)))
            {
                seen.AppendLine(File.ReadAllText(other));
            }

            string everything = seen.ToString();
            foreach (string secret in forbidden)
            {
                Assert.False(everything.Contains(secret, StringComparison.OrdinalIgnoreCase), $"a secret ({secret.Length} characters) leaked");
            }
            Assert.True(everything.Length > 0);
        }

        [Fact]
        public void ScenariosCoverEveryExportedCmdlet()
        {
            var exported = CmdletDesignTests.ExportedCmdlets().Select(row => (string)row[0]).ToList();
            string all = string.Join("\n", ((IEnumerable<object[]>)Scenarios).Select(row => (string)row[0]));
            Assert.NotEmpty(exported);
            foreach (string cmdlet in exported) Assert.True(all.Contains(cmdlet + " ", StringComparison.Ordinal), $"{cmdlet} is not driven by the no-leak test");
        }

        private static string Hex(string text) => Convert.ToHexString(Encoding.UTF8.GetBytes(text));
    }
}

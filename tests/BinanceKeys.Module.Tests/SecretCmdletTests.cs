using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using BinanceKeys.Tests.Interop;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>The local vault and SecretManagement through the cmdlets, and their use by Connect and New-BinanceApiKey.</summary>
    public sealed class SecretCmdletTests : IClassFixture<SandboxProcess>, IDisposable
    {
        private const string VaultPassphrase = "vault pass phrase ✓";
        private const string Connect = "Connect-BinanceAccount -Endpoint $endpoint -ApiKey $demoKey -Secret $demoSecret | Out-Null; ";

        // Microsoft.PowerShell.SecretManagement is not served here: tests/pester/SecretManagement.StandIn has its public
        // cmdlet signatures, output types and error ids over an in-memory vault (docs/vault.md says what that proves).
        private static readonly string StandIn = Path.Combine(ModuleHost.RepositoryRoot, "tests", "pester", "SecretManagement.StandIn", "Microsoft.PowerShell.SecretManagement.psd1");

        private readonly SandboxProcess sandbox;
        private readonly string folder = Directory.CreateTempSubdirectory("bk-secret-").FullName;

        public SecretCmdletTests(SandboxProcess sandbox)
        {
            this.sandbox = sandbox;
            sandbox.Reset();
        }

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private Dictionary<string, object?> Vars() => new Dictionary<string, object?>
        {
            ["vp"] = ModuleHost.Secure(VaultPassphrase),
            ["wrongVp"] = ModuleHost.Secure("not the vault passphrase"),
            ["apiSecret"] = ModuleHost.Secure("StoredHmacSecretStoredHmacSecretStoredHmacSecretStoredHmac1234"),
            ["p"] = ModuleHost.Secure("key pass phrase"),
            ["endpoint"] = sandbox.BaseAddress,
            ["demoKey"] = SandboxProcess.DemoApiKey,
            ["demoSecret"] = ModuleHost.Secure(SandboxProcess.DemoSecret),
        };

        private ScriptResult Run(string script) => ModuleHost.Run(script, Vars(), folder);

        [Fact]
        public void StoreListReadAndRemoveAnHmacSecret()
        {
            var result = Run(
                "Set-BinanceSecret -Name prod -ApiKey k1 -Secret $apiSecret -Account desk-a@example.com -Label bot -VaultPath ./v.bkv -VaultPassphrase $vp | Out-Null; " +
                "Get-BinanceSecret -VaultPath ./v.bkv -VaultPassphrase $vp; " +
                "Get-BinanceSecret -Name prod -VaultPath ./v.bkv -VaultPassphrase $vp; " +
                "Get-BinanceSecret -Name prod -AsPlainText -VaultPath ./v.bkv -VaultPassphrase $vp; " +
                "Remove-BinanceSecret -Name prod -Force -VaultPath ./v.bkv -VaultPassphrase $vp; " +
                "Get-BinanceSecret -VaultPath ./v.bkv -VaultPassphrase $vp");
            Assert.Empty(result.Errors);
            Assert.Equal(3, result.Output.Count);
            var info = result.Output[0];
            Assert.Equal("BinanceKeys.BinanceSecretInfo", info.TypeNames[0]);
            Assert.Equal(new[] { "Name", "ApiKey", "Account", "Label", "Type", "Created", "Vault" }, info.Properties.Select(p => p.Name));
            Assert.Equal("prod", info.Properties["Name"].Value);
            Assert.Equal("k1", info.Properties["ApiKey"].Value);
            Assert.Equal("hmac", info.Properties["Type"].Value);
            Assert.IsType<SecureString>(result.Output[1].BaseObject);
            Assert.Equal("StoredHmacSecretStoredHmacSecretStoredHmacSecretStoredHmac1234", result.Output[2].BaseObject);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "v.bkv")));
            }
            Assert.DoesNotContain("StoredHmacSecret", File.ReadAllText(Path.Combine(folder, "v.bkv")));
        }

        [Fact]
        public void ExistingEntriesAreKeptUnlessForced()
        {
            var result = Run(
                "Set-BinanceSecret -Name prod -ApiKey k1 -Secret $apiSecret -VaultPath ./v.bkv -VaultPassphrase $vp | Out-Null; " +
                "Set-BinanceSecret -Name prod -ApiKey k2 -Secret $apiSecret -VaultPath ./v.bkv -VaultPassphrase $vp; " +
                "(Get-BinanceSecret -VaultPath ./v.bkv -VaultPassphrase $vp).ApiKey; " +
                "Set-BinanceSecret -Name prod -ApiKey k2 -Secret $apiSecret -VaultPath ./v.bkv -VaultPassphrase $vp -Force | Out-Null; " +
                "(Get-BinanceSecret -VaultPath ./v.bkv -VaultPassphrase $vp).ApiKey");
            Assert.Equal("VaultEntryExists,BinanceKeys.Commands.SetBinanceSecretCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
            Assert.Equal(new[] { "k1", "k2" }, result.Output.Select(o => o.ToString()));
        }

        [Theory]
        [InlineData("Get-BinanceSecret -VaultPath ./v.bkv -VaultPassphrase $wrongVp", "VaultWrongPassphrase", ErrorCategory.AuthenticationError)]
        [InlineData("Get-BinanceSecret -VaultPath ./v.bkv", "VaultPassphraseRequired", ErrorCategory.AuthenticationError)]
        [InlineData("Get-BinanceSecret -VaultPath ./none.bkv -VaultPassphrase $vp", "VaultVaultNotFound", ErrorCategory.ObjectNotFound)]
        [InlineData("Get-BinanceSecret -Name nothing -VaultPath ./v.bkv -VaultPassphrase $vp", "VaultEntryNotFound", ErrorCategory.ObjectNotFound)]
        [InlineData("Remove-BinanceSecret -Name nothing -Force -VaultPath ./v.bkv -VaultPassphrase $vp", "VaultEntryNotFound", ErrorCategory.ObjectNotFound)]
        public void VaultErrorsAreDistinct(string script, string errorId, ErrorCategory category)
        {
            Run("Set-BinanceSecret -Name prod -ApiKey k1 -Secret $apiSecret -VaultPath ./v.bkv -VaultPassphrase $vp | Out-Null");
            var result = Run(script);
            var error = Assert.Single(result.Errors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            Assert.DoesNotContain(VaultPassphrase, result.AllText());
        }

        [Fact]
        public void APrivateKeyIsKeptInTheVaultAndOpenSslReadsItBack()
        {
            var result = Run(
                "$pair = New-BinanceKeyPair -Name bot -Path . -Passphrase $p; " +
                "Set-BinanceSecret -Name bot-key -ApiKey k1 -PrivateKeyPath ./bot.pem -Passphrase $p -VaultPath ./v.bkv -VaultPassphrase $vp; " +
                "Get-BinanceSecret -Name bot-key -AsPlainText -VaultPath ./v.bkv -VaultPassphrase $vp; $pair.PublicKeyPem");
            Assert.Empty(result.Errors);
            Assert.Equal("ed25519", result.Output[0].Properties["Type"].Value);
            string pem = (string)result.Output[1].BaseObject;
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem);
            Assert.Equal(result.Output[2].ToString(), ExternalTool.OpenSsl("pkey -pubout", System.Text.Encoding.UTF8.GetBytes(pem)));
        }

        [Fact]
        public void NewKeyPairCanKeepItsPrivateKeyInTheVaultOnly()
        {
            // The pair names its vault entry and vault; signing loads the key from there with the vault's passphrase.
            var result = Run("New-BinanceKeyPair -Name bot -Path ./keys -StoreInVault -VaultPath ./v.bkv -VaultPassphrase $vp | New-BinanceSignature -Payload 'timestamp=1' -VaultPassphrase $vp; Get-BinanceSecret -VaultPath ./v.bkv -VaultPassphrase $vp");
            Assert.Empty(result.Errors);
            Assert.Equal(88, result.Output[0].ToString()!.Length);
            Assert.Equal("bot", result.Output[1].Properties["Name"].Value);
            Assert.Equal(new[] { "bot.pub.pem" }, Directory.GetFiles(Path.Combine(folder, "keys")).Select(Path.GetFileName));
        }

        [Fact]
        public void NewHmacKeySecretGoesToTheVaultUnderAccountAndLabelAndConnectUsesIt()
        {
            var result = Run(Connect +
                "New-BinanceApiKey -Email desk-b@example.com -Label reporting -IpAddress 127.0.0.1 -VaultPath ./v.bkv -VaultPassphrase $vp | Out-Null; " +
                "Get-BinanceSecret -VaultPath ./v.bkv -VaultPassphrase $vp; " +
                "Connect-BinanceAccount -Endpoint $endpoint -SecretName desk-b@example.com/reporting -VaultPath ./v.bkv -VaultPassphrase $vp");
            Assert.Empty(result.Errors);
            var stored = Assert.Single(sandbox.KeysOf("desk-b@example.com"));
            var info = result.Output[0];
            Assert.Equal("desk-b@example.com/reporting", info.Properties["Name"].Value);
            Assert.Equal((string?)stored!["apiKey"], info.Properties["ApiKey"].Value);
            Assert.Equal("reporting", info.Properties["Label"].Value);
            var connection = result.Output[1];
            Assert.Equal((string?)stored["apiKey"], connection.Properties["ApiKey"].Value);
            Assert.Contains("desk-b@example.com/reporting", (string)connection.Properties["CredentialSource"].Value);
            Assert.DoesNotContain((string)stored["secretKey"]!, result.AllText());
            Assert.DoesNotContain(Directory.GetFiles(folder), f => !f.EndsWith("v.bkv") && !f.EndsWith(".lock"));
        }

        [Fact]
        public void ATakenVaultNameStopsTheCreateBeforeAnythingIsSent()
        {
            var result = Run(Connect +
                "Set-BinanceSecret -Name taken -ApiKey k1 -Secret $apiSecret -VaultPath ./v.bkv -VaultPassphrase $vp | Out-Null; " +
                "New-BinanceApiKey -Email desk-b@example.com -Label reporting -IpAddress 1.1.1.1 -SecretName taken -VaultPath ./v.bkv -VaultPassphrase $vp");
            Assert.Equal("VaultEntryExists,BinanceKeys.Commands.NewBinanceApiKeyCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Empty(sandbox.KeysOf("desk-b@example.com"));
        }

        [Fact]
        public void SecretManagementVaultsWorkThroughTheirCommands()
        {
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(StandIn)!, "bin", "Microsoft.PowerShell.SecretManagement.dll")), "The SecretManagement stand-in is not built: run 'dotnet build'.");
            string vault = "Team" + Guid.NewGuid().ToString("N").Substring(0, 8);
            var result = Run($"Import-Module '{StandIn}'; Register-SecretVault -Name {vault} -ModuleName Microsoft.PowerShell.SecretStore; " + Connect +
                $"Set-BinanceSecret -Name prod -ApiKey k1 -Secret $apiSecret -Label ops -Vault {vault} | Out-Null; " +
                $"New-BinanceApiKey -Email desk-b@example.com -Label reporting -IpAddress 1.1.1.1 -Vault {vault} | Out-Null; " +
                $"Get-BinanceSecret -Vault {vault} | ForEach-Object {{ $_.Name + '|' + $_.Type + '|' + $_.Vault }}; " +
                $"Get-BinanceSecret -Name prod -Vault {vault} -AsPlainText; " +
                $"(Get-SecretInfo -Name 'desk-b@example.com/reporting' -Vault {vault}).Metadata.ApiKey; " +
                $"Remove-BinanceSecret -Name prod -Vault {vault} -Force; @(Get-SecretInfo -Vault {vault}).Count; " +
                $"Unregister-SecretVault -Name {vault}");
            Assert.Empty(result.Errors);
            var lines = result.Output.Select(o => o.ToString()).ToList();
            Assert.Contains($"prod|hmac|SecretManagement vault '{vault}'", lines);
            Assert.Contains($"desk-b@example.com/reporting|hmac|SecretManagement vault '{vault}'", lines);
            Assert.Contains("StoredHmacSecretStoredHmacSecretStoredHmacSecretStoredHmac1234", lines);
            Assert.Contains((string?)sandbox.KeysOf("desk-b@example.com").Single()!["apiKey"], lines);
            Assert.Equal("1", lines.Last());
        }

        [Fact]
        public void WithoutSecretManagementTheErrorSaysHowToGetIt()
        {
            var result = Run("Get-BinanceSecret -Vault Fake");
            var error = Assert.Single(result.Errors);
            Assert.Equal("SecretManagementNotInstalled,BinanceKeys.Commands.GetBinanceSecretCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.NotInstalled, error.CategoryInfo.Category);
            Assert.Contains("Install-PSResource Microsoft.PowerShell.SecretManagement", error.Exception.Message);
        }
    }

    /// <summary>Tests that set process environment variables run alone.</summary>
    [CollectionDefinition("Environment", DisableParallelization = true)]
    public sealed class EnvironmentCollection
    {
    }

    [Collection("Environment")]
    public sealed class PipelineEnvironmentTests : IClassFixture<SandboxProcess>, IDisposable
    {
        private readonly SandboxProcess sandbox;
        private readonly string folder = Directory.CreateTempSubdirectory("bk-env-").FullName;

        public PipelineEnvironmentTests(SandboxProcess sandbox)
        {
            this.sandbox = sandbox;
            sandbox.Reset();
        }

        public void Dispose() => Directory.Delete(folder, recursive: true);

        [Fact]
        public void APipelineConnectsWithOnlyTheVaultPassphraseInItsEnvironment()
        {
            string vault = Path.Combine(folder, "ci.bkv");
            var setup = ModuleHost.Run("Set-BinanceSecret -Name prod -ApiKey $demoKey -Secret $demoSecret -VaultPath $vault -VaultPassphrase $vp | Out-Null",
                new Dictionary<string, object?> { ["demoKey"] = SandboxProcess.DemoApiKey, ["demoSecret"] = ModuleHost.Secure(SandboxProcess.DemoSecret), ["vault"] = vault, ["vp"] = ModuleHost.Secure("ci passphrase") });
            Assert.Empty(setup.Errors);

            using (new EnvironmentScope(("BINANCEKEYS_VAULT", vault), ("BINANCEKEYS_VAULT_PASSPHRASE", "ci passphrase")))
            {
                var result = ModuleHost.Run("Connect-BinanceAccount -Endpoint $endpoint -SecretName prod", new Dictionary<string, object?> { ["endpoint"] = sandbox.BaseAddress });
                Assert.Empty(result.Errors);
                Assert.Equal(SandboxProcess.DemoApiKey, Assert.Single(result.Output).Properties["ApiKey"].Value);
            }
        }

        [Fact]
        public void TheDefaultVaultIsPerUserAndNeedsOnlyThePassphrase()
        {
            // The per-user default ($XDG_DATA_HOME/binancekeys/vault.bkv), pointed at a temporary folder.
            using (new EnvironmentScope(("XDG_DATA_HOME", folder), ("BINANCEKEYS_VAULT", null), ("BINANCEKEYS_VAULT_PASSPHRASE", "ci passphrase")))
            {
                var stored = ModuleHost.Run("Set-BinanceSecret -Name prod -ApiKey $demoKey -Secret $demoSecret",
                    new Dictionary<string, object?> { ["demoKey"] = SandboxProcess.DemoApiKey, ["demoSecret"] = ModuleHost.Secure(SandboxProcess.DemoSecret) });
                Assert.Empty(stored.Errors);
                Assert.Equal(Path.Combine(folder, "binancekeys", "vault.bkv"), Assert.Single(stored.Output).Properties["Vault"].Value);

                var result = ModuleHost.Run("Connect-BinanceAccount -Endpoint $endpoint -SecretName prod", new Dictionary<string, object?> { ["endpoint"] = sandbox.BaseAddress });
                Assert.Empty(result.Errors);
                Assert.Equal(SandboxProcess.DemoApiKey, Assert.Single(result.Output).Properties["ApiKey"].Value);
            }
        }

        [Fact]
        public void APipelineConnectsWithTheBinanceVariables()
        {
            using (new EnvironmentScope(("BINANCE_API_KEY", SandboxProcess.DemoApiKey), ("BINANCE_API_SECRET", SandboxProcess.DemoSecret)))
            {
                var result = ModuleHost.Run("Connect-BinanceAccount -Endpoint $endpoint -Verbose", new Dictionary<string, object?> { ["endpoint"] = sandbox.BaseAddress });
                Assert.Empty(result.Errors);
                var connection = Assert.Single(result.Output);
                Assert.Contains("environment", (string)connection.Properties["CredentialSource"].Value);
                Assert.DoesNotContain(SandboxProcess.DemoSecret, result.AllText());
            }
        }

        [Fact]
        public void WithoutCredentialsConnectSaysWhereTheyCanComeFrom()
        {
            using (new EnvironmentScope(("BINANCE_API_KEY", null), ("BINANCE_API_SECRET", null), ("BINANCE_PRIVATE_KEY_PATH", null)))
            {
                var result = ModuleHost.Run("Connect-BinanceAccount -Endpoint $endpoint", new Dictionary<string, object?> { ["endpoint"] = sandbox.BaseAddress });
                Assert.Equal("ApiKeyInvalidArgument,BinanceKeys.Commands.ConnectBinanceAccountCommand", result.Error?.FullyQualifiedErrorId);
                Assert.Contains("BINANCE_API_KEY", result.Error!.Exception.Message);
            }
        }

        private sealed class EnvironmentScope : IDisposable
        {
            private readonly List<(string Name, string? Value)> previous = new List<(string, string?)>();

            public EnvironmentScope(params (string Name, string? Value)[] variables)
            {
                foreach (var (name, value) in variables)
                {
                    previous.Add((name, Environment.GetEnvironmentVariable(name)));
                    Environment.SetEnvironmentVariable(name, value);
                }
            }

            public void Dispose()
            {
                foreach (var (name, value) in previous) Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}

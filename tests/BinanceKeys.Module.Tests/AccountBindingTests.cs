using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// Which account a command acts on, from parameters and piped objects: an object names exactly one kind of account,
    /// and two accounts at once are refused, never guessed (the wrong kind of account is a real-money mistake).
    /// </summary>
    public sealed class AccountBindingTests : IClassFixture<SandboxProcess>, IDisposable
    {
        private const string Connect = "Connect-BinanceAccount -Endpoint $endpoint -ApiKey $demoKey -Secret $demoSecret | Out-Null; ";
        private readonly SandboxProcess sandbox;
        private readonly string folder = Directory.CreateTempSubdirectory("bk-binding-").FullName;

        public AccountBindingTests(SandboxProcess sandbox)
        {
            this.sandbox = sandbox;
            sandbox.Reset();
        }

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private ScriptResult Run(string script) => ModuleHost.Run(Connect + script, new Dictionary<string, object?>
        {
            ["endpoint"] = sandbox.BaseAddress,
            ["demoKey"] = SandboxProcess.DemoApiKey,
            ["demoSecret"] = ModuleHost.Secure(SandboxProcess.DemoSecret),
        }, folder);

        private int KeyRequests() => sandbox.Requests().Count(r => ((string?)r!["path"])!.Contains("subAccountApi", StringComparison.Ordinal));

        [Fact]
        public void ABrokerSubAccountNamesItselfByIdOnly()
        {
            var result = Run("Get-BinanceSubAccount -Broker");
            Assert.Empty(result.Errors);
            var broker = Assert.Single(result.Output);
            Assert.Null(broker.Properties["Email"].Value);
            Assert.Equal("1001", broker.Properties["BrokerSubAccountId"].Value);
            Assert.Equal("broker-1001@example.com", broker.Properties["BrokerEmail"].Value);
            Assert.Equal("1001", broker.ToString());
        }

        [Fact]
        public void ASubAccountHasItsEmailAndNoBrokerEmail()
        {
            var result = Run("Get-BinanceSubAccount -Email desk-a@example.com");
            var sub = Assert.Single(result.Output);
            Assert.Equal("desk-a@example.com", sub.Properties["Email"].Value);
            Assert.Null(sub.Properties["BrokerEmail"].Value);
        }

        [Theory]
        [InlineData("Set-BinanceApiKeyRestriction -ApiKey k -Email desk-a@example.com -BrokerSubAccountId 1001 -IpAddress 1.1.1.1", "SetBinanceApiKeyRestrictionCommand")]
        [InlineData("Set-BinanceApiKeyPermission -ApiKey k -Email desk-a@example.com -BrokerSubAccountId 1001 -Permission @()", "SetBinanceApiKeyPermissionCommand")]
        [InlineData("Remove-BinanceApiKey -ApiKey k -Email desk-a@example.com -BrokerSubAccountId 1001 -Force", "RemoveBinanceApiKeyCommand")]
        [InlineData("Get-BinanceApiKey -Email desk-a@example.com -BrokerSubAccountId 1001", "GetBinanceApiKeyCommand")]
        [InlineData("[pscustomobject]@{ Email = 'desk-a@example.com'; BrokerSubAccountId = '1001' } | Get-BinanceApiKey", "GetBinanceApiKeyCommand")]
        [InlineData("[pscustomobject]@{ ApiKey = 'k'; Email = 'desk-a@example.com'; BrokerSubAccountId = '1001' } | Remove-BinanceApiKey -Force", "RemoveBinanceApiKeyCommand")]
        public void TwoAccountsAtOnceAreRefusedBeforeAnythingIsSent(string script, string command)
        {
            int before = KeyRequests();
            var result = Run(script);
            var error = Assert.Single(result.Errors);
            Assert.Equal("ApiKeyInvalidArgument,BinanceKeys.Commands." + command, error.FullyQualifiedErrorId);
            Assert.Contains("not both", error.Exception.Message);
            Assert.Equal(before, KeyRequests());
        }

        [Theory]
        [InlineData("Set-BinanceApiKeyRestriction -ApiKey k -Email ' ' -IpAddress 1.1.1.1", "SetBinanceApiKeyRestrictionCommand")]
        [InlineData("Get-BinanceApiKey -Email ' '", "GetBinanceApiKeyCommand")]
        [InlineData("New-BinanceApiKey -Email ' ' -Label x -SecretPath ./x.secret", "NewBinanceApiKeyCommand")]
        public void ABlankAccountIsAnInvalidArgumentNotACrash(string script, string command)
        {
            var result = Run(script);
            Assert.Equal("ApiKeyInvalidArgument,BinanceKeys.Commands." + command, result.Error?.FullyQualifiedErrorId);
        }

        [Fact]
        public void AKeyCreatedByTheModuleKeepsItsTypeWhenListedLater()
        {
            // The README quick start: create, restrict through the pipeline, then list; the table shows the type, not "?".
            var host = new TestHost();
            using var shell = ModuleHost.CreateSession(host);
            var result = ModuleHost.Run(shell, Connect +
                "$k = New-BinanceKeyPair -Name e -Path ./k -NoEncryption -WarningAction SilentlyContinue; " +
                "$key = New-BinanceApiKey -Email desk-a@example.com -Label mm-bot -KeyPair $k -Permission spotAndMarginTrading -IpAddress 203.0.113.7; " +
                "$key | Set-BinanceApiKeyRestriction -IpAddress 203.0.113.7, 203.0.113.8; " +
                "Get-BinanceApiKey -Email desk-a@example.com -Label mm-bot | Out-Default; (Get-BinanceApiKey -Email desk-a@example.com).Type",
                new Dictionary<string, object?>
                {
                    ["endpoint"] = sandbox.BaseAddress,
                    ["demoKey"] = SandboxProcess.DemoApiKey,
                    ["demoSecret"] = ModuleHost.Secure(SandboxProcess.DemoSecret),
                }, folder);
            Assert.Empty(result.Errors);
            Assert.Equal("Ed25519", result.Output.Last().ToString());
            Assert.Matches(@"mm-bot\s+Ed25519", host.Text);
            Assert.DoesNotMatch(@"mm-bot\s+\?", host.Text);
        }

        [Fact]
        public void AKeyOfAnotherSessionIsOfUnknownTypeUntilAPipedObjectSaysSo()
        {
            // What the module never saw it does not invent: a new session lists the key without a type. The key is made with
            // its record kept beside another vault (./v.bkv), so the listing, which reads the default one, has no record of it.
            var created = Run("$k = New-BinanceKeyPair -Name e -Path ./k -NoEncryption -WarningAction SilentlyContinue; (New-BinanceApiKey -Email desk-a@example.com -Label mm-bot -KeyPair $k -IpAddress 1.1.1.1 -VaultPath ./v.bkv).ApiKey");
            string apiKey = created.Output.Last().ToString()!;
            var listed = Run("(Get-BinanceApiKey -Email desk-a@example.com).Type -eq $null; " +
                $"$o = [BinanceKeys.ApiKeyInfo]::new(); $o.Email = 'desk-a@example.com'; $o.ApiKey = '{apiKey}'; $o.Type = 'Ed25519'; " +
                "($o | Set-BinanceApiKeyRestriction -AddIpAddress 2.2.2.2 -PassThru).Type; (Get-BinanceApiKey -Email desk-a@example.com).Type");
            Assert.Empty(listed.Errors);
            Assert.Equal(new[] { "True", "Ed25519", "Ed25519" }, listed.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void TheSingleKeyCommandsReadTheRecordsBesideTheVaultTheyAreGiven()
        {
            // An Ed25519 trading key whose record is kept beside ./v.bkv. Without that vault a new session does not know the
            // type, so lifting the IP restriction is checked as for an HMAC key and refused (Default Security Controls);
            // naming the vault, the same session reads the record: the type is shown and the change is allowed.
            var created = Run("$k = New-BinanceKeyPair -Name e -Path ./k -NoEncryption -WarningAction SilentlyContinue; " +
                "(New-BinanceApiKey -Email desk-a@example.com -Label mm-bot -KeyPair $k -Permission spotAndMarginTrading -IpAddress 203.0.113.7 -VaultPath ./v.bkv).ApiKey");
            Assert.Empty(created.Errors);
            string apiKey = created.Output.Last().ToString()!;

            var unknown = Run($"Set-BinanceApiKeyRestriction -Email desk-a@example.com -ApiKey {apiKey} -Unrestricted -Confirm:$false");
            var refusal = Assert.Single(unknown.Errors);
            Assert.Equal("PolicyViolation,BinanceKeys.Commands.SetBinanceApiKeyRestrictionCommand", refusal.FullyQualifiedErrorId);
            Assert.Contains("[BN002]", refusal.Exception.Message);
            Assert.Contains("type is not known here", refusal.Exception.Message);

            var known = Run("(Get-BinanceApiKey -Email desk-a@example.com -VaultPath ./v.bkv).Type; " +
                $"(Set-BinanceApiKeyRestriction -Email desk-a@example.com -ApiKey {apiKey} -Unrestricted -VaultPath ./v.bkv -PassThru -WarningAction SilentlyContinue).IpAccess; " +
                $"Remove-BinanceApiKey -Email desk-a@example.com -ApiKey {apiKey} -VaultPath ./v.bkv -Confirm:$false; (Get-BinanceApiKey -Email desk-a@example.com).Count");
            Assert.Empty(known.Errors);
            Assert.Equal(new[] { "Ed25519", "Unrestricted", "0" }, known.Output.Select(o => o.ToString()));
        }
    }
}

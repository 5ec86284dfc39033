using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>The key lifecycle cmdlets over real HTTP against the sandbox, as the README's quick start runs them.</summary>
    public sealed class KeyLifecycleCmdletTests : IClassFixture<SandboxProcess>, IDisposable
    {
        private const string Connect = "Connect-BinanceAccount -Endpoint $endpoint -ApiKey $apiKey -Secret $secret | Out-Null; ";
        private readonly SandboxProcess sandbox;
        private readonly string folder = Directory.CreateTempSubdirectory("bk-lifecycle-").FullName;

        public KeyLifecycleCmdletTests(SandboxProcess sandbox)
        {
            this.sandbox = sandbox;
            sandbox.Reset();
        }

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private Dictionary<string, object?> Vars() => new Dictionary<string, object?>
        {
            ["endpoint"] = sandbox.BaseAddress,
            ["apiKey"] = SandboxProcess.DemoApiKey,
            ["secret"] = ModuleHost.Secure(SandboxProcess.DemoSecret),
            ["p"] = ModuleHost.Secure("pass phrase"),
        };

        private ScriptResult Run(string script) => ModuleHost.Run(Connect + script, Vars(), folder);


        [Fact]
        public void ConnectReturnsTheCheckedConnection()
        {
            var result = ModuleHost.Run("Connect-BinanceAccount -Endpoint $endpoint -ApiKey $apiKey -Secret $secret", Vars());
            Assert.Null(result.Terminating);
            Assert.Empty(result.Errors);
            var info = Assert.Single(result.Output);
            Assert.Equal("BinanceKeys.BinanceConnectionInfo", info.TypeNames[0]);
            Assert.Equal(SandboxProcess.DemoApiKey, info.Properties["ApiKey"].Value);
            Assert.Equal("Hmac", info.Properties["KeyType"].Value.ToString());
            Assert.Equal(true, info.Properties["IpRestricted"].Value);
            Assert.Equal(new[] { "Reading", "SpotAndMarginTrading" }, ((Array)info.Properties["Permission"].Value).Cast<object>().Select(o => o.ToString()));
        }

        [Fact]
        public void ConnectWithAWrongSecretFailsWithTheSignatureErrorAndShowsNoSecret()
        {
            var variables = Vars();
            variables["secret"] = ModuleHost.Secure("WrongSecretWrongSecretWrongSecretWrongSecretWrongSecretWrong1234");
            var result = ModuleHost.Run("Connect-BinanceAccount -Endpoint $endpoint -ApiKey $apiKey -Secret $secret -Verbose", variables);
            Assert.Equal("BinanceInvalidSignature,BinanceKeys.Commands.ConnectBinanceAccountCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, result.Error!.CategoryInfo.Category);
            Assert.Contains("-1022", result.Error.Exception.Message);
            Assert.DoesNotContain("WrongSecretWrongSecret", result.AllText());
        }

        [Theory]
        [InlineData("http://example.com")]
        [InlineData("http://10.0.0.1:5080")]
        [InlineData("ftp://127.0.0.1")]
        public void ConnectRefusesPlainHttpExceptToLoopback(string endpoint)
        {
            var variables = Vars();
            variables["endpoint"] = endpoint;
            var result = ModuleHost.Run("Connect-BinanceAccount -Endpoint $endpoint -ApiKey $apiKey -Secret $secret", variables);
            Assert.Equal("InvalidArgument,BinanceKeys.Commands.ConnectBinanceAccountCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains("https://", result.Error!.Exception.Message);
        }

        [Fact]
        public void CommandsWithoutAConnectionSaySo()
        {
            var result = ModuleHost.Run("Get-BinanceApiKey");
            Assert.Equal("ApiKeyNotConnected,BinanceKeys.Commands.GetBinanceApiKeyCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains("Connect-BinanceAccount", result.Error!.Exception.Message);
        }

        [Fact]
        public void DisconnectForgetsTheConnection()
        {
            var result = Run("Disconnect-BinanceAccount; Get-BinanceApiKey");
            Assert.Equal("ApiKeyNotConnected,BinanceKeys.Commands.GetBinanceApiKeyCommand", result.Error?.FullyQualifiedErrorId);
        }

        [Fact]
        public void OwnKeyAndSubAccountsAreRead()
        {
            var result = Run("Get-BinanceApiKey; Get-BinanceSubAccount; Get-BinanceSubAccount -Broker");
            Assert.Empty(result.Errors);
            var own = result.Output[0];
            Assert.Equal("Own", own.Properties["AccountKind"].Value.ToString());
            Assert.Equal(SandboxProcess.DemoApiKey, own.Properties["ApiKey"].Value);
            Assert.Equal("TrustedIps", own.Properties["IpAccess"].Value.ToString());
            var emails = result.Output.Skip(1).Where(o => o.Properties["AccountKind"].Value.ToString() == "SubAccount").Select(o => (string)o.Properties["Email"].Value).ToList();
            Assert.Equal(new[] { "desk-a@example.com", "desk-b@example.com", "desk-c@example.com" }, emails);
            var deskA = result.Output.First(o => (string?)o.Properties["Email"].Value == "desk-a@example.com");
            Assert.Equal(true, deskA.Properties["IsFutureEnabled"].Value);
            Assert.Equal(false, deskA.Properties["IsMarginEnabled"].Value);
            Assert.Contains(result.Output, o => (string?)o.Properties["BrokerSubAccountId"].Value == "1001");
        }

        [Fact]
        public void ALabelFilterReadsTheWhitelistsOfTheMatchingKeysOnly()
        {
            // Each whitelist read costs as much as the key query (UID weight 3000): -Label must not read the others'.
            var created = Run(
                "$pair = New-BinanceKeyPair -Name one -Path ./keys -NoEncryption -WarningAction SilentlyContinue; " +
                "$null = New-BinanceApiKey -Email desk-a@example.com -Label mm-bot -KeyPair $pair -IpAddress 203.0.113.7; " +
                "$pair = New-BinanceKeyPair -Name two -Path ./keys -NoEncryption -WarningAction SilentlyContinue; " +
                "$null = New-BinanceApiKey -Email desk-a@example.com -Label hedge-bot -KeyPair $pair -IpAddress 203.0.113.8; " +
                "$pair = New-BinanceKeyPair -Name three -Path ./keys -NoEncryption -WarningAction SilentlyContinue; " +
                "$null = New-BinanceApiKey -Email desk-a@example.com -Label reporting -KeyPair $pair -IpAddress 203.0.113.9");
            Assert.Empty(created.Errors);
            int IpReads() => sandbox.Requests().Count(r => (string?)r!["method"] == "GET" && ((string?)r["path"])!.EndsWith("/subAccountApi/ipRestriction", StringComparison.Ordinal));
            int before = IpReads();

            var result = Run("Get-BinanceApiKey -Email desk-a@example.com -Label *-bot");

            Assert.Empty(result.Errors);
            Assert.Equal(new[] { "hedge-bot", "mm-bot" }, result.Output.Select(o => (string)o.Properties["Label"].Value).OrderBy(l => l, StringComparer.Ordinal));
            Assert.Equal(2, IpReads() - before);
        }

        [Fact]
        public void QuickStartCreateRestrictReadAndRemoveAnEd25519Key()
        {
            var result = Run(
                "$pair = New-BinanceKeyPair -Name mm-bot -Path ./keys -Passphrase $p; " +
                "$key = New-BinanceApiKey -Email desk-a@example.com -Label mm-bot -KeyPair $pair -Permission spotAndMarginTrading; " +
                "$key | Set-BinanceApiKeyRestriction -IpAddress 203.0.113.7,203.0.113.8; " +
                "Get-BinanceApiKey -Email desk-a@example.com -Label mm-bot");
            Assert.Null(result.Terminating);
            Assert.Empty(result.Errors);
            var key = result.Output.Last();
            Assert.Equal("mm-bot", key.Properties["Label"].Value);
            Assert.Equal("TrustedIps", key.Properties["IpAccess"].Value.ToString());
            Assert.Equal(new[] { "203.0.113.7", "203.0.113.8" }, ((string[])key.Properties["IpAddress"].Value).OrderBy(a => a));
            Assert.Contains("SpotAndMarginTrading", ((Array)key.Properties["Permission"].Value).Cast<object>().Select(o => o.ToString()));

            var stored = Assert.Single(sandbox.KeysOf("desk-a@example.com"));
            Assert.Equal("ed25519", (string?)stored!["type"]);
            Assert.Equal(File.ReadAllText(Path.Combine(folder, "keys", "mm-bot.pub.pem")).Trim(), ((string?)stored["publicKey"])!.Trim());

            var removed = Run($"Remove-BinanceApiKey -ApiKey {key.Properties["ApiKey"].Value} -Email desk-a@example.com -Force; Get-BinanceApiKey -Email desk-a@example.com");
            Assert.Empty(removed.Errors);
            Assert.Empty(removed.Output);
            Assert.Empty(sandbox.KeysOf("desk-a@example.com"));
        }

        [Fact]
        public void HmacSecretGoesToTheSecretFileOnlyAndTheKeyPipesOn()
        {
            var result = Run("New-BinanceApiKey -Email desk-b@example.com -Label reporting -IpAddress 198.51.100.1 -SecretPath ./secrets/reporting.secret -Verbose | " +
                "Set-BinanceApiKeyPermission -Permission spotAndMarginTrading -PassThru");
            Assert.Empty(result.Errors);
            var stored = Assert.Single(sandbox.KeysOf("desk-b@example.com"));
            string secret = (string)stored!["secretKey"]!;
            string secretFile = Path.Combine(folder, "secrets", "reporting.secret");
            Assert.Equal(secret, File.ReadAllText(secretFile));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secretFile));
            }
            Assert.DoesNotContain(secret, result.AllText());
            var key = Assert.Single(result.Output);
            Assert.Contains("SpotAndMarginTrading", ((Array)key.Properties["Permission"].Value).Cast<object>().Select(o => o.ToString()));
            Assert.Contains(result.Verbose, line => line.Contains("POST /sapi/v1/sub-account/subAccountApi") && line.Contains("apiName"));
        }

        [Fact]
        public void HmacWithoutAnUnlockableSecretStoreIsRefusedBeforeAnythingIsSent()
        {
            // No -SecretPath, and no vault passphrase (BINANCEKEYS_VAULT_PASSPHRASE is not set in the tests).
            var result = Run("New-BinanceApiKey -Email desk-b@example.com -Label reporting -IpAddress 198.51.100.1 -VaultPath ./vault.bkv");
            Assert.Equal("VaultPassphraseRequired,BinanceKeys.Commands.NewBinanceApiKeyCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Equal(0, sandbox.CreateRequests());
            Assert.Empty(sandbox.KeysOf("desk-b@example.com"));
        }

        [Theory]
        [InlineData("New-BinanceApiKey -Email desk-b@example.com -Label risky -Permission spotAndMarginTrading -SecretPath ./s1", "BN002")]
        [InlineData("$k = New-BinanceKeyPair -Name r -Path . -Algorithm RSA -NoEncryption; New-BinanceApiKey -Email desk-a@example.com -Label fix -KeyPair $k -Permission fixApiTrading -IpAddress 1.2.3.4", "BN009")]
        [InlineData("$k = New-BinanceKeyPair -Name e -Path . -NoEncryption; New-BinanceApiKey -Email desk-b@example.com -Label fut -KeyPair $k -Permission futures -IpAddress 1.2.3.4", "BN004")]
        [InlineData("$k = New-BinanceKeyPair -Name e -Path . -NoEncryption; New-BinanceApiKey -Email desk-a@example.com -Label bad-ip -KeyPair $k -IpAddress 300.1.2.3", "BN012")]
        public void PolicyErrorsStopTheCreateBeforeAnythingIsSent(string script, string ruleId)
        {
            var result = Run(script + " -WarningAction SilentlyContinue");
            Assert.Equal("PolicyViolation,BinanceKeys.Commands.NewBinanceApiKeyCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains(ruleId, result.Error!.Exception.Message);
            Assert.Equal(0, sandbox.CreateRequests());
        }

        [Fact]
        public void LabelsAreUniquePerAccount()
        {
            var result = Run("$k = New-BinanceKeyPair -Name e -Path . -NoEncryption; New-BinanceApiKey -Email desk-a@example.com -Label Bot -KeyPair $k -IpAddress 1.1.1.1 | Out-Null; " +
                "New-BinanceApiKey -Email desk-a@example.com -Label bot -KeyPair $k -IpAddress 1.1.1.1");
            Assert.Equal("ApiKeyLabelExists,BinanceKeys.Commands.NewBinanceApiKeyCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, result.Error!.CategoryInfo.Category);
            Assert.Single(sandbox.KeysOf("desk-a@example.com"));
            Assert.Equal(1, sandbox.CreateRequests());
        }

        [Fact]
        public void PolicyWarningsGoToTheWarningStream()
        {
            var result = Run("$k = New-BinanceKeyPair -Name e -Path . -NoEncryption -WarningAction SilentlyContinue; New-BinanceApiKey -Email desk-a@example.com -Label open -KeyPair $k -Permission spotAndMarginTrading");
            Assert.Empty(result.Errors);
            Assert.Single(result.Output);
            Assert.Contains(result.Warnings, w => w.StartsWith("[BN008]", StringComparison.Ordinal) && w.Contains("30 days"));
        }

        [Fact]
        public void WithdrawalsAreAManualStep()
        {
            var result = Run("$k = New-BinanceKeyPair -Name e -Path . -NoEncryption; New-BinanceApiKey -Email desk-a@example.com -Label w -KeyPair $k -Permission withdrawals -IpAddress 1.2.3.4");
            Assert.Equal("ManualStepRequired,BinanceKeys.Commands.NewBinanceApiKeyCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains("web UI", result.Error!.Exception.Message);
            Assert.Equal(0, sandbox.CreateRequests());
        }

        [Theory]
        [InlineData("Set-BinanceApiKeyRestriction -ApiKey $apiKey -IpAddress 1.2.3.4", "SetBinanceApiKeyRestrictionCommand")]
        [InlineData("Set-ApiKeyRestriction -ApiKey $apiKey -Unrestricted", "SetBinanceApiKeyRestrictionCommand")]
        [InlineData("Get-BinanceApiKey | Set-BinanceApiKeyPermission -Permission spotAndMarginTrading", "SetBinanceApiKeyPermissionCommand")]
        [InlineData("Get-BinanceApiKey | Remove-BinanceApiKey -Force", "RemoveBinanceApiKeyCommand")]
        public void OwnAccountKeysGetTheWebUiSteps(string script, string command)
        {
            var result = Run(script);
            Assert.Equal("ManualStepRequired,BinanceKeys.Commands." + command, result.Error?.FullyQualifiedErrorId);
            Assert.Contains("API Management", result.Error!.Exception.Message);
            Assert.Contains("1. Log in to binance.com", result.Error.Exception.Message);
        }

        [Fact]
        public void IpListsAreChangedAsSets()
        {
            var result = Run(
                "$k = New-BinanceKeyPair -Name e -Path . -NoEncryption; $key = New-BinanceApiKey -Email desk-a@example.com -Label k -KeyPair $k -IpAddress 1.1.1.1,2.2.2.2; " +
                "$key | Set-BinanceApiKeyRestriction -AddIpAddress 3.3.3.3,1.1.1.1 -PassThru; " +
                "$key | Set-BinanceApiKeyRestriction -RemoveIpAddress 2.2.2.2 -PassThru; " +
                "$key | Set-BinanceApiKeyRestriction -IpAddress 4.4.4.4 -PassThru; " +
                "$key | Set-BinanceApiKeyRestriction -Unrestricted -PassThru; " +
                "$key | Set-BinanceApiKeyRestriction -RemoveIpAddress 9.9.9.9");
            Assert.Equal(new[] { "1.1.1.1", "2.2.2.2", "3.3.3.3" }, Ips(result.Output[0]));
            var listed = Run("Get-BinanceApiKey -Email desk-a@example.com");
            Assert.Contains(listed.Progress, p => p.Activity == "Reading the API keys of desk-a@example.com" && p.StatusDescription == "0 of 1");
            Assert.Contains(listed.Progress, p => p.RecordType == ProgressRecordType.Completed);
            Assert.Equal(new[] { "1.1.1.1", "3.3.3.3" }, Ips(result.Output[1]));
            Assert.Equal(new[] { "4.4.4.4" }, Ips(result.Output[2]));
            Assert.Equal("Unrestricted", result.Output[3].Properties["IpAccess"].Value.ToString());
            Assert.Equal("ApiKeyInvalidArgument,BinanceKeys.Commands.SetBinanceApiKeyRestrictionCommand", result.Error?.FullyQualifiedErrorId);
        }

        [Fact]
        public void UnrestrictingATradingEd25519KeyIsAllowed()
        {
            var result = Run("$k = New-BinanceKeyPair -Name e -Path . -NoEncryption; New-BinanceApiKey -Email desk-a@example.com -Label k -KeyPair $k -IpAddress 1.1.1.1 -Permission spotAndMarginTrading | Set-BinanceApiKeyRestriction -Unrestricted -PassThru -WarningAction SilentlyContinue");
            Assert.Empty(result.Errors);
            Assert.Equal("Unrestricted", Assert.Single(result.Output).Properties["IpAccess"].Value.ToString());
        }

        private static string[] Ips(PSObject key) => ((string[])key.Properties["IpAddress"].Value).OrderBy(a => a).ToArray();

        [Theory]
        [InlineData("New-BinanceApiKey -Email desk-b@example.com -Label h -IpAddress 1.1.1.1 -Permission spotAndMarginTrading -SecretPath ./h.secret | Set-BinanceApiKeyRestriction -Unrestricted")]
        [InlineData("New-BinanceApiKey -Email desk-b@example.com -Label h -IpAddress 1.1.1.1 -Permission spotAndMarginTrading -SecretPath ./h.secret | Out-Null; Get-BinanceApiKey -Email desk-b@example.com | Set-BinanceApiKeyRestriction -Unrestricted")]
        public void UnrestrictingATradingHmacKeyIsRefusedByDefaultSecurityControls(string script)
        {
            var result = Run(script);
            // The piped key from New-BinanceApiKey says HMAC; a listed key has no type (Binance does not report it) and is checked as HMAC.
            Assert.Equal("PolicyViolation,BinanceKeys.Commands.SetBinanceApiKeyRestrictionCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains("BN002", result.Error!.Exception.Message);
            var keys = sandbox.KeysOf("desk-b@example.com");
            Assert.Single(keys);
            Assert.True((bool)keys[0]!["ipRestricted"]!, "the key must still be restricted (or Binance would delete it)");
        }

        [Fact]
        public void RemoveAsksForConfirmationAndWhatIfChangesNothing()
        {
            var create = Run("$k = New-BinanceKeyPair -Name e -Path . -NoEncryption; New-BinanceApiKey -Email desk-a@example.com -Label k -KeyPair $k -IpAddress 1.1.1.1");
            string apiKey = (string)create.Output.Single().Properties["ApiKey"].Value;

            var whatIf = Run($"Remove-BinanceApiKey -ApiKey {apiKey} -Email desk-a@example.com -WhatIf -Force");
            Assert.Empty(whatIf.Errors);
            var prompt = Run($"Remove-BinanceApiKey -ApiKey {apiKey} -Email desk-a@example.com");
            // The confirmation prompt itself, failing in a host without a UI as it does in CI without -Force; any other error
            // (a binding mistake, a failed call) would not show that the cmdlet asked.
            Assert.IsType<System.Management.Automation.Host.HostException>(prompt.Error?.Exception);
            Assert.StartsWith("HostFunctionNotImplemented,", prompt.Error!.FullyQualifiedErrorId);
            Assert.Contains("request confirmation", prompt.Error.Exception.Message);
            Assert.Single(sandbox.KeysOf("desk-a@example.com"));

            var confirmed = Run($"Remove-BinanceApiKey -ApiKey {apiKey} -Email desk-a@example.com -Confirm:$false");
            Assert.Empty(confirmed.Errors);
            Assert.Empty(sandbox.KeysOf("desk-a@example.com"));
        }

        [Fact]
        public void BrokerKeyWithExtraPermissionsAndWhitelist()
        {
            var result = Run("$k = New-BinanceKeyPair -Name b -Path . -NoEncryption; New-BinanceApiKey -BrokerSubAccountId 1001 -Label bot -KeyPair $k -Permission spotAndMarginTrading,universalTransfer -IpAddress 5.5.5.5");
            Assert.Empty(result.Errors);
            var key = Assert.Single(result.Output);
            Assert.Equal("BrokerSubAccount", key.Properties["AccountKind"].Value.ToString());
            var stored = Assert.Single(sandbox.KeysOf("1001"));
            Assert.Equal(new[] { "5.5.5.5" }, stored!["ipWhitelist"]!.AsArray().Select(n => (string?)n));
            Assert.Contains("universalTransfer", stored["permissions"]!.AsArray().Select(n => (string?)n));
            Assert.Equal((string?)stored["apiKey"], key.Properties["ApiKey"].Value);
        }

        [Fact]
        public void ALostCreateAnswerIsSettledByReadingBackNotBySendingAgain()
        {
            sandbox.AddFault(new { kind = "errorAfterChange", method = "POST", path = "/sapi/*/sub-account/subAccountApi", count = 1, status = 503 });
            var result = Run("$k = New-BinanceKeyPair -Name e -Path . -NoEncryption; New-BinanceApiKey -Email desk-a@example.com -Label lost -KeyPair $k -IpAddress 1.1.1.1");
            Assert.Equal("ApiKeyOutcomeUnknown,BinanceKeys.Commands.NewBinanceApiKeyCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains("did create it", result.Error!.Exception.Message);
            Assert.Single(sandbox.KeysOf("desk-a@example.com"));
            Assert.Equal(1, sandbox.CreateRequests());
        }

        private string CreateEd25519Key()
        {
            var created = Run("$k = New-BinanceKeyPair -Name e -Path . -NoEncryption -Force; New-BinanceApiKey -Email desk-a@example.com -Label k -KeyPair $k -IpAddress 1.1.1.1 -Permission spotAndMarginTrading");
            Assert.Empty(created.Errors);
            return (string)created.Output.Single().Properties["ApiKey"].Value;
        }

        [Theory]
        [InlineData("errorAfterChange", null)]
        [InlineData("dropAfterChange", null)]
        [InlineData("errorBeforeChange", "ApiKeyVerificationFailed")]
        public void APermissionChangeWithALostAnswerIsSettledByReadingBack(string fault, string? errorId)
        {
            string apiKey = CreateEd25519Key();
            sandbox.AddFault(new { kind = fault, method = "POST", path = "/sapi/v1/sub-account/subAccountApiPermission", count = 1 });
            var result = Run($"Set-BinanceApiKeyPermission -ApiKey {apiKey} -Email desk-a@example.com -Permission @() -PassThru");
            Assert.Equal(errorId, result.Error?.FullyQualifiedErrorId?.Split(',')[0]);
            var permissions = sandbox.KeysOf("desk-a@example.com").Single()!["permissions"]!.AsArray().Select(n => (string?)n).ToList();
            Assert.Equal(errorId is null ? new[] { "reading" } : new[] { "reading", "spotAndMarginTrading" }, permissions);
            Assert.Equal(1, sandbox.Requests().Count(r => (string?)r!["path"] == "/sapi/v1/sub-account/subAccountApiPermission"));
        }

        [Theory]
        [InlineData("errorAfterChange", null, 0)]
        [InlineData("errorBeforeChange", "ApiKeyOutcomeUnknown", 1)]
        public void ADeleteWithALostAnswerIsSettledByReadingBack(string fault, string? errorId, int keysLeft)
        {
            string apiKey = CreateEd25519Key();
            sandbox.AddFault(new { kind = fault, method = "DELETE", path = "/sapi/v1/sub-account/subAccountApi", count = 1 });
            var result = Run($"Remove-BinanceApiKey -ApiKey {apiKey} -Email desk-a@example.com -Force");
            Assert.Equal(errorId, result.Error?.FullyQualifiedErrorId?.Split(',')[0]);
            Assert.Equal(keysLeft, sandbox.KeysOf("desk-a@example.com").Count);
            Assert.Equal(1, sandbox.Requests().Count(r => (string?)r!["method"] == "DELETE"));
        }

        [Fact]
        public void AnIpChangeThatDidNotHappenFailsVerification()
        {
            string apiKey = CreateEd25519Key();
            sandbox.AddFault(new { kind = "errorBeforeChange", method = "POST", path = "/sapi/v2/sub-account/subAccountApi/ipRestriction", count = 1 });
            var result = Run($"Set-BinanceApiKeyRestriction -ApiKey {apiKey} -Email desk-a@example.com -IpAddress 2.2.2.2");
            Assert.Equal("ApiKeyVerificationFailed,BinanceKeys.Commands.SetBinanceApiKeyRestrictionCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains("1.1.1.1", result.Error!.Exception.Message);
            Assert.Equal(new[] { "1.1.1.1" }, sandbox.KeysOf("desk-a@example.com").Single()!["ipWhitelist"]!.AsArray().Select(n => (string?)n));
        }

        [Theory]
        [InlineData("Set-BinanceApiKeyPermission -ApiKey NoSuchKey -Email desk-a@example.com -Permission @()", "SetBinanceApiKeyPermissionCommand")]
        [InlineData("Set-BinanceApiKeyRestriction -ApiKey NoSuchKey -Email desk-a@example.com -IpAddress 1.1.1.1", "SetBinanceApiKeyRestrictionCommand")]
        [InlineData("Remove-BinanceApiKey -ApiKey NoSuchKey -Email desk-a@example.com -Force", "RemoveBinanceApiKeyCommand")]
        public void AnUnknownKeyIsNotFound(string script, string command)
        {
            var result = Run(script);
            Assert.Equal("ApiKeyNotFound,BinanceKeys.Commands." + command, result.Error?.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, result.Error!.CategoryInfo.Category);
        }

        [Fact]
        public void AnIpChangeReadsTheKeyOnceAndItsWhitelistTwice()
        {
            string apiKey = CreateEd25519Key();
            int Count(string method, string path) => sandbox.Requests().Count(r => (string?)r!["method"] == method && (string?)r["path"] == path);
            int queriesBefore = Count("GET", "/sapi/v1/sub-account/subAccountApi");
            int ipReadsBefore = Count("GET", "/sapi/v1/sub-account/subAccountApi/ipRestriction");

            var result = Run($"Set-BinanceApiKeyRestriction -ApiKey {apiKey} -Email desk-a@example.com -AddIpAddress 2.2.2.2 -PassThru");

            Assert.Empty(result.Errors);
            Assert.Equal(new[] { "1.1.1.1", "2.2.2.2" }, Ips(result.Output.Single()));
            Assert.Equal(1, Count("GET", "/sapi/v1/sub-account/subAccountApi") - queriesBefore);
            Assert.Equal(2, Count("GET", "/sapi/v1/sub-account/subAccountApi/ipRestriction") - ipReadsBefore);
        }

        [Fact]
        public void AnHmacKeyWhoseSecretWasLostIsDeletedAgain()
        {
            sandbox.AddFault(new { kind = "dropAfterChange", method = "POST", path = "/sapi/v1/sub-account/subAccountApi", count = 1 });
            var result = Run("New-BinanceApiKey -Email desk-b@example.com -Label lost -IpAddress 1.1.1.1 -SecretPath ./lost.secret");
            Assert.Equal("ApiKeyOutcomeUnknown,BinanceKeys.Commands.NewBinanceApiKeyCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains("deleted again", result.Error!.Exception.Message);
            Assert.Empty(sandbox.KeysOf("desk-b@example.com"));
            Assert.Equal(1, sandbox.CreateRequests());
            Assert.False(File.Exists(Path.Combine(folder, "lost.secret")));
        }

        [Fact]
        public void ASecretThatCannotBeStoredDeletesTheNewKey()
        {
            File.WriteAllText(Path.Combine(folder, "not-a-folder"), "x");
            var result = Run("New-BinanceApiKey -Email desk-b@example.com -Label k -IpAddress 1.1.1.1 -SecretPath ./not-a-folder/k.secret");
            Assert.Equal("ApiKeySecretNotStored,BinanceKeys.Commands.NewBinanceApiKeyCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains("deleted again", result.Error!.Exception.Message);
            Assert.Empty(sandbox.KeysOf("desk-b@example.com"));
        }

        [Fact]
        public void AnExistingSecretFileIsNeverOverwrittenAndNothingIsCreated()
        {
            File.WriteAllText(Path.Combine(folder, "taken.secret"), "keep");
            var result = Run("New-BinanceApiKey -Email desk-b@example.com -Label k -IpAddress 1.1.1.1 -SecretPath ./taken.secret");
            Assert.Equal("ApiKeyInvalidArgument,BinanceKeys.Commands.NewBinanceApiKeyCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Equal("keep", File.ReadAllText(Path.Combine(folder, "taken.secret")));
            Assert.Equal(0, sandbox.CreateRequests());
        }

        [Fact]
        public void UnknownSubAccountIsNotFoundAndThePipelineGoesOn()
        {
            var result = Run("'nobody@example.com','desk-a@example.com' | ForEach-Object { [pscustomobject]@{ Email = $_ } } | Get-BinanceApiKey");
            var error = Assert.Single(result.Errors);
            Assert.Equal("BinanceNotFound,BinanceKeys.Commands.GetBinanceApiKeyCommand", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void InvokeRestMethodReturnsObjects()
        {
            var result = Run("Invoke-BinanceRestMethod GET /sapi/v1/account/info; Invoke-BinanceRestMethod GET /api/v3/time -Unsigned; Invoke-BinanceRestMethod GET /sapi/v1/sub-account/list -Parameter ([ordered]@{ limit = 2 })");
            Assert.Empty(result.Errors);
            Assert.Equal(true, result.Output[0].Properties["isFutureEnabled"].Value);
            Assert.IsType<long>(result.Output[1].Properties["serverTime"].Value);
            var subAccounts = (object[])result.Output[2].Properties["subAccounts"].Value;
            Assert.Equal(2, subAccounts.Length);
        }

        [Theory]
        [InlineData("POST /sapi/v1/sub-account/subAccountApi")]
        [InlineData("post /sapi/v2/sub-account/subAccountApi")]
        [InlineData("POST /sapi/V1/BROKER/subAccountApi")]
        public void RawCallsThatWouldPrintAOneTimeSecretAreRefusedBeforeAnythingIsSent(string call)
        {
            var result = Run($"Invoke-BinanceRestMethod {call} -Parameter @{{ email = 'desk-b@example.com'; apiName = 'raw'; status = 1 }}");
            Assert.Equal("ApiKeyInvalidArgument,BinanceKeys.Commands.InvokeBinanceRestMethodCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains("New-BinanceApiKey", result.Error!.Exception.Message);
            Assert.Empty(result.Output);
            Assert.Equal(0, sandbox.CreateRequests());
            Assert.DoesNotContain(sandbox.Requests(), r => ((string?)r!["path"])!.Contains("broker/subAccountApi", StringComparison.Ordinal));
        }

        [Fact]
        public void VerboseShowsRequestsButNoSecretOrSignature()
        {
            var result = Run("Get-BinanceApiKey -Email desk-a@example.com -Verbose");
            Assert.Contains(result.Verbose, line => line.Contains("GET /sapi/v1/sub-account/subAccountApi") && line.Contains("email,") && line.Contains("weight 3000"));
            string all = result.AllText();
            Assert.DoesNotContain(SandboxProcess.DemoSecret, all);
            Assert.DoesNotContain("desk-a%40example.com", all);
            Assert.DoesNotContain("signature=", all);
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// Bad input from users and failures of the operating system arrive as the module's own, specific error records
    /// (what went wrong, and whether a read or a write failed), before anything changes; the values are never echoed.
    /// </summary>
    [Collection("Environment")]
    public sealed class ErrorReportingTests : IClassFixture<SandboxProcess>, IDisposable
    {
        private readonly SandboxProcess sandbox;
        private readonly string folder = Directory.CreateTempSubdirectory("bk-errors-").FullName;

        public ErrorReportingTests(SandboxProcess sandbox)
        {
            this.sandbox = sandbox;
            sandbox.Reset();
        }

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private Dictionary<string, object?> Vars() => new Dictionary<string, object?>
        {
            ["endpoint"] = sandbox.BaseAddress,
            ["demoKey"] = SandboxProcess.DemoApiKey,
            ["demoSecret"] = ModuleHost.Secure(SandboxProcess.DemoSecret),
            ["s"] = ModuleHost.Secure("ErrorReportingSecretErrorReportingSecret12"),
            ["vp"] = ModuleHost.Secure("error reporting vault pass"),
        };


        [Fact]
        public void AVaultThatCannotBeWrittenIsAVaultWriteError()
        {
            File.WriteAllText(Path.Combine(folder, "file"), "not a folder");
            var result = ModuleHost.Run("Set-BinanceSecret -Name s -ApiKey k -Secret $s -VaultPath ./file/v.bkv -VaultPassphrase $vp", Vars(), folder);
            var error = Assert.Single(result.Errors);
            Assert.Equal("VaultWriteFailed,BinanceKeys.Commands.SetBinanceSecretCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.WriteError, error.CategoryInfo.Category);
            Assert.Contains(Path.Combine(folder, "file", "v.bkv"), error.Exception.Message);
        }

        [Fact]
        public void AVaultPathThatIsAFolderIsNotReportedAsAWriteError()
        {
            Directory.CreateDirectory(Path.Combine(folder, "dir"));
            var result = ModuleHost.Run("Get-BinanceSecret -VaultPath ./dir -VaultPassphrase $vp", Vars(), folder);
            var error = Assert.Single(result.Errors);
            Assert.Contains(error.FullyQualifiedErrorId.Split(',')[0], new[] { "VaultAccessDenied", "VaultReadFailed" });
            Assert.Contains(error.CategoryInfo.Category, new[] { ErrorCategory.PermissionDenied, ErrorCategory.ReadError });
        }

        [Theory]
        [InlineData("Set-BinanceSecret -Name ' padded' -ApiKey k -Secret $s -VaultPath ./v.bkv -VaultPassphrase $vp", "SetBinanceSecretCommand")]
        [InlineData("Set-BinanceSecret -Name \"tab`tname\" -ApiKey k -Secret $s -VaultPath ./v.bkv -VaultPassphrase $vp", "SetBinanceSecretCommand")]
        [InlineData("New-BinanceKeyPair -Name bot -Path . -StoreInVault -SecretName \"new`nline\" -VaultPath ./v.bkv -VaultPassphrase $vp", "NewBinanceKeyPairCommand")]
        public void AnInvalidEntryNameIsRefusedBeforeAnythingIsWritten(string script, string command)
        {
            var result = ModuleHost.Run(script, Vars(), folder);
            var error = Assert.Single(result.Errors);
            Assert.Equal("VaultInvalidName,BinanceKeys.Commands." + command, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Fact]
        public void AnHmacKeyWithAnInvalidSecretNameIsRefusedBeforeAnythingIsSent()
        {
            var result = ModuleHost.Run("Connect-BinanceAccount -Endpoint $endpoint -ApiKey $demoKey -Secret $demoSecret | Out-Null; " +
                "New-BinanceApiKey -Email desk-b@example.com -Label reporting -IpAddress 1.1.1.1 -SecretName \"bad`tname\" -VaultPath ./v.bkv -VaultPassphrase $vp", Vars(), folder);
            Assert.Equal("VaultInvalidName,BinanceKeys.Commands.NewBinanceApiKeyCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Equal(0, sandbox.CreateRequests());
            Assert.Empty(sandbox.KeysOf("desk-b@example.com"));
        }

        [Fact]
        public void AnApiKeyThatCannotGoInAHeaderIsTheModulesErrorAndIsNotEchoed()
        {
            var result = ModuleHost.Run("Connect-BinanceAccount -Endpoint $endpoint -ApiKey 'SECRET-LOOKING key' -Secret $demoSecret", Vars(), folder);
            Assert.Equal("ApiKeyInvalidArgument,BinanceKeys.Commands.ConnectBinanceAccountCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains("from parameters", result.Error!.Exception.Message);
            Assert.DoesNotContain("SECRET-LOOKING", result.AllText());
        }

        [Fact]
        public void AnApiKeyFromTheEnvironmentIsNamedByItsVariableNeverShown()
        {
            string? previousKey = Environment.GetEnvironmentVariable("BINANCE_API_KEY");
            string? previousSecret = Environment.GetEnvironmentVariable("BINANCE_API_SECRET");
            try
            {
                Environment.SetEnvironmentVariable("BINANCE_API_KEY", "LeakyApiKey\nInjected: header");
                Environment.SetEnvironmentVariable("BINANCE_API_SECRET", SandboxProcess.DemoSecret);
                var result = ModuleHost.Run("Connect-BinanceAccount -Endpoint $endpoint", Vars(), folder);
                Assert.Equal("ApiKeyInvalidArgument,BinanceKeys.Commands.ConnectBinanceAccountCommand", result.Error?.FullyQualifiedErrorId);
                Assert.Contains("BINANCE_API_KEY", result.Error!.Exception.Message);
                Assert.DoesNotContain("LeakyApiKey", result.AllText());
                Assert.DoesNotContain(SandboxProcess.DemoSecret, result.AllText());
            }
            finally
            {
                Environment.SetEnvironmentVariable("BINANCE_API_KEY", previousKey);
                Environment.SetEnvironmentVariable("BINANCE_API_SECRET", previousSecret);
            }
        }

        [Fact]
        public void ManualStepsAreAnInvalidOperationNotSomethingNotImplemented()
        {
            var result = ModuleHost.Run("Connect-BinanceAccount -Endpoint $endpoint -ApiKey $demoKey -Secret $demoSecret | Out-Null; Set-BinanceApiKeyRestriction -ApiKey $demoKey -IpAddress 1.2.3.4", Vars(), folder);
            Assert.Equal("ManualStepRequired,BinanceKeys.Commands.SetBinanceApiKeyRestrictionCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, result.Error!.CategoryInfo.Category);
        }
    }
}

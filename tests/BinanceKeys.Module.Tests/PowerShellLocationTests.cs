using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// Relative paths from the environment are taken from the PowerShell location, like every path typed at a cmdlet,
    /// not from the process's directory (which a PowerShell session does not move with Set-Location).
    /// </summary>
    [Collection("Environment")]
    public sealed class PowerShellLocationTests : IClassFixture<SandboxProcess>, IDisposable
    {
        private readonly SandboxProcess sandbox;
        private readonly string folder = Directory.CreateTempSubdirectory("bk-location-").FullName;
        private readonly Dictionary<string, string?> previous = new Dictionary<string, string?>();

        public PowerShellLocationTests(SandboxProcess sandbox)
        {
            this.sandbox = sandbox;
            sandbox.Reset();
            foreach (string name in new[] { "BINANCEKEYS_VAULT", "BINANCEKEYS_VAULT_PASSPHRASE", "BINANCE_API_KEY", "BINANCE_API_SECRET", "BINANCE_PRIVATE_KEY_PATH", "BINANCE_PRIVATE_KEY_PASSPHRASE" })
            {
                previous[name] = Environment.GetEnvironmentVariable(name);
                Environment.SetEnvironmentVariable(name, null);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in previous) Environment.SetEnvironmentVariable(name, value);
            Directory.Delete(folder, recursive: true);
        }

        [Fact]
        public void ARelativeVaultInTheEnvironmentIsTheOneAtThePowerShellLocation()
        {
            Assert.NotEqual(Path.GetFullPath(Environment.CurrentDirectory), folder);
            Environment.SetEnvironmentVariable("BINANCEKEYS_VAULT", "ci.bkv");
            Environment.SetEnvironmentVariable("BINANCEKEYS_VAULT_PASSPHRASE", "location pass");
            var result = ModuleHost.Run("Set-BinanceSecret -Name prod -ApiKey k -Secret $s | ForEach-Object Vault",
                new Dictionary<string, object?> { ["s"] = ModuleHost.Secure("LocationSecretLocationSecret12") }, folder);
            Assert.Empty(result.Errors);
            Assert.Equal(Path.Combine(folder, "ci.bkv"), result.Output.Single().ToString());
            Assert.True(File.Exists(Path.Combine(folder, "ci.bkv")));
            Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, "ci.bkv")));
        }

        [Fact]
        public void ARelativePrivateKeyPathInTheEnvironmentIsTheOneAtThePowerShellLocation()
        {
            // The sandbox's demo key is HMAC; a key file read from the right place reaches Binance and fails there on the
            // signature (-1022), while one looked for in the process's directory would not be found at all.
            var made = ModuleHost.Run("New-BinanceKeyPair -Name ops -Path ./keys -NoEncryption -WarningAction SilentlyContinue | Out-Null", null, folder);
            Assert.Empty(made.Errors);
            Environment.SetEnvironmentVariable("BINANCE_API_KEY", SandboxProcess.DemoApiKey);
            Environment.SetEnvironmentVariable("BINANCE_PRIVATE_KEY_PATH", "keys/ops.pem");
            var result = ModuleHost.Run("Connect-BinanceAccount -Endpoint $endpoint", new Dictionary<string, object?> { ["endpoint"] = sandbox.BaseAddress }, folder);
            Assert.Equal("BinanceInvalidSignature,BinanceKeys.Commands.ConnectBinanceAccountCommand", result.Error?.FullyQualifiedErrorId);
        }
    }
}

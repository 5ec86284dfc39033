using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>Tab completion of sub-account emails, broker ids and secret names (powershell-conventions.md, "What to absorb" 13).</summary>
    public sealed class CompleterTests : IClassFixture<SandboxProcess>
    {
        private readonly SandboxProcess sandbox;

        public CompleterTests(SandboxProcess sandbox)
        {
            this.sandbox = sandbox;
            sandbox.Reset();
        }

        private static List<string> Complete(System.Management.Automation.PowerShell shell, string input) =>
            CommandCompletion.CompleteInput(input, input.Length, null, shell).CompletionMatches.Select(m => m.CompletionText).ToList();

        [Fact]
        public void EmailsAndBrokerIdsCompleteFromTheConnectedAccount()
        {
            using var shell = ModuleHost.CreateSession();
            Assert.Empty(Complete(shell, "Get-BinanceApiKey -Email desk-")); // no connection, no suggestions, no error

            var connected = ModuleHost.Run(shell, "Connect-BinanceAccount -Endpoint $endpoint -ApiKey $key -Secret $secret | Out-Null",
                new Dictionary<string, object?> { ["endpoint"] = sandbox.BaseAddress, ["key"] = SandboxProcess.DemoApiKey, ["secret"] = ModuleHost.Secure(SandboxProcess.DemoSecret) });
            Assert.Empty(connected.Errors);

            Assert.Equal(new[] { "desk-a@example.com", "desk-b@example.com", "desk-c@example.com" }, Complete(shell, "Get-BinanceApiKey -Email DESK-"));
            Assert.Equal(new[] { "desk-b@example.com" }, Complete(shell, "New-BinanceApiKey -Label x -Email desk-b"));
            Assert.Equal(new[] { "1001" }, Complete(shell, "Remove-BinanceApiKey -ApiKey k -BrokerSubAccountId 10"));
        }
    }

    [Collection("Environment")]
    public sealed class SecretNameCompleterTests : IDisposable
    {
        private readonly string folder = Directory.CreateTempSubdirectory("bk-complete-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        [Fact]
        public void SecretNamesCompleteWhenThePassphraseIsInTheEnvironment()
        {
            string vault = Path.Combine(folder, "v.bkv");
            using var shell = ModuleHost.CreateSession();
            var stored = ModuleHost.Run(shell,
                "Set-BinanceSecret -Name 'prod desk' -ApiKey k -Secret $s -VaultPath $v -VaultPassphrase $vp | Out-Null; Set-BinanceSecret -Name prod-b -ApiKey k -Secret $s -VaultPath $v -VaultPassphrase $vp | Out-Null",
                new Dictionary<string, object?> { ["s"] = ModuleHost.Secure("secret"), ["v"] = vault, ["vp"] = ModuleHost.Secure("complete me") });
            Assert.Empty(stored.Errors);

            string previous = Environment.GetEnvironmentVariable("BINANCEKEYS_VAULT_PASSPHRASE") ?? string.Empty;
            Assert.Empty(CompleteIn(shell, $"Get-BinanceSecret -VaultPath '{vault}' -Name pro"));
            try
            {
                Environment.SetEnvironmentVariable("BINANCEKEYS_VAULT_PASSPHRASE", "complete me");
                Assert.Equal(new[] { "'prod desk'", "prod-b" }, CompleteIn(shell, $"Get-BinanceSecret -VaultPath '{vault}' -Name pro"));
            }
            finally
            {
                Environment.SetEnvironmentVariable("BINANCEKEYS_VAULT_PASSPHRASE", previous.Length == 0 ? null : previous);
            }
        }

        private static List<string> CompleteIn(System.Management.Automation.PowerShell shell, string input) =>
            CommandCompletion.CompleteInput(input, input.Length, null, shell).CompletionMatches.Select(m => m.CompletionText).ToList();
    }
}

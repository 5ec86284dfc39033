using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// Tab completion of vault entry names (CommandCompletion.CompleteInput, as a console's Tab key runs it): names come
    /// from what this session read when it unlocked the vault, while the file is unchanged; no key is derived at a Tab
    /// press (not even with the passphrase at hand), and -VaultPath is resolved against the PowerShell location.
    /// </summary>
    [Collection("Environment")]
    public sealed class SecretNameCompletionTests : IDisposable
    {
        private const string Secret = "CompletionSecretCompletionSecretCompletion1";
        private readonly string folder = Directory.CreateTempSubdirectory("bk-complete-").FullName;
        private readonly string? previousPassphrase = Environment.GetEnvironmentVariable("BINANCEKEYS_VAULT_PASSPHRASE");

        public void Dispose()
        {
            Environment.SetEnvironmentVariable("BINANCEKEYS_VAULT_PASSPHRASE", previousPassphrase);
            Directory.Delete(folder, recursive: true);
        }

        private static Dictionary<string, object?> Vars() => new Dictionary<string, object?>
        {
            ["s"] = ModuleHost.Secure(Secret),
            ["vp"] = ModuleHost.Secure("complete me"),
        };

        private static List<string> Complete(System.Management.Automation.PowerShell shell, string input) =>
            CommandCompletion.CompleteInput(input, input.Length, null, shell).CompletionMatches.Select(m => m.CompletionText).ToList();

        private void Store(System.Management.Automation.PowerShell shell, params string[] names)
        {
            foreach (string name in names)
            {
                var stored = ModuleHost.Run(shell, $"Set-BinanceSecret -Name '{name}' -ApiKey k -Secret $s -VaultPath ./v.bkv -VaultPassphrase $vp | Out-Null", Vars(), folder);
                Assert.Empty(stored.Errors);
            }
        }

        [Fact]
        public void NamesCompleteFromWhatTheSessionUnlockedWithNoPassphraseAnywhere()
        {
            Environment.SetEnvironmentVariable("BINANCEKEYS_VAULT_PASSPHRASE", null);
            using var shell = ModuleHost.CreateSession();
            Store(shell, "prod desk", "prod-b", "staging");

            Assert.Equal(new[] { "'prod desk'", "prod-b" }, Complete(shell, "Get-BinanceSecret -VaultPath ./v.bkv -Name pro"));
            Assert.Equal(new[] { "'prod desk'", "prod-b", "staging" }, Complete(shell, "Remove-BinanceSecret -VaultPath ./v.bkv -Name "));
            Assert.Equal(new[] { "staging" }, Complete(shell, "Connect-BinanceAccount -VaultPath ./v.bkv -SecretName ST"));
            var matches = CommandCompletion.CompleteInput("Get-BinanceSecret -VaultPath ./v.bkv -Name ", 43, null, shell).CompletionMatches;
            Assert.DoesNotContain(matches, m => (m.CompletionText + m.ListItemText + m.ToolTip).Contains(Secret, StringComparison.Ordinal));
        }

        [Fact]
        public void ARelativeVaultPathIsTakenFromThePowerShellLocationNotTheProcessDirectory()
        {
            Environment.SetEnvironmentVariable("BINANCEKEYS_VAULT_PASSPHRASE", "complete me");
            Assert.NotEqual(Path.GetFullPath(Environment.CurrentDirectory), folder);
            using var shell = ModuleHost.CreateSession();
            Store(shell, "prod");
            // The session's location is the test folder (ModuleHost.Run set it); the process's directory is elsewhere.
            Assert.Equal(new[] { "prod" }, Complete(shell, "Get-BinanceSecret -VaultPath ./v.bkv -Name p"));
            Assert.Equal(new[] { "prod" }, Complete(shell, $"Get-BinanceSecret -VaultPath '{Path.Combine(folder, "v.bkv")}' -Name p"));
        }

        [Fact]
        public void NoKeyIsDerivedAtATabPressEvenWithThePassphraseAtHand()
        {
            using (var writer = ModuleHost.CreateSession())
            {
                Store(writer, "prod");
            }
            // A new session, with the passphrase in its environment, has not unlocked the vault: completion offers nothing
            // rather than run scrypt (about a second) at each Tab press.
            Environment.SetEnvironmentVariable("BINANCEKEYS_VAULT_PASSPHRASE", "complete me");
            using var shell = ModuleHost.CreateSession();
            ModuleHost.Run(shell, "$null", null, folder);
            Assert.Empty(Complete(shell, "Get-BinanceSecret -VaultPath ./v.bkv -Name p"));

            // Once a command of this session has opened it, its names complete.
            Assert.Empty(ModuleHost.Run(shell, "Get-BinanceSecret -VaultPath ./v.bkv | Out-Null", null, folder).Errors);
            Assert.Equal(new[] { "prod" }, Complete(shell, "Get-BinanceSecret -VaultPath ./v.bkv -Name p"));
        }

        [Fact]
        public void AVaultChangedElsewhereCompletesNothingUntilThisSessionReadsItAgain()
        {
            Environment.SetEnvironmentVariable("BINANCEKEYS_VAULT_PASSPHRASE", null);
            using var shell = ModuleHost.CreateSession();
            Store(shell, "prod");
            Assert.Equal(new[] { "prod" }, Complete(shell, "Get-BinanceSecret -VaultPath ./v.bkv -Name p"));

            using (var other = ModuleHost.CreateSession())
            {
                Store(other, "preprod");
            }
            // Stale names are not offered (a removed entry could be); no key is derived to refresh them either.
            Assert.Empty(Complete(shell, "Get-BinanceSecret -VaultPath ./v.bkv -Name p"));

            Assert.Empty(ModuleHost.Run(shell, "Get-BinanceSecret -VaultPath ./v.bkv -VaultPassphrase $vp | Out-Null", Vars(), folder).Errors);
            Assert.Equal(new[] { "preprod", "prod" }, Complete(shell, "Get-BinanceSecret -VaultPath ./v.bkv -Name p"));
        }

        [Fact]
        public void AnotherSessionOfTheSameProcessDoesNotSeeTheNames()
        {
            Environment.SetEnvironmentVariable("BINANCEKEYS_VAULT_PASSPHRASE", null);
            using var shell = ModuleHost.CreateSession();
            Store(shell, "prod");
            using var other = ModuleHost.CreateSession();
            ModuleHost.Run(other, "$null", null, folder);
            Assert.Empty(Complete(other, "Get-BinanceSecret -VaultPath ./v.bkv -Name p"));
        }
    }
}

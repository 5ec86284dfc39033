using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Secrets;

namespace BinanceKeys.Commands.Completers
{
    /// <summary>
    /// Completes secret names of the local vault (the command line's -VaultPath, resolved against the PowerShell
    /// location; else BINANCEKEYS_VAULT or the default) from the names this session read when it last unlocked that
    /// vault, while the file is still that version. It never derives a key, never asks for or reads a passphrase, and
    /// never shows a secret: names are encrypted in the file, so a vault not yet opened in this session completes nothing.
    /// </summary>
    public sealed class SecretNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            // A SecretManagement vault (-Vault) is not read at each Tab press either.
            if (fakeBoundParameters != null && fakeBoundParameters.Contains("Vault")) return Enumerable.Empty<CompletionResult>();
            var runspace = Runspace.DefaultRunspace;
            string? path = VaultPath(runspace, fakeBoundParameters?["VaultPath"] as string);
            if (path is null) return Enumerable.Empty<CompletionResult>();
            var index = VaultNameCache.Current(runspace, path);
            return index is null ? Enumerable.Empty<CompletionResult>() : Completions.Matching(index.Names, wordToComplete).ToList();
        }

        // The vault file, with a relative -VaultPath taken from the current PowerShell location, as the cmdlets take it.
        // Completion runs inside the console's pipeline, where the runspace's SessionStateProxy is not available: the
        // path is resolved by a nested command in the current runspace instead.
        private static string? VaultPath(Runspace? runspace, string? typed)
        {
            try
            {
                // -VaultPath, else BINANCEKEYS_VAULT (relative ones from the PowerShell location), else the per-user default.
                if (string.IsNullOrWhiteSpace(typed)) typed = Environment.GetEnvironmentVariable(VaultLocation.PathVariable);
                if (string.IsNullOrWhiteSpace(typed)) return VaultLocation.Resolve(null);
                string unresolved = typed!.Trim('\'', '"');
                if (runspace is null) return null;
                using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
                shell.AddScript("$ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($args[0])").AddArgument(unresolved);
                string? resolved = shell.Invoke().FirstOrDefault()?.BaseObject as string;
                return shell.HadErrors || string.IsNullOrEmpty(resolved) ? null : VaultLocation.Resolve(resolved);
            }
            catch (Exception e) when (e is RuntimeException || e is ArgumentException || e is NotSupportedException || e is System.IO.IOException || e is VaultException)
            {
                // A path PowerShell cannot resolve (a missing drive, a provider that is not the file system): no suggestions.
                return null;
            }
        }
    }
}

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
            string? path = Completions.VaultFile(runspace, fakeBoundParameters?["VaultPath"] as string);
            if (path is null) return Enumerable.Empty<CompletionResult>();
            var index = VaultNameCache.Current(runspace, path);
            return index is null ? Enumerable.Empty<CompletionResult>() : Completions.Matching(index.Names, wordToComplete).ToList();
        }
    }
}

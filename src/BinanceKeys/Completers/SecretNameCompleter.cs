using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using BinanceKeys.Secrets;

namespace BinanceKeys.Commands.Completers
{
    /// <summary>
    /// Completes secret names from the local vault (the command line's -VaultPath, BINANCEKEYS_VAULT or the default),
    /// when BINANCEKEYS_VAULT_PASSPHRASE can unlock it; completion never prompts and never shows a secret.
    /// </summary>
    public sealed class SecretNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(VaultPassphrase.Variable))) return Enumerable.Empty<CompletionResult>();
            try
            {
                string? explicitPath = fakeBoundParameters?["VaultPath"] as string;
                string path = VaultLocation.Resolve(explicitPath);
                if (!System.IO.File.Exists(path)) return Enumerable.Empty<CompletionResult>();
                char[] passphrase = VaultPassphrase.Resolve((char[]?)null);
                try
                {
                    using var vault = LocalVault.Open(path, passphrase);
                    return Completions.Matching(vault.List().Select(e => e.Name), wordToComplete).ToList();
                }
                finally
                {
                    Array.Clear(passphrase, 0, passphrase.Length);
                }
            }
            catch (Exception)
            {
                return Enumerable.Empty<CompletionResult>();
            }
        }
    }
}

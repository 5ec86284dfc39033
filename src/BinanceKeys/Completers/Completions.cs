using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Secrets;

namespace BinanceKeys.Commands.Completers
{
    /// <summary>Turns candidate values into completion results: prefix match ignoring case, quoted where needed.</summary>
    internal static class Completions
    {
        public static IEnumerable<CompletionResult> Matching(IEnumerable<string> candidates, string wordToComplete)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = WildcardPattern.Get(WildcardPattern.Escape(word) + "*", WildcardOptions.IgnoreCase);
            foreach (string candidate in candidates.Where(c => !string.IsNullOrEmpty(c)).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(c => c, StringComparer.OrdinalIgnoreCase))
            {
                if (!pattern.IsMatch(candidate)) continue;
                string text = NeedsQuotes(candidate) ? "'" + candidate.Replace("'", "''") + "'" : candidate;
                yield return new CompletionResult(text, candidate, CompletionResultType.ParameterValue, candidate);
            }
        }

        // The vault file, with a relative -VaultPath taken from the current PowerShell location, as the cmdlets take it.
        // Completion runs inside the console's pipeline, where the runspace's SessionStateProxy is not available: the
        // path is resolved by a nested command in the current runspace instead.
        public static string? VaultFile(Runspace? runspace, string? typed)
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

        // What PowerShell would read differently in a bare argument: '@' and '#' only at the start.
        private static bool NeedsQuotes(string value) =>
            value[0] == '@' || value[0] == '#' || value.Any(c => char.IsWhiteSpace(c) || "'\"`$&(){};,|<>".IndexOf(c) >= 0);
    }

    /// <summary>
    /// What a completer read through the connection, kept for a minute per key so that Tab presses do not spend
    /// Binance's rate limit. A read that fails, or takes longer than 5 seconds, gives no suggestions: completion must
    /// never fail the command line, nor hold the prompt.
    /// </summary>
    internal sealed class CompletionCache<TKey> where TKey : notnull
    {
        private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
        private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);
        private readonly object gate = new object();
        private readonly Dictionary<TKey, (DateTime At, IReadOnlyList<string> Values)> entries;

        public CompletionCache(IEqualityComparer<TKey>? comparer = null) =>
            entries = new Dictionary<TKey, (DateTime, IReadOnlyList<string>)>(comparer ?? EqualityComparer<TKey>.Default);

        public IReadOnlyList<string> Get<TValues>(TKey key, Func<CancellationToken, Task<TValues>> read) where TValues : IReadOnlyList<string>
        {
            lock (gate)
            {
                if (entries.TryGetValue(key, out var entry) && DateTime.UtcNow - entry.At < CacheFor) return entry.Values;
            }
            IReadOnlyList<string> values;
            try
            {
                using var cancellation = new CancellationTokenSource(ReadTimeout);
                values = read(cancellation.Token).GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                return Array.Empty<string>();
            }
            lock (gate)
            {
                entries[key] = (DateTime.UtcNow, values);
            }
            return values;
        }
    }
}

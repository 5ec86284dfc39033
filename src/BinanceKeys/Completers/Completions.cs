using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

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

        // What PowerShell would read differently in a bare argument: '@' and '#' only at the start.
        private static bool NeedsQuotes(string value) =>
            value[0] == '@' || value[0] == '#' || value.Any(c => char.IsWhiteSpace(c) || "'\"`$&(){};,|<>".IndexOf(c) >= 0);
    }

    /// <summary>
    /// What a completer read through the connection, kept for a minute per key so that Tab presses do not spend
    /// Binance's rate limit; a read that fails gives no suggestions (completion must never fail the command line).
    /// </summary>
    internal sealed class CompletionCache<TKey> where TKey : notnull
    {
        private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
        private readonly object gate = new object();
        private readonly Dictionary<TKey, (DateTime At, IReadOnlyList<string> Values)> entries;

        public CompletionCache(IEqualityComparer<TKey>? comparer = null) =>
            entries = new Dictionary<TKey, (DateTime, IReadOnlyList<string>)>(comparer ?? EqualityComparer<TKey>.Default);

        public IReadOnlyList<string> Get(TKey key, Func<IReadOnlyList<string>> read)
        {
            lock (gate)
            {
                if (entries.TryGetValue(key, out var entry) && DateTime.UtcNow - entry.At < CacheFor) return entry.Values;
            }
            IReadOnlyList<string> values;
            try
            {
                values = read();
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

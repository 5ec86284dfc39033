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
}

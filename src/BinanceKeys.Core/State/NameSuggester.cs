using System;
using System.Collections.Generic;

namespace BinanceKeys.State
{
    /// <summary>"Did you mean" for misspelt field and value names, by edit distance.</summary>
    internal static class NameSuggester
    {
        /// <summary>The closest candidate within a third of the word's length (at least 2 edits), or null.</summary>
        public static string? Suggest(string word, IEnumerable<string> candidates)
        {
            string? best = null;
            int bestDistance = int.MaxValue;
            int allowed = Math.Max(2, word.Length / 3);
            foreach (string candidate in candidates)
            {
                int distance = Distance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = candidate;
                }
            }
            return bestDistance <= allowed ? best : null;
        }

        /// <summary>" Did you mean 'x'?" or the list of valid names.</summary>
        public static string Hint(string word, IReadOnlyCollection<string> candidates)
        {
            string? suggestion = Suggest(word, candidates);
            return suggestion != null ? $"; did you mean '{suggestion}'?" : $"; expected one of: {string.Join(", ", candidates)}";
        }

        // Optimal string alignment distance: transpositions ("premissions") count as one edit.
        internal static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
            for (int j = 0; j <= b.Length; j++) d[0, j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                        d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
            return d[a.Length, b.Length];
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using BinanceKeys.State;

namespace BinanceKeys.Policy
{
    /// <summary>
    /// Runs every registered rule, offline, over accounts and their keys (the model the desired-state loader
    /// produces, and the key services build from what Binance reports), and returns the findings in a stable order.
    /// </summary>
    public sealed class PolicyEngine
    {
        private readonly IReadOnlyList<PolicyRule> rules;
        private readonly Func<DateTimeOffset> clock;

        public PolicyEngine(IReadOnlyList<PolicyRule>? rules = null, Func<DateTimeOffset>? clock = null)
        {
            this.rules = rules ?? PolicyRuleRegistry.All;
            this.clock = clock ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>Every account of a desired state, under its own policy block.</summary>
        public IReadOnlyList<PolicyFinding> Evaluate(DesiredState state) => Evaluate(state.Accounts, state.Policy);

        /// <summary>Accounts under <paramref name="policy"/> (none: Binance's rules only).</summary>
        public IReadOnlyList<PolicyFinding> Evaluate(IReadOnlyList<DesiredAccount> accounts, OrganisationPolicy? policy)
        {
            var context = new PolicyContext(policy ?? new OrganisationPolicy(), clock());
            var findings = new List<(int Account, PolicyFinding Finding)>();
            var found = new List<PolicyFinding>();
            for (int i = 0; i < accounts.Count; i++)
            {
                found.Clear();
                for (int r = 0; r < rules.Count; r++) rules[r].Check(context, accounts[i], found);
                foreach (PolicyFinding finding in found) findings.Add((i, finding));
            }
            // File order first (what an editor shows), then rule id; pipeline findings keep account order.
            return findings
                .OrderBy(f => f.Account)
                .ThenBy(f => f.Finding.File, StringComparer.Ordinal)
                .ThenBy(f => f.Finding.Line)
                .ThenBy(f => f.Finding.Column)
                .ThenBy(f => f.Finding.RuleId, StringComparer.Ordinal)
                .Select(f => f.Finding)
                .ToList();
        }

        /// <summary>
        /// The findings about one key of <paramref name="account"/> as it would be after a change, and the
        /// account-wide findings (the key count); findings about the account's other keys are left out, since they do
        /// not decide whether this change may be made.
        /// </summary>
        public IReadOnlyList<PolicyFinding> EvaluateKey(DesiredAccount account, DesiredKey key, OrganisationPolicy? policy) =>
            Evaluate(new[] { account }, policy)
                .Where(f => string.IsNullOrEmpty(f.Label) || string.Equals(f.Label, key.Label, StringComparison.OrdinalIgnoreCase))
                .ToList();
    }
}

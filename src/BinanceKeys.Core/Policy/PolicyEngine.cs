using System;
using System.Collections.Generic;
using System.Linq;
using BinanceKeys.State;

namespace BinanceKeys.Policy
{
    /// <summary>Runs every registered rule over a state, offline, and returns the findings in a stable order.</summary>
    public sealed class PolicyEngine
    {
        private readonly IReadOnlyList<PolicyRule> rules;
        private readonly Func<DateTimeOffset> clock;

        public PolicyEngine(IReadOnlyList<PolicyRule>? rules = null, Func<DateTimeOffset>? clock = null)
        {
            this.rules = rules ?? PolicyRuleRegistry.All;
            this.clock = clock ?? (() => DateTimeOffset.UtcNow);
        }

        public IReadOnlyList<PolicyFinding> Evaluate(DesiredState state)
        {
            var context = new PolicyContext(state, clock());
            var findings = new List<(int Account, PolicyFinding Finding)>();
            for (int i = 0; i < state.Accounts.Count; i++)
            {
                foreach (PolicyRule rule in rules)
                {
                    foreach (PolicyFinding finding in rule.Check(context, state.Accounts[i])) findings.Add((i, finding));
                }
            }
            // File order first (what an editor shows), then rule id; pipeline findings keep account order.
            return findings
                .OrderBy(f => f.Account)
                .ThenBy(f => f.Finding.Line)
                .ThenBy(f => f.Finding.Column)
                .ThenBy(f => f.Finding.RuleId, StringComparer.Ordinal)
                .Select(f => f.Finding)
                .ToList();
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using BinanceKeys.State;

namespace BinanceKeys.Policy
{
    /// <summary>What every rule sees besides the account it checks: the organisation's policy and the clock.</summary>
    public sealed class PolicyContext
    {
        public PolicyContext(OrganisationPolicy policy, DateTimeOffset now)
        {
            Policy = policy ?? throw new ArgumentNullException(nameof(policy));
            Now = now;
        }

        public OrganisationPolicy Policy { get; }

        public DateTimeOffset Now { get; }
    }

    /// <summary>One rule with a stable id; it reports findings for an account and its keys, never throws for bad input.</summary>
    public abstract class PolicyRule
    {
        /// <summary>Stable id: <c>BNnnn</c> for Binance's rules, <c>ORGnnn</c> for the organisation's.</summary>
        public abstract string Id { get; }

        /// <summary>The worst severity the rule reports (some report a milder one when a fact is unknown).</summary>
        public abstract FindingSeverity Severity { get; }

        /// <summary>One line saying what the rule checks.</summary>
        public abstract string Title { get; }

        /// <summary>The rule's findings for <paramref name="account"/> and its keys.</summary>
        public IReadOnlyList<PolicyFinding> Check(PolicyContext context, DesiredAccount account)
        {
            var findings = new List<PolicyFinding>();
            Check(context, account, findings);
            return findings;
        }

        /// <summary>
        /// Adds the rule's findings for <paramref name="account"/> to <paramref name="findings"/>; by default each key's.
        /// Rules add rather than return: a fleet is checked key by key by every rule, and nearly every check finds
        /// nothing, so nothing is allocated for it (an iterator per key and rule was most of the engine's garbage).
        /// </summary>
        public virtual void Check(PolicyContext context, DesiredAccount account, ICollection<PolicyFinding> findings)
        {
            for (int i = 0; i < account.Keys.Count; i++) CheckKey(context, account, account.Keys[i], findings);
        }

        /// <summary>Adds the rule's findings for one key.</summary>
        protected virtual void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
        }

        protected PolicyFinding Finding(DesiredAccount account, DesiredKey? key, SourceLocation? at, string message, string remediation,
            FindingSeverity? severity = null) => new PolicyFinding
        {
            RuleId = Id,
            Severity = severity ?? Severity,
            Account = account.Name,
            Label = key?.Label,
            Message = message,
            Remediation = remediation,
            File = at?.File,
            Line = at?.Line ?? 0,
            Column = at?.Column ?? 0,
            YamlPath = at?.YamlPath,
        };

        protected static string Subject(DesiredAccount account, DesiredKey key) => $"Key '{key.Label}' of account '{account.Name}'";

        protected static string Names(IEnumerable<ApiKeyPermission> permissions) => string.Join(", ", permissions.Select(PermissionCatalog.NameOf));

        protected static IEnumerable<PolicyFinding> Many(params PolicyFinding?[] findings) => findings.Where(f => f != null)!;
    }
}

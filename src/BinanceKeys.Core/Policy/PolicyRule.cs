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
        private static readonly IEnumerable<PolicyFinding> None = Array.Empty<PolicyFinding>();

        /// <summary>Stable id: <c>BNnnn</c> for Binance's rules, <c>ORGnnn</c> for the organisation's.</summary>
        public abstract string Id { get; }

        /// <summary>The worst severity the rule reports (some report a milder one when a fact is unknown).</summary>
        public abstract FindingSeverity Severity { get; }

        /// <summary>One line saying what the rule checks.</summary>
        public abstract string Title { get; }

        public virtual IEnumerable<PolicyFinding> Check(PolicyContext context, DesiredAccount account) =>
            account.Keys.SelectMany(key => CheckKey(context, account, key));

        protected virtual IEnumerable<PolicyFinding> CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key) => None;

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

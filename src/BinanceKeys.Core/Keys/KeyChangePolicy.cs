using System;
using System.Collections.Generic;
using System.Linq;
using BinanceKeys.Binance;
using BinanceKeys.Policy;
using BinanceKeys.State;

namespace BinanceKeys.Keys
{
    /// <summary>
    /// The policy check every write goes through before anything is sent: the key as it would be after the change,
    /// in its account (with the account's other keys and the facts Binance reports), under Binance's rules and, for
    /// applies, the desired-state file's own policy. Error findings stop the write; warnings are passed on.
    /// </summary>
    public sealed class KeyChangePolicy
    {
        private readonly OrganisationPolicy? organisation;
        private readonly Action<string>? warn;
        private readonly Func<DateTimeOffset>? clock;

        /// <summary>Creates the check; <paramref name="organisation"/> adds the file's rules, <paramref name="warn"/> hears warnings.</summary>
        public KeyChangePolicy(OrganisationPolicy? organisation = null, Action<string>? warn = null, Func<DateTimeOffset>? clock = null)
        {
            this.organisation = organisation;
            this.warn = warn;
            this.clock = clock;
        }

        /// <summary>
        /// Whether Default Security Controls are assumed on. Binance has no API that reports the switch; it is on by
        /// default, so the safe assumption is on (an unrestricted HMAC key with more than reading is refused rather
        /// than created and then deleted by Binance).
        /// </summary>
        public bool AssumeDefaultSecurityControls { get; set; } = true;

        /// <summary>The findings for <paramref name="proposed"/> in <paramref name="account"/> next to its other keys.</summary>
        public IReadOnlyList<PolicyFinding> Evaluate(AccountReference account, DesiredKey proposed, IEnumerable<RemoteApiKey>? siblings, LiveAccountFacts? facts)
        {
            var model = new DesiredAccount { Name = account.Name, Kind = account.Kind, Email = account.Email, BrokerSubAccountId = account.BrokerSubAccountId };
            model.Facts.DefaultSecurityControls = AssumeDefaultSecurityControls;
            model.Facts.FuturesEnabled = facts?.FuturesEnabled;
            model.Facts.MarginEnabled = facts?.MarginEnabled;
            model.Keys.AddRange((siblings ?? Enumerable.Empty<RemoteApiKey>()).Select(KeyDescriptions.Sibling));
            model.Keys.Add(proposed);
            return new PolicyEngine(clock: clock).EvaluateKey(model, proposed, organisation);
        }

        /// <summary>Throws <see cref="PolicyViolationException"/> on Error findings; passes warnings on.</summary>
        public void Enforce(AccountReference account, DesiredKey proposed, IEnumerable<RemoteApiKey>? siblings, LiveAccountFacts? facts, string? refusalNote = null)
        {
            var findings = Evaluate(account, proposed, siblings, facts);
            foreach (var warning in findings.Where(f => f.Severity == FindingSeverity.Warning))
            {
                warn?.Invoke($"[{warning.RuleId}] {warning.Message} {warning.Remediation}".TrimEnd());
            }
            var errors = findings.Where(f => f.Severity == FindingSeverity.Error).ToList();
            if (errors.Count > 0) throw new PolicyViolationException(errors, refusalNote);
        }
    }
}

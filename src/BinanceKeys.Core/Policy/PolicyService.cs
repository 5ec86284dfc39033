using System;
using System.Collections.Generic;
using System.Linq;
using BinanceKeys.State;

namespace BinanceKeys.Policy
{
    /// <summary>The findings of one policy check, and whether it passed (no Error finding).</summary>
    public sealed class PolicyReport
    {
        public PolicyReport(IReadOnlyList<PolicyFinding> findings) => Findings = findings;

        public IReadOnlyList<PolicyFinding> Findings { get; }

        public bool Passed => Findings.All(f => f.Severity != FindingSeverity.Error);
    }

    /// <summary>The one entry point the cmdlet calls: check a desired-state file, or keys observed on Binance.</summary>
    public static class PolicyService
    {
        /// <summary>Loads and validates the whole file (throws <see cref="DesiredStateException"/>), then runs every rule.</summary>
        public static PolicyReport TestFile(string path, DesiredStateLoadOptions? options = null, Func<DateTimeOffset>? clock = null)
        {
            DesiredState state = DesiredStateLoader.LoadFile(path, options);
            return new PolicyReport(new PolicyEngine(clock: clock).Evaluate(state));
        }

        /// <summary>Checks keys from the pipeline; the organisation's rules come from <paramref name="policyFile"/>'s policy block, if given.</summary>
        public static PolicyReport TestKeys(IEnumerable<ApiKeyInfo> keys, string? policyFile = null, DesiredStateLoadOptions? options = null,
            Func<DateTimeOffset>? clock = null)
        {
            OrganisationPolicy? policy = policyFile == null ? null : DesiredStateLoader.LoadFile(policyFile, options).Policy;
            DesiredState state = ObservedState.FromKeys(keys, policy);
            return new PolicyReport(new PolicyEngine(clock: clock).Evaluate(state));
        }
    }

    /// <summary>Wraps observed keys (from Get-BinanceApiKey or built by hand) as a state the engine can check.</summary>
    public static class ObservedState
    {
        public static DesiredState FromKeys(IEnumerable<ApiKeyInfo> keys, OrganisationPolicy? policy = null)
        {
            var state = new DesiredState { Policy = policy ?? new OrganisationPolicy() };
            var accounts = new Dictionary<string, DesiredAccount>(StringComparer.OrdinalIgnoreCase);
            foreach (ApiKeyInfo info in keys)
            {
                if (info == null) continue;
                string name = info.Account ?? info.Email ?? info.BrokerSubAccountId ?? "(own account)";
                if (!accounts.TryGetValue(name, out DesiredAccount? account))
                {
                    // No facts: what Binance would say about the account is not on the key, so fact-based rules stay quiet.
                    account = new DesiredAccount { Name = name, Kind = info.AccountKind, Email = info.Email, BrokerSubAccountId = info.BrokerSubAccountId };
                    accounts.Add(name, account);
                    state.Accounts.Add(account);
                }
                var key = new DesiredKey
                {
                    Label = info.Label ?? "",
                    Type = info.Type,
                    IpAccess = info.IpAccess,
                    IpAccessDeclared = true,
                    CreateTime = info.CreateTime,
                    TradingAuthorityExpirationTime = info.TradingAuthorityExpirationTime,
                    Observed = true,
                };
                key.Permissions.AddRange(info.Permission.Select(p => new Located<ApiKeyPermission>(p, null)));
                key.IpWhitelist.AddRange(info.IpAddress.Select(a => new Located<string>(a, null)));
                account.Keys.Add(key);
            }
            return state;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;

namespace BinanceKeys.Sandbox.State;

/// <summary>The whole simulated Binance: one master, its sub-accounts and broker sub-accounts.</summary>
internal sealed class SandboxWorld
{
    public SandboxWorld(SandboxAccount master, bool defaultSecurityControls, Behaviour behaviour)
    {
        Master = master;
        DefaultSecurityControls = defaultSecurityControls;
        Behaviour = behaviour;
    }

    /// <summary>The seed's choices where Binance's behaviour is undocumented (docs/sandbox.md "Seed options").</summary>
    public Behaviour Behaviour { get; }

    public SandboxAccount Master { get; }

    /// <summary>docs/binance.md §9: one account-level switch covering the master's and every sub-account's keys.</summary>
    public bool DefaultSecurityControls { get; }

    public List<SandboxAccount> SubAccounts { get; } = new();

    public List<SandboxAccount> BrokerSubAccounts { get; } = new();

    public IEnumerable<SandboxAccount> AllAccounts =>
        new[] { Master }.Concat(SubAccounts).Concat(BrokerSubAccounts);

    public (SandboxAccount Account, SandboxKey Key)? FindKey(string apiKey)
    {
        foreach (var account in AllAccounts)
        {
            var key = account.Keys.FirstOrDefault(k => k.ApiKey == apiKey);
            if (key is not null)
            {
                return (account, key);
            }
        }
        return null;
    }

    public SandboxAccount? FindSubAccount(string email) =>
        SubAccounts.FirstOrDefault(a => string.Equals(a.Email, email, StringComparison.OrdinalIgnoreCase));

    public SandboxAccount? FindBrokerSubAccount(string subAccountId) =>
        BrokerSubAccounts.FirstOrDefault(a => a.SubAccountId == subAccountId);

    public bool ApiKeyExists(string apiKey) => FindKey(apiKey) is not null;

    public IEnumerable<(SandboxAccount Account, SandboxKey Key)> AllKeys =>
        AllAccounts.SelectMany(a => a.Keys.Select(k => (a, k)));
}

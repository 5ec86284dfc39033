using System;
using System.IO;
using System.Linq;
using System.Reflection;
using BinanceKeys.Policy;
using Xunit;

namespace BinanceKeys.Tests.Policy
{
    /// <summary>The registry is complete and stable, every rule is tested on both sides, and the docs list every rule.</summary>
    public sealed class RuleRegistryTests
    {
        [Fact]
        public void RuleIds_AreUniqueAndWellFormed()
        {
            var ids = PolicyRuleRegistry.All.Select(r => r.Id).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.All(ids, id => Assert.Matches("^(BN|ORG)[0-9]{3}$", id));
            Assert.All(PolicyRuleRegistry.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Title)));
        }

        [Fact]
        public void EveryRuleClass_IsRegistered()
        {
            var ruleTypes = typeof(PolicyRule).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(PolicyRule)) && !t.IsAbstract).ToList();
            Assert.Equal(ruleTypes.OrderBy(t => t.Name), PolicyRuleRegistry.All.Select(r => r.GetType()).OrderBy(t => t.Name));
        }

        [Fact]
        public void EveryRule_HasAFiringTestAndASilentTwin()
        {
            var names = typeof(RuleRegistryTests).Assembly.GetTypes()
                .SelectMany(t => t.GetMethods())
                .Where(m => m.GetCustomAttributes<FactAttribute>().Any())
                .Select(m => m.Name)
                .ToList();
            foreach (PolicyRule rule in PolicyRuleRegistry.All)
            {
                // BN020 cannot occur in a file that loads; its firing test uses observed keys.
                Assert.True(names.Any(n => n.StartsWith(rule.Id + "_Fires") || n.StartsWith(rule.Id + "_Warns") || n.StartsWith(rule.Id + "_Informs")),
                    $"{rule.Id} has no test where it fires");
                Assert.True(names.Any(n => n.StartsWith(rule.Id + "_Silent")), $"{rule.Id} has no test where it stays silent");
            }
        }

        [Fact]
        public void Docs_ListEveryRuleWithItsSeverity()
        {
            string docs = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "desired-state.md"));
            foreach (PolicyRule rule in PolicyRuleRegistry.All)
                Assert.Matches($@"\| `{rule.Id}` \| {rule.Severity} \|", docs);
        }

        [Fact]
        public void PermissionCatalog_CoversEveryPermissionOnce()
        {
            Assert.Equal(Enum.GetValues(typeof(ApiKeyPermission)).Cast<ApiKeyPermission>(), PermissionCatalog.All.Select(d => d.Permission));
            foreach (var descriptor in PermissionCatalog.All)
            {
                Assert.True(PermissionCatalog.TryParse(descriptor.Name.ToUpperInvariant(), out var parsed));
                Assert.Equal(descriptor.Permission, parsed);
                Assert.Equal(descriptor.Permission.ToString(), descriptor.Name.Substring(0, 1).ToUpperInvariant() + descriptor.Name.Substring(1));
            }
        }

        [Fact]
        public void PermissionCatalog_KnowsWhatTheApiCannotSet()
        {
            Assert.False(PermissionCatalog.Get(ApiKeyPermission.Withdrawals).IsSettableByApi(AccountKind.SubAccount));
            Assert.False(PermissionCatalog.Get(ApiKeyPermission.Withdrawals).IsSettableByApi(AccountKind.BrokerSubAccount));
            Assert.False(PermissionCatalog.Get(ApiKeyPermission.SpotAndMarginTrading).IsSettableByApi(AccountKind.Own));
            Assert.True(PermissionCatalog.Get(ApiKeyPermission.FixApiTrading).IsSettableByApi(AccountKind.SubAccount));
            Assert.False(PermissionCatalog.Get(ApiKeyPermission.FixApiTrading).IsSettableByApi(AccountKind.BrokerSubAccount));
            Assert.Equal("marginTrade", PermissionCatalog.Get(ApiKeyPermission.MarginLoanRepayTransfer).BrokerField);
            Assert.Equal("enableVanillaOptions", PermissionCatalog.Get(ApiKeyPermission.EuropeanOptions).ApiRestrictionsField);
        }
    }
}

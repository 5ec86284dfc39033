using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using BinanceKeys.State;

// The organisation's own rules, from the desired-state file's `policy:` block. Each is silent when its setting is absent.
namespace BinanceKeys.Policy.Rules
{
    /// <summary>ORG001: no key may have a permission the policy forbids.</summary>
    public sealed class ForbiddenPermissionRule : PolicyRule
    {
        public override string Id => "ORG001";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "No key has a permission listed in policy.forbidPermissions";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            int forbidden = PermissionMask.Of(context.Policy.ForbidPermissions);
            if (forbidden == 0) return;
            int reported = 0;
            foreach (var entry in key.Permissions)
            {
                int bit = PermissionMask.Of(entry.Value);
                if ((forbidden & bit) == 0 || (reported & bit) != 0) continue;
                reported |= bit;
                findings.Add(Finding(account, key, entry.Location ?? key.Location,
                    $"{Subject(account, key)} has {PermissionCatalog.NameOf(entry.Value)}, which the organisation's policy forbids.",
                    $"Remove '{PermissionCatalog.NameOf(entry.Value)}' from the key's permissions."));
            }
        }
    }

    /// <summary>ORG002: every whitelisted address lies in one of the allowed networks.</summary>
    public sealed class AllowedNetworksRule : PolicyRule
    {
        public override string Id => "ORG002";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "Every whitelisted IP lies in policy.allowedNetworks";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            var networks = context.Policy.AllowedNetworks;
            if (networks.Count == 0) return;
            foreach (var entry in key.IpWhitelist)
            {
                // Malformed entries are BN012/BN013's business; only addresses can be inside a network.
                if (!IpAddressRules.TryParseStrictIpv4(entry.Value, out uint address) || InAny(networks, address)) continue;
                findings.Add(Finding(account, key, entry.Location ?? key.At("ipWhitelist"),
                    $"{Subject(account, key)} whitelists {(entry.IsReferenced ? EntryText.Describe(entry) : entry.Value)}, which is outside the allowed networks ({string.Join(", ", networks.Select(n => n.Value))}).",
                    "Use an address inside an allowed network, or add its network to policy.allowedNetworks."));
            }
        }

        private static bool InAny(List<Located<Ipv4Network>> networks, uint address)
        {
            foreach (var network in networks)
            {
                if (network.Value.Contains(address)) return true;
            }
            return false;
        }
    }

    /// <summary>ORG003: every key is of a type the policy allows.</summary>
    public sealed class AllowedKeyTypesRule : PolicyRule
    {
        public override string Id => "ORG003";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "Every key's type is listed in policy.keyTypes";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            var types = context.Policy.KeyTypes;
            if (types.Count == 0 || key.Type == null) return;
            foreach (var type in types)
            {
                if (type.Value == key.Type.Value) return;
            }
            var allowed = types.Select(t => t.Value).Distinct().ToList();
            findings.Add(Finding(account, key, key.At("type"),
                $"{Subject(account, key)} is an {ContractNames.Of(key.Type.Value)} key; the organisation allows only {string.Join(", ", allowed.Select(ContractNames.Of))}.",
                $"Replace it with a key of type {ContractNames.Of(allowed[0])}."));
        }
    }

    /// <summary>ORG004: with requireIpRestriction, every key has a trusted IP list.</summary>
    public sealed class IpRestrictionRequiredRule : PolicyRule
    {
        public override string Id => "ORG004";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "With policy.requireIpRestriction, every key has an ipWhitelist";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            // A third party's list is not the organisation's own: only trusted IPs satisfy the rule.
            if (!context.Policy.RequireIpRestriction || key.IpAccess == IpAccessMode.TrustedIps) return;
            findings.Add(Finding(account, key, key.Location,
                $"{Subject(account, key)} has {(key.IpAccess == IpAccessMode.ThirdParty ? "a third-party IP restriction" : "no IP restriction")}; the organisation requires an IP whitelist on every key.",
                "Add an ipWhitelist with the addresses the key is used from."));
        }
    }

    /// <summary>ORG005: no account has more keys than the policy allows.</summary>
    public sealed class OrganisationMaxKeysRule : PolicyRule
    {
        public override string Id => "ORG005";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "No account has more keys than policy.maxKeysPerAccount";

        public override void Check(PolicyContext context, DesiredAccount account, ICollection<PolicyFinding> findings)
        {
            int? max = context.Policy.MaxKeysPerAccount;
            if (max == null || account.Keys.Count <= max) return;
            DesiredKey first = account.Keys[max.Value];
            findings.Add(Finding(account, first, first.Location,
                $"Account '{account.Name}' has {account.Keys.Count} keys; the organisation allows at most {max} per account.",
                $"Remove {account.Keys.Count - max} key(s) from '{account.Name}'."));
        }
    }

    /// <summary>ORG006: every label matches the policy's label pattern.</summary>
    public sealed class LabelPatternRule : PolicyRule
    {
        public override string Id => "ORG006";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "Every label matches policy.labelPattern";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            Regex? pattern = context.Policy.LabelPattern;
            if (pattern == null) return;
            bool matches;
            try
            {
                matches = pattern.IsMatch(key.Label);
            }
            catch (RegexMatchTimeoutException)
            {
                matches = false;
            }
            if (matches) return;
            findings.Add(Finding(account, key, key.At("label"),
                $"The label '{key.Label}' of a key in account '{account.Name}' does not match the organisation's pattern {pattern}.",
                "Rename the key to match policy.labelPattern."));
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using BinanceKeys.Policy.Rules;

namespace BinanceKeys.Policy
{
    /// <summary>Every rule the engine runs, in id order; the docs' rule table and the tests enumerate this list.</summary>
    public static class PolicyRuleRegistry
    {
        public static readonly IReadOnlyList<PolicyRule> All = new PolicyRule[]
        {
            new MaxKeysPerAccountRule(),
            new DefaultSecurityControlsRule(),
            new WithdrawalsNeedIpRestrictionRule(),
            new FuturesNeedFuturesAccountRule(),
            new FuturesBlockedByPortfolioMarginRule(),
            new MarginNeedsMarginAccountRule(),
            new OptionsNeedOptionsAccountRule(),
            new TradingPermissionExpiresRule(),
            new FixPermissionsNeedEd25519Rule(),
            new IpWhitelistCountRule(),
            new IpWhitelistLengthRule(),
            new IpAddressInvalidRule(),
            new IpAddressFormUnsupportedRule(),
            new IpAddressDuplicateRule(),
            new PermissionDuplicateRule(),
            new IpAccessConsistencyRule(),
            new ThirdPartyIpAccessRule(),
            new SymbolWhitelistSizeRule(),
            new LabelFormatRule(),
            new LabelDuplicateRule(),
            new KeyMaterialRule(),
            new AccountPrerequisitesRule(),
            new PermissionNeedsWebUiRule(),
            new SymbolWhitelistNeedsWebUiRule(),
            new OwnAccountKeysAreManualRule(),
            new PortfolioMarginTradingNeedsPortfolioMarginRule(),
            new ForbiddenPermissionRule(),
            new AllowedNetworksRule(),
            new AllowedKeyTypesRule(),
            new IpRestrictionRequiredRule(),
            new OrganisationMaxKeysRule(),
            new LabelPatternRule(),
        };

        public static PolicyRule Get(string id) =>
            All.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"No policy rule has the id '{id}'.", nameof(id));
    }
}

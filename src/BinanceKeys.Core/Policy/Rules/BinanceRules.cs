using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using BinanceKeys.State;

// Binance's own rules on API keys: docs/binance.md §9 and docs/binance.md §2, §3.
// One class per rule; ids are stable and documented in docs/desired-state.md.
namespace BinanceKeys.Policy.Rules
{
    /// <summary>BN001: at most 30 keys per account.</summary>
    public sealed class MaxKeysPerAccountRule : PolicyRule
    {
        public override string Id => "BN001";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => $"At most {BinanceLimits.MaxKeysPerAccount} API keys per account";

        public override void Check(PolicyContext context, DesiredAccount account, ICollection<PolicyFinding> findings)
        {
            // docs/binance.md §3: 30 per account; whether the master's count includes sub-accounts is UNCONFIRMED.
            if (account.Keys.Count <= BinanceLimits.MaxKeysPerAccount) return;
            DesiredKey first = account.Keys[BinanceLimits.MaxKeysPerAccount];
            findings.Add(Finding(account, first, first.Location,
                $"Account '{account.Name}' has {account.Keys.Count} keys; Binance allows at most {BinanceLimits.MaxKeysPerAccount} per account, so '{first.Label}' and later keys cannot be created.",
                $"Remove {account.Keys.Count - BinanceLimits.MaxKeysPerAccount} key(s) from '{account.Name}', or move them to another sub-account."));
        }
    }

    /// <summary>BN002: with Default Security Controls on, an unrestricted HMAC key may only read, or Binance deletes it.</summary>
    public sealed class DefaultSecurityControlsRule : PolicyRule
    {
        public override string Id => "BN002";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "Default Security Controls: an HMAC key without IP restriction may only have Enable Reading";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            if (key.Type != ApiKeyType.Hmac || key.IpAccess != IpAccessMode.Unrestricted) return;
            var beyondReading = key.PermissionSet.Where(p => p != ApiKeyPermission.Reading).OrderBy(p => p).ToList();
            if (beyondReading.Count == 0 || account.Facts.DefaultSecurityControls == false) return;
            bool known = account.Facts.DefaultSecurityControls == true;
            findings.Add(Finding(account, key, key.Find(beyondReading[0])?.Location ?? key.Location,
                $"{Subject(account, key)} is an HMAC key with unrestricted IP access and {Names(beyondReading)}; " +
                (known ? "while Default Security Controls are on, Binance deletes such a key."
                       : "if Default Security Controls are on (Binance's default), Binance deletes such a key."),
                "Add an ipWhitelist, or use an ed25519 or rsa key, or turn Default Security Controls off (and declare defaultSecurityControls: false).",
                known ? FindingSeverity.Error : FindingSeverity.Warning));
        }
    }

    /// <summary>BN003: Enable Withdrawals requires an IP restriction, always.</summary>
    public sealed class WithdrawalsNeedIpRestrictionRule : PolicyRule
    {
        public override string Id => "BN003";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "Enable Withdrawals requires an IP restriction";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            // docs/binance.md §2.2 and §3: "withdrawals can be enabled only if an IP restriction is set".
            if (!key.Has(ApiKeyPermission.Withdrawals) || key.IpAccess != IpAccessMode.Unrestricted) return;
            findings.Add(Finding(account, key, key.Find(ApiKeyPermission.Withdrawals)!.Location,
                $"{Subject(account, key)} has withdrawals without an IP restriction; Binance refuses withdrawals on such a key.",
                "Add an ipWhitelist to the key, or remove 'withdrawals' from its permissions."));
        }
    }

    /// <summary>BN004: Enable Futures needs the account's futures account to be open.</summary>
    public sealed class FuturesNeedFuturesAccountRule : PolicyRule
    {
        public override string Id => "BN004";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "Enable Futures needs a futures account on the account";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings) =>
            AccountFeatureCheck.Check(findings, this, account, key, ApiKeyPermission.Futures, account.Facts.FuturesEnabled, "futuresEnabled", "futures account",
                "Open the futures account first (for a sub-account: POST /sapi/v1/sub-account/futures/enable), then declare futuresEnabled: true.");
    }

    /// <summary>BN005: Enable Futures cannot be used while Portfolio Margin is active.</summary>
    public sealed class FuturesBlockedByPortfolioMarginRule : PolicyRule
    {
        public override string Id => "BN005";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "Enable Futures is not possible while Portfolio Margin is active";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            if (!key.Has(ApiKeyPermission.Futures) || account.Facts.PortfolioMargin != true) return;
            findings.Add(Finding(account, key, key.Find(ApiKeyPermission.Futures)!.Location,
                $"{Subject(account, key)} asks for futures, but account '{account.Name}' uses Portfolio Margin, where Binance does not allow Enable Futures on keys.",
                "Use 'portfolioMarginTrading' instead of 'futures' for this key, or leave Portfolio Margin."));
        }
    }

    /// <summary>BN006: margin permissions need margin enabled on the account first.</summary>
    public sealed class MarginNeedsMarginAccountRule : PolicyRule
    {
        public override string Id => "BN006";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "Enable Margin Loan, Repay & Transfer needs margin enabled on the account";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings) =>
            AccountFeatureCheck.Check(findings, this, account, key, ApiKeyPermission.MarginLoanRepayTransfer, account.Facts.MarginEnabled, "marginEnabled", "margin account",
                "Enable margin on the account first (Binance makes the permission editable only after a cross-margin transfer), then declare marginEnabled: true.");
    }

    /// <summary>BN007: European options need the options account enabled.</summary>
    public sealed class OptionsNeedOptionsAccountRule : PolicyRule
    {
        public override string Id => "BN007";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "Enable European Options needs an options account";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings) =>
            AccountFeatureCheck.Check(findings, this, account, key, ApiKeyPermission.EuropeanOptions, account.Facts.OptionsEnabled, "optionsEnabled", "European options account",
                "Enable European options on the account first (for a sub-account: POST /sapi/v1/sub-account/eoptions/enable), then declare optionsEnabled: true.");
    }

    /// <summary>BN008: on keys without an IP whitelist the spot and margin trading permission expires.</summary>
    public sealed class TradingPermissionExpiresRule : PolicyRule
    {
        public override string Id => "BN008";
        public override FindingSeverity Severity => FindingSeverity.Warning;
        public override string Title => "Spot & margin trading expires on keys without an IP whitelist";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            if (!key.Has(ApiKeyPermission.SpotAndMarginTrading) || key.IpAccess == IpAccessMode.TrustedIps) return;
            // docs/binance.md §2.2: 30 days after it was enabled (2021 rule; current period UNCONFIRMED).
            string when = key.TradingAuthorityExpirationTime is DateTimeOffset expiry
                ? (expiry <= context.Now ? $"expired on {expiry:yyyy-MM-dd HH:mm} UTC" : $"expires on {expiry:yyyy-MM-dd HH:mm} UTC")
                : $"expires {BinanceLimits.TradingPermissionLifetimeWithoutIpRestriction.TotalDays.ToString(CultureInfo.InvariantCulture)} days after it is enabled";
            findings.Add(Finding(account, key, key.Find(ApiKeyPermission.SpotAndMarginTrading)!.Location,
                $"{Subject(account, key)} has spot & margin trading without an IP whitelist; the permission {when}.",
                "Add an ipWhitelist to the key; keys with trusted IPs keep the permission."));
        }
    }

    /// <summary>BN009: FIX API permissions exist only on Ed25519 keys.</summary>
    public sealed class FixPermissionsNeedEd25519Rule : PolicyRule
    {
        public override string Id => "BN009";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "FIX API permissions only on Ed25519 keys";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            if (key.Type == null || key.Type == ApiKeyType.Ed25519) return;
            foreach (var fix in key.Permissions.Where(p => p.Value == ApiKeyPermission.FixApiTrading || p.Value == ApiKeyPermission.FixApiReading)
                .GroupBy(p => p.Value).Select(g => g.First()))
            {
                // docs/binance.md §2.3 (v2 create): FIX flags on any other key type -> -9000 "Unsupported operation".
                findings.Add(Finding(account, key, fix.Location,
                    $"{Subject(account, key)} is a {ContractNames.Of(key.Type.Value)} key with {PermissionCatalog.NameOf(fix.Value)}; Binance allows FIX API permissions only on Ed25519 keys (error -9000).",
                    "Make the key type: ed25519 (with an Ed25519 public key), or remove the FIX permissions."));
            }
        }
    }

    /// <summary>BN010: at most 30 IP addresses per key.</summary>
    public sealed class IpWhitelistCountRule : PolicyRule
    {
        public override string Id => "BN010";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => $"At most {BinanceLimits.MaxIpAddressesPerKey} IP addresses per key";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            if (key.IpWhitelist.Count <= BinanceLimits.MaxIpAddressesPerKey || IpWhitelistFacts.DistinctCount(key) <= BinanceLimits.MaxIpAddressesPerKey) return;
            var distinct = IpWhitelistFacts.Distinct(key);
            findings.Add(Finding(account, key, distinct[BinanceLimits.MaxIpAddressesPerKey].Location ?? key.At("ipWhitelist"),
                $"{Subject(account, key)} lists {distinct.Count} IP addresses; at most {BinanceLimits.MaxIpAddressesPerKey} are allowed per key.",
                "Split the traffic over several keys, or route it through fewer egress addresses."));
        }
    }

    /// <summary>BN011: the comma-separated IP list is at most 500 characters.</summary>
    public sealed class IpWhitelistLengthRule : PolicyRule
    {
        public override string Id => "BN011";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => $"The IP list, comma-separated, is at most {BinanceLimits.MaxIpListCharacters} characters";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            int length = IpWhitelistFacts.JoinedLength(key);
            if (length <= BinanceLimits.MaxIpListCharacters) return;
            findings.Add(Finding(account, key, key.At("ipWhitelist"),
                $"{Subject(account, key)} has an IP list of {length} characters when joined with commas; Binance accepts at most {BinanceLimits.MaxIpListCharacters}.",
                "Remove addresses from the list, or split the traffic over several keys."));
        }
    }

    /// <summary>BN012: every whitelist entry is a valid address.</summary>
    public sealed class IpAddressInvalidRule : PolicyRule
    {
        public override string Id => "BN012";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "Every IP whitelist entry is a valid IPv4 address";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            foreach (var entry in key.IpWhitelist)
            {
                if (IpAddressRules.Classify(entry.Value) != IpEntryKind.Invalid) continue;
                findings.Add(Finding(account, key, entry.Location ?? key.At("ipWhitelist"),
                    $"{Subject(account, key)} has {EntryText.Describe(entry)} in its IP whitelist, which is not an IPv4 address.",
                    "Write each address as four decimal numbers 0-255 without leading zeros, one list entry per address, e.g. 203.0.113.7."));
            }
        }
    }

    /// <summary>BN013: IPv6 addresses and CIDR ranges are treated as unsupported (UNCONFIRMED by Binance).</summary>
    public sealed class IpAddressFormUnsupportedRule : PolicyRule
    {
        public override string Id => "BN013";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "IPv6 and CIDR ranges are not accepted in IP whitelists";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            if (BinanceLimits.IpWhitelistAcceptsIpv6OrCidr) return;
            foreach (var entry in key.IpWhitelist)
            {
                IpEntryKind kind = IpAddressRules.Classify(entry.Value);
                if (kind != IpEntryKind.Ipv6 && kind != IpEntryKind.Cidr) continue;
                // docs/binance.md §3: IPv6/CIDR support UNCONFIRMED; validate IPv4, treat the rest as unsupported.
                findings.Add(Finding(account, key, entry.Location ?? key.At("ipWhitelist"),
                    $"{Subject(account, key)} has the {(kind == IpEntryKind.Cidr ? "CIDR range" : "IPv6 address")} {EntryText.Describe(entry)} in its IP whitelist; Binance documents IPv4 addresses only.",
                    kind == IpEntryKind.Cidr ? "List the individual IPv4 addresses of the range instead." : "Use the IPv4 egress address of the host."));
            }
        }
    }

    /// <summary>BN014: an IP whitelist is a set; an address listed twice is reported and counted once.</summary>
    public sealed class IpAddressDuplicateRule : PolicyRule
    {
        public override string Id => "BN014";
        public override FindingSeverity Severity => FindingSeverity.Warning;
        public override string Title => "An IP address is listed twice";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            var list = key.IpWhitelist;
            for (int i = 1; i < list.Count; i++)
            {
                var entry = list[i];
                if (!IpWhitelistFacts.SeenBefore(list, i)) continue;
                findings.Add(Finding(account, key, entry.Location ?? key.At("ipWhitelist"),
                    $"{Subject(account, key)} lists {(entry.IsReferenced ? EntryText.Describe(entry) + ", an address already listed," : entry.Value)} more than once; the whitelist is a set, so it counts once.",
                    "Remove the duplicate entry."));
            }
        }
    }

    /// <summary>BN015: permissions are a set; a permission listed twice is reported and counted once.</summary>
    public sealed class PermissionDuplicateRule : PolicyRule
    {
        public override string Id => "BN015";
        public override FindingSeverity Severity => FindingSeverity.Warning;
        public override string Title => "A permission is listed twice";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            int seen = 0;
            foreach (var entry in key.Permissions)
            {
                int bit = PermissionMask.Of(entry.Value);
                bool first = (seen & bit) == 0;
                seen |= bit;
                if (first) continue;
                findings.Add(Finding(account, key, entry.Location,
                    $"{Subject(account, key)} lists {PermissionCatalog.NameOf(entry.Value)} more than once; permissions are a set, so it counts once.",
                    "Remove the duplicate entry."));
            }
        }
    }

    /// <summary>BN016: the IP access mode and the whitelist agree.</summary>
    public sealed class IpAccessConsistencyRule : PolicyRule
    {
        public override string Id => "BN016";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "ipAccess and ipWhitelist agree";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            if (key.IpAccess == IpAccessMode.TrustedIps && key.IpWhitelist.Count == 0 && !key.Observed)
            {
                // docs/binance.md §2.3: ipAddress is required when status=2.
                findings.Add(Finding(account, key, key.At("ipAccess"),
                    $"{Subject(account, key)} restricts access to trusted IPs but lists none; Binance requires the list with status 2.",
                    "Add the trusted addresses under ipWhitelist."));
            }
            else if (key.IpAccess != IpAccessMode.TrustedIps && key.IpWhitelist.Count > 0)
            {
                findings.Add(Finding(account, key, key.At("ipWhitelist"),
                    $"{Subject(account, key)} has ipAccess: {ContractNames.Of(key.IpAccess)} and an ipWhitelist; the list would be ignored.",
                    "Remove ipAccess (a whitelist implies 'trusted'), or remove the ipWhitelist."));
            }
        }
    }

    /// <summary>BN017: third-party IP restriction needs a third-party name and exists only for master sub-account keys.</summary>
    public sealed class ThirdPartyIpAccessRule : PolicyRule
    {
        public override string Id => "BN017";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "Third-party IP restriction: thirdPartyName required, sub-accounts only";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            bool thirdParty = key.IpAccess == IpAccessMode.ThirdParty;
            if (thirdParty && string.IsNullOrWhiteSpace(key.ThirdPartyName) && !key.Observed)
                // docs/binance.md §2.3: thirdPartyName is required when status=3.
                findings.Add(Finding(account, key, key.At("ipAccess"),
                    $"{Subject(account, key)} uses a third-party IP restriction but names no third party.",
                    "Add thirdPartyName (the third party whose IP whitelist Binance should apply)."));
            if (!thirdParty && key.ThirdPartyName != null)
                findings.Add(Finding(account, key, key.At("thirdPartyName"),
                    $"{Subject(account, key)} names third party '{key.ThirdPartyName}' without ipAccess: thirdParty; the name would be ignored.",
                    "Add ipAccess: thirdParty, or remove thirdPartyName."));
            if (thirdParty && account.Kind == AccountKind.BrokerSubAccount)
                // docs/binance.md §2.6: broker IP restriction takes status 1 or 2 only.
                findings.Add(Finding(account, key, key.At("ipAccess"),
                    $"{Subject(account, key)} is a broker sub-account key; broker endpoints offer no third-party IP restriction.",
                    "Use ipWhitelist with the third party's addresses instead."));
        }
    }

    /// <summary>BN018: a symbol whitelist holds at most 30 pairs.</summary>
    public sealed class SymbolWhitelistSizeRule : PolicyRule
    {
        public override string Id => "BN018";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => $"A symbol whitelist holds at most {BinanceLimits.MaxSymbolWhitelist} pairs";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            if (key.SymbolWhitelist.Count <= BinanceLimits.MaxSymbolWhitelist) return;
            findings.Add(Finding(account, key, key.SymbolWhitelist[BinanceLimits.MaxSymbolWhitelist].Location,
                $"{Subject(account, key)} whitelists {key.SymbolWhitelist.Count} symbols; Binance allows at most {BinanceLimits.MaxSymbolWhitelist} per key.",
                $"Keep at most {BinanceLimits.MaxSymbolWhitelist} trading pairs, or split them over several keys."));
        }
    }

    /// <summary>BN019: labels are 1 to 31 characters of letters, digits, '-', '_' and '.' (UNCONFIRMED by Binance).</summary>
    public sealed class LabelFormatRule : PolicyRule
    {
        private static readonly Regex Allowed = new Regex(BinanceLimits.LabelPattern, RegexOptions.CultureInvariant);

        public override string Id => "BN019";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => $"Labels are 1-{BinanceLimits.MaxLabelLength} characters: letters, digits, '-', '_', '.'";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            string? problem = key.Label.Length == 0 ? "is empty"
                : key.Label.Length > BinanceLimits.MaxLabelLength ? $"is {key.Label.Length} characters long (at most {BinanceLimits.MaxLabelLength})"
                : !Allowed.IsMatch(key.Label) ? "contains characters other than letters, digits, '-', '_' and '.' (or does not start with a letter or digit)"
                : null;
            if (problem == null) return;
            // Binance's own limits are UNCONFIRMED (docs/binance.md §3): a key that already exists was accepted by Binance,
            // so for observed keys this is only a warning.
            findings.Add(Finding(account, key, key.At("label"),
                $"The label '{key.Label}' of a key in account '{account.Name}' {problem}.",
                $"Use a label of 1-{BinanceLimits.MaxLabelLength} characters such as 'mm-bot-eu'.",
                key.Observed ? FindingSeverity.Warning : FindingSeverity.Error));
        }
    }

    /// <summary>BN020: two keys of one account share a label, so they cannot be told apart by label.</summary>
    public sealed class LabelDuplicateRule : PolicyRule
    {
        public override string Id => "BN020";
        public override FindingSeverity Severity => FindingSeverity.Warning;
        public override string Title => "Two keys of one account share a label (case-insensitive)";

        public override void Check(PolicyContext context, DesiredAccount account, ICollection<PolicyFinding> findings)
        {
            // A file with duplicate labels does not load at all; this covers keys observed on Binance.
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (DesiredKey key in account.Keys)
            {
                if (key.Label.Length == 0 || seen.Add(key.Label)) continue;
                findings.Add(Finding(account, key, key.At("label"),
                    $"Account '{account.Name}' has more than one key labelled '{key.Label}'; desired state matches keys by label, so these cannot be managed.",
                    "Rename or delete the extra key in the web UI."));
            }
        }
    }

    /// <summary>BN021: the key material fits the key type (public key for Ed25519/RSA, secret store for HMAC; either missing is a warning, since only a create needs it).</summary>
    public sealed class KeyMaterialRule : PolicyRule
    {
        public override string Id => "BN021";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "Key material fits the key type";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            if (key.Observed || key.Type == null) return;
            ApiKeyType type = key.Type.Value;
            string name = ContractNames.Of(type);
            if (type == ApiKeyType.Hmac)
            {
                if (key.PublicKeyPem != null)
                    findings.Add(Finding(account, key, key.At("publicKey"),
                        $"{Subject(account, key)} is an HMAC key but declares a publicKey; Binance generates HMAC keys itself.",
                        "Remove publicKey, or set the type to ed25519 or rsa to match the public key."));
                // Own keys are created in the web UI, which shows the secret there; a store is the user's business.
                if (key.Secret == null && account.Kind != AccountKind.Own)
                    findings.Add(Finding(account, key, key.At("type"),
                        $"{Subject(account, key)} is an HMAC key with no 'secret' store; the one-time secret of a new key would have nowhere to go.",
                        "Add secret: vault:NAME.", FindingSeverity.Warning));
                return;
            }
            if (key.Secret != null)
                findings.Add(Finding(account, key, key.At("secret"),
                    $"{Subject(account, key)} is an {name} key; only HMAC keys have a secret from Binance.",
                    "Remove 'secret'; the private key stays with whoever generated the key pair."));
            if (key.PublicKeyPem == null)
            {
                // Only a create needs the public key, and offline nobody knows whether the key exists: a warning here, and
                // the plan refuses to create or replace the key without it (KeyPlanService).
                findings.Add(Finding(account, key, key.At("type"),
                    $"{Subject(account, key)} is an {name} key without a publicKey; Binance needs the public key to create it, so a plan refuses to create or replace the key until it has one (an existing key is left as it is).",
                    $"Add publicKey: path/to/{key.Label}.pub.pem (New-BinanceKeyPair writes one).", FindingSeverity.Warning));
                return;
            }
            if (key.PublicKeyAlgorithm != type)
                findings.Add(Finding(account, key, key.At("publicKey"),
                    $"{Subject(account, key)} is declared {name} but its public key is {ContractNames.Of(key.PublicKeyAlgorithm!.Value)}.",
                    $"Set type: {ContractNames.Of(key.PublicKeyAlgorithm.Value)}, or point publicKey at the {name} public key."));
            else if (type == ApiKeyType.Rsa && key.PublicKeyBits != 2048 && key.PublicKeyBits != 4096)
                findings.Add(Finding(account, key, key.At("publicKey"),
                    $"{Subject(account, key)} has a {key.PublicKeyBits}-bit RSA public key; Binance accepts 2048 or 4096 bits.",
                    "Generate a 2048- or 4096-bit RSA key pair, or better an Ed25519 one."));
        }
    }

    /// <summary>BN022: keys can be created only once the account has 2FA and identity verification.</summary>
    public sealed class AccountPrerequisitesRule : PolicyRule
    {
        public override string Id => "BN022";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "The account has two-factor authentication and identity verification";

        public override void Check(PolicyContext context, DesiredAccount account, ICollection<PolicyFinding> findings)
        {
            if (account.Keys.Count == 0) return;
            if (account.Facts.TwoFactorEnabled == false)
                findings.Add(Finding(account, null, account.At("twoFactorEnabled"),
                    $"Account '{account.Name}' has no two-factor authentication; Binance creates no API key until it does.",
                    "Turn on 2FA for the account, then declare twoFactorEnabled: true."));
            if (account.Facts.Verified == false)
                findings.Add(Finding(account, null, account.At("verified"),
                    $"Account '{account.Name}' has not completed identity verification; Binance creates no API key until it does.",
                    "Complete verification (Verified Plus), then declare verified: true."));
        }
    }

    /// <summary>BN023: permissions that the API cannot set on this kind of account are manual steps in the web UI.</summary>
    public sealed class PermissionNeedsWebUiRule : PolicyRule
    {
        public override string Id => "BN023";
        public override FindingSeverity Severity => FindingSeverity.Warning;
        public override string Title => "Permissions the API cannot set are manual steps in the web UI";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            // Own keys are all manual (BN025); reading needs no setting.
            if (key.Observed || account.Kind == AccountKind.Own) return;
            int seen = 0;
            foreach (var entry in key.Permissions)
            {
                int bit = PermissionMask.Of(entry.Value);
                if ((seen & bit) != 0) continue;
                seen |= bit;
                if (entry.Value == ApiKeyPermission.Reading || PermissionCatalog.Get(entry.Value).IsSettableByApi(account.Kind)) continue;
                var descriptor = PermissionCatalog.Get(entry.Value);
                findings.Add(Finding(account, key, entry.Location,
                    $"{Subject(account, key)} asks for {descriptor.Name}, which Binance's {(account.Kind == AccountKind.BrokerSubAccount ? "broker" : "sub-account")} API cannot set; it is a manual step.",
                    $"After the key exists, tick '{descriptor.DisplayName}' in the web UI (API Management of the master account)."));
            }
        }
    }

    /// <summary>BN024: a symbol whitelist can only be set in the web UI.</summary>
    public sealed class SymbolWhitelistNeedsWebUiRule : PolicyRule
    {
        public override string Id => "BN024";
        public override FindingSeverity Severity => FindingSeverity.Info;
        public override string Title => "The symbol whitelist is a manual step in the web UI";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            if (key.SymbolWhitelist.Count == 0) return;
            // docs/binance.md §3: symbol whitelist is UI only, and affects spot/margin API trading only.
            bool trades = key.Has(ApiKeyPermission.SpotAndMarginTrading);
            findings.Add(Finding(account, key, key.At("symbolWhitelist"),
                $"{Subject(account, key)} declares a symbol whitelist; Binance offers no API for it, so it is a manual step" +
                (trades ? "." : ", and it has no effect without spotAndMarginTrading."),
                "In the web UI: master account > Sub Accounts > API Management > the key > Enable Symbol Whitelist.",
                trades ? FindingSeverity.Info : FindingSeverity.Warning));
        }
    }

    /// <summary>BN025: the calling account's own keys cannot be created or changed through the API.</summary>
    public sealed class OwnAccountKeysAreManualRule : PolicyRule
    {
        public override string Id => "BN025";
        public override FindingSeverity Severity => FindingSeverity.Info;
        public override string Title => "Own-account keys are created and changed in the web UI only";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings)
        {
            // docs/binance.md §0 (1) and §2.2: the only own-key endpoint is read-only apiRestrictions.
            if (key.Observed || account.Kind != AccountKind.Own) return;
            findings.Add(Finding(account, key, key.Location,
                $"{Subject(account, key)} belongs to the calling account itself; Binance's API can only read such keys, so any change is a manual step.",
                "Create or change the key in the web UI (API Management); the plan lists the exact steps and the audit checks the result."));
        }
    }

    /// <summary>BN026: the Portfolio Margin trading permission needs a Portfolio Margin account.</summary>
    public sealed class PortfolioMarginTradingNeedsPortfolioMarginRule : PolicyRule
    {
        public override string Id => "BN026";
        public override FindingSeverity Severity => FindingSeverity.Error;
        public override string Title => "Portfolio Margin trading needs a Portfolio Margin account";

        protected override void CheckKey(PolicyContext context, DesiredAccount account, DesiredKey key, ICollection<PolicyFinding> findings) =>
            AccountFeatureCheck.Check(findings, this, account, key, ApiKeyPermission.PortfolioMarginTrading, account.Facts.PortfolioMargin, "portfolioMargin",
                "Portfolio Margin account", "Open Portfolio Margin on the account first, then declare portfolioMargin: true.");
    }

    /// <summary>The shape shared by the "permission needs an account feature" rules: Error when off, Warning when undeclared.</summary>
    internal static class AccountFeatureCheck
    {
        public static void Check(ICollection<PolicyFinding> findings, PolicyRule rule, DesiredAccount account, DesiredKey key, ApiKeyPermission permission,
            bool? enabled, string factName, string feature, string remediation)
        {
            Located<ApiKeyPermission>? entry = key.Find(permission);
            // An observed key already has the permission: Binance accepted it, and pipeline input carries no facts.
            if (entry == null || enabled == true || (enabled == null && key.Observed)) return;
            string name = PermissionCatalog.NameOf(permission);
            findings.Add(new PolicyFinding
            {
                RuleId = rule.Id,
                Severity = enabled == false ? FindingSeverity.Error : FindingSeverity.Warning,
                Account = account.Name,
                Label = key.Label,
                Message = enabled == false
                    ? $"Key '{key.Label}' of account '{account.Name}' asks for {name}, but the account has no {feature} ({factName}: false); Binance rejects the permission."
                    : $"Key '{key.Label}' of account '{account.Name}' asks for {name}, which needs a {feature}; the file does not declare {factName}, so this cannot be checked offline.",
                Remediation = enabled == false ? remediation : $"Declare {factName}: true (or false) on account '{account.Name}'.",
                File = entry.Location?.File,
                Line = entry.Location?.Line ?? 0,
                Column = entry.Location?.Column ?? 0,
                YamlPath = entry.Location?.YamlPath,
            });
        }
    }

    /// <summary>
    /// How a message names a whitelist entry: a literal as written ('203.0.113.7'); a value read through env: or
    /// file: only by where it came from, never by what it is (a file could make an audit print a pipeline's secret).
    /// </summary>
    internal static class EntryText
    {
        public static string Describe(Located<string> entry)
        {
            if (!entry.IsReferenced) return "'" + entry.Value + "'";
            string item = entry.OriginItem > 0 ? $"value {entry.OriginItem.ToString(CultureInfo.InvariantCulture)} of {entry.Origin}" : $"the value of {entry.Origin}";
            string where = entry.Location?.YamlPath is string path && path.Length > 0 ? $" at {path}" : "";
            return $"{item}{where} (not shown: it was read from outside the file)";
        }
    }

    /// <summary>Whitelist measures shared by the count and length rules (set semantics: duplicates count once).</summary>
    internal static class IpWhitelistFacts
    {
        public static List<Located<string>> Distinct(DesiredKey key)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            return key.IpWhitelist.Where(e => seen.Add(e.Value)).ToList();
        }

        /// <summary>How many distinct entries (a list holds at most a few dozen: compared pairwise, nothing allocated).</summary>
        public static int DistinctCount(DesiredKey key)
        {
            var list = key.IpWhitelist;
            int count = 0;
            for (int i = 0; i < list.Count; i++) if (!SeenBefore(list, i)) count++;
            return count;
        }

        /// <summary>Whether the entry at <paramref name="index"/> repeats an earlier one (case-insensitive).</summary>
        public static bool SeenBefore(List<Located<string>> list, int index)
        {
            for (int j = 0; j < index; j++)
            {
                if (string.Equals(list[j].Value, list[index].Value, StringComparison.OrdinalIgnoreCase)) return true;
            }
            return false;
        }

        // docs/binance.md §2.3 and §3: sent as one comma-separated string without spaces.
        public static int JoinedLength(DesiredKey key)
        {
            var list = key.IpWhitelist;
            int length = 0, count = 0;
            for (int i = 0; i < list.Count; i++)
            {
                if (SeenBefore(list, i)) continue;
                length += list[i].Value.Length;
                count++;
            }
            return count == 0 ? 0 : length + count - 1;
        }
    }
}

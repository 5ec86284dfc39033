using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using BinanceKeys.Policy;

namespace BinanceKeys.State
{
    /// <summary>A value with the place in the file it came from (null for values from the pipeline).</summary>
    public sealed class Located<T>
    {
        public Located(T value, SourceLocation? location, string? origin = null)
        {
            Value = value;
            Location = location;
            Origin = origin;
        }

        /// <summary>A value read through a reference that held several (an IP list): <paramref name="originItem"/> is its 1-based position there.</summary>
        public Located(T value, SourceLocation? location, string? origin, int originItem)
            : this(value, location, origin)
        {
            OriginItem = originItem;
        }

        public T Value { get; }

        public SourceLocation? Location { get; }

        /// <summary>The reference the value was read through, e.g. <c>env:RUNNER_IPS</c>; null for a literal.</summary>
        public string? Origin { get; }

        /// <summary>The value's 1-based position among those its reference held; 0 for a literal or a single value.</summary>
        public int OriginItem { get; }

        /// <summary>True when the value came from the environment or a file, so messages must name its origin and never show it.</summary>
        public bool IsReferenced => Origin != null;

        public override string ToString() => Value?.ToString() ?? "";
    }

    /// <summary>Base of the desired-state nodes: where the node is, and where each of its fields is.</summary>
    public abstract class DesiredStateNode
    {
        public SourceLocation? Location { get; set; }

        /// <summary>Field name (as spelled in the file) to the position of its value.</summary>
        public Dictionary<string, SourceLocation> Fields { get; } = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);

        /// <summary>The position of a field, or of the node when the field is absent.</summary>
        public SourceLocation? At(string field) => Fields.TryGetValue(field, out SourceLocation? location) ? location : Location;
    }

    /// <summary>A whole desired-state file (or keys from the pipeline, wrapped the same way so one engine checks both).</summary>
    public sealed class DesiredState : DesiredStateNode
    {
        /// <summary>The file, or the folder of files, the state was loaded from.</summary>
        public string? File { get; set; }

        /// <summary>Every file the state was loaded from, in the order read (one for a file; a folder's in name order).</summary>
        public List<string> Files { get; } = new List<string>();

        public int Version { get; set; } = 1;

        public OrganisationPolicy Policy { get; set; } = new OrganisationPolicy();

        public List<DesiredAccount> Accounts { get; } = new List<DesiredAccount>();
    }

    /// <summary>The organisation's own rules from the file's <c>policy:</c> block.</summary>
    public sealed class OrganisationPolicy : DesiredStateNode
    {
        public List<Located<ApiKeyPermission>> ForbidPermissions { get; } = new List<Located<ApiKeyPermission>>();

        /// <summary>Empty: any network.</summary>
        public List<Located<Ipv4Network>> AllowedNetworks { get; } = new List<Located<Ipv4Network>>();

        /// <summary>Empty: any key type.</summary>
        public List<Located<ApiKeyType>> KeyTypes { get; } = new List<Located<ApiKeyType>>();

        public bool RequireIpRestriction { get; set; }

        public int? MaxKeysPerAccount { get; set; }

        public Regex? LabelPattern { get; set; }

        public bool IsEmpty => ForbidPermissions.Count == 0 && AllowedNetworks.Count == 0 && KeyTypes.Count == 0 &&
            !RequireIpRestriction && MaxKeysPerAccount == null && LabelPattern == null;
    }

    /// <summary>What the rules need to know about an account; null means unknown (not declared, or not observable).</summary>
    public sealed class AccountFacts
    {
        /// <summary>Binance's master-wide Default Security Controls switch (on by default on Binance).</summary>
        public bool? DefaultSecurityControls { get; set; }

        public bool? FuturesEnabled { get; set; }

        public bool? MarginEnabled { get; set; }

        public bool? OptionsEnabled { get; set; }

        public bool? PortfolioMargin { get; set; }

        /// <summary>Identity verification (Verified Plus) done: needed before any key can be created.</summary>
        public bool? Verified { get; set; }

        /// <summary>Two-factor authentication on: needed before any key can be created.</summary>
        public bool? TwoFactorEnabled { get; set; }
    }

    /// <summary>One account and the keys it should have.</summary>
    public sealed class DesiredAccount : DesiredStateNode
    {
        public string Name { get; set; } = "";

        public AccountKind Kind { get; set; }

        public string? Email { get; set; }

        public string? BrokerSubAccountId { get; set; }

        public AccountFacts Facts { get; } = new AccountFacts();

        /// <summary>True: keys on Binance that the file does not declare are to be deleted.</summary>
        public bool Prune { get; set; }

        public List<DesiredKey> Keys { get; } = new List<DesiredKey>();
    }

    /// <summary>One key as declared (or as observed, for pipeline input).</summary>
    public sealed class DesiredKey : DesiredStateNode
    {
        public string Label { get; set; } = "";

        /// <summary>Null only for observed keys whose type Binance did not report.</summary>
        public ApiKeyType? Type { get; set; }

        /// <summary>As written, duplicates included (a finding reports them); use <see cref="PermissionSet"/> for meaning.</summary>
        public List<Located<ApiKeyPermission>> Permissions { get; } = new List<Located<ApiKeyPermission>>();

        public ISet<ApiKeyPermission> PermissionSet => new HashSet<ApiKeyPermission>(Permissions.Select(p => p.Value));

        // Loops, not LINQ: the rules ask these for every key, and a fleet has tens of thousands.
        public bool Has(ApiKeyPermission permission) => Find(permission) != null;

        public Located<ApiKeyPermission>? Find(ApiKeyPermission permission)
        {
            for (int i = 0; i < Permissions.Count; i++)
            {
                if (Permissions[i].Value == permission) return Permissions[i];
            }
            return null;
        }

        public IpAccessMode IpAccess { get; set; }

        /// <summary>Whether <c>ipAccess</c> was written explicitly (otherwise it follows from the whitelist).</summary>
        public bool IpAccessDeclared { get; set; }

        /// <summary>The whitelist entries, references expanded, duplicates included (a finding reports them).</summary>
        public List<Located<string>> IpWhitelist { get; } = new List<Located<string>>();

        public string? ThirdPartyName { get; set; }

        /// <summary>The public key's PEM text (public, not a secret); null when none was declared.</summary>
        public string? PublicKeyPem { get; set; }

        /// <summary>The algorithm found inside the public key, when one was given.</summary>
        public ApiKeyType? PublicKeyAlgorithm { get; set; }

        /// <summary>RSA modulus size in bits, when the public key is RSA.</summary>
        public int? PublicKeyBits { get; set; }

        /// <summary>Where the one-time HMAC secret is stored, e.g. <c>vault:desk-eu/reporting</c>; a reference, never the secret.</summary>
        public string? Secret { get; set; }

        public List<Located<string>> SymbolWhitelist { get; } = new List<Located<string>>();

        public DateTimeOffset? CreateTime { get; set; }

        public DateTimeOffset? TradingAuthorityExpirationTime { get; set; }

        /// <summary>True for keys that came from the pipeline (observed on Binance), false for declared keys.</summary>
        public bool Observed { get; set; }
    }
}

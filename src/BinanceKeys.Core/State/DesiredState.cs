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
            this.location = location;
            Origin = origin;
        }

        /// <summary>A value read through a reference that held several (an IP list): <paramref name="originItem"/> is its 1-based position there.</summary>
        public Located(T value, SourceLocation? location, string? origin, int originItem)
            : this(value, location, origin)
        {
            OriginItem = originItem;
        }

        // The loader's way (a fleet has a hundred thousand list items): the position is made only when asked for.
        internal Located(T value, string file, int line, int column, YamlPathNode list, int item)
        {
            Value = value;
            this.file = file;
            this.line = line;
            this.column = column;
            this.list = list;
            this.item = item;
        }

        private readonly string? file;
        private readonly int line;
        private readonly int column;
        private readonly YamlPathNode? list;
        private readonly int item;
        private SourceLocation? location;

        public T Value { get; }

        public SourceLocation? Location => location ??= list == null ? null : new SourceLocation(file!, line, column, list, null, item);

        /// <summary>The reference the value was read through, e.g. <c>env:RUNNER_IPS</c>; null for a literal.</summary>
        public string? Origin { get; }

        /// <summary>The value's 1-based position among those its reference held; 0 for a literal or a single value.</summary>
        public int OriginItem { get; }

        /// <summary>True when the value came from the environment or a file, so messages must name its origin and never show it.</summary>
        public bool IsReferenced => Origin != null;

        public override string ToString() => Value?.ToString() ?? "";
    }

    /// <summary>Base of the desired-state nodes: where the node is, and where each of its fields is.</summary>
    /// <remarks>
    /// A fleet's file has hundreds of thousands of field positions and almost none is ever printed: each is kept as
    /// a line and a column beside the field's name, and becomes a <see cref="SourceLocation"/> only when asked for
    /// (an object per position, kept alive through a load, was most of the garbage collector's work: docs/performance.md).
    /// </remarks>
    public abstract class DesiredStateNode
    {
        private FieldPosition[]? fields;
        private int fieldCount;

        public SourceLocation? Location { get; set; }

        /// <summary>The names of the fields the node was declared with (as spelled in the file), in file order.</summary>
        public IEnumerable<string> FieldNames
        {
            get
            {
                for (int i = 0; i < fieldCount; i++) yield return fields![i].Name;
            }
        }

        /// <summary>Whether the field was written.</summary>
        public bool HasField(string field) => IndexOf(field) >= 0;

        /// <summary>The position of a field, or of the node when the field is absent.</summary>
        public SourceLocation? At(string field)
        {
            int i = IndexOf(field);
            if (i < 0) return Location;
            ref FieldPosition position = ref fields![i];
            return position.Location ??= MakeLocation(position);
        }

        private SourceLocation MakeLocation(FieldPosition position)
        {
            SourceLocation node = Location!;
            return node.PathNode is YamlPathNode path
                ? new SourceLocation(node.File, position.Line, position.Column, path, position.Name, -1)
                : new SourceLocation(node.File, position.Line, position.Column, node.YamlPath.Length == 0 ? position.Name : node.YamlPath + "." + position.Name);
        }

        /// <summary>Records where a field's value is; a field set twice keeps the last position.</summary>
        public void SetField(string field, SourceLocation location)
        {
            int i = IndexOf(field);
            if (i < 0) i = Add(field);
            fields![i] = new FieldPosition(field, location.Line, location.Column, location);
        }

        // The loader's way, after setting Location: a field needs only its line and column, its path is the node's and its name.
        internal void SetField(string field, int line, int column, int expectedFields)
        {
            if (Location == null) throw new InvalidOperationException("The node's Location is set before the positions of its fields.");
            fields ??= new FieldPosition[Math.Max(1, expectedFields)];
            int i = IndexOf(field);
            if (i < 0) i = Add(field);
            fields[i] = new FieldPosition(field, line, column, null);
        }

        private int IndexOf(string field)
        {
            for (int i = 0; i < fieldCount; i++)
            {
                if (string.Equals(fields![i].Name, field, StringComparison.Ordinal)) return i;
            }
            return -1;
        }

        private int Add(string field)
        {
            if (fields == null) fields = new FieldPosition[4];
            else if (fieldCount == fields.Length) Array.Resize(ref fields, fields.Length * 2);
            fields[fieldCount] = new FieldPosition(field, 0, 0, null);
            return fieldCount++;
        }

        private struct FieldPosition
        {
            public FieldPosition(string name, int line, int column, SourceLocation? location)
            {
                Name = name;
                Line = line;
                Column = column;
                Location = location;
            }

            public string Name;
            public int Line;
            public int Column;
            public SourceLocation? Location;
        }
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

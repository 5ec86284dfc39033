using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using BinanceKeys.Policy;
using YamlDotNet.Core;

namespace BinanceKeys.State
{
    /// <summary>Options for reading a desired-state file: limits, and where <c>env:</c> references are looked up.</summary>
    public sealed class DesiredStateLoadOptions
    {
        public YamlReadLimits Limits { get; set; } = new YamlReadLimits();

        /// <summary>Environment lookup for <c>env:NAME</c>; replaceable so that tests need no process environment.</summary>
        public Func<string, string?> GetEnvironmentVariable { get; set; } = Environment.GetEnvironmentVariable;

        /// <summary>Largest file a <c>file:</c> reference or a public-key path may name (64 KiB).</summary>
        public long MaxReferencedFileBytes { get; set; } = 64 * 1024;
    }

    /// <summary>Reads a desired-state file into <see cref="DesiredState"/>, collecting every error with its position.</summary>
    /// <remarks>
    /// Structure only (shape, names, types, references, duplicates); Binance's and the organisation's rules are the
    /// policy engine's job, so that a file that loads can still be reported on rule by rule.
    /// The field names below are mirrored by module/schema/binancekeys.schema.json; a test keeps the two in step.
    /// </remarks>
    public static class DesiredStateLoader
    {
        public const int SupportedVersion = 1;

        internal static readonly string[] TopLevelFields = { "version", "defaultSecurityControls", "policy", "accounts" };
        internal static readonly string[] PolicyFields = { "forbidPermissions", "allowedNetworks", "keyTypes", "requireIpRestriction", "maxKeysPerAccount", "labelPattern" };
        internal static readonly string[] AccountFields =
        {
            "name", "email", "brokerSubAccountId", "futuresEnabled", "marginEnabled", "optionsEnabled", "portfolioMargin",
            "verified", "twoFactorEnabled", "prune", "keys",
        };
        internal static readonly string[] KeyFields =
        {
            "label", "type", "publicKey", "secret", "permissions", "ipAccess", "ipWhitelist", "thirdPartyName", "symbolWhitelist",
        };

        // The same patterns appear in the schema (a test compares them), written once here for the loader.
        internal const string EmailRegex = @"^[^@\s]+@[^@\s]+\.[^@\s]+$";
        internal const string BrokerSubAccountIdRegex = "^[0-9]{1,20}$";
        internal const string SecretRegex = @"^vault:\S+$";
        internal const string SymbolRegex = "^[A-Z0-9]{2,20}$";

        public static DesiredState LoadFile(string path, DesiredStateLoadOptions? options = null)
        {
            options ??= new DesiredStateLoadOptions();
            string fullPath = Path.GetFullPath(path);
            var info = new FileInfo(fullPath);
            if (!info.Exists) throw Single(fullPath, "file not found");
            if (info.Length > options.Limits.MaxFileBytes)
                throw Single(fullPath, $"the file is {info.Length} bytes; desired-state files are limited to {options.Limits.MaxFileBytes} bytes");
            string text;
            try
            {
                text = File.ReadAllText(fullPath, new UTF8Encoding(false, true));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is DecoderFallbackException)
            {
                throw Single(fullPath, "cannot read the file: " + e.Message);
            }
            return LoadText(text, fullPath, Path.GetDirectoryName(fullPath) ?? ".", options);
        }

        /// <summary>Loads YAML text; <paramref name="file"/> names it in errors, relative paths resolve against <paramref name="baseDirectory"/>.</summary>
        public static DesiredState LoadText(string text, string file, string baseDirectory, DesiredStateLoadOptions? options = null)
        {
            options ??= new DesiredStateLoadOptions();
            if (Encoding.UTF8.GetByteCount(text) > options.Limits.MaxFileBytes)
                throw Single(file, $"the document is larger than {options.Limits.MaxFileBytes} bytes, the limit for desired-state files");
            YamlTreeNode? root;
            try
            {
                root = YamlTreeReader.Read(text, file, options.Limits);
            }
            catch (DesiredStateYamlException e)
            {
                throw new DesiredStateException(new[] { e.Error });
            }
            var binder = new Binder(file, baseDirectory, options);
            DesiredState state = binder.Bind(root);
            // Reported in file order, whatever order the checks ran in (OrderBy is stable for ties).
            if (binder.Errors.Count > 0)
                throw new DesiredStateException(binder.Errors.OrderBy(e => e.Location.Line).ThenBy(e => e.Location.Column).ToList());
            return state;
        }

        internal static YamlTreeNode? ReadTree(string text, string file, YamlReadLimits? limits = null)
        {
            try
            {
                return YamlTreeReader.Read(text, file, limits ?? new YamlReadLimits());
            }
            catch (DesiredStateYamlException e)
            {
                throw new DesiredStateException(new[] { e.Error });
            }
        }

        private static DesiredStateException Single(string file, string message) =>
            new DesiredStateException(new[] { new DesiredStateError(new SourceLocation(file, 1, 1, ""), message) });

        private sealed class Binder
        {
            private static readonly Regex EmailPattern = new Regex(EmailRegex, RegexOptions.CultureInvariant);
            private static readonly Regex DigitsPattern = new Regex(BrokerSubAccountIdRegex, RegexOptions.CultureInvariant);
            private static readonly Regex EnvNamePattern = new Regex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);
            private static readonly Regex SecretPattern = new Regex(SecretRegex, RegexOptions.CultureInvariant);
            private static readonly Regex SymbolPattern = new Regex(SymbolRegex, RegexOptions.CultureInvariant);

            private readonly string file;
            private readonly string baseDirectory;
            private readonly DesiredStateLoadOptions options;

            public Binder(string file, string baseDirectory, DesiredStateLoadOptions options)
            {
                this.file = file;
                this.baseDirectory = baseDirectory;
                this.options = options;
            }

            public List<DesiredStateError> Errors { get; } = new List<DesiredStateError>();

            public DesiredState Bind(YamlTreeNode? root)
            {
                var state = new DesiredState { File = file };
                if (root == null || (root is YamlScalarNode empty && empty.IsNull))
                {
                    Error(new SourceLocation(file, 1, 1, ""), "the file is empty; expected a mapping with 'version: 1' and 'accounts'");
                    return state;
                }
                state.Location = Loc(root, "");
                var fields = Fields(root, "", TopLevelFields, state);
                if (fields == null) return state;

                if (!fields.TryGetValue("version", out var versionNode))
                {
                    Error(state.Location, $"missing required field 'version' (expected version: {SupportedVersion})");
                }
                else
                {
                    long? version = Integer(versionNode, "version");
                    if (version != null && version != SupportedVersion)
                        Error(Loc(versionNode, "version"), $"unsupported version {version}; this module reads version {SupportedVersion}");
                }

                bool? defaultSecurityControls = fields.TryGetValue("defaultSecurityControls", out var dscNode) ? Boolean(dscNode, "defaultSecurityControls") : null;
                if (fields.TryGetValue("policy", out var policyNode)) BindPolicy(policyNode, state.Policy);

                if (!fields.TryGetValue("accounts", out var accountsNode))
                {
                    Error(state.Location, "missing required field 'accounts' (a list of accounts and their keys)");
                    return state;
                }
                List<YamlTreeNode>? accounts = Sequence(accountsNode, "accounts");
                if (accounts == null) return state;
                for (int i = 0; i < accounts.Count; i++)
                {
                    DesiredAccount? account = BindAccount(accounts[i], $"accounts[{i}]");
                    if (account == null) continue;
                    // The master-wide switch; Binance turns it on by default, so an undeclared switch counts as on.
                    account.Facts.DefaultSecurityControls = defaultSecurityControls ?? true;
                    state.Accounts.Add(account);
                }
                CheckDuplicateAccounts(state.Accounts);
                return state;
            }

            private void BindPolicy(YamlTreeNode node, OrganisationPolicy policy)
            {
                const string path = "policy";
                policy.Location = Loc(node, path);
                var fields = Fields(node, path, PolicyFields, policy);
                if (fields == null) return;
                if (fields.TryGetValue("forbidPermissions", out var forbid))
                    policy.ForbidPermissions.AddRange(PermissionList(forbid, path + ".forbidPermissions"));
                if (fields.TryGetValue("allowedNetworks", out var networks))
                {
                    foreach (var (item, itemPath) in Items(networks, path + ".allowedNetworks"))
                    {
                        string? text = String(item, itemPath);
                        if (text == null) continue;
                        if (IpAddressRules.TryParseIpv4Network(text, out Ipv4Network network, out string? problem))
                            policy.AllowedNetworks.Add(new Located<Ipv4Network>(network, Loc(item, itemPath)));
                        else
                            Error(Loc(item, itemPath), $"'{text}' is not a valid network: {problem}");
                    }
                }
                if (fields.TryGetValue("keyTypes", out var types))
                {
                    foreach (var (item, itemPath) in Items(types, path + ".keyTypes"))
                    {
                        ApiKeyType? type = KeyType(item, itemPath);
                        if (type != null) policy.KeyTypes.Add(new Located<ApiKeyType>(type.Value, Loc(item, itemPath)));
                    }
                }
                if (fields.TryGetValue("requireIpRestriction", out var require))
                    policy.RequireIpRestriction = Boolean(require, path + ".requireIpRestriction") ?? false;
                if (fields.TryGetValue("maxKeysPerAccount", out var max))
                {
                    long? value = Integer(max, path + ".maxKeysPerAccount");
                    if (value != null && (value < 1 || value > BinanceLimits.MaxKeysPerAccount))
                        Error(Loc(max, path + ".maxKeysPerAccount"), $"maxKeysPerAccount must be between 1 and {BinanceLimits.MaxKeysPerAccount} (Binance's own limit), found {value}");
                    else if (value != null)
                        policy.MaxKeysPerAccount = (int)value;
                }
                if (fields.TryGetValue("labelPattern", out var pattern))
                {
                    string? text = String(pattern, path + ".labelPattern");
                    if (text != null)
                    {
                        try
                        {
                            // A timeout, because the pattern is user input and labels are matched against it.
                            policy.LabelPattern = new Regex(text, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
                        }
                        catch (ArgumentException e)
                        {
                            Error(Loc(pattern, path + ".labelPattern"), "labelPattern is not a valid regular expression: " + e.Message);
                        }
                    }
                }
            }

            private DesiredAccount? BindAccount(YamlTreeNode node, string path)
            {
                var account = new DesiredAccount { Location = Loc(node, path) };
                var fields = Fields(node, path, AccountFields, account);
                if (fields == null) return null;

                if (fields.TryGetValue("name", out var nameNode))
                {
                    account.Name = String(nameNode, path + ".name") ?? "";
                    if (nameNode is YamlScalarNode named && !named.IsNull && named.Value.Trim().Length == 0)
                        Error(Loc(nameNode, path + ".name"), "account name must not be empty");
                }
                else
                {
                    Error(account.Location, "missing required field 'name' (the account's local name)");
                }

                if (fields.TryGetValue("email", out var emailNode))
                {
                    account.Email = String(emailNode, path + ".email");
                    if (account.Email != null && !EmailPattern.IsMatch(account.Email))
                        Error(Loc(emailNode, path + ".email"), $"'{account.Email}' is not an email address (the sub-account's login email)");
                }
                if (fields.TryGetValue("brokerSubAccountId", out var brokerNode))
                {
                    // Quoted or not: an id of digits ("123" or 123).
                    string? id = brokerNode is YamlScalarNode scalar && !scalar.IsNull ? scalar.Value : String(brokerNode, path + ".brokerSubAccountId");
                    if (id != null && !DigitsPattern.IsMatch(id))
                        Error(Loc(brokerNode, path + ".brokerSubAccountId"), $"brokerSubAccountId must be the numeric sub-account id, found '{id}'");
                    account.BrokerSubAccountId = id;
                }
                if (account.Email != null && account.BrokerSubAccountId != null)
                    Error(Loc(brokerNode!, path + ".brokerSubAccountId"), "an account has either 'email' (a sub-account) or 'brokerSubAccountId' (a broker sub-account), not both");
                account.Kind = account.BrokerSubAccountId != null ? AccountKind.BrokerSubAccount
                    : account.Email != null ? AccountKind.SubAccount : AccountKind.Own;

                account.Facts.FuturesEnabled = OptionalBoolean(fields, "futuresEnabled", path);
                account.Facts.MarginEnabled = OptionalBoolean(fields, "marginEnabled", path);
                account.Facts.OptionsEnabled = OptionalBoolean(fields, "optionsEnabled", path);
                account.Facts.PortfolioMargin = OptionalBoolean(fields, "portfolioMargin", path);
                account.Facts.Verified = OptionalBoolean(fields, "verified", path);
                account.Facts.TwoFactorEnabled = OptionalBoolean(fields, "twoFactorEnabled", path);
                account.Prune = OptionalBoolean(fields, "prune", path) ?? false;

                if (fields.TryGetValue("keys", out var keysNode))
                {
                    foreach (var (item, itemPath) in Items(keysNode, path + ".keys"))
                    {
                        DesiredKey? key = BindKey(item, itemPath);
                        if (key != null) account.Keys.Add(key);
                    }
                }
                CheckDuplicateLabels(account);
                return account;
            }

            private DesiredKey? BindKey(YamlTreeNode node, string path)
            {
                var key = new DesiredKey { Location = Loc(node, path) };
                var fields = Fields(node, path, KeyFields, key);
                if (fields == null) return null;

                if (fields.TryGetValue("label", out var labelNode)) key.Label = String(labelNode, path + ".label") ?? "";
                else Error(key.Location, "missing required field 'label' (the key's name on Binance, unique in its account)");

                if (fields.TryGetValue("type", out var typeNode)) key.Type = KeyType(typeNode, path + ".type");
                else Error(key.Location, $"missing required field 'type' (one of: {string.Join(", ", ContractNames.KeyTypes)})");

                if (fields.TryGetValue("permissions", out var permissionsNode))
                    key.Permissions.AddRange(PermissionList(permissionsNode, path + ".permissions"));

                if (fields.TryGetValue("ipWhitelist", out var whitelistNode))
                {
                    foreach (var (item, itemPath) in Items(whitelistNode, path + ".ipWhitelist"))
                    {
                        string? text = String(item, itemPath);
                        if (text == null) continue;
                        if (IsReference(text))
                        {
                            string? resolved = Resolve(text, item, itemPath);
                            if (resolved == null) continue;
                            List<string> addresses = SplitList(resolved);
                            if (addresses.Count == 0) Error(Loc(item, itemPath), $"{text} holds no IP address");
                            foreach (string address in addresses) key.IpWhitelist.Add(new Located<string>(address, Loc(item, itemPath), text));
                        }
                        else
                        {
                            key.IpWhitelist.Add(new Located<string>(text, Loc(item, itemPath)));
                        }
                    }
                }

                if (fields.TryGetValue("ipAccess", out var accessNode))
                {
                    string? text = String(accessNode, path + ".ipAccess");
                    if (text != null)
                    {
                        if (ContractNames.TryParseIpAccess(text, out IpAccessMode mode, ignoreCase: false))
                        {
                            key.IpAccess = mode;
                            key.IpAccessDeclared = true;
                        }
                        else
                        {
                            Error(Loc(accessNode, path + ".ipAccess"), $"unknown ipAccess '{text}'" + NameSuggester.Hint(text, ContractNames.IpAccessModes.ToArray()));
                        }
                    }
                }
                if (!key.IpAccessDeclared)
                    key.IpAccess = key.IpWhitelist.Count > 0 ? IpAccessMode.TrustedIps : IpAccessMode.Unrestricted;

                if (fields.TryGetValue("thirdPartyName", out var thirdPartyNode)) key.ThirdPartyName = String(thirdPartyNode, path + ".thirdPartyName");

                if (fields.TryGetValue("secret", out var secretNode))
                {
                    key.Secret = String(secretNode, path + ".secret");
                    if (key.Secret != null && !SecretPattern.IsMatch(key.Secret))
                        // Never echo the value: a user may have pasted the secret itself here.
                        Error(Loc(secretNode, path + ".secret"), "secret must be a reference to where the HMAC secret is stored, 'vault:NAME'; the secret itself never belongs in this file");
                }

                if (fields.TryGetValue("publicKey", out var publicKeyNode)) BindPublicKey(key, publicKeyNode, path + ".publicKey");

                if (fields.TryGetValue("symbolWhitelist", out var symbolsNode))
                {
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var (item, itemPath) in Items(symbolsNode, path + ".symbolWhitelist"))
                    {
                        string? symbol = String(item, itemPath);
                        if (symbol == null) continue;
                        if (!SymbolPattern.IsMatch(symbol))
                            Error(Loc(item, itemPath), $"'{symbol}' is not a trading pair symbol; expected upper-case letters and digits such as BTCUSDT");
                        else if (seen.Add(symbol))
                            key.SymbolWhitelist.Add(new Located<string>(symbol, Loc(item, itemPath)));
                    }
                }
                return key;
            }

            private void BindPublicKey(DesiredKey key, YamlTreeNode node, string path)
            {
                string? text = String(node, path);
                if (text == null) return;
                string? content;
                if (text.Contains("-----BEGIN")) content = text;
                else if (IsReference(text)) content = Resolve(text, node, path);
                else content = ReadReferencedFile(text, node, path, "publicKey");
                if (content == null) return;
                if (PublicKeyInspector.TryInspect(content, out ApiKeyType algorithm, out int? bits, out string? problem))
                {
                    key.PublicKeyPem = content.Trim();
                    key.PublicKeyAlgorithm = algorithm;
                    key.PublicKeyBits = bits;
                }
                else
                {
                    Error(Loc(node, path), problem!);
                }
            }

            private static bool IsReference(string text) =>
                text.StartsWith("env:", StringComparison.Ordinal) || text.StartsWith("file:", StringComparison.Ordinal);

            /// <summary>Resolves <c>env:NAME</c> or <c>file:PATH</c>; null (with an error) when it cannot.</summary>
            private string? Resolve(string reference, YamlTreeNode node, string path)
            {
                if (reference.StartsWith("env:", StringComparison.Ordinal))
                {
                    string name = reference.Substring(4);
                    if (!EnvNamePattern.IsMatch(name))
                    {
                        Error(Loc(node, path), $"'{reference}' is not a valid environment reference; expected env:NAME with letters, digits and '_'");
                        return null;
                    }
                    string? value = options.GetEnvironmentVariable(name);
                    if (value == null)
                    {
                        Error(Loc(node, path), $"environment variable {name} is not set (referenced as {reference})");
                        return null;
                    }
                    if (value.Trim().Length == 0)
                    {
                        Error(Loc(node, path), $"environment variable {name} is empty (referenced as {reference})");
                        return null;
                    }
                    return value;
                }
                return ReadReferencedFile(reference.Substring(5), node, path, reference);
            }

            private string? ReadReferencedFile(string relativePath, YamlTreeNode node, string path, string shownAs)
            {
                if (relativePath.Trim().Length == 0)
                {
                    Error(Loc(node, path), $"{shownAs}: empty file path");
                    return null;
                }
                string full;
                try
                {
                    full = Path.GetFullPath(Path.Combine(baseDirectory, relativePath));
                }
                catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
                {
                    Error(Loc(node, path), $"'{relativePath}' is not a valid path: {e.Message}");
                    return null;
                }
                var info = new FileInfo(full);
                if (!info.Exists)
                {
                    Error(Loc(node, path), $"file '{relativePath}' not found (looked for {full})");
                    return null;
                }
                if (info.Length > options.MaxReferencedFileBytes)
                {
                    Error(Loc(node, path), $"file '{relativePath}' is {info.Length} bytes; referenced files are limited to {options.MaxReferencedFileBytes} bytes");
                    return null;
                }
                try
                {
                    return File.ReadAllText(full);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    Error(Loc(node, path), $"cannot read '{relativePath}': {e.Message}");
                    return null;
                }
            }

            /// <summary>An injected IP list: commas, spaces or newlines between addresses; '#' starts a comment.</summary>
            private static List<string> SplitList(string text)
            {
                var result = new List<string>();
                foreach (string rawLine in text.Split('\n'))
                {
                    int hash = rawLine.IndexOf('#');
                    string line = hash >= 0 ? rawLine.Substring(0, hash) : rawLine;
                    result.AddRange(line.Split(new[] { ',', ' ', '\t', '\r' }, StringSplitOptions.RemoveEmptyEntries));
                }
                return result;
            }

            private IEnumerable<Located<ApiKeyPermission>> PermissionList(YamlTreeNode node, string path)
            {
                var result = new List<Located<ApiKeyPermission>>();
                foreach (var (item, itemPath) in Items(node, path))
                {
                    string? text = String(item, itemPath);
                    if (text == null) continue;
                    if (PermissionCatalog.TryParse(text, out ApiKeyPermission permission, ignoreCase: false))
                        result.Add(new Located<ApiKeyPermission>(permission, Loc(item, itemPath)));
                    else
                        Error(Loc(item, itemPath), $"unknown permission '{text}'" + NameSuggester.Hint(text, PermissionCatalog.Names.ToArray()));
                }
                return result;
            }

            private ApiKeyType? KeyType(YamlTreeNode node, string path)
            {
                string? text = String(node, path);
                if (text == null) return null;
                if (ContractNames.TryParseKeyType(text, out ApiKeyType type, ignoreCase: false)) return type;
                Error(Loc(node, path), $"unknown key type '{text}'" + NameSuggester.Hint(text, ContractNames.KeyTypes.ToArray()));
                return null;
            }

            private void CheckDuplicateAccounts(List<DesiredAccount> accounts)
            {
                var names = new Dictionary<string, DesiredAccount>(StringComparer.OrdinalIgnoreCase);
                var identities = new Dictionary<string, DesiredAccount>(StringComparer.OrdinalIgnoreCase);
                foreach (DesiredAccount account in accounts)
                {
                    if (account.Name.Length > 0)
                    {
                        if (names.TryGetValue(account.Name, out DesiredAccount? first))
                            Error(account.At("name")!, $"duplicate account name '{account.Name}' (first declared at line {first.At("name")!.Line}); names are compared case-insensitively");
                        else names.Add(account.Name, account);
                    }
                    string identity = account.Kind switch
                    {
                        AccountKind.SubAccount => "email " + account.Email,
                        AccountKind.BrokerSubAccount => "broker sub-account " + account.BrokerSubAccountId,
                        _ => "the calling account's own keys (no email, no brokerSubAccountId)",
                    };
                    if (identities.TryGetValue(identity, out DesiredAccount? same))
                    {
                        string field = account.Kind == AccountKind.SubAccount ? "email" : account.Kind == AccountKind.BrokerSubAccount ? "brokerSubAccountId" : "name";
                        Error(account.At(field)!, $"account '{account.Name}' declares {identity} again (already declared by '{same.Name}' at line {same.Location!.Line})");
                    }
                    else identities.Add(identity, account);
                }
            }

            private void CheckDuplicateLabels(DesiredAccount account)
            {
                var labels = new Dictionary<string, DesiredKey>(StringComparer.OrdinalIgnoreCase);
                foreach (DesiredKey key in account.Keys)
                {
                    if (key.Label.Length == 0) continue;
                    if (labels.TryGetValue(key.Label, out DesiredKey? first))
                        Error(key.At("label")!, $"duplicate key label '{key.Label}' in account '{account.Name}' (first declared at line {first.At("label")!.Line}); labels are compared case-insensitively");
                    else labels.Add(key.Label, key);
                }
            }

            // ----- shape helpers -----

            private Dictionary<string, YamlTreeNode>? Fields(YamlTreeNode node, string path, string[] allowed, DesiredStateNode target)
            {
                if (!(node is YamlMappingNode mapping))
                {
                    Error(Loc(node, path), $"expected a mapping with fields {string.Join(", ", allowed)}, found {node.Kind}");
                    return null;
                }
                var result = new Dictionary<string, YamlTreeNode>(StringComparer.Ordinal);
                foreach (var entry in mapping.Entries)
                {
                    string name = entry.Key.Value;
                    string childPath = path.Length == 0 ? name : path + "." + name;
                    if (Array.IndexOf(allowed, name) < 0)
                    {
                        Error(Loc(entry.Key, childPath), $"unknown field '{name}'" + NameSuggester.Hint(name, allowed));
                        continue;
                    }
                    result[name] = entry.Value;
                    target.Fields[name] = Loc(entry.Value, childPath);
                }
                return result;
            }

            private IEnumerable<(YamlTreeNode Item, string Path)> Items(YamlTreeNode node, string path)
            {
                List<YamlTreeNode>? items = Sequence(node, path);
                if (items == null) yield break;
                for (int i = 0; i < items.Count; i++) yield return (items[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]");
            }

            private List<YamlTreeNode>? Sequence(YamlTreeNode node, string path)
            {
                if (node is YamlSequenceNode sequence) return sequence.Items;
                if (node is YamlScalarNode scalar && scalar.IsNull) return new List<YamlTreeNode>();
                Error(Loc(node, path), $"expected a list, found {node.Kind}");
                return null;
            }

            private string? String(YamlTreeNode node, string path)
            {
                // Strict like the schema: a plain 2024 or true is a number or boolean, not text; quoting makes it text.
                if (node is YamlScalarNode scalar && scalar.IsText) return scalar.Value;
                string hint = node is YamlScalarNode other && !other.IsNull ? $" '{other.Value}' (quote it to make it text)" : "";
                Error(Loc(node, path), $"expected a string, found {node.Kind}{hint}");
                return null;
            }

            private bool? OptionalBoolean(Dictionary<string, YamlTreeNode> fields, string name, string path) =>
                fields.TryGetValue(name, out var node) ? Boolean(node, path + "." + name) : null;

            private bool? Boolean(YamlTreeNode node, string path)
            {
                if (node is YamlScalarNode scalar && scalar.AsBoolean() is bool value) return value;
                Error(Loc(node, path), $"expected true or false, found {Describe(node)}");
                return null;
            }

            private long? Integer(YamlTreeNode node, string path)
            {
                if (node is YamlScalarNode scalar && scalar.AsInteger() is long value) return value;
                // JSON Schema's "integer" accepts 1.0 too; so does the loader, to judge exactly as the schema does.
                if (node is YamlScalarNode floating && floating.AsFloat() is double d && d == Math.Floor(d) && Math.Abs(d) < 1e15) return (long)d;
                Error(Loc(node, path), $"expected a whole number, found {Describe(node)}");
                return null;
            }

            private static string Describe(YamlTreeNode node) =>
                node is YamlScalarNode scalar && !scalar.IsNull ? $"{node.Kind} '{scalar.Value}'" : node.Kind;

            private SourceLocation Loc(YamlTreeNode node, string path) => Loc(node.Start, path);

            private SourceLocation Loc(Mark mark, string path) => new SourceLocation(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), path);

            private void Error(SourceLocation location, string message) => Errors.Add(new DesiredStateError(location, message));
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using BinanceKeys.IO;
using BinanceKeys.Policy;
using YamlDotNet.Core;

namespace BinanceKeys.State
{
    /// <summary>Options for reading a desired state: limits, where <c>env:</c> references are looked up, and where <c>file:</c> references may point.</summary>
    public sealed class DesiredStateLoadOptions
    {
        public YamlReadLimits Limits { get; set; } = new YamlReadLimits();

        /// <summary>Environment lookup for <c>env:NAME</c>; replaceable so that tests need no process environment.</summary>
        public Func<string, string?> GetEnvironmentVariable { get; set; } = Environment.GetEnvironmentVariable;

        /// <summary>Largest file a <c>file:</c> reference or a public-key path may name (64 KiB).</summary>
        public long MaxReferencedFileBytes { get; set; } = 64 * 1024;

        /// <summary>
        /// Folders outside the desired state's own folder that <c>file:</c> references and public-key paths may name
        /// (by default they must stay inside the folder of the file, or the folder loaded, symbolic links resolved).
        /// </summary>
        public IList<string> AllowedReferenceRoots { get; } = new List<string>();
    }

    /// <summary>
    /// Reads a desired state, one file or a folder of files, into <see cref="DesiredState"/>, collecting every error
    /// with its position.
    /// </summary>
    /// <remarks>
    /// Structure only (shape, names, types, references, duplicates); Binance's and the organisation's rules are the
    /// policy engine's job, so that a state that loads can still be reported on rule by rule.
    /// The field names below are mirrored by module/schema/binancekeys.schema.json; a test keeps the two in step.
    /// Folder semantics and reference rules: docs/desired-state.md ("A folder of files", "env: and file: references").
    /// </remarks>
    public static class DesiredStateLoader
    {
        public const int SupportedVersion = 1;

        /// <summary>
        /// Environment variables that hold the module's own credentials; a desired-state file can never reference them,
        /// so that a pull request's file cannot make a check read (and act on) a pipeline's secrets.
        /// </summary>
        public static readonly IReadOnlyList<string> ForbiddenEnvironmentVariables = new[]
        {
            "BINANCE_API_KEY", "BINANCE_API_SECRET", "BINANCE_PRIVATE_KEY_PATH", "BINANCE_PRIVATE_KEY_PASSPHRASE", "BINANCEKEYS_VAULT_PASSPHRASE",
        };

        /// <summary>The file names a folder load reads: <c>*.yaml</c> and <c>*.yml</c> directly in the folder, not hidden ones.</summary>
        public static readonly IReadOnlyList<string> FolderFilePatterns = new[] { "*.yaml", "*.yml" };

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

        /// <summary>
        /// Loads a desired state from a file, or from a folder of <c>*.yaml</c>/<c>*.yml</c> files (one state across
        /// them); throws <see cref="DesiredStateException"/> with every error found, in file order.
        /// </summary>
        public static DesiredState Load(string path, DesiredStateLoadOptions? options = null)
        {
            options ??= new DesiredStateLoadOptions();
            string fullPath = Path.GetFullPath(path);
            if (Directory.Exists(fullPath)) return LoadFolder(fullPath, options);
            if (!File.Exists(fullPath)) throw Single(fullPath, "file or folder not found");
            var session = new LoadSession(options, Path.GetDirectoryName(fullPath) ?? ".");
            var part = session.BindFile(fullPath, 0, insideFolder: false);
            return session.Finish(fullPath, new[] { fullPath }, part == null ? Array.Empty<FilePart>() : new[] { part }, accountsRequired: true);
        }

        /// <summary>The same as <see cref="Load"/>: a file or a folder.</summary>
        public static DesiredState LoadFile(string path, DesiredStateLoadOptions? options = null) => Load(path, options);

        /// <summary>Loads YAML text; <paramref name="file"/> names it in errors, relative paths resolve against (and stay inside) <paramref name="baseDirectory"/>.</summary>
        public static DesiredState LoadText(string text, string file, string baseDirectory, DesiredStateLoadOptions? options = null)
        {
            options ??= new DesiredStateLoadOptions();
            var session = new LoadSession(options, Path.GetFullPath(baseDirectory));
            FilePart? part = session.BindText(text, file, baseDirectory, 0, accountsRequired: true);
            return session.Finish(file, new[] { file }, part == null ? Array.Empty<FilePart>() : new[] { part }, accountsRequired: true);
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

        private static DesiredState LoadFolder(string folder, DesiredStateLoadOptions options)
        {
            var session = new LoadSession(options, folder);
            List<string> files;
            try
            {
                files = FolderFilePatterns
                    .SelectMany(pattern => Directory.EnumerateFiles(folder, pattern, SearchOption.TopDirectoryOnly))
                    // EnumerateFiles("*.yaml") also matches "x.yamlx" on Windows (8.3 names); keep exact extensions.
                    .Where(f => (f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)) &&
                                !Path.GetFileName(f).StartsWith(".", StringComparison.Ordinal))
                    .Distinct(StringComparer.Ordinal)
                    .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
                    .ToList();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw Single(folder, "cannot list the folder: " + e.Message);
            }
            if (files.Count == 0)
                throw Single(folder, "the folder holds no desired-state file (*.yaml or *.yml directly in it)");
            if (files.Count > options.Limits.MaxFolderFiles)
                throw Single(folder, $"the folder holds {files.Count} desired-state files; at most {options.Limits.MaxFolderFiles} are read");
            long total = files.Sum(f => new FileInfo(f).Length);
            if (total > options.Limits.MaxFolderBytes)
                throw Single(folder, $"the folder's desired-state files hold {total} bytes together; the limit is {options.Limits.MaxFolderBytes} bytes");

            var parts = new List<FilePart>();
            for (int i = 0; i < files.Count; i++)
            {
                FilePart? part = session.BindFile(files[i], i, insideFolder: true);
                if (part != null) parts.Add(part);
            }
            return session.Finish(folder, files, parts, accountsRequired: false);
        }

        private static DesiredStateException Single(string file, string message) =>
            new DesiredStateException(new[] { new DesiredStateError(new SourceLocation(file, 1, 1, ""), message) });

        /// <summary>What one file declares, before the files of a folder are put together.</summary>
        private sealed class FilePart
        {
            public FilePart(string file, int index)
            {
                File = file;
                Index = index;
            }

            public string File { get; }

            public int Index { get; }

            public SourceLocation? Location { get; set; }

            public OrganisationPolicy? Policy { get; set; }

            public bool? DefaultSecurityControls { get; set; }

            public SourceLocation? DefaultSecurityControlsAt { get; set; }

            public bool DeclaresAccounts { get; set; }

            public List<DesiredAccount> Accounts { get; } = new List<DesiredAccount>();
        }

        /// <summary>One load: the errors of every file, the folders references may read, and each distinct referenced file read once.</summary>
        private sealed class LoadSession
        {
            private readonly List<(int File, DesiredStateError Error)> errors = new List<(int, DesiredStateError)>();
            private readonly List<(string Full, string? Real)> roots = new List<(string, string?)>();
            private readonly Dictionary<string, ReferencedFile> files = new Dictionary<string, ReferencedFile>(StringComparer.Ordinal);
            private readonly Dictionary<string, PublicKeyFacts> publicKeys = new Dictionary<string, PublicKeyFacts>(StringComparer.Ordinal);

            public LoadSession(DesiredStateLoadOptions options, string root)
            {
                Options = options;
                AddRoot(root);
                foreach (string allowed in options.AllowedReferenceRoots) AddRoot(allowed);
            }

            public DesiredStateLoadOptions Options { get; }

            /// <summary>The folder references must stay in (the first root), for messages.</summary>
            public string Root => roots[0].Full;

            private void AddRoot(string folder)
            {
                string full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
                if (full.Length == 0) full = Path.DirectorySeparatorChar.ToString();
                roots.Add((full, FileSystemPaths.RealPath(full)));
            }

            public void Error(int file, SourceLocation location, string message) => errors.Add((file, new DesiredStateError(location, message)));

            public FilePart? BindFile(string fullPath, int index, bool insideFolder)
            {
                var info = new FileInfo(fullPath);
                var top = new SourceLocation(fullPath, 1, 1, "");
                // A folder's files are read like references: a symbolic link out of the folder is refused.
                if (insideFolder && !IsInsideRoots(fullPath, out _))
                {
                    Error(index, top, $"'{info.Name}' is a link to a file outside the folder {Root}; the files of a desired-state folder must lie in it");
                    return null;
                }
                if (info.Length > Options.Limits.MaxFileBytes)
                {
                    Error(index, top, $"the file is {info.Length} bytes; desired-state files are limited to {Options.Limits.MaxFileBytes} bytes each");
                    return null;
                }
                string text;
                try
                {
                    text = File.ReadAllText(fullPath, new UTF8Encoding(false, true));
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is DecoderFallbackException)
                {
                    Error(index, top, "cannot read the file: " + e.Message);
                    return null;
                }
                return BindText(text, fullPath, Path.GetDirectoryName(fullPath) ?? ".", index, accountsRequired: !insideFolder);
            }

            public FilePart? BindText(string text, string file, string baseDirectory, int index, bool accountsRequired)
            {
                // Characters are at least one byte each: only a string that might be too large is measured.
                if (text.Length > Options.Limits.MaxFileBytes / 4 && Encoding.UTF8.GetByteCount(text) > Options.Limits.MaxFileBytes)
                {
                    Error(index, new SourceLocation(file, 1, 1, ""), $"the document is larger than {Options.Limits.MaxFileBytes} bytes, the limit for desired-state files");
                    return null;
                }
                var binder = new Binder(this, file, index, Path.GetFullPath(baseDirectory));
                int errorsBefore = errors.Count;
                YamlTreeNode? root;
                try
                {
                    // Each account is bound as soon as it is read (YamlTreeReader, "streamed" lists).
                    root = YamlTreeReader.Read(text, file, Options.Limits, "accounts", binder.BindStreamedAccount);
                }
                catch (DesiredStateYamlException e)
                {
                    // A file that is not valid YAML reports only that: drop what the accounts before the fault found.
                    errors.RemoveRange(errorsBefore, errors.Count - errorsBefore);
                    errors.Add((index, e.Error));
                    return null;
                }
                return binder.Bind(root, accountsRequired);
            }

            /// <summary>Puts the files together (one policy, one switch, unique accounts) and throws if anything was wrong.</summary>
            public DesiredState Finish(string source, IReadOnlyList<string> fileNames, IReadOnlyList<FilePart> parts, bool accountsRequired)
            {
                var state = new DesiredState { File = source };
                state.Files.AddRange(fileNames);
                state.Location = parts.Count > 0 ? parts[0].Location : null;
                if (!accountsRequired && parts.Count > 0 && !parts.Any(p => p.DeclaresAccounts))
                    Error(parts[0].Index, parts[0].Location ?? new SourceLocation(parts[0].File, 1, 1, ""),
                        "no file of the folder has 'accounts' (a list of accounts and their keys)");

                var declaredBy = new Dictionary<string, (object Value, SourceLocation At)>(StringComparer.Ordinal);
                bool? defaultSecurityControls = null;
                foreach (FilePart part in parts)
                {
                    if (part.DefaultSecurityControls is bool declared)
                    {
                        if (Agrees(part, "defaultSecurityControls", declared, part.DefaultSecurityControlsAt!, declaredBy, v => v.ToString().ToLowerInvariant()))
                            defaultSecurityControls = declared;
                    }
                    if (part.Policy != null) MergePolicy(part, state.Policy, declaredBy);
                }
                foreach (FilePart part in parts)
                {
                    foreach (DesiredAccount account in part.Accounts)
                    {
                        // The master-wide switch; Binance turns it on by default, so an undeclared switch counts as on.
                        account.Facts.DefaultSecurityControls = defaultSecurityControls ?? true;
                        state.Accounts.Add(account);
                    }
                }
                CheckDuplicateAccounts(parts);

                if (errors.Count > 0)
                    // Reported in file order, whatever order the checks ran in (OrderBy is stable for ties).
                    throw new DesiredStateException(errors.OrderBy(e => e.File).ThenBy(e => e.Error.Location.Line).ThenBy(e => e.Error.Location.Column).Select(e => e.Error).ToList());
                return state;
            }

            // A folder has one policy: a setting may be written in several files, but with the same value in each.
            private void MergePolicy(FilePart part, OrganisationPolicy merged, Dictionary<string, (object Value, SourceLocation At)> declaredBy)
            {
                OrganisationPolicy policy = part.Policy!;
                if (merged.Location == null) merged.Location = policy.Location;
                foreach (string name in policy.FieldNames)
                {
                    SourceLocation at = policy.At(name)!;
                    switch (name)
                    {
                        case "forbidPermissions":
                            if (Agrees(part, "policy." + name, SetText(policy.ForbidPermissions.Select(p => PermissionCatalog.NameOf(p.Value))), at, declaredBy, v => "[" + v + "]"))
                                Take(merged, name, at, () => merged.ForbidPermissions.AddRange(policy.ForbidPermissions));
                            break;
                        case "allowedNetworks":
                            if (Agrees(part, "policy." + name, SetText(policy.AllowedNetworks.Select(n => n.Value.ToString())), at, declaredBy, v => "[" + v + "]"))
                                Take(merged, name, at, () => merged.AllowedNetworks.AddRange(policy.AllowedNetworks));
                            break;
                        case "keyTypes":
                            if (Agrees(part, "policy." + name, SetText(policy.KeyTypes.Select(t => ContractNames.Of(t.Value))), at, declaredBy, v => "[" + v + "]"))
                                Take(merged, name, at, () => merged.KeyTypes.AddRange(policy.KeyTypes));
                            break;
                        case "requireIpRestriction":
                            if (Agrees(part, "policy." + name, policy.RequireIpRestriction, at, declaredBy, v => v.ToString().ToLowerInvariant()))
                                Take(merged, name, at, () => merged.RequireIpRestriction = policy.RequireIpRestriction);
                            break;
                        case "maxKeysPerAccount":
                            if (policy.MaxKeysPerAccount is int max && Agrees(part, "policy." + name, max, at, declaredBy, v => v.ToString()))
                                Take(merged, name, at, () => merged.MaxKeysPerAccount = max);
                            break;
                        case "labelPattern":
                            if (policy.LabelPattern is Regex pattern && Agrees(part, "policy." + name, pattern.ToString(), at, declaredBy, v => "'" + v + "'"))
                                Take(merged, name, at, () => merged.LabelPattern = pattern);
                            break;
                    }
                }
            }

            private static void Take(OrganisationPolicy merged, string field, SourceLocation at, Action apply)
            {
                if (merged.HasField(field)) return; // the same value again: the first declaration stands
                merged.SetField(field, at);
                apply();
            }

            private static string SetText(IEnumerable<string> values) => string.Join(", ", values.Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal));

            private bool Agrees<T>(FilePart part, string setting, T value, SourceLocation at, Dictionary<string, (object Value, SourceLocation At)> declaredBy, Func<T, string> show)
                where T : notnull
            {
                if (!declaredBy.TryGetValue(setting, out var first))
                {
                    declaredBy.Add(setting, (value, at));
                    return true;
                }
                if (Equals(first.Value, value)) return true;
                Error(part.Index, at,
                    $"{setting} is {show(value)} here but {show((T)first.Value)} in {Where(first.At)}; the files of a folder make one desired state, so a setting written in several files must have the same value in each");
                return false;
            }

            private void CheckDuplicateAccounts(IReadOnlyList<FilePart> parts)
            {
                var names = new Dictionary<string, DesiredAccount>(StringComparer.OrdinalIgnoreCase);
                var identities = new Dictionary<string, DesiredAccount>(StringComparer.OrdinalIgnoreCase);
                foreach (FilePart part in parts)
                {
                    foreach (DesiredAccount account in part.Accounts)
                    {
                        if (account.Name.Length > 0)
                        {
                            if (names.TryGetValue(account.Name, out DesiredAccount? first))
                                Error(part.Index, account.At("name")!, $"duplicate account name '{account.Name}' (first declared at {Where(first.At("name")!, account.Location)}); names are compared case-insensitively");
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
                            Error(part.Index, account.At(field)!, $"account '{account.Name}' declares {identity} again (already declared by '{same.Name}' at {Where(same.Location!, account.Location)})");
                        }
                        else identities.Add(identity, account);
                    }
                }
            }

            /// <summary>"line 12" within the same file, "desk-b.yaml:12" across files.</summary>
            internal static string Where(SourceLocation first, SourceLocation? here = null) =>
                here != null && string.Equals(here.File, first.File, StringComparison.Ordinal)
                    ? "line " + first.Line.ToString(CultureInfo.InvariantCulture)
                    : first.File + ":" + first.Line.ToString(CultureInfo.InvariantCulture);

            // ----- references -----

            /// <summary>Reads a referenced file once per load; every use gets the same answer.</summary>
            public ReferencedFile ReadReferencedFile(string baseDirectory, string relativePath)
            {
                string full;
                try
                {
                    full = Path.GetFullPath(Path.Combine(baseDirectory, relativePath));
                }
                catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
                {
                    return ReferencedFile.Failed($"is not a valid path: {e.Message}");
                }
                if (files.TryGetValue(full, out ReferencedFile? known)) return known;
                ReferencedFile read = Read(full);
                files.Add(full, read);
                return read;
            }

            private ReferencedFile Read(string full)
            {
                if (!roots.Any(r => FileSystemPaths.IsWithin(full, r.Full)))
                    return ReferencedFile.Failed($"is outside {Root}, the folder of the desired state ({OutsideHint})");
                if (!File.Exists(full)) return ReferencedFile.Failed($"not found (looked for {full})");
                if (!IsInsideRoots(full, out _))
                    return ReferencedFile.Failed($"leads outside {Root} through a symbolic link ({OutsideHint})");
                try
                {
                    // Bounded whatever the file system says its length is (/proc files say 0).
                    using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read);
                    long limit = Options.MaxReferencedFileBytes;
                    var buffer = new byte[Math.Min(limit + 1, Math.Max(stream.Length + 1, 4096))];
                    int total = 0;
                    while (true)
                    {
                        if (total == buffer.Length)
                        {
                            if (total > limit) break;
                            Array.Resize(ref buffer, (int)Math.Min(limit + 1, buffer.Length * 2L));
                        }
                        int count = stream.Read(buffer, total, buffer.Length - total);
                        if (count == 0) break;
                        total += count;
                    }
                    if (total > limit) return ReferencedFile.Failed($"is larger than {limit} bytes; referenced files are limited to {limit} bytes");
                    return ReferencedFile.Succeeded(new UTF8Encoding(false, false).GetString(buffer, 0, total));
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    return ReferencedFile.Failed($"cannot be read: {e.Message}");
                }
            }

            private string OutsideHint => "referenced files must lie in its folder tree unless the caller allows another folder, e.g. Test-BinanceApiKeyPolicy -AllowReferenceOutside";

            private bool IsInsideRoots(string full, out string? real)
            {
                real = FileSystemPaths.RealPath(full);
                if (real == null) return roots.Any(r => FileSystemPaths.IsWithin(full, r.Full));
                string resolved = real;
                return roots.Any(r => FileSystemPaths.IsWithin(resolved, r.Real ?? r.Full));
            }

            /// <summary>Reads an environment variable for <c>env:NAME</c>; null with the reason when it cannot be used.</summary>
            public string? ReadEnvironment(string name, out string? problem)
            {
                problem = null;
                if (ForbiddenEnvironmentVariables.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    problem = $"{name} holds the module's own credentials and can never be referenced from a desired-state file";
                    return null;
                }
                string? value = Options.GetEnvironmentVariable(name);
                if (value == null) problem = $"environment variable {name} is not set";
                else if (value.Trim().Length == 0) problem = $"environment variable {name} is empty";
                return problem == null ? value : null;
            }

            /// <summary>What a public key is, inspected once per distinct text.</summary>
            public PublicKeyFacts InspectPublicKey(string content)
            {
                if (publicKeys.TryGetValue(content, out PublicKeyFacts? known)) return known;
                var facts = PublicKeyInspector.TryInspect(content, out ApiKeyType algorithm, out int? bits, out string? problem)
                    ? new PublicKeyFacts(content.Trim(), algorithm, bits, null)
                    : new PublicKeyFacts(null, default, null, problem);
                publicKeys.Add(content, facts);
                return facts;
            }
        }

        /// <summary>The outcome of reading one referenced file: its text, or why it cannot be used (never its content).</summary>
        private sealed class ReferencedFile
        {
            private ReferencedFile(string? content, string? problem)
            {
                Content = content;
                Problem = problem;
            }

            public string? Content { get; }

            public string? Problem { get; }

            public static ReferencedFile Succeeded(string content) => new ReferencedFile(content, null);

            public static ReferencedFile Failed(string problem) => new ReferencedFile(null, problem);
        }

        /// <summary>A public key's algorithm and size, or the problem with it.</summary>
        private sealed class PublicKeyFacts
        {
            public PublicKeyFacts(string? pem, ApiKeyType algorithm, int? bits, string? problem)
            {
                Pem = pem;
                Algorithm = algorithm;
                Bits = bits;
                Problem = problem;
            }

            public string? Pem { get; }

            public ApiKeyType Algorithm { get; }

            public int? Bits { get; }

            public string? Problem { get; }
        }

        /// <summary>
        /// A path not yet built: a node's path, or one field or item below it. Most values are read without a problem,
        /// so the path step (and the position) is made only for an error or a value that keeps its position.
        /// </summary>
        private readonly struct PathStep
        {
            private readonly YamlPathNode parent;
            private readonly string? name;
            private readonly int item;

            public PathStep(YamlPathNode parent, string field)
            {
                this.parent = parent;
                this.name = field;
                item = -1;
            }

            public PathStep(YamlPathNode parent, int item)
            {
                this.parent = parent;
                name = null;
                this.item = item;
            }

            private PathStep(YamlPathNode node)
            {
                parent = node;
                name = null;
                item = -1;
            }

            public static implicit operator PathStep(YamlPathNode node) => new PathStep(node);

            public YamlPathNode Node => name != null ? parent.Field(name) : item >= 0 ? parent.Item(item) : parent;

            public SourceLocation At(string file, int line, int column) =>
                name == null && item < 0 ? new SourceLocation(file, line, column, parent) : new SourceLocation(file, line, column, parent, name, item);

            public Located<T> Locate<T>(T value, string file, int line, int column) =>
                item >= 0 ? new Located<T>(value, file, line, column, parent, item) : new Located<T>(value, At(file, line, column));
        }

        /// <summary>The known fields of a mapping, looked up by a scan: a dozen fields at most, so no dictionary per node.</summary>
        private sealed class FieldMap
        {
            private readonly YamlMappingNode mapping;

            public FieldMap(YamlMappingNode mapping) => this.mapping = mapping;

            public bool TryGetValue(string name, out YamlTreeNode value)
            {
                var entries = mapping.Entries;
                for (int i = 0; i < entries.Count; i++)
                {
                    if (string.Equals(entries[i].Key.Value, name, StringComparison.Ordinal))
                    {
                        value = entries[i].Value;
                        return true;
                    }
                }
                value = null!;
                return false;
            }
        }

        /// <summary>Binds one file's tree to the model, reporting every error into the session.</summary>
        private sealed class Binder
        {
            private static readonly Regex EmailPattern = new Regex(EmailRegex, RegexOptions.CultureInvariant);
            private static readonly Regex DigitsPattern = new Regex(BrokerSubAccountIdRegex, RegexOptions.CultureInvariant);
            private static readonly Regex EnvNamePattern = new Regex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);
            private static readonly Regex SecretPattern = new Regex(SecretRegex, RegexOptions.CultureInvariant);
            private static readonly Regex SymbolPattern = new Regex(SymbolRegex, RegexOptions.CultureInvariant);
            private static readonly YamlPathNode AccountsPath = YamlPathNode.Root.Field("accounts");
            private static readonly YamlPathNode PolicyPath = YamlPathNode.Root.Field("policy");

            private readonly LoadSession session;
            private readonly string file;
            private readonly int index;
            private readonly string baseDirectory;
            private readonly List<DesiredAccount> streamedAccounts = new List<DesiredAccount>();

            public Binder(LoadSession session, string file, int index, string baseDirectory)
            {
                this.session = session;
                this.file = file;
                this.index = index;
                this.baseDirectory = baseDirectory;
            }

            /// <summary>Binds one item of the top-level <c>accounts</c> list while the reader is still reading the file.</summary>
            public void BindStreamedAccount(YamlTreeNode item, int position)
            {
                DesiredAccount? account = BindAccount(item, AccountsPath.Item(position));
                if (account != null) streamedAccounts.Add(account);
            }

            public FilePart Bind(YamlTreeNode? root, bool accountsRequired)
            {
                var part = new FilePart(file, index);
                if (root == null || (root is YamlScalarNode empty && empty.IsNull))
                {
                    Error(new SourceLocation(file, 1, 1, ""), "the file is empty; expected a mapping with 'version: 1' and 'accounts'");
                    return part;
                }
                part.Location = Loc(root, YamlPathNode.Root);
                var document = new DesiredState { Location = part.Location };
                var fields = Fields(root, YamlPathNode.Root, TopLevelFields, document);
                if (fields == null) return part;

                if (!fields.TryGetValue("version", out var versionNode))
                {
                    Error(part.Location, $"missing required field 'version' (expected version: {SupportedVersion})");
                }
                else
                {
                    long? version = Integer(versionNode, Step(YamlPathNode.Root, "version"));
                    if (version != null && version != SupportedVersion)
                        Error(Loc(versionNode, Step(YamlPathNode.Root, "version")), $"unsupported version {version}; this module reads version {SupportedVersion}");
                }

                if (fields.TryGetValue("defaultSecurityControls", out var dscNode))
                {
                    part.DefaultSecurityControls = Boolean(dscNode, Step(YamlPathNode.Root, "defaultSecurityControls"));
                    part.DefaultSecurityControlsAt = Loc(dscNode, Step(YamlPathNode.Root, "defaultSecurityControls"));
                }
                if (fields.TryGetValue("policy", out var policyNode))
                {
                    part.Policy = new OrganisationPolicy();
                    BindPolicy(policyNode, part.Policy);
                }

                if (!fields.TryGetValue("accounts", out var accountsNode))
                {
                    if (accountsRequired) Error(part.Location, "missing required field 'accounts' (a list of accounts and their keys)");
                    return part;
                }
                part.DeclaresAccounts = true;
                if (accountsNode is YamlSequenceNode { Streamed: true })
                {
                    part.Accounts.AddRange(streamedAccounts);
                    return part;
                }
                List<YamlTreeNode>? accounts = Sequence(accountsNode, AccountsPath);
                if (accounts == null) return part;
                for (int i = 0; i < accounts.Count; i++)
                {
                    DesiredAccount? account = BindAccount(accounts[i], AccountsPath.Item(i));
                    if (account != null) part.Accounts.Add(account);
                }
                return part;
            }

            private void BindPolicy(YamlTreeNode node, OrganisationPolicy policy)
            {
                YamlPathNode path = PolicyPath;
                policy.Location = Loc(node, path);
                var fields = Fields(node, path, PolicyFields, policy);
                if (fields == null) return;
                if (fields.TryGetValue("forbidPermissions", out var forbid))
                    PermissionList(forbid, Step(path, "forbidPermissions"), policy.ForbidPermissions);
                if (fields.TryGetValue("allowedNetworks", out var networks))
                {
                    foreach (var (item, itemPath) in Items(networks, Step(path, "allowedNetworks")))
                    {
                        string? text = String(item, itemPath);
                        if (text == null) continue;
                        if (IpAddressRules.TryParseIpv4Network(text, out Ipv4Network network, out string? problem))
                            policy.AllowedNetworks.Add(LocatedAt(network, item, itemPath));
                        else
                            Error(Loc(item, itemPath), $"'{text}' is not a valid network: {problem}");
                    }
                }
                if (fields.TryGetValue("keyTypes", out var types))
                {
                    foreach (var (item, itemPath) in Items(types, Step(path, "keyTypes")))
                    {
                        ApiKeyType? type = KeyType(item, itemPath);
                        if (type != null) policy.KeyTypes.Add(LocatedAt(type.Value, item, itemPath));
                    }
                }
                if (fields.TryGetValue("requireIpRestriction", out var require))
                    policy.RequireIpRestriction = Boolean(require, Step(path, "requireIpRestriction")) ?? false;
                if (fields.TryGetValue("maxKeysPerAccount", out var max))
                {
                    long? value = Integer(max, Step(path, "maxKeysPerAccount"));
                    if (value != null && (value < 1 || value > BinanceLimits.MaxKeysPerAccount))
                        Error(Loc(max, Step(path, "maxKeysPerAccount")), $"maxKeysPerAccount must be between 1 and {BinanceLimits.MaxKeysPerAccount} (Binance's own limit), found {value}");
                    else if (value != null)
                        policy.MaxKeysPerAccount = (int)value;
                }
                if (fields.TryGetValue("labelPattern", out var pattern))
                {
                    string? text = String(pattern, Step(path, "labelPattern"));
                    if (text != null)
                    {
                        try
                        {
                            // A timeout, because the pattern is user input and labels are matched against it.
                            policy.LabelPattern = new Regex(text, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
                        }
                        catch (ArgumentException e)
                        {
                            Error(Loc(pattern, Step(path, "labelPattern")), "labelPattern is not a valid regular expression: " + e.Message);
                        }
                    }
                }
            }

            private DesiredAccount? BindAccount(YamlTreeNode node, YamlPathNode path)
            {
                var account = new DesiredAccount { Location = Loc(node, path) };
                var fields = Fields(node, path, AccountFields, account);
                if (fields == null) return null;

                if (fields.TryGetValue("name", out var nameNode))
                {
                    account.Name = String(nameNode, Step(path, "name")) ?? "";
                    if (nameNode is YamlScalarNode named && !named.IsNull && named.Value.Trim().Length == 0)
                        Error(Loc(nameNode, Step(path, "name")), "account name must not be empty");
                }
                else
                {
                    Error(account.Location, "missing required field 'name' (the account's local name)");
                }

                if (fields.TryGetValue("email", out var emailNode))
                {
                    account.Email = String(emailNode, Step(path, "email"));
                    if (account.Email != null && !EmailPattern.IsMatch(account.Email))
                        Error(Loc(emailNode, Step(path, "email")), $"'{account.Email}' is not an email address (the sub-account's login email)");
                }
                if (fields.TryGetValue("brokerSubAccountId", out var brokerNode))
                {
                    // Quoted or not: an id of digits ("123" or 123).
                    string? id = brokerNode is YamlScalarNode scalar && !scalar.IsNull ? scalar.Value : String(brokerNode, Step(path, "brokerSubAccountId"));
                    if (id != null && !DigitsPattern.IsMatch(id))
                        Error(Loc(brokerNode, Step(path, "brokerSubAccountId")), $"brokerSubAccountId must be the numeric sub-account id, found '{id}'");
                    account.BrokerSubAccountId = id;
                }
                if (account.Email != null && account.BrokerSubAccountId != null)
                    Error(Loc(brokerNode!, Step(path, "brokerSubAccountId")), "an account has either 'email' (a sub-account) or 'brokerSubAccountId' (a broker sub-account), not both");
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
                    foreach (var (item, itemPath) in Items(keysNode, Step(path, "keys")))
                    {
                        DesiredKey? key = BindKey(item, itemPath.Node);
                        if (key != null) account.Keys.Add(key);
                    }
                }
                CheckDuplicateLabels(account);
                return account;
            }

            private DesiredKey? BindKey(YamlTreeNode node, YamlPathNode path)
            {
                var key = new DesiredKey { Location = Loc(node, path) };
                var fields = Fields(node, path, KeyFields, key);
                if (fields == null) return null;

                if (fields.TryGetValue("label", out var labelNode)) key.Label = String(labelNode, Step(path, "label")) ?? "";
                else Error(key.Location, "missing required field 'label' (the key's name on Binance, unique in its account)");

                if (fields.TryGetValue("type", out var typeNode)) key.Type = KeyType(typeNode, Step(path, "type"));
                else Error(key.Location, $"missing required field 'type' (one of: {string.Join(", ", ContractNames.KeyTypes)})");

                if (fields.TryGetValue("permissions", out var permissionsNode))
                    PermissionList(permissionsNode, Step(path, "permissions"), key.Permissions);

                if (fields.TryGetValue("ipWhitelist", out var whitelistNode))
                {
                    foreach (var (item, itemPath) in Items(whitelistNode, Step(path, "ipWhitelist")))
                    {
                        string? text = String(item, itemPath);
                        if (text == null) continue;
                        if (IsReference(text))
                        {
                            string? resolved = Resolve(text, item, itemPath);
                            if (resolved == null) continue;
                            List<string> addresses = SplitList(resolved);
                            if (addresses.Count == 0) Error(Loc(item, itemPath), $"{text} holds no IP address");
                            SourceLocation at = Loc(item, itemPath);
                            for (int i = 0; i < addresses.Count; i++) key.IpWhitelist.Add(new Located<string>(addresses[i], at, text, i + 1));
                        }
                        else
                        {
                            key.IpWhitelist.Add(LocatedAt(text, item, itemPath));
                        }
                    }
                }

                if (fields.TryGetValue("ipAccess", out var accessNode))
                {
                    string? text = String(accessNode, Step(path, "ipAccess"));
                    if (text != null)
                    {
                        if (ContractNames.TryParseIpAccess(text, out IpAccessMode mode, ignoreCase: false))
                        {
                            key.IpAccess = mode;
                            key.IpAccessDeclared = true;
                        }
                        else
                        {
                            Error(Loc(accessNode, Step(path, "ipAccess")), $"unknown ipAccess '{text}'" + NameSuggester.Hint(text, ContractNames.IpAccessModes.ToArray()));
                        }
                    }
                }
                if (!key.IpAccessDeclared)
                    key.IpAccess = key.IpWhitelist.Count > 0 ? IpAccessMode.TrustedIps : IpAccessMode.Unrestricted;

                if (fields.TryGetValue("thirdPartyName", out var thirdPartyNode)) key.ThirdPartyName = String(thirdPartyNode, Step(path, "thirdPartyName"));

                if (fields.TryGetValue("secret", out var secretNode))
                {
                    key.Secret = String(secretNode, Step(path, "secret"));
                    if (key.Secret != null && !SecretPattern.IsMatch(key.Secret))
                        // Never echo the value: a user may have pasted the secret itself here.
                        Error(Loc(secretNode, Step(path, "secret")), "secret must be a reference to where the HMAC secret is stored, 'vault:NAME'; the secret itself never belongs in this file");
                }

                if (fields.TryGetValue("publicKey", out var publicKeyNode)) BindPublicKey(key, publicKeyNode, Step(path, "publicKey"));

                if (fields.TryGetValue("symbolWhitelist", out var symbolsNode))
                {
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var (item, itemPath) in Items(symbolsNode, Step(path, "symbolWhitelist")))
                    {
                        string? symbol = String(item, itemPath);
                        if (symbol == null) continue;
                        if (!SymbolPattern.IsMatch(symbol))
                            Error(Loc(item, itemPath), $"'{symbol}' is not a trading pair symbol; expected upper-case letters and digits such as BTCUSDT");
                        else if (seen.Add(symbol))
                            key.SymbolWhitelist.Add(LocatedAt(symbol, item, itemPath));
                    }
                }
                return key;
            }

            private void BindPublicKey(DesiredKey key, YamlTreeNode node, PathStep path)
            {
                string? text = String(node, path);
                if (text == null) return;
                string? content;
                if (text.Contains("-----BEGIN")) content = text;
                else if (IsReference(text)) content = Resolve(text, node, path);
                else content = ReadFile(text, node, path, "publicKey");
                if (content == null) return;
                PublicKeyFacts facts = session.InspectPublicKey(content);
                if (facts.Problem != null)
                {
                    // The inspector's messages never quote the content; a reference is named so the user knows where to look.
                    Error(Loc(node, path), IsReference(text) ? $"{text}: {facts.Problem}" : facts.Problem);
                    return;
                }
                key.PublicKeyPem = facts.Pem;
                key.PublicKeyAlgorithm = facts.Algorithm;
                key.PublicKeyBits = facts.Bits;
            }

            private static bool IsReference(string text) =>
                text.StartsWith("env:", StringComparison.Ordinal) || text.StartsWith("file:", StringComparison.Ordinal);

            /// <summary>Resolves <c>env:NAME</c> or <c>file:PATH</c>; null (with an error naming the reference, never its value) when it cannot.</summary>
            private string? Resolve(string reference, YamlTreeNode node, PathStep path)
            {
                if (reference.StartsWith("env:", StringComparison.Ordinal))
                {
                    string name = reference.Substring(4);
                    if (!EnvNamePattern.IsMatch(name))
                    {
                        Error(Loc(node, path), $"'{reference}' is not a valid environment reference; expected env:NAME with letters, digits and '_'");
                        return null;
                    }
                    string? value = session.ReadEnvironment(name, out string? problem);
                    if (value == null) Error(Loc(node, path), $"{reference}: {problem}");
                    return value;
                }
                return ReadFile(reference.Substring(5), node, path, reference);
            }

            private string? ReadFile(string relativePath, YamlTreeNode node, PathStep path, string shownAs)
            {
                if (relativePath.Trim().Length == 0)
                {
                    Error(Loc(node, path), $"{shownAs}: empty file path");
                    return null;
                }
                ReferencedFile read = session.ReadReferencedFile(baseDirectory, relativePath);
                if (read.Content == null) Error(Loc(node, path), $"{shownAs}: file '{relativePath}' {read.Problem}");
                return read.Content;
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

            private void PermissionList(YamlTreeNode node, PathStep path, List<Located<ApiKeyPermission>> into)
            {
                foreach (var (item, itemPath) in Items(node, path))
                {
                    string? text = String(item, itemPath);
                    if (text == null) continue;
                    if (PermissionCatalog.TryParse(text, out ApiKeyPermission permission, ignoreCase: false))
                        into.Add(LocatedAt(permission, item, itemPath));
                    else
                        Error(Loc(item, itemPath), $"unknown permission '{text}'" + NameSuggester.Hint(text, PermissionCatalog.Names.ToArray()));
                }
            }

            private ApiKeyType? KeyType(YamlTreeNode node, PathStep path)
            {
                string? text = String(node, path);
                if (text == null) return null;
                if (ContractNames.TryParseKeyType(text, out ApiKeyType type, ignoreCase: false)) return type;
                Error(Loc(node, path), $"unknown key type '{text}'" + NameSuggester.Hint(text, ContractNames.KeyTypes.ToArray()));
                return null;
            }

            private void CheckDuplicateLabels(DesiredAccount account)
            {
                if (account.Keys.Count < 2) return;
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

            private FieldMap? Fields(YamlTreeNode node, YamlPathNode path, string[] allowed, DesiredStateNode target)
            {
                if (!(node is YamlMappingNode mapping))
                {
                    Error(Loc(node, path), $"expected a mapping with fields {string.Join(", ", allowed)}, found {node.Kind}");
                    return null;
                }
                foreach (var entry in mapping.Entries)
                {
                    string name = entry.Key.Value;
                    int known = Array.IndexOf(allowed, name);
                    if (known < 0)
                    {
                        Error(Loc(entry.Key, new PathStep(path, name)), name == "<<" && entry.Key.IsPlain
                            ? "YAML merge keys ('<<: *anchor') are not supported; write the fields out in each mapping (an alias may still stand for a whole value, e.g. ipWhitelist: *office)"
                            : $"unknown field '{name}'" + NameSuggester.Hint(name, allowed));
                        continue;
                    }
                    // The name as the loader spells it, not the parser's copy: one string for every key's field.
                    target.SetField(allowed[known], Line(entry.Value), Column(entry.Value), mapping.Entries.Count);
                }
                return new FieldMap(mapping);
            }

            private IEnumerable<(YamlTreeNode Item, PathStep Path)> Items(YamlTreeNode node, PathStep path)
            {
                List<YamlTreeNode>? items = Sequence(node, path);
                if (items == null) yield break;
                YamlPathNode list = path.Node;
                for (int i = 0; i < items.Count; i++) yield return (items[i], new PathStep(list, i));
            }

            private List<YamlTreeNode>? Sequence(YamlTreeNode node, PathStep path)
            {
                if (node is YamlSequenceNode sequence) return sequence.Items;
                if (node is YamlScalarNode scalar && scalar.IsNull) return new List<YamlTreeNode>();
                Error(Loc(node, path), $"expected a list, found {node.Kind}");
                return null;
            }

            private string? String(YamlTreeNode node, PathStep path)
            {
                // Strict like the schema: a plain 2024 or true is a number or boolean, not text; quoting makes it text.
                if (node is YamlScalarNode scalar && scalar.IsText) return scalar.Value;
                string hint = node is YamlScalarNode other && !other.IsNull ? $" '{other.Value}' (quote it to make it text)" : "";
                Error(Loc(node, path), $"expected a string, found {node.Kind}{hint}");
                return null;
            }

            private bool? OptionalBoolean(FieldMap fields, string name, YamlPathNode path) =>
                fields.TryGetValue(name, out var node) ? Boolean(node, new PathStep(path, name)) : null;

            private bool? Boolean(YamlTreeNode node, PathStep path)
            {
                if (node is YamlScalarNode scalar && scalar.AsBoolean() is bool value) return value;
                Error(Loc(node, path), $"expected true or false, found {Describe(node)}");
                return null;
            }

            private long? Integer(YamlTreeNode node, PathStep path)
            {
                if (node is YamlScalarNode scalar && scalar.AsInteger() is long value) return value;
                // JSON Schema's "integer" accepts 1.0 too; so does the loader, to judge exactly as the schema does.
                if (node is YamlScalarNode floating && floating.AsFloat() is double d && d == Math.Floor(d) && Math.Abs(d) < 1e15) return (long)d;
                Error(Loc(node, path), $"expected a whole number, found {Describe(node)}");
                return null;
            }

            private static string Describe(YamlTreeNode node) =>
                node is YamlScalarNode scalar && !scalar.IsNull ? $"{node.Kind} '{scalar.Value}'" : node.Kind;

            private static PathStep Step(YamlPathNode path, string field) => new PathStep(path, field);

            private SourceLocation Loc(YamlTreeNode node, PathStep path) => path.At(file, Line(node), Column(node));

            // The position of a list item, made into a SourceLocation only if someone asks for it.
            private Located<T> LocatedAt<T>(T value, YamlTreeNode node, PathStep path) => path.Locate(value, file, Line(node), Column(node));

            private static int Line(YamlTreeNode node) => (int)Math.Max(1, node.Start.Line);

            private static int Column(YamlTreeNode node) => (int)Math.Max(1, node.Start.Column);

            private void Error(SourceLocation location, string message) => session.Error(index, location, message);
        }
    }
}

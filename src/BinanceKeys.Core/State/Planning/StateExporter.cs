using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;
using BinanceKeys.Keys;
using BinanceKeys.Policy;
using BinanceKeys.State.Local;

namespace BinanceKeys.State.Planning
{
    /// <summary>What to export.</summary>
    public sealed class ExportRequest
    {
        /// <summary>Sub-accounts, by email.</summary>
        public IReadOnlyList<string> Emails { get; set; } = Array.Empty<string>();

        /// <summary>Broker sub-accounts, by id.</summary>
        public IReadOnlyList<string> BrokerSubAccountIds { get; set; } = Array.Empty<string>();

        /// <summary>Every sub-account and every broker sub-account of the master account.</summary>
        public bool All { get; set; }

        /// <summary>The file the text is meant for (full path): the schema reference is relative to its folder, and findings name it.</summary>
        public string OutFile { get; set; } = string.Empty;

        /// <summary>The module's JSON Schema file; null or missing: the file says where the schema ships instead.</summary>
        public string? SchemaPath { get; set; }
    }

    /// <summary>An export: the file's text and what it holds.</summary>
    public sealed class ExportOutcome
    {
        /// <summary>Creates the value.</summary>
        public ExportOutcome(string text, KeyStateExport summary)
        {
            Text = text;
            Summary = summary;
        }

        /// <summary>The desired-state YAML; never a secret.</summary>
        public string Text { get; }

        /// <summary>What it holds, left out, and what the file check finds.</summary>
        public KeyStateExport Summary { get; }
    }

    /// <summary>
    /// Writes the live keys of accounts as a desired-state file that plans to no change against the same live state.
    /// The live state is read by the plan itself (an in-memory desired state that names the accounts and declares no key,
    /// prune off), so that what the export writes is exactly what a plan sees: every key comes back as undeclared, with
    /// what Binance reports and what the module's record adds. What nobody can tell (a key's type without a record, its
    /// public key, account facts Binance does not report) is written so that a re-plan does not flap, with a TODO comment.
    /// </summary>
    public sealed class StateExporter
    {
        private readonly BinanceConnection connection;
        private readonly LocalKeyState local;
        private readonly Func<DateTimeOffset> clock;

        /// <summary>Creates the exporter over a connection and the module's local state for its endpoint.</summary>
        public StateExporter(BinanceConnection connection, LocalKeyState local, Func<DateTimeOffset>? clock = null)
        {
            this.connection = connection ?? throw new ArgumentNullException(nameof(connection));
            this.local = local ?? throw new ArgumentNullException(nameof(local));
            this.clock = clock ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>The error when a request names no account and does not ask for all.</summary>
        public const string NoAccountsMessage = "Name the accounts to export with -Email or -BrokerSubAccountId, or export every sub-account and broker sub-account with -All.";

        /// <summary>How many accounts are read at the same time.</summary>
        public int Concurrency { get; set; } = 16;

        /// <summary>Reads the accounts and makes the file's text; writes nothing. <paramref name="progress"/> hears (accounts read, accounts in all).</summary>
        public async Task<ExportOutcome> ExportAsync(ExportRequest request, Action<int, int>? progress, CancellationToken cancellation)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            if (string.IsNullOrEmpty(request.OutFile)) throw new ArgumentException("The export needs the path of the file it is for.", nameof(request));
            var notes = new List<string>();
            var references = await SelectAsync(request, notes, cancellation).ConfigureAwait(false);

            var state = new DesiredState();
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var reference in references)
            {
                state.Accounts.Add(new DesiredAccount
                {
                    Name = UniqueName(NameOf(reference), names),
                    Kind = reference.Kind,
                    Email = reference.Email,
                    BrokerSubAccountId = reference.BrokerSubAccountId,
                    Prune = false,
                });
            }
            var service = new KeyPlanService(connection, local, clock) { Concurrency = Concurrency };
            var source = new LoadedSource("(live state)", state, Array.Empty<string>(), string.Empty);
            var outcome = await service.PlanStateAsync(source, new PlanRequest(), progress, cancellation).ConfigureAwait(false);
            DateTimeOffset exportedAt = outcome.Plan.CreatedAt;

            var document = new ExportDocument();
            SchemaLine(document, request);
            document.Header.Add($"Exported by Export-BinanceKeyState (BinanceKeys {outcome.Plan.ModuleVersion}) from {connection.Info.Endpoint} at {exportedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC.");
            document.Header.Add("The keys are as Binance reported them. What Binance cannot report is left out or assumed, with a TODO comment saying what to fill in;");
            document.Header.Add("a plan of this file against the same keys changes nothing, and a plan creates a key only once its publicKey or secret is filled in.");
            document.Header.Add("The master account's own keys are not exported: Binance's API does not list them.");
            foreach (string note in notes) document.Header.Add(note);

            var notExported = new List<string>();
            int assumed = 0, keys = 0;
            for (int i = 0; i < outcome.Accounts.Count; i++)
            {
                var account = Account(outcome.Accounts[i], outcome.Plan, notExported);
                keys += account.Keys.Count;
                assumed += account.Keys.Count(k => k.TypeSource == ExportedTypeSource.Assumed);
                document.Accounts.Add(account);
            }
            string text = DesiredStateWriter.Write(document);

            // The promise, checked before anything is written: the text loads, and a plan of it against the live state
            // just read proposes nothing (deletes that finish an interrupted apply aside: no file can stop those).
            string folder = Path.GetDirectoryName(request.OutFile) ?? ".";
            var loaded = DesiredStateLoader.LoadText(text, request.OutFile, folder);
            var findings = new PolicyEngine(clock: clock).Evaluate(loaded);
            var settling = new HashSet<string>(outcome.Plan.Actions.Where(a => a.Kind == KeyPlanActionKind.Delete && a.ApiKey != null).Select(a => a.ApiKey!), StringComparer.Ordinal);
            var replan = KeyPlanner.Run(loaded.Accounts, outcome.Live, outcome.Inputs);
            var flapping = replan.Actions.Where(a => a.IsChange && !(a.Kind == KeyPlanActionKind.Delete && a.ApiKey != null && settling.Contains(a.ApiKey))).ToList();
            if (flapping.Count > 0)
            {
                notes.Add($"A plan of the exported file would still propose {flapping.Count} {(flapping.Count == 1 ? "change" : "changes")} ({string.Join(", ", flapping.Take(5).Select(a => a.Kind + " " + a.Target))}); check those keys by hand.");
            }

            return new ExportOutcome(text, new KeyStateExport
            {
                Path = request.OutFile,
                Endpoint = connection.Info.Endpoint,
                ExportedAt = exportedAt,
                AccountCount = document.Accounts.Count,
                KeyCount = keys,
                AssumedTypeCount = assumed,
                NotExported = notExported.ToArray(),
                Findings = findings.ToArray(),
                Notes = notes.ToArray(),
            });
        }

        // ---- which accounts ---------------------------------------------------------------------------------------

        private async Task<List<AccountReference>> SelectAsync(ExportRequest request, List<string> notes, CancellationToken cancellation)
        {
            var emails = request.Emails.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim()).ToList();
            var brokers = request.BrokerSubAccountIds.Where(b => !string.IsNullOrWhiteSpace(b)).Select(b => b.Trim()).ToList();
            foreach (string id in brokers)
            {
                if (!id.All(c => c >= '0' && c <= '9') || id.Length > 20)
                {
                    throw new KeyOperationException(KeyOperationError.InvalidArgument, $"'{id}' is not a broker sub-account id (1 to 20 digits).");
                }
            }
            if (request.All)
            {
                emails.AddRange((await connection.Client.GetSubAccountsAsync(null, cancellation).ConfigureAwait(false)).Select(s => s.Email));
                try
                {
                    brokers.AddRange((await connection.Client.GetBrokerSubAccountsAsync(null, cancellation).ConfigureAwait(false)).Select(b => b.SubAccountId));
                }
                catch (BinanceApiException e) when (e.Kind == BinanceErrorKind.Unauthorized || e.Kind == BinanceErrorKind.Other)
                {
                    // A master account that is not a Binance Link broker may not list broker sub-accounts (docs/binance.md §2.6).
                    notes.Add($"Broker sub-accounts are not exported: Binance refused the broker sub-account list ({(e.Code.HasValue ? "code " + e.Code.Value.ToString(CultureInfo.InvariantCulture) : "HTTP " + ((int?)e.Status)?.ToString(CultureInfo.InvariantCulture))}); if this master account is a Binance Link broker, check that the key may use the broker API.");
                }
            }
            else if (emails.Count == 0 && brokers.Count == 0)
            {
                throw new KeyOperationException(KeyOperationError.InvalidArgument, NoAccountsMessage);
            }
            var references = new List<AccountReference>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (string email in emails)
            {
                if (seen.Add("email|" + email)) references.Add(AccountReference.SubAccount(email));
            }
            foreach (string id in brokers)
            {
                if (seen.Add("broker|" + id)) references.Add(AccountReference.Broker(id));
            }
            return references;
        }

        // "desk-eu@example.com" -> "desk-eu"; broker sub-account 1001 -> "broker-1001".
        private static string NameOf(AccountReference account)
        {
            if (account.Kind == AccountKind.BrokerSubAccount) return "broker-" + account.BrokerSubAccountId;
            string email = account.Email!;
            int at = email.IndexOf('@');
            string local = at > 0 ? email.Substring(0, at) : email;
            return string.IsNullOrWhiteSpace(local) ? email : local;
        }

        private static string UniqueName(string name, HashSet<string> taken)
        {
            string candidate = name;
            for (int n = 2; !taken.Add(candidate); n++) candidate = name + "-" + n.ToString(CultureInfo.InvariantCulture);
            return candidate;
        }

        private static void SchemaLine(ExportDocument document, ExportRequest request)
        {
            string? relative = request.SchemaPath != null && File.Exists(request.SchemaPath) ? RelativePath(Path.GetDirectoryName(request.OutFile) ?? ".", request.SchemaPath) : null;
            if (relative != null)
            {
                document.SchemaReference = relative;
            }
            else
            {
                document.SchemaNote = "The JSON Schema for this file ships with BinanceKeys (module/schema/binancekeys.schema.json in the module's folder); " +
                    "a first line '# yaml-language-server: $schema=PATH' pointing at it gives editors completion and validation.";
            }
        }

        /// <summary>The path of <paramref name="file"/> relative to <paramref name="folder"/>, with '/' separators; null when there is none (another drive).</summary>
        internal static string? RelativePath(string folder, string file)
        {
            var comparison = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
                ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            string from = Path.GetFullPath(folder);
            string to = Path.GetFullPath(file);
            string root = Path.GetPathRoot(from) ?? string.Empty;
            if (!string.Equals(root, Path.GetPathRoot(to) ?? string.Empty, comparison)) return null;
            var separators = new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar };
            var fromParts = from.Substring(root.Length).Split(separators, StringSplitOptions.RemoveEmptyEntries);
            var toParts = to.Substring(root.Length).Split(separators, StringSplitOptions.RemoveEmptyEntries);
            int common = 0;
            while (common < fromParts.Length && common < toParts.Length - 1 && string.Equals(fromParts[common], toParts[common], comparison)) common++;
            string path = string.Join("/", Enumerable.Repeat("..", fromParts.Length - common).Concat(toParts.Skip(common)));
            // A path the YAML language server would read differently (a line break, or a '#' that starts a comment) is not offered.
            return path.IndexOfAny(new[] { '\n', '\r' }) >= 0 || path.Contains(" #") ? null : path;
        }

        // ---- one account --------------------------------------------------------------------------------------------

        private static ExportAccount Account(DesiredAccount account, KeyPlan plan, List<string> notExported)
        {
            var result = new ExportAccount
            {
                Name = account.Name,
                Email = account.Email,
                BrokerSubAccountId = account.BrokerSubAccountId,
                FuturesEnabled = account.Facts.FuturesEnabled,
                MarginEnabled = account.Facts.MarginEnabled,
            };
            void Skip(string key, string why)
            {
                result.NotExported.Add($"{key}: {why}");
                notExported.Add($"{account.Name}: {key}: {why}");
            }

            // Deletes in a plan of an account with prune off finish an interrupted create or replace: the next apply does it.
            foreach (var delete in plan.Actions.Where(a => a.Kind == KeyPlanActionKind.Delete && string.Equals(a.Account, account.Name, StringComparison.OrdinalIgnoreCase)))
            {
                Skip($"{delete.ApiKey} ('{delete.Label}')", (delete.Reason ?? "the plan deletes it") + " The next plan or apply deletes it.");
            }

            var candidates = new List<UndeclaredKey>();
            foreach (var key in plan.Undeclared.Where(u => string.Equals(u.Account, account.Name, StringComparison.OrdinalIgnoreCase)))
            {
                if (key.IsMasked)
                {
                    Skip(key.ApiKey, "Binance lists this broker key only masked and without a label, and the module did not create it, so its full API key is unknown.");
                }
                else if (string.IsNullOrWhiteSpace(key.Label))
                {
                    Skip(key.ApiKey, "the key has no label on Binance, and a desired-state file matches keys by label; give it one in the web UI.");
                }
                else
                {
                    candidates.Add(key);
                }
            }

            // Binance does not keep labels unique; a file must. The planner matches the one key the module recorded, else the newest.
            foreach (var group in candidates.GroupBy(k => k.Label!, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase).ThenBy(g => g.Key, StringComparer.Ordinal))
            {
                var keys = group.ToList();
                var recorded = keys.Where(k => k.Type != null).ToList();
                var chosen = recorded.Count == 1 ? recorded[0] : keys.OrderByDescending(k => k.CreateTime ?? DateTimeOffset.MinValue).First();
                foreach (var other in keys.Where(k => !ReferenceEquals(k, chosen)))
                {
                    Skip($"{other.ApiKey} ('{other.Label}')", $"another key of the account, {chosen.ApiKey}, has the same label, and labels in a file are unique; rename one in the web UI.");
                }
                result.Keys.Add(Key(chosen));
            }
            return result;
        }

        /// <summary>What the file says of a key Binance reports and the plan leaves undeclared.</summary>
        internal static ExportKey Key(UndeclaredKey key)
        {
            bool fix = key.Permission.Contains(ApiKeyPermission.FixApiTrading) || key.Permission.Contains(ApiKeyPermission.FixApiReading);
            var type = key.Type ?? (fix ? ApiKeyType.Ed25519 : ApiKeyType.Hmac);
            var result = new ExportKey
            {
                Label = key.Label!,
                Type = type,
                TypeSource = key.Type != null ? ExportedTypeSource.Record : fix ? ExportedTypeSource.Deduced : ExportedTypeSource.Assumed,
                PublicKeyFingerprint = key.PublicKeyFingerprint,
                IpWhitelist = key.IpRestricted == true ? OrderIps(key.IpAddress) : null,
            };
            if (type == ApiKeyType.Hmac && key.Secret != null)
            {
                if (System.Text.RegularExpressions.Regex.IsMatch(key.Secret, DesiredStateLoader.SecretRegex)) result.Secret = key.Secret;
                else result.SecretElsewhere = key.Secret;
            }
            result.Permissions.AddRange(key.Permission.Where(p => p != ApiKeyPermission.Reading));
            // FIX permissions exist on Ed25519 keys only: unknown FIX flags matter only where the key may be one.
            result.UnknownPermissions.AddRange(key.UnknownPermission.Where(p =>
                key.Type is null || key.Type == ApiKeyType.Ed25519 || (p != ApiKeyPermission.FixApiTrading && p != ApiKeyPermission.FixApiReading)));
            return result;
        }

        // Addresses in numeric order, so that exports of the same state are the same text.
        private static List<string> OrderIps(IEnumerable<string> ips) =>
            ips.Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(a => NumericKey(a), StringComparer.Ordinal).ThenBy(a => a, StringComparer.Ordinal).ToList();

        private static string NumericKey(string address)
        {
            var parts = address.Split('.');
            if (parts.Length != 4 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _))) return "~" + address;
            return string.Join(".", parts.Select(p => int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture).ToString("D3", CultureInfo.InvariantCulture)));
        }
    }
}

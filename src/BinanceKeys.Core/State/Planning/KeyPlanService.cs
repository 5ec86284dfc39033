using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Keys;
using BinanceKeys.Policy;
using BinanceKeys.State.Local;

namespace BinanceKeys.State.Planning
{
    /// <summary>What to plan.</summary>
    public sealed class PlanRequest
    {
        /// <summary>The desired-state file (or folder).</summary>
        public string Path { get; set; } = string.Empty;

        /// <summary>Only these accounts of the file (by name, case-insensitive); empty: all.</summary>
        public IReadOnlyList<string> Accounts { get; set; } = Array.Empty<string>();

        /// <summary>List unchanged keys too.</summary>
        public bool IncludeUnchanged { get; set; }

        /// <summary>Take IP whitelists from the cache of the last plan where it has them (large estates).</summary>
        public bool UseCachedIpWhitelists { get; set; }

        /// <summary>How the file is read (references, limits).</summary>
        public DesiredStateLoadOptions? LoadOptions { get; set; }
    }

    /// <summary>
    /// Makes plans and checks them before an apply: validates the whole file (exactly as Test-BinanceApiKeyPolicy does;
    /// an Error finding stops everything before any call), reads the live state of the file's accounts, fills in the
    /// account facts Binance reports, settles what an interrupted apply left, and compares.
    /// </summary>
    public sealed class KeyPlanService
    {
        private readonly BinanceConnection connection;
        private readonly LocalKeyState local;
        private readonly Func<DateTimeOffset> clock;

        /// <summary>Creates the service over a connection and the module's local state for its endpoint.</summary>
        public KeyPlanService(BinanceConnection connection, LocalKeyState local, Func<DateTimeOffset>? clock = null)
        {
            this.connection = connection ?? throw new ArgumentNullException(nameof(connection));
            this.local = local ?? throw new ArgumentNullException(nameof(local));
            this.clock = clock ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>How many accounts are read at the same time.</summary>
        public int Concurrency { get; set; } = 16;

        /// <summary>Makes the plan. <paramref name="progress"/> hears (accounts read, accounts in all).</summary>
        public async Task<KeyPlan> PlanAsync(PlanRequest request, Action<int, int>? progress, CancellationToken cancellation) =>
            (await PlanStateAsync(LoadAndValidate(request.Path, request.LoadOptions), request, progress, cancellation).ConfigureAwait(false)).Plan;

        /// <summary>
        /// Plans a desired state already loaded and validated (<see cref="LoadAndValidate"/>, or one built in memory, as
        /// Export-BinanceKeyState does); the outcome carries the live state the plan was made from. <see cref="PlanRequest.Path"/> is not read.
        /// </summary>
        public async Task<PlanOutcome> PlanStateAsync(LoadedSource source, PlanRequest request, Action<int, int>? progress, CancellationToken cancellation)
        {
            var accounts = Select(source.State, request.Accounts);
            var references = accounts.Select(Reference).ToList();

            var reader = new LiveStateReader(connection, local) { Concurrency = Concurrency };
            var live = await reader.ReadAsync(references, request.UseCachedIpWhitelists, progress, cancellation).ConfigureAwait(false);

            var notes = new List<string>();
            var orphans = SettleInterruptedCreates(live, notes);
            FillFacts(accounts, live, notes);
            // The facts Binance reported can turn a "cannot be checked offline" warning into an error: check again.
            var findings = new PolicyEngine(clock: clock).Evaluate(source.State);
            var errors = findings.Where(f => f.Severity == FindingSeverity.Error).ToList();
            if (errors.Count > 0) throw new PolicyViolationException(errors);

            var inputs = new PlanInputs
            {
                ConnectedApiKey = connection.Info.ApiKey,
                IncludeUnchanged = request.IncludeUnchanged,
                Orphans = orphans,
            };
            var planned = KeyPlanner.Run(accounts, live, inputs);
            var actions = planned.Actions;
            int unchanged = planned.Unchanged;
            notes.AddRange(planned.Notes);
            RefuseCreatesWithoutMaterial(actions, accounts);

            var stalenessReads = references.Where(r => r.Kind != AccountKind.Own).Select(r => new PlannedCall { Endpoint = AccountKeyApi.EndpointsOf(r.Kind).Query.ToString(), Count = 1 });
            var plan = new KeyPlan
            {
                ModuleVersion = typeof(KeyPlanService).Assembly.GetName().Version?.ToString(3),
                CreatedAt = clock(),
                Endpoint = connection.Info.Endpoint,
                Path = source.Path,
                SourceFiles = source.Files.ToArray(),
                SourceFingerprint = source.Fingerprint,
                AccountFilter = request.Accounts.ToArray(),
                Accounts = live.Select((l, i) => new KeyPlanAccount
                {
                    Name = accounts[i].Name,
                    AccountKind = l.Account.Kind,
                    Email = l.Account.Email,
                    BrokerSubAccountId = l.Account.BrokerSubAccountId,
                    LiveKeyCount = l.Keys.Count,
                    KeysFingerprint = l.KeysFingerprint,
                    Fingerprint = l.Fingerprint,
                    Readable = l.Readable,
                }).ToArray(),
                Actions = actions.ToArray(),
                Findings = findings.ToArray(),
                Notes = notes.ToArray(),
                Undeclared = planned.Undeclared.ToArray(),
                NoChangeCount = unchanged,
                EstimatedDuration = actions.Any(a => a.IsChange)
                    ? CallEstimate.Duration(actions.SelectMany(a => a.Calls).Concat(stalenessReads))
                    : TimeSpan.Zero,
            };
            return new PlanOutcome(plan, accounts, live, inputs);
        }

        /// <summary>
        /// Before a saved plan is applied: the file must be unchanged and still pass, every action must be what the file
        /// declares, and the accounts' key lists must be as the plan saw them. Throws <see cref="KeyOperationException"/>
        /// (<see cref="KeyOperationError.StalePlan"/>) naming what changed; nothing has been sent when it does.
        /// <paramref name="source"/> is the desired state as loaded now from the plan's path (<see cref="LoadAndValidate"/>):
        /// the one the apply then works from.
        /// </summary>
        public async Task CheckBeforeApplyAsync(KeyPlan plan, LoadedSource source, CancellationToken cancellation)
        {
            if (plan.FormatVersion != KeyPlan.CurrentFormatVersion)
            {
                throw new KeyOperationException(KeyOperationError.StalePlan, $"The plan has format version {plan.FormatVersion}; this module applies version {KeyPlan.CurrentFormatVersion}. Make a new plan.");
            }
            if (!SameEndpoint(plan.Endpoint, connection.Info.Endpoint))
            {
                throw new KeyOperationException(KeyOperationError.StalePlan,
                    $"The plan was made against {plan.Endpoint}, but this session is connected to {connection.Info.Endpoint}. Connect to the endpoint the plan was made for, or make a new plan.");
            }
            if (!string.Equals(source.Path, System.IO.Path.GetFullPath(plan.Path), StringComparison.Ordinal))
                throw new ArgumentException("The desired state given is not the one the plan was made from.", nameof(source));
            if (source.Fingerprint != plan.SourceFingerprint)
            {
                throw new KeyOperationException(KeyOperationError.StalePlan,
                    $"The desired state '{plan.Path}' changed since the plan was made ({plan.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC); nothing was sent. Make a new plan.");
            }
            PlanConsistency.Check(plan, source.State, IsSettlingDelete);

            var references = plan.Accounts.Select(a => AccountReference.From(a.Email, a.BrokerSubAccountId)).ToList();
            var lists = await new LiveStateReader(connection, local) { Concurrency = Concurrency }.ReadKeyListsAsync(references, cancellation).ConfigureAwait(false);
            var changed = plan.Accounts.Where((a, i) => a.Readable && LiveAccount.FingerprintOf(lists[i]) != a.KeysFingerprint).Select(a => a.Name).ToList();
            if (changed.Count > 0)
            {
                throw new KeyOperationException(KeyOperationError.StalePlan,
                    $"The keys of {string.Join(", ", changed.Select(n => "'" + n + "'"))} changed on Binance since the plan was made ({plan.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC); nothing was sent. Make a new plan.");
            }
        }

        /// <summary>Loads and checks a desired state as Test-BinanceApiKeyPolicy -Path does; Error findings throw.</summary>
        public LoadedSource LoadAndValidate(string path, DesiredStateLoadOptions? options)
        {
            string full = System.IO.Path.GetFullPath(path);
            var state = DesiredStateLoader.Load(full, options);
            var findings = new PolicyEngine(clock: clock).Evaluate(state);
            var errors = findings.Where(f => f.Severity == FindingSeverity.Error).ToList();
            if (errors.Count > 0) throw new PolicyViolationException(errors);
            // A file or a folder of them. A file that changes between the read and this fingerprint cannot slip through:
            // an apply checks every action against the file as it is then (PlanConsistency).
            var files = state.Files.Count > 0 ? state.Files.ToList() : new List<string> { full };
            return new LoadedSource(full, state, files, FingerprintOf(files));
        }

        private static string FingerprintOf(IEnumerable<string> files)
        {
            using var sha = SHA256.Create();
            foreach (string file in files.OrderBy(f => f, StringComparer.Ordinal))
            {
                byte[] name = System.Text.Encoding.UTF8.GetBytes(file + "\n");
                sha.TransformBlock(name, 0, name.Length, null, 0);
                byte[] content = File.ReadAllBytes(file);
                sha.TransformBlock(content, 0, content.Length, null, 0);
            }
            sha.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
            return string.Concat(sha.Hash!.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }

        private static List<DesiredAccount> Select(DesiredState state, IReadOnlyList<string> names)
        {
            if (names.Count == 0) return state.Accounts.ToList();
            var unknown = names.Where(n => !state.Accounts.Any(a => string.Equals(a.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
            if (unknown.Count > 0)
            {
                throw new KeyOperationException(KeyOperationError.NotFound,
                    $"The desired state has no account {string.Join(", ", unknown.Select(n => "'" + n + "'"))}; it has {string.Join(", ", state.Accounts.Select(a => "'" + a.Name + "'"))}.");
            }
            return state.Accounts.Where(a => names.Any(n => string.Equals(a.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
        }

        internal static AccountReference Reference(DesiredAccount account) => AccountReference.From(account.Email, account.BrokerSubAccountId);

        // The file's explicit facts win; unknown ones are filled from what Binance reports, and a contradiction is a note.
        private static void FillFacts(IReadOnlyList<DesiredAccount> accounts, IReadOnlyList<LiveAccount> live, List<string> notes)
        {
            for (int i = 0; i < accounts.Count; i++)
            {
                var facts = accounts[i].Facts;
                facts.FuturesEnabled = Fill(accounts[i], "futuresEnabled", facts.FuturesEnabled, live[i].Facts.FuturesEnabled, notes);
                facts.MarginEnabled = Fill(accounts[i], "marginEnabled", facts.MarginEnabled, live[i].Facts.MarginEnabled, notes);
            }
        }

        private static bool? Fill(DesiredAccount account, string field, bool? declared, bool? reported, List<string> notes)
        {
            if (reported is null) return declared;
            if (declared is null) return reported;
            if (declared != reported)
            {
                var at = account.At(field);
                notes.Add($"Account '{account.Name}' declares {field}: {declared.Value.ToString().ToLowerInvariant()}{(at is null ? "" : $" ({at.File}:{at.Line})")}, but Binance reports {reported.Value.ToString().ToLowerInvariant()}; the file's value is used.");
            }
            return declared;
        }

        // Journal entries of creates that a process did not finish: record what was made, and turn an HMAC key whose
        // secret never reached its store into a delete (whatever prune says).
        private List<(AccountReference, string, string)> SettleInterruptedCreates(IReadOnlyList<LiveAccount> live, List<string> notes)
        {
            var orphans = new List<(AccountReference, string, string)>();
            foreach (var entry in local.Interrupted())
            {
                var account = live.FirstOrDefault(l => LocalKeyState.AccountKey(l.Account) == LocalKeyState.AccountKey(entry.Account));
                if (account is null) continue; // not read by this plan: settled by a plan that reads it
                var made = entry.ApiKey != null
                    ? account.Keys.Where(k => k.ApiKey == entry.ApiKey).ToList()
                    : account.Keys.Where(k => k.Record is null && string.Equals(k.Remote.ApiName, entry.Label, StringComparison.OrdinalIgnoreCase)
                        && (k.Remote.CreateTime is null || k.Remote.CreateTime >= entry.StartedAt.AddMinutes(-5))).ToList();
                if (made.Count == 0)
                {
                    if (entry.ApiKey is null && entry.Account.Kind == AccountKind.BrokerSubAccount)
                    {
                        notes.Add($"An interrupted create of '{entry.Label}' in broker sub-account {entry.BrokerSubAccountId} ({entry.StartedAt:yyyy-MM-dd HH:mm} UTC) may have left a key with reading only that Binance lists masked; check the sub-account's keys in the web UI.");
                    }
                    local.CloseEntry(entry.Id); // nothing was made, or it is gone
                    continue;
                }
                if (entry.Type == ApiKeyType.Hmac && !entry.SecretStored)
                {
                    foreach (var key in made) orphans.Add((account.Account, key.ApiKey, entry.Label));
                    continue; // the entry closes when the apply has deleted the key
                }
                if (made.Count == 1)
                {
                    local.Record(new KeyRecord
                    {
                        AccountKind = entry.AccountKind,
                        Email = entry.Email,
                        BrokerSubAccountId = entry.BrokerSubAccountId,
                        Label = entry.Label,
                        ApiKey = made[0].ApiKey,
                        Type = entry.Type,
                        PublicKeyFingerprint = entry.PublicKeyFingerprint,
                        SecretDestination = entry.SecretDestination,
                        Replaces = entry.Replaces,
                    });
                    local.CloseEntry(entry.Id);
                }
            }
            return orphans;
        }

        // BN021 at plan time: the file check only warns about a missing secret store or public key, because an existing key
        // needs neither; a key the plan must create (or replace) cannot be made without it.
        private static void RefuseCreatesWithoutMaterial(IEnumerable<KeyPlanAction> actions, IReadOnlyList<DesiredAccount> accounts)
        {
            var findings = new List<PolicyFinding>();
            foreach (var action in actions.Where(a => a.Kind == KeyPlanActionKind.Create || a.Kind == KeyPlanActionKind.Replace))
            {
                var key = accounts.First(a => a.Name == action.Account).Keys.First(k => string.Equals(k.Label, action.Label, StringComparison.OrdinalIgnoreCase));
                string verb = action.Kind == KeyPlanActionKind.Create ? "created" : "replaced";
                string message, remediation;
                if (action.Type == ApiKeyType.Hmac && action.Secret is null)
                {
                    message = $"Key '{action.Label}' of account '{action.Account}' must be {verb}, and as an HMAC key its one-time secret needs a place to go.";
                    remediation = "Add secret: vault:NAME to the key.";
                }
                else if (action.Type != null && action.Type != ApiKeyType.Hmac && key.PublicKeyPem is null)
                {
                    message = $"Key '{action.Label}' of account '{action.Account}' must be {verb}, and as an {ContractNames.Of(action.Type.Value)} key Binance needs its public key to do it.";
                    remediation = $"Add publicKey: path/to/{action.Label}.pub.pem to the key (New-BinanceKeyPair writes one).";
                }
                else
                {
                    continue;
                }
                var at = key.At("type");
                findings.Add(new PolicyFinding
                {
                    RuleId = "BN021",
                    Severity = FindingSeverity.Error,
                    Account = action.Account,
                    Label = action.Label,
                    Message = message,
                    Remediation = remediation,
                    File = at?.File,
                    Line = at?.Line ?? 0,
                    Column = at?.Column ?? 0,
                    YamlPath = at?.YamlPath,
                });
            }
            if (findings.Count > 0) throw new PolicyViolationException(findings);
        }

        // A delete that finishes what an interrupted create or replace left, as the module's own journal and records say.
        private bool IsSettlingDelete(KeyPlanAction action)
        {
            var account = AccountReference.From(action.Email, action.BrokerSubAccountId);
            if (local.Of(account).Any(r => r.Replaces == action.ApiKey)) return true;
            return local.Interrupted().Any(e => LocalKeyState.AccountKey(e.Account) == LocalKeyState.AccountKey(account) && e.Type == ApiKeyType.Hmac && !e.SecretStored &&
                (e.ApiKey == action.ApiKey || (e.ApiKey is null && string.Equals(e.Label, action.Label, StringComparison.OrdinalIgnoreCase))));
        }

        private static bool SameEndpoint(string a, string b) => string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A plan together with what it was made from: the accounts planned (facts filled in from Binance), the live state read, and the planner's inputs.</summary>
    public sealed class PlanOutcome
    {
        /// <summary>Creates the value.</summary>
        public PlanOutcome(KeyPlan plan, IReadOnlyList<DesiredAccount> accounts, IReadOnlyList<LiveAccount> live, PlanInputs inputs)
        {
            Plan = plan;
            Accounts = accounts;
            Live = live;
            Inputs = inputs;
        }

        /// <summary>The plan.</summary>
        public KeyPlan Plan { get; }

        /// <summary>The accounts planned, with the facts Binance reported filled in.</summary>
        public IReadOnlyList<DesiredAccount> Accounts { get; }

        /// <summary>The live state, in the order of <see cref="Accounts"/>.</summary>
        public IReadOnlyList<LiveAccount> Live { get; }

        /// <summary>What the planner was given besides the file and the live state.</summary>
        public PlanInputs Inputs { get; }
    }

    /// <summary>A desired state as loaded for a plan: where from, and the fingerprint of its files.</summary>
    public sealed class LoadedSource
    {
        /// <summary>Creates the value.</summary>
        public LoadedSource(string path, DesiredState state, IReadOnlyList<string> files, string fingerprint)
        {
            Path = path;
            State = state;
            Files = files;
            Fingerprint = fingerprint;
        }

        /// <summary>The full path given.</summary>
        public string Path { get; }

        /// <summary>The loaded state.</summary>
        public DesiredState State { get; }

        /// <summary>The files read.</summary>
        public IReadOnlyList<string> Files { get; }

        /// <summary>SHA-256 over the files' names and contents.</summary>
        public string Fingerprint { get; }
    }
}

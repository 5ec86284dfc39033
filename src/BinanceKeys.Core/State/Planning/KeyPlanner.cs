using System;
using System.Collections.Generic;
using System.Linq;
using BinanceKeys.Binance;
using BinanceKeys.Keys;
using BinanceKeys.Policy;

namespace BinanceKeys.State.Planning
{
    /// <summary>What a plan is made from besides the file and the live state.</summary>
    public sealed class PlanInputs
    {
        /// <summary>The API key of the connected session: never pruned.</summary>
        public string? ConnectedApiKey { get; set; }

        /// <summary>List unchanged keys as <see cref="KeyPlanActionKind.NoChange"/> actions.</summary>
        public bool IncludeUnchanged { get; set; }

        /// <summary>Keys left by an interrupted create whose one-time secret never reached its store: deleted whatever prune says.</summary>
        public IReadOnlyList<(AccountReference Account, string ApiKey, string Label)> Orphans { get; set; } = Array.Empty<(AccountReference, string, string)>();
    }

    /// <summary>What the planner proposes: the actions, its notes, how many keys are unchanged, and the undeclared keys it leaves.</summary>
    public sealed class PlannerResult
    {
        /// <summary>The actions, in the order they run.</summary>
        public List<KeyPlanAction> Actions { get; } = new List<KeyPlanAction>();

        /// <summary>What the planner could not tell or decide.</summary>
        public List<string> Notes { get; } = new List<string>();

        /// <summary>Declared keys that match Binance.</summary>
        public int Unchanged { get; set; }

        /// <summary>Keys on Binance that the file does not declare and the plan leaves (also in <see cref="Notes"/> as text).</summary>
        public List<UndeclaredKey> Undeclared { get; } = new List<UndeclaredKey>();
    }

    /// <summary>
    /// Compares a desired state with the live state of its accounts and proposes one action per key and kind of change.
    /// Pure: no network, no files; sets are compared as sets, keys are matched by account and label (case-insensitive).
    /// </summary>
    public static class KeyPlanner
    {
        private const string NotReported = "(not reported by Binance's API)";

        /// <summary>Plans every account of <paramref name="accounts"/> against <paramref name="live"/> (same order, same length).</summary>
        public static (List<KeyPlanAction> Actions, List<string> Notes, int Unchanged) Plan(IReadOnlyList<DesiredAccount> accounts, IReadOnlyList<LiveAccount> live, PlanInputs inputs)
        {
            var result = Run(accounts, live, inputs);
            return (result.Actions, result.Notes, result.Unchanged);
        }

        /// <summary>As <see cref="Plan"/>, with the undeclared keys the plan leaves as structured entries.</summary>
        public static PlannerResult Run(IReadOnlyList<DesiredAccount> accounts, IReadOnlyList<LiveAccount> live, PlanInputs inputs)
        {
            var result = new PlannerResult();
            var fingerprints = new Dictionary<string, Crypto.PublicKey?>(StringComparer.Ordinal);
            for (int i = 0; i < accounts.Count; i++)
            {
                var account = new AccountPlan(accounts[i], live[i], inputs, fingerprints, result.Notes, result.Undeclared);
                account.Run();
                result.Actions.AddRange(account.Actions);
                result.Unchanged += account.Unchanged;
            }
            for (int i = 0; i < result.Actions.Count; i++) result.Actions[i].Order = i + 1;
            return result;
        }

        private sealed class AccountPlan
        {
            private readonly DesiredAccount desired;
            private readonly LiveAccount live;
            private readonly PlanInputs inputs;
            private readonly Dictionary<string, Crypto.PublicKey?> publicKeys;
            private readonly List<string> notes;
            private readonly List<UndeclaredKey> undeclaredKeys;
            private readonly AccountReference reference;
            private readonly AccountKeyEndpoints? endpoints;
            private readonly List<KeyPlanAction> deletes = new List<KeyPlanAction>();
            private readonly List<KeyPlanAction> replaces = new List<KeyPlanAction>();
            private readonly List<KeyPlanAction> creates = new List<KeyPlanAction>();
            private readonly List<KeyPlanAction> updates = new List<KeyPlanAction>();
            private readonly List<KeyPlanAction> manual = new List<KeyPlanAction>();
            private readonly List<KeyPlanAction> same = new List<KeyPlanAction>();

            public AccountPlan(DesiredAccount desired, LiveAccount live, PlanInputs inputs, Dictionary<string, Crypto.PublicKey?> publicKeys, List<string> notes,
                List<UndeclaredKey> undeclaredKeys)
            {
                this.desired = desired;
                this.live = live;
                this.inputs = inputs;
                this.publicKeys = publicKeys;
                this.notes = notes;
                this.undeclaredKeys = undeclaredKeys;
                reference = live.Account;
                endpoints = reference.Kind == AccountKind.Own ? null : AccountKeyApi.EndpointsOf(reference.Kind);
            }

            public int Unchanged { get; private set; }

            public IEnumerable<KeyPlanAction> Actions => deletes.Concat(replaces).Concat(creates).Concat(updates).Concat(manual).Concat(same);

            public void Run()
            {
                if (reference.Kind == AccountKind.Own)
                {
                    foreach (var key in desired.Keys) PlanOwnKey(key);
                    return;
                }
                var matched = new HashSet<LiveKey>();
                // An orphan of an interrupted create carries the declared label but no usable secret: it is never the
                // declared key (it is deleted below, and the key made again).
                var orphans = new HashSet<string>(inputs.Orphans.Where(o => SameAccount(o.Account, reference)).Select(o => o.ApiKey), StringComparer.Ordinal);
                foreach (var key in desired.Keys)
                {
                    var match = Match(key, orphans);
                    if (match != null) matched.Add(match);
                    PlanKey(key, match);
                }
                PlanUndeclared(live.Keys.Where(k => !matched.Contains(k)).ToList());
            }

            // ---- matching -----------------------------------------------------------------------------------------

            private LiveKey? Match(DesiredKey key, ISet<string> orphans)
            {
                // Keys left by an interrupted create (their secret never reached its store) are never the declared key.
                LiveKey? single = null;
                int count = 0;
                foreach (var candidate in live.Keys)
                {
                    if (!string.Equals(candidate.Label, key.Label, StringComparison.OrdinalIgnoreCase) || (orphans.Count > 0 && orphans.Contains(candidate.ApiKey))) continue;
                    single ??= candidate;
                    count++;
                }
                if (count <= 1) return single;
                var candidates = live.Keys.Where(k => !orphans.Contains(k.ApiKey) && string.Equals(k.Label, key.Label, StringComparison.OrdinalIgnoreCase)).ToList();
                // Two keys share the label on Binance (Binance does not enforce unique labels): a replace that was cut off
                // leaves the old and the new one. The module's record tells the one it made for this declaration.
                var fingerprint = Fingerprint(key);
                var recorded = candidates.Where(k => k.Record != null && k.Record.Type == key.Type && (fingerprint == null || k.Record.PublicKeyFingerprint == fingerprint)).ToList();
                var chosen = recorded.Count == 1 ? recorded[0] : candidates.OrderByDescending(k => k.Remote.CreateTime ?? DateTimeOffset.MinValue).First();
                notes.Add($"{Subject(key)}: {candidates.Count} keys on Binance share this label ({string.Join(", ", candidates.Select(c => c.ApiKey))}); the plan treats {chosen.ApiKey} as the declared key" +
                    (desired.Prune ? " and deletes the others." : "; the others are not declared (prune is off, so they stay)."));
                return chosen;
            }

            // ---- one declared key ---------------------------------------------------------------------------------

            private void PlanKey(DesiredKey key, LiveKey? current)
            {
                var wanted = key.PermissionSet;
                wanted.Add(ApiKeyPermission.Reading);
                var manualSteps = new List<string>();
                var notSettable = wanted.Where(p => p != ApiKeyPermission.Reading && !PermissionCatalog.Get(p).IsSettableByApi(reference.Kind)).OrderBy(p => p).ToList();

                if (key.IpAccess == IpAccessMode.ThirdParty)
                {
                    PlanThirdParty(key, current, wanted);
                    return;
                }
                if (current is null)
                {
                    PlanCreate(key, wanted, notSettable);
                    return;
                }
                if (current.IsMasked)
                {
                    notes.Add($"{Subject(key)}: Binance lists the matching broker key only masked ({current.ApiKey}) and the module has no record of it, so it can be neither read nor changed.");
                    return;
                }

                if (IsAsDeclared(key, current))
                {
                    // The common case of a large estate, decided without building sets or actions.
                    Unchanged++;
                    if (inputs.IncludeUnchanged) same.Add(NewAction(KeyPlanActionKind.NoChange, key, current));
                    return;
                }

                var replace = ReplaceReason(key, current);
                if (replace != null)
                {
                    PlanReplace(key, current, wanted, notSettable, replace);
                    return;
                }

                bool changed = false;
                var (enabled, reported) = KnownPermissions(current);
                // What a manual step changes, for drift reports: FIX flags Binance reports, and what it cannot report.
                var manualChanges = new List<KeyPropertyChange>();

                // IP whitelist.
                KeyPlanAction? ipAction = null;
                if (current.Ip is null)
                {
                    notes.Add($"{Subject(key)}: its IP whitelist could not be read, so it is not compared.");
                }
                else
                {
                    ipAction = PlanIp(key, current);
                }

                // Permissions: only what Binance reports (or the module set) can be compared; the rest needs the web UI.
                var comparable = wanted.Concat(enabled).Where(reported.Contains).Distinct().ToList();
                var toSet = comparable.Where(p => wanted.Contains(p) != enabled.Contains(p)).ToList();
                var fix = toSet.Where(p => p == ApiKeyPermission.FixApiTrading || p == ApiKeyPermission.FixApiReading).ToList();
                var unknownSwitches = wanted.Where(p => !reported.Contains(p) && PermissionCatalog.Get(p).IsSettableByApi(reference.Kind)).ToList();
                KeyPlanAction? permissionAction = null;
                var settableChange = toSet.Except(fix).Concat(unknownSwitches).ToList();
                if (settableChange.Count > 0)
                {
                    var currentForCall = new HashSet<ApiKeyPermission>(enabled);
                    permissionAction = NewAction(KeyPlanActionKind.UpdatePermissions, key, current);
                    // The call sets what the API can set; FIX flags stay as they are and the rest is a manual step.
                    permissionAction.DesiredPermission = wanted.Where(p => PermissionCatalog.Get(p).IsSettableByApi(reference.Kind) && !IsFix(p))
                        .Concat(enabled.Where(IsFix)).Append(ApiKeyPermission.Reading).Distinct().OrderBy(p => p).ToArray();
                    permissionAction.Changes = new[]
                    {
                        SetChange("permissions", SortedNames(enabled.Where(reported.Contains)), SortedNames(wanted.Where(p => reported.Contains(p) || unknownSwitches.Contains(p))),
                            unknownSwitches.Count > 0 ? ValueSource.Unknown : ValueSource.Live,
                            added: settableChange.Where(wanted.Contains), removed: settableChange.Where(p => !wanted.Contains(p))),
                    };
                    permissionAction.Calls = CallEstimate.UpdatePermissions(endpoints!, reference.Kind, wanted, currentForCall).ToArray();
                    if (unknownSwitches.Count > 0)
                    {
                        permissionAction.Reason = $"Binance does not report {Names(unknownSwitches)} for this key and the module has not set it: it is set to be sure.";
                    }
                }
                if (fix.Count > 0)
                {
                    manualChanges.Add(SetChange("permissions", SortedNames(enabled.Where(reported.Contains)), SortedNames(wanted.Where(reported.Contains)), ValueSource.Live,
                        added: fix.Where(wanted.Contains), removed: fix.Where(p => !wanted.Contains(p))));
                    manualSteps.AddRange(WebUiSteps.For(reference, current.ApiKey, $"{(fix.Any(wanted.Contains) ? "enable" : "disable")} {Names(fix)} (FIX permissions are set only when a key is created; or rotate the key's public key to replace it)"));
                }
                var unverifiable = notSettable.Where(p => !reported.Contains(p)).ToList();
                if (unverifiable.Count > 0)
                {
                    manualChanges.Add(new KeyPropertyChange { Property = "permissions", Before = NotReported, After = SortedNames(unverifiable), BeforeSource = ValueSource.Unknown, Added = unverifiable.Select(PermissionCatalog.NameOf).ToArray() });
                    manualSteps.AddRange(WebUiSteps.For(reference, current.ApiKey, $"make sure {Names(unverifiable)} {(unverifiable.Count == 1 ? "is" : "are")} enabled (Binance's API can neither set nor report {(unverifiable.Count == 1 ? "it" : "them")})"));
                }
                if (key.SymbolWhitelist.Count > 0)
                {
                    manualChanges.Add(new KeyPropertyChange { Property = "symbolWhitelist", Before = NotReported, After = "[" + string.Join(", ", key.SymbolWhitelist.Select(s => s.Value)) + "]", BeforeSource = ValueSource.Unknown });
                    manualSteps.AddRange(WebUiSteps.For(reference, current.ApiKey, $"set the symbol whitelist to {string.Join(", ", key.SymbolWhitelist.Select(s => s.Value))}"));
                }

                // Order the two updates so that the state in between is never less restricted than both ends: restrict
                // before granting, revoke before lifting a restriction.
                if (ipAction != null && permissionAction != null && key.IpAccess != IpAccessMode.TrustedIps)
                {
                    updates.Add(permissionAction);
                    updates.Add(ipAction);
                }
                else
                {
                    if (ipAction != null) updates.Add(ipAction);
                    if (permissionAction != null) updates.Add(permissionAction);
                }
                changed = ipAction != null || permissionAction != null;
                if (manualSteps.Count > 0)
                {
                    var step = NewAction(KeyPlanActionKind.Manual, key, current);
                    step.Steps = DistinctSteps(manualSteps);
                    step.Changes = manualChanges.ToArray();
                    manual.Add(step);
                }
                if (!changed)
                {
                    Unchanged++;
                    if (inputs.IncludeUnchanged) same.Add(NewAction(KeyPlanActionKind.NoChange, key, current));
                }
            }

            // True only when the full comparison below would find nothing at all to do or say about the key: recorded with
            // the declared type and public key, every permission reported and equal, the whitelist equal as a set, and no
            // manual step. Anything else takes the full path, which explains itself.
            private bool IsAsDeclared(DesiredKey key, LiveKey current)
            {
                var record = current.Record;
                if (record is null || record.Permissions != null || current.Ip is null || key.SymbolWhitelist.Count > 0) return false;
                if (key.Type != null && key.Type != record.Type) return false;
                if (key.PublicKeyPem != null && record.PublicKeyFingerprint != null && Fingerprint(key) != record.PublicKeyFingerprint) return false;
                int wanted = PermissionMask.Of(key.Permissions) | PermissionMask.Of(ApiKeyPermission.Reading);
                int reported = current.ReportedMask;
                // Every wanted permission is reported (so none is unknown or web-UI only), and the reported ones match.
                if ((wanted & ~reported) != 0 || ((wanted ^ current.EnabledMask) & reported) != 0) return false;
                return SameWhitelist(key, current.Ip);
            }

            private static bool SameWhitelist(DesiredKey key, IpRestriction ip)
            {
                bool restrict = key.IpAccess == IpAccessMode.TrustedIps;
                if (restrict != ip.IpRestrict) return false;
                if (!restrict) return true;
                var wanted = key.IpWhitelist;
                var live = ip.IpList;
                for (int i = 0; i < wanted.Count; i++)
                {
                    if (!Contains(live, wanted[i].Value)) return false;
                }
                for (int i = 0; i < live.Count; i++)
                {
                    bool found = false;
                    for (int j = 0; j < wanted.Count && !found; j++) found = SameAddress(wanted[j].Value, live[i]);
                    if (!found) return false;
                }
                return true;
            }

            private static bool Contains(IReadOnlyList<string> list, string address)
            {
                for (int i = 0; i < list.Count; i++)
                {
                    if (SameAddress(list[i], address)) return true;
                }
                return false;
            }

            // Addresses compare case-insensitively and without surrounding blanks, as the full comparison does.
            private static bool SameAddress(string a, string b) =>
                string.Equals(a, b, StringComparison.OrdinalIgnoreCase) || string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

            private KeyPlanAction? PlanIp(DesiredKey key, LiveKey current)
            {
                var ip = current.Ip!;
                bool restrictWanted = key.IpAccess == IpAccessMode.TrustedIps;
                var wantedIps = key.IpWhitelist.Select(e => e.Value.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                var currentIps = ip.IpRestrict ? ip.IpList.Select(a => a.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList() : new List<string>();
                bool same = restrictWanted == ip.IpRestrict && (!restrictWanted || new HashSet<string>(currentIps, StringComparer.OrdinalIgnoreCase).SetEquals(wantedIps));
                if (same) return null;
                var action = NewAction(KeyPlanActionKind.UpdateIpWhitelist, key, current);
                var added = restrictWanted ? wantedIps.Where(a => !currentIps.Contains(a, StringComparer.OrdinalIgnoreCase)).ToList() : new List<string>();
                var removed = currentIps.Where(a => !restrictWanted || !wantedIps.Contains(a, StringComparer.OrdinalIgnoreCase)).ToList();
                action.Changes = new[]
                {
                    SetChange("ipWhitelist", ip.IpRestrict ? currentIps : null, restrictWanted ? wantedIps : null, current.IpSource, added, removed),
                };
                action.Calls = CallEstimate.UpdateIpWhitelist(endpoints!, restrictWanted, removed.Count > 0).ToArray();
                if (current.IpSource == ValueSource.Cache)
                {
                    action.Reason = "The current whitelist comes from the local cache; the apply reads it from Binance before it writes.";
                }
                return action;
            }

            private void PlanCreate(DesiredKey key, ISet<ApiKeyPermission> wanted, List<ApiKeyPermission> notSettable)
            {
                var action = NewAction(KeyPlanActionKind.Create, key, null);
                var settable = new HashSet<ApiKeyPermission>(wanted.Except(notSettable));
                action.DesiredPermission = settable.OrderBy(p => p).ToArray();
                action.Changes = CreationChanges(key, settable);
                bool restricted = key.IpAccess == IpAccessMode.TrustedIps;
                action.Calls = CallEstimate.Create(endpoints!, reference.Kind, key.PublicKeyPem != null,
                    settable.Contains(ApiKeyPermission.FixApiTrading) || settable.Contains(ApiKeyPermission.FixApiReading),
                    new HashSet<ApiKeyPermission>(action.DesiredPermission), restricted ? action.DesiredIpAddress.Length : 0).ToArray();
                creates.Add(action);

                var steps = new List<string>();
                if (notSettable.Count > 0) steps.AddRange(WebUiSteps.For(reference, key.Label, $"once the key exists, enable {Names(notSettable)} (Binance's API cannot set {(notSettable.Count == 1 ? "it" : "them")})"));
                if (key.SymbolWhitelist.Count > 0) steps.AddRange(WebUiSteps.For(reference, key.Label, $"set the symbol whitelist to {string.Join(", ", key.SymbolWhitelist.Select(s => s.Value))}"));
                if (steps.Count > 0)
                {
                    var step = NewAction(KeyPlanActionKind.Manual, key, null);
                    step.Steps = DistinctSteps(steps);
                    manual.Add(step);
                }
            }

            // A third party's IP whitelist is chosen in the web UI: the whole key is a manual step, create or change.
            private void PlanThirdParty(DesiredKey key, LiveKey? current, ISet<ApiKeyPermission> wanted)
            {
                var action = NewAction(KeyPlanActionKind.Manual, key, current);
                string settings = $"IP access: the third-party restriction '{key.ThirdPartyName}'; permissions {SortedNames(wanted)}";
                action.Steps = current is null
                    ? WebUiSteps.For(reference, key.Label, $"create the key '{key.Label}' ({(key.Type is null ? "?" : ContractNames.Of(key.Type.Value))}) with {settings}").ToArray()
                    : WebUiSteps.For(reference, current.ApiKey, $"make sure it has {settings}").ToArray();
                action.Reason = "A third-party IP restriction is chosen in the web UI; the API can neither set nor report it.";
                action.Changes = new[] { new KeyPropertyChange { Property = "ipAccess", Before = NotReported, After = $"thirdParty '{key.ThirdPartyName}'", BeforeSource = ValueSource.Unknown } };
                manual.Add(action);
            }

            private void PlanReplace(DesiredKey key, LiveKey current, ISet<ApiKeyPermission> wanted, List<ApiKeyPermission> notSettable, KeyPropertyChange[] why)
            {
                var action = NewAction(KeyPlanActionKind.Replace, key, current);
                var settable = new HashSet<ApiKeyPermission>(wanted.Except(notSettable));
                action.DesiredPermission = settable.OrderBy(p => p).ToArray();
                action.Changes = why;
                action.Calls = CallEstimate.Concat(
                    CallEstimate.Create(endpoints!, reference.Kind, key.PublicKeyPem != null,
                        settable.Contains(ApiKeyPermission.FixApiTrading) || settable.Contains(ApiKeyPermission.FixApiReading), settable,
                        key.IpAccess == IpAccessMode.TrustedIps ? action.DesiredIpAddress.Length : 0),
                    CallEstimate.Delete(endpoints!)).ToArray();
                replaces.Add(action);
                if (notSettable.Count > 0 || key.SymbolWhitelist.Count > 0)
                {
                    var steps = new List<string>();
                    if (notSettable.Count > 0) steps.AddRange(WebUiSteps.For(reference, key.Label, $"on the new key, enable {Names(notSettable)}"));
                    if (key.SymbolWhitelist.Count > 0) steps.AddRange(WebUiSteps.For(reference, key.Label, $"on the new key, set the symbol whitelist to {string.Join(", ", key.SymbolWhitelist.Select(s => s.Value))}"));
                    var step = NewAction(KeyPlanActionKind.Manual, key, null);
                    step.Steps = DistinctSteps(steps);
                    manual.Add(step);
                }
            }

            // A key is replaced when its type or public key changed; both are known only from the module's record.
            private KeyPropertyChange[]? ReplaceReason(DesiredKey key, LiveKey current)
            {
                var record = current.Record;
                if (record is null)
                {
                    notes.Add($"{Subject(key)}: Binance does not report a key's type or public key, and the module has no record of creating {current.ApiKey}, so the plan cannot tell whether its type or public key differ from the file.");
                    return null;
                }
                var changes = new List<KeyPropertyChange>();
                if (key.Type != null && key.Type != record.Type)
                {
                    changes.Add(new KeyPropertyChange { Property = "type", Before = ContractNames.Of(record.Type), After = ContractNames.Of(key.Type.Value), BeforeSource = ValueSource.Record });
                }
                string? fingerprint = Fingerprint(key);
                if (fingerprint != null && record.PublicKeyFingerprint != null && fingerprint != record.PublicKeyFingerprint)
                {
                    changes.Add(new KeyPropertyChange { Property = "publicKey", Before = "SHA256:" + record.PublicKeyFingerprint, After = "SHA256:" + fingerprint, BeforeSource = ValueSource.Record });
                }
                return changes.Count > 0 ? changes.ToArray() : null;
            }

            private void PlanOwnKey(DesiredKey key)
            {
                // docs/binance.md §0.1: the caller's own keys are web-UI only, and the API reads none but the connected one.
                var action = NewAction(KeyPlanActionKind.Manual, key, null);
                string settings = $"permissions {SortedNames(key.PermissionSet.Append(ApiKeyPermission.Reading))}; " +
                    (key.IpAccess == IpAccessMode.TrustedIps ? "IP access restricted to " + string.Join(", ", key.IpWhitelist.Select(e => e.Value)) : "IP access " + ContractNames.Of(key.IpAccess)) +
                    (key.SymbolWhitelist.Count > 0 ? "; symbol whitelist " + string.Join(", ", key.SymbolWhitelist.Select(s => s.Value)) : string.Empty);
                action.Steps = WebUiSteps.CreateOwnKey(key.Label, settings).ToArray();
                action.Reason = "Keys of the calling account itself can be created, changed and read only in the web UI: check that the key exists with these settings.";
                action.Changes = new[] { new KeyPropertyChange { Property = "key", Before = "(only the web UI shows it)", After = settings, BeforeSource = ValueSource.Unknown } };
                manual.Add(action);
            }

            // ---- keys on Binance that the file does not declare ------------------------------------------------------

            private void PlanUndeclared(List<LiveKey> undeclared)
            {
                var orphans = inputs.Orphans.Where(o => SameAccount(o.Account, reference)).ToList();
                // A replace creates the new key before it deletes the old one; a replace cut off in between leaves the old one.
                var replaced = new HashSet<string>(live.Keys.Select(k => k.Record?.Replaces).Where(r => r != null)!, StringComparer.Ordinal);
                var deleting = new List<LiveKey>();
                foreach (var key in undeclared)
                {
                    var orphan = orphans.FirstOrDefault(o => o.ApiKey == key.ApiKey);
                    bool connected = string.Equals(key.ApiKey, inputs.ConnectedApiKey, StringComparison.Ordinal);
                    if (orphan.ApiKey != null && !connected)
                    {
                        var action = DeleteAction(key);
                        action.Reason = "Left by an interrupted create: Binance made the key, but its one-time secret never reached its store, so nobody can use it.";
                        deletes.Add(action);
                        continue;
                    }
                    if (replaced.Contains(key.ApiKey) && !connected)
                    {
                        var action = DeleteAction(key);
                        action.Reason = "Left by an interrupted replace: the new key exists and was verified; the old one is deleted now.";
                        deletes.Add(action);
                        continue;
                    }
                    if (!desired.Prune)
                    {
                        notes.Add($"Account '{desired.Name}': {Describe(key)} is on Binance but not in the file; prune is off, so it stays.");
                        undeclaredKeys.Add(Undeclared(key, UndeclaredKeyStatus.Kept));
                        continue;
                    }
                    if (connected)
                    {
                        notes.Add($"Account '{desired.Name}': {Describe(key)} is the key this session is connected with; prune never deletes it.");
                        undeclaredKeys.Add(Undeclared(key, UndeclaredKeyStatus.ConnectedKey));
                        continue;
                    }
                    if (key.IsMasked)
                    {
                        notes.Add($"Account '{desired.Name}': {Describe(key)} is not in the file, but Binance lists it only masked and the module did not create it, so it cannot be deleted through the API; delete it in the web UI.");
                        undeclaredKeys.Add(Undeclared(key, UndeclaredKeyStatus.WebUiOnly));
                        continue;
                    }
                    deleting.Add(key);
                    deletes.Add(DeleteAction(key));
                }
                if (deleting.Count > 0 && deleting.Count == live.Keys.Count && desired.Keys.Count == 0)
                {
                    notes.Add($"Account '{desired.Name}': the plan deletes every key of the account ({deleting.Count}), because the file declares none and prune is on.");
                }
            }

            private KeyPlanAction DeleteAction(LiveKey key)
            {
                var action = new KeyPlanAction
                {
                    Kind = KeyPlanActionKind.Delete,
                    Account = desired.Name,
                    AccountKind = reference.Kind,
                    Email = reference.Email,
                    BrokerSubAccountId = reference.BrokerSubAccountId,
                    Label = key.Label ?? key.ApiKey,
                    ApiKey = key.ApiKey,
                    Type = key.Record?.Type,
                    BeforePermission = key.Enabled.OrderBy(p => p).ToArray(),
                    BeforeIpRestricted = key.Ip?.IpRestrict,
                    BeforeIpAddress = key.Ip?.IpList.ToArray(),
                    Calls = CallEstimate.Delete(endpoints!).ToArray(),
                };
                action.Changes = new[] { new KeyPropertyChange { Property = "key", Before = key.ApiKey, After = "(deleted)", BeforeSource = ValueSource.Live } };
                return action;
            }

            private UndeclaredKey Undeclared(LiveKey key, UndeclaredKeyStatus status)
            {
                var (enabled, reported) = KnownPermissions(key);
                return new UndeclaredKey
                {
                    Account = desired.Name,
                    AccountKind = reference.Kind,
                    Email = reference.Email,
                    BrokerSubAccountId = reference.BrokerSubAccountId,
                    Label = key.Label,
                    ApiKey = key.ApiKey,
                    IsMasked = key.IsMasked,
                    Status = status,
                    Type = key.Record?.Type,
                    PublicKeyFingerprint = key.Record?.PublicKeyFingerprint,
                    Secret = key.Record?.SecretDestination,
                    Permission = enabled.OrderBy(p => p).ToArray(),
                    UnknownPermission = PermissionCatalog.All.Select(d => d.Permission)
                        .Where(p => p != ApiKeyPermission.Reading && PermissionCatalog.Get(p).IsSettableByApi(reference.Kind) && !reported.Contains(p)).OrderBy(p => p).ToArray(),
                    IpRestricted = key.Ip?.IpRestrict,
                    IpAddress = key.Ip != null && key.Ip.IpRestrict ? key.Ip.IpList.Select(a => a.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray() : Array.Empty<string>(),
                    IpSource = key.Ip is null ? ValueSource.Unknown : key.IpSource,
                    CreateTime = key.Remote.CreateTime,
                };
            }

            // ---- helpers ------------------------------------------------------------------------------------------

            // The permissions Binance reports (enabled, and reported at all), completed with what the module last set
            // where Binance does not report it back (broker switches).
            private (ISet<ApiKeyPermission> Enabled, ISet<ApiKeyPermission> Reported) KnownPermissions(LiveKey current)
            {
                var enabled = current.Enabled;
                var reported = current.Reported;
                foreach (var remembered in current.Record?.Permissions ?? Array.Empty<ApiKeyPermission>())
                {
                    if (!reported.Contains(remembered)) { reported.Add(remembered); enabled.Add(remembered); }
                }
                if (current.Record?.Permissions != null)
                {
                    foreach (var p in PermissionCatalog.All.Select(d => d.Permission).Where(p => PermissionCatalog.Get(p).IsSettableByApi(reference.Kind))) reported.Add(p);
                }
                return (enabled, reported);
            }

            private KeyPlanAction NewAction(KeyPlanActionKind kind, DesiredKey key, LiveKey? current)
            {
                var wanted = key.PermissionSet;
                wanted.Add(ApiKeyPermission.Reading);
                var publicKey = PublicKeyOf(key);
                return new KeyPlanAction
                {
                    Kind = kind,
                    Account = desired.Name,
                    AccountKind = reference.Kind,
                    Email = reference.Email,
                    BrokerSubAccountId = reference.BrokerSubAccountId,
                    Label = key.Label,
                    ApiKey = current?.ApiKey,
                    Type = key.Type,
                    DesiredPermission = wanted.OrderBy(p => p).ToArray(),
                    DesiredIpAccess = key.IpAccess,
                    DesiredIpAddress = key.IpAccess == IpAccessMode.TrustedIps ? key.IpWhitelist.Select(e => e.Value.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray() : Array.Empty<string>(),
                    PublicKeyPem = publicKey?.Pem,
                    PublicKeyFingerprint = publicKey?.Fingerprint,
                    Secret = key.Type == ApiKeyType.Hmac ? key.Secret : null,
                    BeforeIpRestricted = current?.Ip?.IpRestrict,
                    BeforeIpAddress = current?.Ip?.IpList.ToArray(),
                    BeforePermission = current?.Enabled.OrderBy(p => p).ToArray(),
                };
            }

            private KeyPropertyChange[] CreationChanges(DesiredKey key, ISet<ApiKeyPermission> permissions)
            {
                var changes = new List<KeyPropertyChange>
                {
                    new KeyPropertyChange { Property = "type", Before = "(none)", After = key.Type is null ? "?" : ContractNames.Of(key.Type.Value), BeforeSource = ValueSource.Live },
                    new KeyPropertyChange { Property = "permissions", Before = "(none)", After = SortedNames(permissions), BeforeSource = ValueSource.Live, Added = permissions.OrderBy(p => p).Select(PermissionCatalog.NameOf).ToArray() },
                    new KeyPropertyChange
                    {
                        Property = "ipWhitelist", Before = "(none)", BeforeSource = ValueSource.Live,
                        After = key.IpAccess == IpAccessMode.TrustedIps ? string.Join(", ", key.IpWhitelist.Select(e => e.Value)) : ContractNames.Of(key.IpAccess),
                        Added = key.IpWhitelist.Select(e => e.Value).ToArray(),
                    },
                };
                string? fingerprint = Fingerprint(key);
                if (fingerprint != null) changes.Add(new KeyPropertyChange { Property = "publicKey", Before = "(none)", After = "SHA256:" + fingerprint, BeforeSource = ValueSource.Live });
                if (key.Type == ApiKeyType.Hmac && key.Secret != null) changes.Add(new KeyPropertyChange { Property = "secret", Before = "(none)", After = key.Secret + " (the one-time secret is stored there, never shown)", BeforeSource = ValueSource.Live });
                return changes.ToArray();
            }

            private Crypto.PublicKey? PublicKeyOf(DesiredKey key)
            {
                if (key.PublicKeyPem is null) return null;
                if (!publicKeys.TryGetValue(key.PublicKeyPem, out var parsed))
                {
                    try
                    {
                        parsed = Crypto.PrivateKeyPem.Read(key.PublicKeyPem, null, "the public key of " + key.Label).PublicKey;
                    }
                    catch (Crypto.KeyFileException)
                    {
                        parsed = null; // the policy check reports unreadable key material (BN021)
                    }
                    publicKeys[key.PublicKeyPem] = parsed;
                }
                return parsed;
            }

            private string? Fingerprint(DesiredKey key) => PublicKeyOf(key)?.Fingerprint;

            private static bool IsFix(ApiKeyPermission p) => p == ApiKeyPermission.FixApiTrading || p == ApiKeyPermission.FixApiReading;

            private string Subject(DesiredKey key) => $"Key '{key.Label}' of account '{desired.Name}'";

            private static string Describe(LiveKey key) => key.Label != null ? $"the key '{key.Label}' ({key.ApiKey})" : $"the key {key.ApiKey}";

            private static bool SameAccount(AccountReference a, AccountReference b) =>
                a.Kind == b.Kind && string.Equals(a.Email, b.Email, StringComparison.OrdinalIgnoreCase) && a.BrokerSubAccountId == b.BrokerSubAccountId;

            // Several web-UI tasks for one key share their first steps (log in, open the page): listed once.
            private static string[] DistinctSteps(List<string> steps) => steps.Distinct().ToArray();
        }

        private static KeyPropertyChange SetChange(string property, IEnumerable<string>? before, IEnumerable<string>? after, ValueSource source,
            IEnumerable<string> added, IEnumerable<string> removed) => new KeyPropertyChange
        {
            Property = property,
            Before = before is null ? "(unrestricted)" : Join(before),
            After = after is null ? "(unrestricted)" : Join(after),
            BeforeSource = source,
            Added = added.ToArray(),
            Removed = removed.ToArray(),
        };

        private static KeyPropertyChange SetChange(string property, string before, string after, ValueSource source,
            IEnumerable<ApiKeyPermission> added, IEnumerable<ApiKeyPermission> removed) => new KeyPropertyChange
        {
            Property = property,
            Before = before,
            After = after,
            BeforeSource = source,
            Added = added.OrderBy(p => p).Select(PermissionCatalog.NameOf).ToArray(),
            Removed = removed.OrderBy(p => p).Select(PermissionCatalog.NameOf).ToArray(),
        };

        private static string Join(IEnumerable<string> items)
        {
            var list = items.ToList();
            return list.Count == 0 ? "(none)" : "[" + string.Join(", ", list) + "]";
        }

        private static string SortedNames(IEnumerable<ApiKeyPermission> permissions) =>
            "[" + string.Join(", ", permissions.Distinct().OrderBy(p => p).Select(PermissionCatalog.NameOf)) + "]";

        private static string Names(IEnumerable<ApiKeyPermission> permissions) =>
            string.Join(", ", permissions.Distinct().OrderBy(p => p).Select(p => "'" + PermissionCatalog.Get(p).DisplayName + "'"));
    }
}

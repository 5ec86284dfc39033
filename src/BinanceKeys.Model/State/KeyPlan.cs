using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace BinanceKeys
{
    /// <summary>What a plan proposes for one key.</summary>
    public enum KeyPlanActionKind
    {
        /// <summary>The key is as declared; listed only with -IncludeUnchanged.</summary>
        NoChange,

        /// <summary>The key is declared and does not exist: create it.</summary>
        Create,

        /// <summary>The key's permissions differ: one call sets them.</summary>
        UpdatePermissions,

        /// <summary>The key's IP whitelist differs (additions and removals together).</summary>
        UpdateIpWhitelist,

        /// <summary>The key's type or public key changed: create the new key, verify it, then delete the old one.</summary>
        Replace,

        /// <summary>The key exists on Binance and the file does not declare it (with prune: true), or it was left by an interrupted apply.</summary>
        Delete,

        /// <summary>Only the web UI can do it: the exact steps are listed.</summary>
        Manual,
    }

    /// <summary>Where a value in a plan came from.</summary>
    public enum ValueSource
    {
        /// <summary>The desired-state file.</summary>
        File,

        /// <summary>Read from Binance for this plan.</summary>
        Live,

        /// <summary>The local cache of the last plan or apply (not read from Binance this time).</summary>
        Cache,

        /// <summary>The module's own record of what it uploaded (Binance does not report it).</summary>
        Record,

        /// <summary>Nobody knows: Binance does not report it and the module has no record.</summary>
        Unknown,
    }

    /// <summary>One property of a key that a plan changes, before and after; never a secret.</summary>
    public sealed class KeyPropertyChange
    {
        /// <summary>The property, as the desired-state file names it (permissions, ipWhitelist, type, publicKey).</summary>
        public string Property { get; set; } = string.Empty;

        /// <summary>The value now, as text ("(none)" when absent).</summary>
        public string Before { get; set; } = string.Empty;

        /// <summary>The value the plan sets.</summary>
        public string After { get; set; } = string.Empty;

        /// <summary>Where <see cref="Before"/> came from.</summary>
        public ValueSource BeforeSource { get; set; }

        /// <summary>Set elements added (permissions, IP addresses).</summary>
        public string[] Added { get; set; } = Array.Empty<string>();

        /// <summary>Set elements removed.</summary>
        public string[] Removed { get; set; } = Array.Empty<string>();

        /// <inheritdoc />
        public override string ToString() => $"{Property}: {Before} -> {After}";
    }

    /// <summary>A Binance endpoint an action calls, and how many times.</summary>
    public sealed class PlannedCall
    {
        /// <summary>Method and path, e.g. "POST /sapi/v1/sub-account/subAccountApiPermission".</summary>
        public string Endpoint { get; set; } = string.Empty;

        /// <summary>How many calls.</summary>
        public int Count { get; set; }

        /// <inheritdoc />
        public override string ToString() => Count == 1 ? Endpoint : $"{Endpoint} x{Count}";
    }

    /// <summary>One action of a plan: one key, one kind of change, with every changed property and the calls it makes.</summary>
    public sealed class KeyPlanAction
    {
        /// <summary>Position in the plan; actions run in this order within an account.</summary>
        public int Order { get; set; }

        /// <summary>What is done.</summary>
        public KeyPlanActionKind Kind { get; set; }

        /// <summary>The account's name in the desired-state file.</summary>
        public string Account { get; set; } = string.Empty;

        /// <summary>The account kind.</summary>
        public AccountKind AccountKind { get; set; }

        /// <summary>The sub-account email, for sub-accounts.</summary>
        public string? Email { get; set; }

        /// <summary>The broker sub-account id, for broker sub-accounts.</summary>
        public string? BrokerSubAccountId { get; set; }

        /// <summary>The key's label.</summary>
        public string Label { get; set; } = string.Empty;

        /// <summary>The existing key's API key (public identifier); null for a create.</summary>
        public string? ApiKey { get; set; }

        /// <summary>The key type the file declares (or, for a delete, what is known of the existing key).</summary>
        public ApiKeyType? Type { get; set; }

        /// <summary>Every property that changes, before and after.</summary>
        public KeyPropertyChange[] Changes { get; set; } = Array.Empty<KeyPropertyChange>();

        /// <summary>The Binance calls the action makes, reads included.</summary>
        public PlannedCall[] Calls { get; set; } = Array.Empty<PlannedCall>();

        /// <summary>For <see cref="KeyPlanActionKind.Manual"/>: the web-UI steps, in order.</summary>
        public string[] Steps { get; set; } = Array.Empty<string>();

        /// <summary>Why the action is there, when it is not obvious (e.g. a key left by an interrupted apply).</summary>
        public string? Reason { get; set; }

        /// <summary>The permissions the key should have (Reading included).</summary>
        public ApiKeyPermission[] DesiredPermission { get; set; } = Array.Empty<ApiKeyPermission>();

        /// <summary>The IP access the key should have.</summary>
        public IpAccessMode DesiredIpAccess { get; set; }

        /// <summary>The trusted IPs the key should have.</summary>
        public string[] DesiredIpAddress { get; set; } = Array.Empty<string>();

        /// <summary>For Ed25519/RSA creates and replaces: the public key to upload (public, not a secret).</summary>
        public string? PublicKeyPem { get; set; }

        /// <summary>SHA-256 of <see cref="PublicKeyPem"/>'s DER SubjectPublicKeyInfo, lowercase hex.</summary>
        public string? PublicKeyFingerprint { get; set; }

        /// <summary>For HMAC creates and replaces: where the one-time secret goes (<c>vault:NAME</c>); a reference, never the secret.</summary>
        public string? Secret { get; set; }

        /// <summary>The IP restriction the plan saw (null: not read), so that a change since is noticed before anything is written.</summary>
        public bool? BeforeIpRestricted { get; set; }

        /// <summary>The IP whitelist the plan saw.</summary>
        public string[]? BeforeIpAddress { get; set; }

        /// <summary>The permissions the plan saw on the existing key.</summary>
        public ApiKeyPermission[]? BeforePermission { get; set; }

        /// <summary>Whether the action needs the high-impact confirmation (deletes and replaces).</summary>
        public bool IsHighImpact => Kind == KeyPlanActionKind.Delete || Kind == KeyPlanActionKind.Replace;

        /// <summary>Whether the action changes anything on Binance.</summary>
        public bool IsChange => Kind != KeyPlanActionKind.NoChange && Kind != KeyPlanActionKind.Manual;

        /// <summary>The plan symbol: + create, ~ update, -/+ replace, - delete, ! manual, blank no change.</summary>
        public string Symbol => Kind switch
        {
            KeyPlanActionKind.Create => "+",
            KeyPlanActionKind.UpdatePermissions => "~",
            KeyPlanActionKind.UpdateIpWhitelist => "~",
            KeyPlanActionKind.Replace => "-/+",
            KeyPlanActionKind.Delete => "-",
            KeyPlanActionKind.Manual => "!",
            _ => " ",
        };

        /// <summary>"account/label".</summary>
        public string Target => Account + "/" + Label;

        /// <inheritdoc />
        public override string ToString() => $"{Symbol} {Target} ({Kind})";
    }

    /// <summary>An account a plan read, with the fingerprint of its live state (a saved plan is refused when it changed).</summary>
    public sealed class KeyPlanAccount
    {
        /// <summary>The account's name in the file.</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>The account kind.</summary>
        public AccountKind AccountKind { get; set; }

        /// <summary>The sub-account email.</summary>
        public string? Email { get; set; }

        /// <summary>The broker sub-account id.</summary>
        public string? BrokerSubAccountId { get; set; }

        /// <summary>Keys on Binance when the plan was made.</summary>
        public int LiveKeyCount { get; set; }

        /// <summary>SHA-256 over what the key query reported (keys, labels, permissions): checked again before an apply.</summary>
        public string KeysFingerprint { get; set; } = string.Empty;

        /// <summary>SHA-256 over everything the plan read of the account, IP whitelists included.</summary>
        public string Fingerprint { get; set; } = string.Empty;

        /// <summary>Whether the account's keys could be read at all (own-account keys cannot, except the connected one).</summary>
        public bool Readable { get; set; } = true;

        /// <inheritdoc />
        public override string ToString() => $"{Name} ({LiveKeyCount} keys)";
    }

    /// <summary>
    /// A plan: what it takes to make Binance match a desired-state file, as data. Saved with -OutFile as versioned JSON
    /// (no secrets), applied with Invoke-BinanceKeyPlan, refused when the live state it was made from has changed.
    /// </summary>
    public sealed class KeyPlan
    {
        /// <summary>The version of the saved plan format this object follows.</summary>
        public const int CurrentFormatVersion = 1;

        /// <summary>The saved plan format's version.</summary>
        public int FormatVersion { get; set; } = CurrentFormatVersion;

        /// <summary>The module version that made the plan.</summary>
        public string? ModuleVersion { get; set; }

        /// <summary>When the plan was made.</summary>
        public DateTimeOffset CreatedAt { get; set; }

        /// <summary>The Binance endpoint the live state was read from.</summary>
        public string Endpoint { get; set; } = string.Empty;

        /// <summary>The desired-state file or folder.</summary>
        public string Path { get; set; } = string.Empty;

        /// <summary>The files it consisted of.</summary>
        public string[] SourceFiles { get; set; } = Array.Empty<string>();

        /// <summary>SHA-256 over the files' contents: a saved plan is refused when the file changed since.</summary>
        public string SourceFingerprint { get; set; } = string.Empty;

        /// <summary>The accounts named with -Account (empty: all of the file's accounts).</summary>
        public string[] AccountFilter { get; set; } = Array.Empty<string>();

        /// <summary>The accounts read, with their fingerprints.</summary>
        public KeyPlanAccount[] Accounts { get; set; } = Array.Empty<KeyPlanAccount>();

        /// <summary>The actions, in the order they run.</summary>
        public KeyPlanAction[] Actions { get; set; } = Array.Empty<KeyPlanAction>();

        /// <summary>The policy findings of the file, with the facts Binance reported filled in.</summary>
        public PolicyFinding[] Findings { get; set; } = Array.Empty<PolicyFinding>();

        /// <summary>What the plan could not tell or decide, and other warnings (also written to the warning stream).</summary>
        public string[] Notes { get; set; } = Array.Empty<string>();

        /// <summary>Keys on Binance that the file does not declare and the plan leaves as they are (prune off, the connected key, or a key only the web UI can delete).</summary>
        public UndeclaredKey[] Undeclared { get; set; } = Array.Empty<UndeclaredKey>();

        /// <summary>The time the changes take at Binance's rate limits (busiest endpoint: about 60 calls a minute).</summary>
        public TimeSpan EstimatedDuration { get; set; }

        /// <summary>Whether applying the plan would change anything on Binance.</summary>
        public bool HasChanges => Actions.Any(a => a.IsChange);

        /// <summary>Keys to create.</summary>
        public int CreateCount => Count(KeyPlanActionKind.Create);

        /// <summary>Permission updates.</summary>
        public int UpdatePermissionsCount => Count(KeyPlanActionKind.UpdatePermissions);

        /// <summary>IP whitelist updates.</summary>
        public int UpdateIpWhitelistCount => Count(KeyPlanActionKind.UpdateIpWhitelist);

        /// <summary>Keys to replace.</summary>
        public int ReplaceCount => Count(KeyPlanActionKind.Replace);

        /// <summary>Keys to delete.</summary>
        public int DeleteCount => Count(KeyPlanActionKind.Delete);

        /// <summary>Manual steps in the web UI.</summary>
        public int ManualCount => Count(KeyPlanActionKind.Manual);

        /// <summary>Unchanged keys (counted whether or not they are listed).</summary>
        public int NoChangeCount { get; set; }

        private int Count(KeyPlanActionKind kind) => Actions.Count(a => a.Kind == kind);

        /// <summary>One line: "Plan: 2 to create, 1 to update, 0 to replace, 0 to delete, 1 manual, 5 unchanged."</summary>
        public string Summary =>
            string.Format(CultureInfo.InvariantCulture, "Plan: {0} to create, {1} to update, {2} to replace, {3} to delete, {4} manual, {5} unchanged.",
                CreateCount, UpdatePermissionsCount + UpdateIpWhitelistCount, ReplaceCount, DeleteCount, ManualCount, NoChangeCount);

        /// <summary>The plan as text, the way terraform plan reads: one block per action, then the summary.</summary>
        public string Render()
        {
            var text = new StringBuilder();
            foreach (var action in Actions)
            {
                text.Append(action.Symbol.PadLeft(3)).Append(' ').Append(action.Target);
                text.Append(" (").Append(Describe(action)).Append(')').AppendLine();
                if (action.Reason != null) text.Append("      # ").AppendLine(action.Reason);
                foreach (var change in action.Changes)
                {
                    text.Append("      ").Append(change.Property).Append(": ").Append(change.Before).Append(" -> ").Append(change.After);
                    if (change.BeforeSource != ValueSource.Live && change.BeforeSource != ValueSource.File) text.Append("   (before: ").Append(change.BeforeSource.ToString().ToLowerInvariant()).Append(')');
                    text.AppendLine();
                }
                for (int i = 0; i < action.Steps.Length; i++) text.Append("      ").Append(i + 1).Append(". ").AppendLine(action.Steps[i]);
            }
            if (Actions.Length > 0) text.AppendLine();
            foreach (string note in Notes) text.Append("Note: ").AppendLine(note);
            text.Append(Summary);
            if (HasChanges) text.AppendLine().Append("Estimated time at Binance's rate limits: ").Append(FormatDuration(EstimatedDuration)).Append('.');
            return text.ToString();
        }

        private static string Describe(KeyPlanAction action) => action.Kind switch
        {
            KeyPlanActionKind.Create => "create " + (action.Type?.ToString().ToLowerInvariant() ?? "key"),
            KeyPlanActionKind.UpdatePermissions => "update permissions",
            KeyPlanActionKind.UpdateIpWhitelist => "update IP whitelist",
            KeyPlanActionKind.Replace => "replace: the new key is created and verified before the old one is deleted",
            KeyPlanActionKind.Delete => "delete " + (action.ApiKey ?? "key"),
            KeyPlanActionKind.Manual => "manual step in the web UI",
            _ => "no change",
        };

        /// <summary>"about 3 min", "12 s".</summary>
        public static string FormatDuration(TimeSpan duration) =>
            duration.TotalMinutes >= 1 ? string.Format(CultureInfo.InvariantCulture, "about {0:0.#} min", duration.TotalMinutes)
                : string.Format(CultureInfo.InvariantCulture, "{0:0} s", Math.Ceiling(duration.TotalSeconds));

        /// <inheritdoc />
        public override string ToString() => Summary;
    }

    /// <summary>Why a plan leaves a key that the file does not declare on Binance.</summary>
    public enum UndeclaredKeyStatus
    {
        /// <summary>The account has prune off: the key is reported and kept.</summary>
        Kept,

        /// <summary>The key this session is connected with: prune never deletes it.</summary>
        ConnectedKey,

        /// <summary>Prune is on, but Binance lists the key only masked and the module did not create it: only the web UI can delete it.</summary>
        WebUiOnly,
    }

    /// <summary>A key on Binance that the desired-state file does not declare, as the plan read it; never a secret.</summary>
    public sealed class UndeclaredKey
    {
        /// <summary>The account's name in the file.</summary>
        public string Account { get; set; } = string.Empty;

        /// <summary>The account kind.</summary>
        public AccountKind AccountKind { get; set; }

        /// <summary>The sub-account email, for sub-accounts.</summary>
        public string? Email { get; set; }

        /// <summary>The broker sub-account id, for broker sub-accounts.</summary>
        public string? BrokerSubAccountId { get; set; }

        /// <summary>The label: Binance's apiName, else the module's record (broker keys); null when neither knows it.</summary>
        public string? Label { get; set; }

        /// <summary>The API key (public identifier); masked (<c>abc***</c>) when Binance masks it and the module has no record.</summary>
        public string ApiKey { get; set; } = string.Empty;

        /// <summary>Whether <see cref="ApiKey"/> is masked, so that the key can be neither changed nor deleted through the API.</summary>
        public bool IsMasked { get; set; }

        /// <summary>Why the plan leaves it.</summary>
        public UndeclaredKeyStatus Status { get; set; }

        /// <summary>The key type, from the module's record; null when unknown (Binance does not report it).</summary>
        public ApiKeyType? Type { get; set; }

        /// <summary>SHA-256 of the public key the module uploaded, lowercase hex; null when unknown or HMAC.</summary>
        public string? PublicKeyFingerprint { get; set; }

        /// <summary>Where the module stored the key's one-time HMAC secret (<c>vault:NAME</c>); a reference, never the secret.</summary>
        public string? Secret { get; set; }

        /// <summary>The permissions the key has (Reading included): what Binance reports, plus what the module set where Binance does not report it.</summary>
        public ApiKeyPermission[] Permission { get; set; } = Array.Empty<ApiKeyPermission>();

        /// <summary>Permissions the API could set on this kind of account whose state neither Binance nor the module's record tells.</summary>
        public ApiKeyPermission[] UnknownPermission { get; set; } = Array.Empty<ApiKeyPermission>();

        /// <summary>Whether the key is restricted to trusted IPs; null when the whitelist was not read.</summary>
        public bool? IpRestricted { get; set; }

        /// <summary>The trusted IPs.</summary>
        public string[] IpAddress { get; set; } = Array.Empty<string>();

        /// <summary>Where the IP whitelist came from.</summary>
        public ValueSource IpSource { get; set; }

        /// <summary>When Binance says the key was created.</summary>
        public DateTimeOffset? CreateTime { get; set; }

        /// <summary>"account/label".</summary>
        public string Target => Account + "/" + (Label ?? ApiKey);

        /// <inheritdoc />
        public override string ToString() => $"{Target} {ApiKey} ({Status})";
    }

    /// <summary>How one action of an apply ended.</summary>
    public enum KeyPlanResultStatus
    {
        /// <summary>Done and verified by reading back.</summary>
        Succeeded,

        /// <summary>Failed; an error record with a stable id says why.</summary>
        Failed,

        /// <summary>Not attempted (declined at the prompt, -WhatIf, stopped, or an earlier failure made it unsafe).</summary>
        Skipped,

        /// <summary>Only the web UI can do it: the steps are in the action.</summary>
        ManualStepRequired,
    }

    /// <summary>The outcome of one action of an apply.</summary>
    public sealed class KeyPlanResult
    {
        /// <summary>The action.</summary>
        public KeyPlanAction Action { get; set; } = new KeyPlanAction();

        /// <summary>How it ended.</summary>
        public KeyPlanResultStatus Status { get; set; }

        /// <summary>What happened, in one sentence; never a secret.</summary>
        public string Message { get; set; } = string.Empty;

        /// <summary>The error id when it failed (the same as the error record's).</summary>
        public string? ErrorId { get; set; }

        /// <summary>The key after the action (the new key for a create or replace).</summary>
        public string? ApiKey { get; set; }

        /// <summary>The action's kind.</summary>
        public KeyPlanActionKind Kind => Action.Kind;

        /// <summary>"account/label".</summary>
        public string Target => Action.Target;

        /// <summary>How long the action took.</summary>
        public TimeSpan Duration { get; set; }

        /// <inheritdoc />
        public override string ToString() => $"{Action.Symbol} {Target} {Action.Kind}: {Status}";
    }

    /// <summary>What differs between live and desired for one key (Test-BinanceKeyState -Detailed).</summary>
    public enum KeyStateDriftKind
    {
        /// <summary>Declared, not on Binance.</summary>
        Missing,

        /// <summary>On Binance, not declared, in an account with prune: true (the plan deletes it).</summary>
        Undeclared,

        /// <summary>A property differs.</summary>
        Changed,

        /// <summary>Binance cannot report it (own-account keys, withdrawals, symbol whitelists): only the web UI tells.</summary>
        Unverifiable,

        /// <summary>On Binance, not declared, in an account without prune (reported, never deleted).</summary>
        Unmanaged,
    }

    /// <summary>One difference between live and desired state.</summary>
    public sealed class KeyStateDrift
    {
        /// <summary>The account's name in the file.</summary>
        public string Account { get; set; } = string.Empty;

        /// <summary>The key's label (or its API key when the label is unknown).</summary>
        public string Label { get; set; } = string.Empty;

        /// <summary>The key on Binance, if it exists.</summary>
        public string? ApiKey { get; set; }

        /// <summary>What kind of difference.</summary>
        public KeyStateDriftKind Kind { get; set; }

        /// <summary>The property that differs (empty for a missing or undeclared key).</summary>
        public string Property { get; set; } = string.Empty;

        /// <summary>What the file wants.</summary>
        public string Desired { get; set; } = string.Empty;

        /// <summary>What Binance has.</summary>
        public string Actual { get; set; } = string.Empty;

        /// <summary>Where <see cref="Actual"/> came from (Live; Cache with -UseCache; Record for what only the module's record knows; Unknown when nobody can tell).</summary>
        public ValueSource ActualSource { get; set; } = ValueSource.Live;

        /// <summary>Why it is reported, or what to do about it, when that is not obvious.</summary>
        public string? Reason { get; set; }

        /// <summary>Whether it counts as drift (unverifiable and unmanaged entries are information only).</summary>
        public bool IsDrift => Kind == KeyStateDriftKind.Missing || Kind == KeyStateDriftKind.Undeclared || Kind == KeyStateDriftKind.Changed;

        /// <summary>"account/label".</summary>
        public string Target => Account + "/" + Label;

        /// <inheritdoc />
        public override string ToString() => Kind switch
        {
            KeyStateDriftKind.Missing => $"{Target} Missing: declared ({Desired}), not on Binance",
            KeyStateDriftKind.Changed => $"{Target} Changed {Property}: {Actual} on Binance, {Desired} in the file",
            KeyStateDriftKind.Undeclared => $"{Target} Undeclared: {Actual} is on Binance, not in the file" + (Reason is null ? string.Empty : "; " + Reason),
            KeyStateDriftKind.Unmanaged => $"{Target} Unmanaged: {Actual} is on Binance, not in the file" + (Reason is null ? string.Empty : "; " + Reason),
            _ => $"{Target} Unverifiable{(Property.Length == 0 ? string.Empty : " " + Property)}: the file wants {Desired}" + (Reason is null ? string.Empty : "; " + Reason),
        };
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using BinanceKeys.IO;
using BinanceKeys.Keys;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace BinanceKeys.State.Local
{
    /// <summary>
    /// What the module remembers between runs, per Binance endpoint, in a folder next to the vault (owner-only, no
    /// secrets): the record of the keys it created (type, public-key fingerprint, where the secret went, the label of
    /// broker keys that Binance does not keep), the journal of creates in flight, the IP-whitelist cache of the last
    /// plan, and the lock that keeps two applies from running at once.
    /// </summary>
    /// <remarks>
    /// Records and journal are append-only JSON-lines files (one change per line), so that recording one key costs one
    /// small write however many keys there are; they are compacted when they grow to twice their live size. Every
    /// change is written under a short cross-process lock and flushed to disk before the call returns.
    /// </remarks>
    public sealed class LocalKeyState : IKeyRecordBook
    {
        private const string RecordsFile = "records.jsonl";
        private const string JournalFile = "journal.jsonl";
        private const string CacheFile = "ip-cache.json";
        private const string ApplyLockFile = "apply.lock";
        private static readonly TimeSpan FileLockTimeout = TimeSpan.FromSeconds(30);

        internal static readonly JsonSerializerSettings Json = new JsonSerializerSettings
        {
            Converters = { new StringEnumConverter() },
            NullValueHandling = NullValueHandling.Ignore,
            DateParseHandling = DateParseHandling.DateTimeOffset,
            Formatting = Formatting.None,
        };

        private readonly object gate = new object();
        private readonly Dictionary<string, KeyRecord> records = new Dictionary<string, KeyRecord>(StringComparer.Ordinal);
        private readonly Dictionary<string, JournalEntry> journal = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
        private int recordLines;
        private int journalLines;

        private LocalKeyState(string folder) => Folder = folder;

        /// <summary>The folder the state lives in.</summary>
        public string Folder { get; }

        /// <summary>The environment variable that names the folder for the module's state (e.g. a folder a CI pipeline keeps between runs).</summary>
        public const string FolderVariable = "BINANCEKEYS_STATE";

        /// <summary>
        /// The state folder for an endpoint: <c>&lt;BINANCEKEYS_STATE&gt;/&lt;host&gt;[_&lt;port&gt;]</c>, else
        /// <c>state/&lt;host&gt;[_&lt;port&gt;]</c> beside the vault (the vault file <paramref name="vaultPath"/>, else
        /// BINANCEKEYS_VAULT, else the per-user default).
        /// </summary>
        public static string FolderFor(Uri endpoint, string? vaultPath = null) => FolderFor(endpoint, vaultPath, Environment.GetEnvironmentVariable);

        internal static string FolderFor(Uri endpoint, string? vaultPath, Func<string, string?> environment)
        {
            string name = endpoint.Host.Trim('[', ']').Replace(':', '-');
            if (!endpoint.IsDefaultPort) name += "_" + endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string? explicitFolder = environment(FolderVariable);
            if (!string.IsNullOrWhiteSpace(explicitFolder)) return Path.Combine(Path.GetFullPath(explicitFolder), name);
            string vault = Secrets.VaultLocation.Resolve(vaultPath);
            return Path.Combine(Path.GetDirectoryName(vault) ?? ".", "state", name);
        }

        /// <summary>Opens (creating, owner-only) the state folder and reads the records and the journal.</summary>
        public static LocalKeyState Open(string folder) => Open(folder, readOnly: false);

        /// <summary>
        /// Opens the state; <paramref name="readOnly"/> (for -WhatIf) creates and writes nothing: a missing folder reads as
        /// empty, and what would be recorded is kept in memory only.
        /// </summary>
        public static LocalKeyState Open(string folder, bool readOnly)
        {
            if (!readOnly) SecureFile.CreateDirectory(folder);
            var state = new LocalKeyState(folder) { ReadOnly = readOnly };
            if (!readOnly || Directory.Exists(folder)) state.Load();
            return state;
        }

        /// <summary>
        /// The module's records for <paramref name="endpoint"/>, beside the vault <paramref name="vaultPath"/> (see
        /// <see cref="FolderFor(Uri, string?)"/>), for a command that can do without them: null, with the reason in
        /// <paramref name="problem"/>, when the folder cannot be read (or, unless <paramref name="readOnly"/>, created).
        /// </summary>
        public static LocalKeyState? TryOpenRecords(Uri endpoint, string? vaultPath, bool readOnly, out string? problem)
        {
            problem = null;
            try
            {
                return Open(FolderFor(endpoint, vaultPath), readOnly);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is Secrets.VaultException)
            {
                problem = e.Message;
                return null;
            }
        }

        /// <summary>Whether nothing is written (a -WhatIf run).</summary>
        public bool ReadOnly { get; private set; }

        private string PathOf(string file) => Path.Combine(Folder, file);

        // ---- records ----------------------------------------------------------------------------------------------

        /// <inheritdoc />
        public KeyRecord? Find(AccountReference account, string reportedApiKey)
        {
            lock (gate)
            {
                int star = reportedApiKey.IndexOf('*');
                if (star < 0) return records.TryGetValue(RecordKey(account, reportedApiKey), out var exact) ? exact : null;
                // A masked broker key (docs/binance.md §2.6): the record whose key starts the same way, if only one does.
                string prefix = reportedApiKey.Substring(0, star);
                var matches = Of(account).Where(r => r.ApiKey.StartsWith(prefix, StringComparison.Ordinal)).Take(2).ToList();
                return matches.Count == 1 ? matches[0] : null;
            }
        }

        /// <inheritdoc />
        public IReadOnlyList<KeyRecord> Of(AccountReference account)
        {
            lock (gate)
            {
                string prefix = AccountKey(account) + "|";
                return records.Where(r => r.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(r => r.Value).ToList();
            }
        }

        /// <summary>Every record.</summary>
        public IReadOnlyList<KeyRecord> All()
        {
            lock (gate) return records.Values.ToList();
        }

        /// <summary>Records (or replaces the record of) a key.</summary>
        public void Record(KeyRecord record)
        {
            record.RecordedAt = record.RecordedAt == default ? DateTimeOffset.UtcNow : record.RecordedAt;
            Append(RecordsFile, new RecordLine { Op = "set", Record = record }, () =>
            {
                records[RecordKey(record.Account, record.ApiKey)] = record;
                recordLines++;
            });
        }

        /// <inheritdoc />
        public void Deleted(AccountReference account, string apiKey)
        {
            lock (gate)
            {
                if (!records.ContainsKey(RecordKey(account, apiKey))) return;
            }
            Append(RecordsFile, new RecordLine { Op = "delete", Record = new KeyRecord { AccountKind = account.Kind, Email = account.Email, BrokerSubAccountId = account.BrokerSubAccountId, ApiKey = apiKey } },
                () =>
                {
                    records.Remove(RecordKey(account, apiKey));
                    recordLines++;
                });
        }

        /// <inheritdoc />
        public void PermissionsSet(AccountReference account, string apiKey, IEnumerable<ApiKeyPermission> permissions)
        {
            KeyRecord? current;
            lock (gate) records.TryGetValue(RecordKey(account, apiKey), out current);
            if (current is null) return;
            var updated = Copy(current);
            updated.Permissions = permissions.Distinct().OrderBy(p => p).ToArray();
            updated.RecordedAt = DateTimeOffset.UtcNow;
            Record(updated);
        }

        // ---- journal ----------------------------------------------------------------------------------------------

        /// <inheritdoc />
        public PendingCreate BeginCreate(AccountReference account, string label, ApiKeyType type, string? publicKeyFingerprint, string? secretDestination, string? replaces)
        {
            var entry = new JournalEntry
            {
                Id = Guid.NewGuid().ToString("N"),
                ProcessId = CurrentProcess.Id,
                ProcessStart = CurrentProcess.Start,
                Machine = Environment.MachineName,
                StartedAt = DateTimeOffset.UtcNow,
                AccountKind = account.Kind,
                Email = account.Email,
                BrokerSubAccountId = account.BrokerSubAccountId,
                Label = label,
                Type = type,
                PublicKeyFingerprint = publicKeyFingerprint,
                SecretDestination = secretDestination,
                Replaces = replaces,
            };
            WriteJournal(entry);
            return new PendingCreate(entry.Id, account, label, type);
        }

        /// <inheritdoc />
        public void Created(PendingCreate create, string apiKey)
        {
            create.ApiKey = apiKey;
            UpdateJournal(create.Id, e => e.ApiKey = apiKey);
        }

        /// <inheritdoc />
        public void SecretStored(PendingCreate create) => UpdateJournal(create.Id, e => e.SecretStored = true);

        /// <inheritdoc />
        public void Completed(PendingCreate create, ApiKeyInfo key)
        {
            JournalEntry? entry;
            lock (gate) journal.TryGetValue(create.Id, out entry);
            Record(new KeyRecord
            {
                AccountKind = create.Account.Kind,
                Email = create.Account.Email,
                BrokerSubAccountId = create.Account.BrokerSubAccountId,
                Label = create.Label,
                ApiKey = key.ApiKey ?? create.ApiKey ?? string.Empty,
                Type = create.Type,
                PublicKeyFingerprint = entry?.PublicKeyFingerprint,
                SecretDestination = entry?.SecretDestination,
                Replaces = entry?.Replaces,
            });
            CloseEntry(create.Id);
        }

        /// <inheritdoc />
        public void Abandoned(PendingCreate create) => CloseEntry(create.Id);

        /// <inheritdoc />
        public void Unsettled(PendingCreate create) => UpdateJournal(create.Id, e => e.Unsettled = true);

        /// <summary>
        /// Journal entries left open by a process that is gone (it died or was killed mid-create), or whose create's
        /// outcome stayed unknown: the next plan turns them into actions (record the key, or delete an HMAC key whose
        /// secret was never stored).
        /// </summary>
        public IReadOnlyList<JournalEntry> Interrupted()
        {
            lock (gate)
            {
                return journal.Values.Where(e => e.Unsettled || !IsAlive(e)).OrderBy(e => e.StartedAt).ToList();
            }
        }

        /// <summary>Closes a journal entry (its create is settled).</summary>
        public void CloseEntry(string id)
        {
            lock (gate)
            {
                if (!journal.ContainsKey(id)) return;
            }
            Append(JournalFile, new JournalLine { Op = "close", Entry = new JournalEntry { Id = id } }, () =>
            {
                journal.Remove(id);
                journalLines++;
            });
        }

        private void WriteJournal(JournalEntry entry) =>
            Append(JournalFile, new JournalLine { Op = "set", Entry = entry }, () =>
            {
                journal[entry.Id] = entry;
                journalLines++;
            });

        private void UpdateJournal(string id, Action<JournalEntry> change)
        {
            JournalEntry? entry;
            lock (gate) journal.TryGetValue(id, out entry);
            if (entry is null) return;
            var updated = JsonConvert.DeserializeObject<JournalEntry>(JsonConvert.SerializeObject(entry, Json), Json)!;
            change(updated);
            WriteJournal(updated);
        }

        private static bool IsAlive(JournalEntry entry)
        {
            if (!string.Equals(entry.Machine, Environment.MachineName, StringComparison.OrdinalIgnoreCase)) return true; // not ours to judge
            if (entry.ProcessId == CurrentProcess.Id && entry.ProcessStart == CurrentProcess.Start) return true;
            try
            {
                using var process = Process.GetProcessById(entry.ProcessId);
                return StartOf(process) == entry.ProcessStart;
            }
            catch (ArgumentException)
            {
                return false; // no such process
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        // ---- cache ------------------------------------------------------------------------------------------------

        /// <summary>The IP whitelists read by the last plan or apply (not secret: addresses and times).</summary>
        public IpWhitelistCache ReadCache()
        {
            string path = PathOf(CacheFile);
            if (!File.Exists(path)) return new IpWhitelistCache();
            try
            {
                return JsonConvert.DeserializeObject<IpWhitelistCache>(File.ReadAllText(path, Encoding.UTF8), Json) ?? new IpWhitelistCache();
            }
            catch (JsonException)
            {
                // A damaged cache is only a cache: start afresh (the next plan reads everything live).
                return new IpWhitelistCache();
            }
        }

        /// <summary>Writes the cache (whole file, atomically).</summary>
        public void WriteCache(IpWhitelistCache cache)
        {
            if (ReadOnly) return;
            using (FileLock())
            {
                SecureFile.WriteAllText(PathOf(CacheFile), JsonConvert.SerializeObject(cache, Json), overwrite: true);
            }
        }

        // ---- apply lock -------------------------------------------------------------------------------------------

        /// <summary>
        /// Takes the apply lock for this endpoint, or refuses at once when another apply holds it: two applies on the
        /// same master account from one machine would race each other's reads and writes.
        /// </summary>
        public IDisposable AcquireApplyLock()
        {
            if (ReadOnly) throw new InvalidOperationException("A read-only state takes no lock: nothing may be applied with it.");
            string path = PathOf(ApplyLockFile);
            if (!File.Exists(path)) SecureFile.WriteAllBytes(path, Array.Empty<byte>(), overwrite: false);
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException error) when (error.GetType() == typeof(IOException))
            {
                string holder = ReadLockHolder(path);
                throw new KeyOperationException(KeyOperationError.ApplyInProgress,
                    $"Another apply is running against this Binance endpoint from this machine{holder}; two at once would race each other. " +
                    $"Wait for it to finish (its lock is '{path}').", error);
            }
            var owner = Encoding.UTF8.GetBytes($"process {CurrentProcess.Id} on {Environment.MachineName} since {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC");
            stream.SetLength(0);
            stream.Write(owner, 0, owner.Length);
            stream.Flush(true);
            return stream;
        }

        private static string ReadLockHolder(string path)
        {
            try
            {
                // The holder's stream denies sharing on Windows; on Unix the advisory lock still lets us read.
                using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                var buffer = new byte[200];
                int read = reader.Read(buffer, 0, buffer.Length);
                string text = Encoding.UTF8.GetString(buffer, 0, read).Trim();
                return text.Length > 0 ? $" ({text})" : string.Empty;
            }
            catch (IOException)
            {
                return string.Empty;
            }
        }

        // ---- files ------------------------------------------------------------------------------------------------

        private void Load()
        {
            // Read-only: no lock file either; a line cut short by a writer at this moment is skipped like a crashed one.
            using (ReadOnly ? null : FileLock())
            {
                foreach (var line in ReadLines<RecordLine>(RecordsFile))
                {
                    recordLines++;
                    if (line.Record is null) continue;
                    string key = RecordKey(line.Record.Account, line.Record.ApiKey);
                    if (line.Op == "delete") records.Remove(key);
                    else records[key] = line.Record;
                }
                foreach (var line in ReadLines<JournalLine>(JournalFile))
                {
                    journalLines++;
                    if (line.Entry is null) continue;
                    if (line.Op == "close") journal.Remove(line.Entry.Id);
                    else journal[line.Entry.Id] = line.Entry;
                }
            }
        }

        private IEnumerable<T> ReadLines<T>(string file)
        {
            string path = PathOf(file);
            if (!File.Exists(path)) yield break;
            foreach (string text in File.ReadLines(path, Encoding.UTF8))
            {
                if (text.Trim().Length == 0) continue;
                T? line;
                try
                {
                    line = JsonConvert.DeserializeObject<T>(text, Json);
                }
                catch (JsonException)
                {
                    // A line cut short by a crash mid-write is the last one: what came before it stands.
                    continue;
                }
                if (line != null) yield return line;
            }
        }

        private void Append(string file, object line, Action apply)
        {
            string text = JsonConvert.SerializeObject(line, Json) + "\n";
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            if (ReadOnly)
            {
                lock (gate) apply();
                return;
            }
            lock (gate)
            {
                using (FileLock())
                {
                    string path = PathOf(file);
                    if (!File.Exists(path)) SecureFile.WriteAllBytes(path, Array.Empty<byte>(), overwrite: false);
                    using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read))
                    {
                        stream.Write(bytes, 0, bytes.Length);
                        stream.Flush(true);
                    }
                    apply();
                    CompactIfNeeded(file);
                }
            }
        }

        // Under the gate and the file lock.
        private void CompactIfNeeded(string file)
        {
            bool isRecords = file == RecordsFile;
            int lines = isRecords ? recordLines : journalLines;
            int live = isRecords ? records.Count : journal.Count;
            if (lines < 64 || lines < 2 * live) return;
            var text = new StringBuilder();
            if (isRecords)
            {
                foreach (var record in records.Values) text.Append(JsonConvert.SerializeObject(new RecordLine { Op = "set", Record = record }, Json)).Append('\n');
                recordLines = records.Count;
            }
            else
            {
                foreach (var entry in journal.Values) text.Append(JsonConvert.SerializeObject(new JournalLine { Op = "set", Entry = entry }, Json)).Append('\n');
                journalLines = journal.Count;
            }
            SecureFile.WriteAllText(PathOf(file), text.ToString(), overwrite: true);
        }

        private IDisposable FileLock() => Secrets.VaultLock.Acquire(PathOf("state"), FileLockTimeout);

        internal static string AccountKey(AccountReference account) => account.Kind switch
        {
            AccountKind.SubAccount => "sub:" + account.Email!.ToLowerInvariant(),
            AccountKind.BrokerSubAccount => "broker:" + account.BrokerSubAccountId,
            _ => "own",
        };

        private static string RecordKey(AccountReference account, string apiKey) => AccountKey(account) + "|" + apiKey;

        private static KeyRecord Copy(KeyRecord record) => JsonConvert.DeserializeObject<KeyRecord>(JsonConvert.SerializeObject(record, Json), Json)!;

        private static DateTimeOffset? StartOf(Process process)
        {
            try
            {
                return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
            }
            catch (Exception e) when (e is InvalidOperationException || e is System.ComponentModel.Win32Exception || e is NotSupportedException)
            {
                return null;
            }
        }

        private static class CurrentProcess
        {
            private static readonly Process Self = Process.GetCurrentProcess();

            public static readonly int Id = Self.Id;

            public static readonly DateTimeOffset? Start = StartOf(Self);
        }

        private sealed class RecordLine
        {
            public string Op { get; set; } = "set";

            public KeyRecord? Record { get; set; }
        }

        private sealed class JournalLine
        {
            public string Op { get; set; } = "set";

            public JournalEntry? Entry { get; set; }
        }
    }

    /// <summary>A create in flight, as journalled before it was sent; never holds a secret.</summary>
    public sealed class JournalEntry
    {
        /// <summary>The entry's id.</summary>
        public string Id { get; set; } = string.Empty;

        /// <summary>The process that made the create.</summary>
        public int ProcessId { get; set; }

        /// <summary>When that process started (a recycled process id is not the same process).</summary>
        public DateTimeOffset? ProcessStart { get; set; }

        /// <summary>The machine.</summary>
        public string Machine { get; set; } = string.Empty;

        /// <summary>When the create was about to be sent.</summary>
        public DateTimeOffset StartedAt { get; set; }

        /// <summary>The account kind.</summary>
        public AccountKind AccountKind { get; set; }

        /// <summary>The sub-account email.</summary>
        public string? Email { get; set; }

        /// <summary>The broker sub-account id.</summary>
        public string? BrokerSubAccountId { get; set; }

        /// <summary>The new key's label.</summary>
        public string Label { get; set; } = string.Empty;

        /// <summary>The new key's type.</summary>
        public ApiKeyType Type { get; set; }

        /// <summary>The uploaded public key's fingerprint.</summary>
        public string? PublicKeyFingerprint { get; set; }

        /// <summary>Where the HMAC secret was to go.</summary>
        public string? SecretDestination { get; set; }

        /// <summary>The key the new one replaces, if any.</summary>
        public string? Replaces { get; set; }

        /// <summary>The new key, once Binance answered.</summary>
        public string? ApiKey { get; set; }

        /// <summary>Whether the one-time secret reached its store.</summary>
        public bool SecretStored { get; set; }

        /// <summary>Whether the process gave up on the create's outcome (lost answer, no key seen yet): settled by the next plan.</summary>
        public bool Unsettled { get; set; }

        /// <summary>The entry's account.</summary>
        [JsonIgnore]
        public AccountReference Account => AccountReference.From(Email, BrokerSubAccountId);
    }

    /// <summary>The IP whitelists a plan read, per account and key, with when they were read.</summary>
    public sealed class IpWhitelistCache
    {
        /// <summary>The cache format version.</summary>
        public int Version { get; set; } = 1;

        /// <summary>Entries by "account|apiKey".</summary>
        public Dictionary<string, CachedIpWhitelist> Keys { get; set; } = new Dictionary<string, CachedIpWhitelist>(StringComparer.Ordinal);

        /// <summary>The cache key of an account's key.</summary>
        public static string KeyOf(AccountReference account, string apiKey) => LocalKeyState.AccountKey(account) + "|" + apiKey;
    }

    /// <summary>One key's IP whitelist as read at <see cref="ReadAt"/>.</summary>
    public sealed class CachedIpWhitelist
    {
        /// <summary>Whether the key was restricted.</summary>
        public bool IpRestrict { get; set; }

        /// <summary>The whitelist.</summary>
        public string[] IpList { get; set; } = Array.Empty<string>();

        /// <summary>When it was read.</summary>
        public DateTimeOffset ReadAt { get; set; }
    }
}

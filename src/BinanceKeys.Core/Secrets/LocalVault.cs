using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using BinanceKeys.IO;

namespace BinanceKeys.Secrets
{
    /// <summary>
    /// The embedded local vault: one file encrypted with AES-256-GCM under a key derived by scrypt from a passphrase.
    /// Every write is a read-modify-write under a cross-process lock followed by an atomic, owner-only replace,
    /// so two processes never lose each other's writes. Format and threat model: docs/vault.md.
    /// </summary>
    /// <remarks>
    /// The instance keeps the derived key (not the passphrase) until disposed. Decrypted entries are never cached:
    /// each call reads the file, and plaintext buffers are cleared as soon as they have been parsed.
    /// </remarks>
    public sealed class LocalVault : ISecretStore
    {
        /// <summary>How long a write waits for another process's lock by default.</summary>
        public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(10);

        private readonly object gate = new object();
        private readonly VaultKey key;
        private readonly byte[] keyCheck;
        private readonly TimeProvider time;
        private bool disposed;

        private LocalVault(string path, VaultKey key, TimeSpan lockTimeout, TimeProvider time)
        {
            Path = path;
            this.key = key;
            this.time = time;
            LockTimeout = lockTimeout;
            var kdfFields = new byte[VaultHeader.KeyCheckOffset];
            VaultHeader.WriteKdfFields(kdfFields, key.Parameters, key.Salt);
            keyCheck = key.ComputeKeyCheck(kdfFields, kdfFields.Length);
        }

        /// <summary>The full path of the vault file.</summary>
        public string Path { get; }

        /// <inheritdoc />
        public string Description => $"local vault '{Path}'";

        /// <summary>How long a write waits for the lock held by another process before failing with <see cref="VaultErrorReason.Locked"/>.</summary>
        public TimeSpan LockTimeout { get; set; }

        /// <summary>
        /// Raised with the entry names and file version each time this instance reads or writes the vault, so that a
        /// session can complete names later without the passphrase (<see cref="VaultNameIndex"/>). Raised on the calling thread.
        /// </summary>
        public event Action<VaultNameIndex>? Indexed;

        /// <summary>Opens an existing vault and checks the passphrase and the file's integrity. The caller clears <paramref name="passphrase"/>.</summary>
        /// <exception cref="VaultException">Not found, not a vault, unsupported, wrong passphrase or tampered.</exception>
        public static LocalVault Open(string path, char[] passphrase) =>
            Open(path, passphrase, create: false, ScryptParameters.Production, DefaultLockTimeout);

        /// <summary>Opens an existing vault with a passphrase held in a SecureString.</summary>
        public static LocalVault Open(string path, SecureString passphrase) =>
            WithChars(passphrase, chars => Open(path, chars));

        /// <summary>
        /// Opens the vault, or creates an empty one (and its folder, owner-only) if the file does not exist.
        /// The caller clears <paramref name="passphrase"/>.
        /// </summary>
        public static LocalVault OpenOrCreate(string path, char[] passphrase) =>
            Open(path, passphrase, create: true, ScryptParameters.Production, DefaultLockTimeout);

        /// <summary>Opens or creates the vault with a passphrase held in a SecureString.</summary>
        public static LocalVault OpenOrCreate(string path, SecureString passphrase) =>
            WithChars(passphrase, chars => OpenOrCreate(path, chars));

        /// <summary>The entry point with every knob; tests use it for cheap scrypt parameters and short lock timeouts.</summary>
        internal static LocalVault Open(string path, char[] passphrase, bool create, ScryptParameters parametersForNewVault, TimeSpan lockTimeout, TimeProvider? time = null)
        {
            time ??= TimeProvider.System;
            if (path is null) throw new ArgumentNullException(nameof(path));
            VaultPassphrase.RequireNonEmpty(passphrase);
            string fullPath = System.IO.Path.GetFullPath(path);

            if (!create)
            {
                byte[] file = ReadFile(fullPath) ?? throw NotFound(fullPath);
                return OpenExisting(fullPath, file, passphrase, lockTimeout, time);
            }

            Io(fullPath, write: true, () => SecureFile.CreateDirectory(FolderOf(fullPath)));
            using (Io(fullPath, write: true, () => VaultLock.Acquire(fullPath, lockTimeout, time)))
            {
                byte[]? file = ReadFile(fullPath);
                if (file != null) return OpenExisting(fullPath, file, passphrase, lockTimeout, time);

                var vault = new LocalVault(fullPath, VaultKey.Derive(passphrase, VaultHeader.NewSalt(), parametersForNewVault), lockTimeout, time);
                try
                {
                    vault.Write(new List<VaultEntry>());
                    return vault;
                }
                catch
                {
                    vault.Dispose();
                    throw;
                }
            }
        }

        /// <summary>The metadata of every entry, sorted by name. Never carries a secret.</summary>
        public IReadOnlyList<VaultEntryInfo> List()
        {
            lock (gate)
            {
                List<VaultEntry> entries = ReadEntries();
                try
                {
                    return entries.Select(entry => entry.Info)
                        .OrderBy(info => info.Name, StringComparer.OrdinalIgnoreCase)
                        .ToList();
                }
                finally
                {
                    DisposeAll(entries);
                }
            }
        }

        /// <summary>Whether an entry has this name (case-insensitive).</summary>
        public bool Contains(string name)
        {
            if (name is null) throw new ArgumentNullException(nameof(name));
            lock (gate)
            {
                List<VaultEntry> entries = ReadEntries();
                try
                {
                    return IndexOf(entries, name) >= 0;
                }
                finally
                {
                    DisposeAll(entries);
                }
            }
        }

        /// <summary>The entry with its secret; dispose it when done.</summary>
        /// <exception cref="VaultException"><see cref="VaultErrorReason.EntryNotFound"/>, or any error reading the vault.</exception>
        public VaultEntry Get(string name)
        {
            if (name is null) throw new ArgumentNullException(nameof(name));
            lock (gate)
            {
                List<VaultEntry> entries = ReadEntries();
                int index = IndexOf(entries, name);
                VaultEntry? found = index >= 0 ? entries[index] : null;
                foreach (VaultEntry entry in entries)
                {
                    if (!ReferenceEquals(entry, found)) entry.Dispose();
                }
                return found ?? throw EntryNotFound(name);
            }
        }

        /// <summary>Stores <paramref name="entry"/> (a copy of its secret); the caller still owns and clears its own entry.</summary>
        /// <param name="entry">The entry to store.</param>
        /// <param name="overwrite">Replace an entry of the same name; otherwise an existing one is an <see cref="VaultErrorReason.EntryExists"/> error and nothing changes.</param>
        public void Set(VaultEntry entry, bool overwrite)
        {
            if (entry is null) throw new ArgumentNullException(nameof(entry));
            Modify(entries =>
            {
                int index = IndexOf(entries, entry.Name);
                if (index >= 0 && !overwrite)
                {
                    throw new VaultException(VaultErrorReason.EntryExists,
                        $"The vault '{Path}' already has an entry named '{entries[index].Name}'. Overwrite it explicitly to replace it.", Path, entries[index].Name);
                }
                if (index >= 0) entries[index] = entry;
                else entries.Add(entry);
            });
        }

        /// <summary>Deletes the entry with this name.</summary>
        /// <exception cref="VaultException"><see cref="VaultErrorReason.EntryNotFound"/>, or any error reading or writing the vault.</exception>
        public void Remove(string name)
        {
            if (name is null) throw new ArgumentNullException(nameof(name));
            Modify(entries =>
            {
                int index = IndexOf(entries, name);
                if (index < 0) throw EntryNotFound(name);
                entries.RemoveAt(index);
            });
        }

        /// <summary>Clears the derived key.</summary>
        public void Dispose()
        {
            lock (gate)
            {
                if (disposed) return;
                disposed = true;
                key.Dispose();
            }
        }

        /// <summary>The path only.</summary>
        public override string ToString() => Path;

        private static LocalVault OpenExisting(string fullPath, byte[] file, char[] passphrase, TimeSpan lockTimeout, TimeProvider time)
        {
            VaultHeader header = VaultHeader.Parse(file, fullPath);
            var vault = new LocalVault(fullPath, VaultKey.Derive(passphrase, header.Salt, header.Parameters), lockTimeout, time);
            try
            {
                // Check passphrase and integrity now, so that opening fails rather than the first operation.
                DisposeAll(vault.Decrypt(file));
                return vault;
            }
            catch
            {
                vault.Dispose();
                throw;
            }
        }

        /// <summary>Read-modify-write under the cross-process lock; a missing file is recreated with this instance's key.</summary>
        private void Modify(Action<List<VaultEntry>> change)
        {
            lock (gate)
            {
                ThrowIfDisposed();
                Io(Path, write: true, () => SecureFile.CreateDirectory(FolderOf(Path)));
                using (Io(Path, write: true, () => VaultLock.Acquire(Path, LockTimeout, time)))
                {
                    byte[]? file = ReadFile(Path);
                    List<VaultEntry> stored = file is null ? new List<VaultEntry>() : Decrypt(file);
                    try
                    {
                        var entries = new List<VaultEntry>(stored);
                        change(entries);
                        Write(entries);
                    }
                    finally
                    {
                        // Only what was read from the file: entries passed in belong to the caller.
                        DisposeAll(stored);
                    }
                }
            }
        }

        private List<VaultEntry> ReadEntries()
        {
            ThrowIfDisposed();
            byte[] file = ReadFile(Path) ?? throw NotFound(Path);
            List<VaultEntry> entries = Decrypt(file);
            Announce(file, entries);
            return entries;
        }

        private void Announce(byte[] file, List<VaultEntry> entries)
        {
            var indexed = Indexed;
            if (indexed is null) return;
            var names = entries.Select(entry => entry.Name).OrderBy(name => name, StringComparer.OrdinalIgnoreCase).ToList();
            indexed(new VaultNameIndex(Path, VaultNameIndex.VersionOf(file), names));
        }

        private List<VaultEntry> Decrypt(byte[] file)
        {
            VaultHeader header = VaultHeader.Parse(file, Path);
            if (!key.Fits(header))
            {
                throw new VaultException(VaultErrorReason.Replaced,
                    $"The vault '{Path}' was replaced by a different vault since it was opened. Open it again.", Path);
            }
            if (!Org.BouncyCastle.Utilities.Arrays.FixedTimeEquals(keyCheck, header.KeyCheck))
            {
                throw new VaultException(VaultErrorReason.WrongPassphrase,
                    $"The passphrase does not open the vault '{Path}'.", Path);
            }

            byte[] plaintext = VaultCipher.Open(key, header, file, Path);
            try
            {
                return VaultPayload.Deserialize(plaintext, Path);
            }
            finally
            {
                Array.Clear(plaintext, 0, plaintext.Length);
            }
        }

        private void Write(List<VaultEntry> entries)
        {
            byte[] plaintext = VaultPayload.Serialize(entries);
            try
            {
                byte[] sealedFile = VaultCipher.Seal(key, keyCheck, plaintext);
                Io(Path, write: true, () => SecureFile.WriteAllBytes(Path, sealedFile, overwrite: true));
                Announce(sealedFile, entries);
            }
            finally
            {
                Array.Clear(plaintext, 0, plaintext.Length);
            }
        }

        /// <summary>The whole file, or null if it does not exist. Shared so that a concurrent replace is never blocked.</summary>
        private static byte[]? ReadFile(string path) => Io(path, write: false, () => ReadFileOrNull(path));

        private static byte[]? ReadFileOrNull(string path)
        {
            try
            {
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    var buffer = new byte[stream.Length];
                    int read = 0;
                    while (read < buffer.Length)
                    {
                        int count = stream.Read(buffer, read, buffer.Length - read);
                        if (count == 0) break;
                        read += count;
                    }
                    if (read != buffer.Length) Array.Resize(ref buffer, read);
                    return buffer;
                }
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }
        }

        // The operating system's failures as this module's own errors, saying what was being done (read or write).
        private static void Io(string path, bool write, Action action) => Io<bool>(path, write, () => { action(); return true; });

        private static T Io<T>(string path, bool write, Func<T> action)
        {
            try
            {
                return action();
            }
            catch (UnauthorizedAccessException e)
            {
                throw new VaultException(VaultErrorReason.AccessDenied, $"Access to the vault '{path}' (or its folder or lock file) is denied.", path, null, e);
            }
            catch (IOException e)
            {
                throw write
                    ? new VaultException(VaultErrorReason.WriteFailed, $"The vault '{path}' could not be written: {e.Message}. The file was not changed.", path, null, e)
                    : new VaultException(VaultErrorReason.ReadFailed, $"The vault '{path}' could not be read: {e.Message}", path, null, e);
            }
        }

        private static int IndexOf(List<VaultEntry> entries, string name) =>
            entries.FindIndex(entry => string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase));

        private static void DisposeAll(List<VaultEntry> entries)
        {
            foreach (VaultEntry entry in entries) entry.Dispose();
        }

        private static string FolderOf(string fullPath) => System.IO.Path.GetDirectoryName(fullPath) ?? ".";

        private static VaultException NotFound(string path) =>
            new VaultException(VaultErrorReason.VaultNotFound, $"There is no vault at '{path}'.", path);

        private VaultException EntryNotFound(string name) =>
            new VaultException(VaultErrorReason.EntryNotFound, $"The vault '{Path}' has no entry named '{name}'.", Path, name);

        private void ThrowIfDisposed()
        {
            if (disposed) throw new ObjectDisposedException(nameof(LocalVault));
        }

        private static LocalVault WithChars(SecureString passphrase, Func<char[], LocalVault> open)
        {
            char[] chars = VaultPassphrase.ToChars(passphrase);
            try
            {
                return open(chars);
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }
    }
}

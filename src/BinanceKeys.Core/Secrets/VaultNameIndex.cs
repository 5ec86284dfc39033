using System;
using System.Collections.Generic;
using System.IO;
using Org.BouncyCastle.Utilities;

namespace BinanceKeys.Secrets
{
    /// <summary>
    /// The entry names of one version of a local vault file, as an instance that had unlocked it last read or wrote it:
    /// what tab completion offers without a passphrase and without deriving a key. A version is the file's header
    /// checksum, which covers the per-write random nonce, so any write (by any process) makes an index stale, and
    /// <see cref="IsCurrent"/> tells from the first 128 bytes of the file alone.
    /// </summary>
    /// <remarks>
    /// Names are encrypted in the file (docs/vault.md, "File format"); an index keeps them only in the memory of the
    /// session that unlocked the vault, never on disk, and holds no key.
    /// </remarks>
    public sealed class VaultNameIndex
    {
        private readonly byte[] version;

        internal VaultNameIndex(string path, byte[] version, IReadOnlyList<string> names)
        {
            Path = path;
            this.version = version;
            Names = names;
        }

        /// <summary>The vault file's full path.</summary>
        public string Path { get; }

        /// <summary>The entry names, sorted.</summary>
        public IReadOnlyList<string> Names { get; }

        /// <summary>Whether the file is still the version these names were read from (reads 128 bytes; no key, no passphrase).</summary>
        public bool IsCurrent()
        {
            byte[]? current = ReadVersion(Path);
            return current != null && Arrays.FixedTimeEquals(current, version);
        }

        /// <summary>The version of the vault file at <paramref name="path"/>, or null when it is missing, unreadable or not a vault.</summary>
        internal static byte[]? ReadVersion(string path)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var header = new byte[VaultHeader.Size];
                int read = 0;
                int count;
                while (read < header.Length && (count = stream.Read(header, read, header.Length - read)) > 0) read += count;
                return read == header.Length ? VersionOf(header) : null;
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>The version bytes of a file that starts with a vault header: its checksum field.</summary>
        internal static byte[] VersionOf(byte[] file)
        {
            var version = new byte[VaultHeader.Size - VaultHeader.ChecksumOffset];
            Buffer.BlockCopy(file, VaultHeader.ChecksumOffset, version, 0, version.Length);
            return version;
        }
    }
}

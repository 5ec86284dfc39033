using System;

namespace BinanceKeys.Secrets
{
    /// <summary>Why a vault operation failed; each reason maps to one clear message and one error category.</summary>
    public enum VaultErrorReason
    {
        /// <summary>No passphrase was given and <c>BINANCEKEYS_VAULT_PASSPHRASE</c> is not set, or the passphrase is empty.</summary>
        PassphraseRequired,

        /// <summary>The vault file does not exist.</summary>
        VaultNotFound,

        /// <summary>The file is not a BinanceKeys vault (wrong magic bytes).</summary>
        NotAVault,

        /// <summary>The file is a vault in a format version or with key-derivation parameters this version cannot read.</summary>
        UnsupportedVersion,

        /// <summary>The passphrase does not open this vault (the key-check value does not match).</summary>
        WrongPassphrase,

        /// <summary>The file is truncated, damaged or was modified outside BinanceKeys (checksum or authentication tag mismatch).</summary>
        Tampered,

        /// <summary>Another process (or vault instance) held the vault's lock for longer than the timeout.</summary>
        Locked,

        /// <summary>The vault file was replaced by a different vault (new salt) since this instance opened it.</summary>
        Replaced,

        /// <summary>No entry has the requested name.</summary>
        EntryNotFound,

        /// <summary>An entry with the name exists already and overwriting was not requested.</summary>
        EntryExists,

        /// <summary>The operating system could not read the vault file (an I/O error; not a missing file).</summary>
        ReadFailed,

        /// <summary>The operating system could not write the vault, its folder or its lock file (disk full, read-only).</summary>
        WriteFailed,

        /// <summary>The operating system denied access to the vault, its folder or its lock file.</summary>
        AccessDenied,

        /// <summary>An entry name that is empty, too long, padded with white space, or holds control characters.</summary>
        InvalidName,
    }

    /// <summary>A vault operation failed. The message names the vault file and entry, never a secret or passphrase.</summary>
    public sealed class VaultException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public VaultException(VaultErrorReason reason, string message, string? vaultPath = null, string? entryName = null, Exception? innerException = null)
            : base(message, innerException)
        {
            Reason = reason;
            VaultPath = vaultPath;
            EntryName = entryName;
        }

        /// <summary>Why the operation failed.</summary>
        public VaultErrorReason Reason { get; }

        /// <summary>The full path of the vault file, when known.</summary>
        public string? VaultPath { get; }

        /// <summary>The entry concerned, for <see cref="VaultErrorReason.EntryNotFound"/> and <see cref="VaultErrorReason.EntryExists"/>.</summary>
        public string? EntryName { get; }
    }
}

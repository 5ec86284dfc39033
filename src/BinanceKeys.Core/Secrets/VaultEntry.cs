using System;
using System.Text;

namespace BinanceKeys.Secrets
{
    /// <summary>
    /// An entry with its secret: the HMAC secret key, or the private key PEM, as UTF-8 bytes.
    /// Dispose it (or clear <see cref="Secret"/>) as soon as the secret has been used.
    /// </summary>
    public sealed class VaultEntry : IDisposable
    {
        private readonly byte[] secret;

        /// <summary>Creates an entry; <paramref name="secret"/> is copied, so the caller may clear its own array.</summary>
        public VaultEntry(VaultEntryInfo info, byte[] secret)
        {
            Info = info ?? throw new ArgumentNullException(nameof(info));
            if (secret is null) throw new ArgumentNullException(nameof(secret));
            if (secret.Length == 0) throw new ArgumentException("The secret is empty.", nameof(secret));
            this.secret = (byte[])secret.Clone();
        }

        /// <summary>Creates an entry from a secret held as characters (encoded as UTF-8); the caller may clear its own array.</summary>
        public VaultEntry(VaultEntryInfo info, char[] secret)
        {
            Info = info ?? throw new ArgumentNullException(nameof(info));
            if (secret is null) throw new ArgumentNullException(nameof(secret));
            if (secret.Length == 0) throw new ArgumentException("The secret is empty.", nameof(secret));
            this.secret = Encoding.UTF8.GetBytes(secret);
        }

        private VaultEntry(VaultEntryInfo info, byte[] secret, Ownership _)
        {
            Info = info;
            this.secret = secret;
        }

        private enum Ownership { Adopt }

        /// <summary>An entry that takes <paramref name="secret"/> itself, without a copy (used when reading the vault).</summary>
        internal static VaultEntry Adopt(VaultEntryInfo info, byte[] secret) => new VaultEntry(info, secret, Ownership.Adopt);

        /// <summary>The metadata: everything but the secret.</summary>
        public VaultEntryInfo Info { get; }

        /// <summary>The entry's unique name.</summary>
        public string Name => Info.Name;

        /// <summary>
        /// The secret as UTF-8 bytes: for <c>hmac</c> the secret key (the HMAC-SHA256 key as Binance issued it),
        /// for <c>ed25519</c> and <c>rsa</c> the private key PEM. This is the entry's own array, so that it can be cleared.
        /// </summary>
        public byte[] Secret => secret;

        /// <summary>The secret decoded as characters, in a new array the caller must clear.</summary>
        public char[] GetSecretChars() => Encoding.UTF8.GetChars(secret);

        /// <summary>Overwrites the secret with zeros.</summary>
        public void Dispose() => Array.Clear(secret, 0, secret.Length);

        /// <summary>Name and type, never the secret.</summary>
        public override string ToString() => Info.ToString();
    }
}

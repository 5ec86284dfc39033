using System;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Utilities;

namespace BinanceKeys.Secrets
{
    /// <summary>
    /// The keys derived from a passphrase for one salt and one set of scrypt parameters:
    /// a 256-bit AES-GCM key and a 256-bit key-check key (scrypt output bytes 0-31 and 32-63).
    /// </summary>
    internal sealed class VaultKey : IDisposable
    {
        private static readonly byte[] KeyCheckLabel = Encoding.ASCII.GetBytes("BinanceKeys vault key check v1\0");

        private readonly byte[] encryptionKey;
        private readonly byte[] checkKey;

        private VaultKey(byte[] salt, ScryptParameters parameters, byte[] encryptionKey, byte[] checkKey)
        {
            Salt = salt;
            Parameters = parameters;
            this.encryptionKey = encryptionKey;
            this.checkKey = checkKey;
        }

        public byte[] Salt { get; }

        public ScryptParameters Parameters { get; }

        public byte[] EncryptionKey => encryptionKey;

        /// <summary>Runs scrypt over the UTF-8 bytes of <paramref name="passphrase"/>; every intermediate buffer is cleared.</summary>
        public static VaultKey Derive(char[] passphrase, byte[] salt, ScryptParameters parameters)
        {
            byte[] passphraseBytes = Encoding.UTF8.GetBytes(passphrase);
            byte[]? derived = null;
            try
            {
                derived = SCrypt.Generate(passphraseBytes, salt, parameters.N, parameters.R, parameters.P, 64);
                var encryptionKey = new byte[32];
                var checkKey = new byte[32];
                Buffer.BlockCopy(derived, 0, encryptionKey, 0, 32);
                Buffer.BlockCopy(derived, 32, checkKey, 0, 32);
                return new VaultKey((byte[])salt.Clone(), parameters, encryptionKey, checkKey);
            }
            finally
            {
                Array.Clear(passphraseBytes, 0, passphraseBytes.Length);
                if (derived != null) Array.Clear(derived, 0, derived.Length);
            }
        }

        /// <summary>Whether this key was derived for the salt and parameters of <paramref name="header"/>.</summary>
        public bool Fits(VaultHeader header) =>
            Parameters.SameAs(header.Parameters) && Arrays.FixedTimeEquals(Salt, header.Salt);

        /// <summary>HMAC-SHA256 under the check key of a label and the header's KDF fields (magic to salt).</summary>
        public byte[] ComputeKeyCheck(byte[] header, int kdfFieldsLength)
        {
            using (var hmac = new HMACSHA256(checkKey))
            {
                hmac.TransformBlock(KeyCheckLabel, 0, KeyCheckLabel.Length, null, 0);
                hmac.TransformFinalBlock(header, 0, kdfFieldsLength);
                return hmac.Hash!;
            }
        }

        public void Dispose()
        {
            Array.Clear(encryptionKey, 0, encryptionKey.Length);
            Array.Clear(checkKey, 0, checkKey.Length);
        }
    }
}

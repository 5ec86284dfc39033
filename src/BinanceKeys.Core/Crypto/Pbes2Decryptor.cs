using System;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Misc;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;

namespace BinanceKeys.Crypto
{
    /// <summary>
    /// Decrypts PBES2 EncryptedPrivateKeyInfo (RFC 8018) the way OpenSSL and Python's cryptography write it:
    /// the passphrase as UTF-8 bytes, PBKDF2 (HMAC-SHA1/224/256/384/512) or scrypt, AES-CBC or 3DES-CBC.
    /// </summary>
    /// <remarks>
    /// BouncyCastle 2.7's own PBES2 path turns each passphrase character into one byte (it throws on characters
    /// above U+00FF and disagrees with OpenSSL on accented ones) and does not read scrypt, so keys made with
    /// `openssl pkcs8 -scrypt` or with a non-ASCII passphrase would not open through it.
    /// </remarks>
    internal static class Pbes2Decryptor
    {
        /// <summary>Highest PBKDF2 iteration count accepted from a file (OpenSSL writes 2,048; this module 600,000).</summary>
        public const int MaxPbkdf2Iterations = 10_000_000;

        /// <summary>Largest scrypt memory accepted from a file, 128·r·N bytes (OpenSSL's own default limit is 32 MiB).</summary>
        public const long MaxScryptMemory = 1L << 30;

        /// <summary>
        /// Reads the PBES2 parameters of <paramref name="info"/> without decrypting anything, or returns null when the
        /// scheme is not PBES2 (the caller falls back). Settings from the file are bounded, so that a planted key file
        /// cannot make a read spin for hours or allocate without limit.
        /// </summary>
        /// <exception cref="FormatException">The parameters are missing or malformed.</exception>
        /// <exception cref="NotSupportedException">A PBES2 variant not listed above, or settings outside the bounds.</exception>
        public static Pbes2Scheme? Read(EncryptedPrivateKeyInfo info)
        {
            var algorithm = info.EncryptionAlgorithm ?? throw new FormatException("no encryption algorithm");
            if (!algorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdPbeS2)) return null;

            var scheme = PbeS2Parameters.GetInstance(algorithm.Parameters) ?? throw new FormatException("no PBES2 parameters");
            var encryption = scheme.EncryptionScheme ?? throw new FormatException("no encryption scheme");
            var cipher = Cipher(encryption.Algorithm);
            byte[] iv = (Asn1OctetString.GetInstance(encryption.Parameters) ?? throw new FormatException("no IV")).GetOctets();
            if (iv.Length != cipher.BlockSize) throw new FormatException("an IV of the wrong length");
            var function = scheme.KeyDerivationFunc ?? throw new FormatException("no key derivation function");
            if (function.Algorithm.Equals(PkcsObjectIdentifiers.IdPbkdf2))
            {
                var parameters = Pbkdf2Params.GetInstance(function.Parameters) ?? throw new FormatException("no PBKDF2 parameters");
                int iterations = parameters.IterationCount.IntValueExact;
                if (iterations < 1 || iterations > MaxPbkdf2Iterations) throw new NotSupportedException($"PBKDF2 with {iterations} iterations");
                var digest = Digest(parameters);
                byte[] salt = parameters.GetSalt();
                return new Pbes2Scheme(cipher, iv, (password, keyLength) => Pbkdf2(digest, salt, iterations, password, keyLength));
            }
            if (function.Algorithm.Equals(MiscObjectIdentifiers.id_scrypt))
            {
                var parameters = ScryptParams.GetInstance(function.Parameters) ?? throw new FormatException("no scrypt parameters");
                int n = parameters.CostParameter.IntValueExact;
                int r = parameters.BlockSize.IntValueExact;
                int p = parameters.ParallelizationParameter.IntValueExact;
                if (n < 2 || (n & (n - 1)) != 0 || r < 1 || r > 32 || p < 1 || p > 16 || 128L * r * n > MaxScryptMemory)
                {
                    throw new NotSupportedException($"scrypt with N={n}, r={r}, p={p}");
                }
                byte[] salt = parameters.Salt.GetOctets();
                return new Pbes2Scheme(cipher, iv, (password, keyLength) => SCrypt.Generate(password, salt, n, r, p, keyLength));
            }
            throw new NotSupportedException($"key derivation {function.Algorithm.Id}");
        }

        /// <summary>Decrypts with a scheme from <see cref="Read"/>; the passphrase is UTF-8 encoded, as OpenSSL does.</summary>
        /// <exception cref="CryptographicException">Decryption failed: the passphrase is wrong, or the data is damaged.</exception>
        public static byte[] Decrypt(Pbes2Scheme scheme, EncryptedPrivateKeyInfo info, char[] passphrase)
        {
            byte[] password = Encoding.UTF8.GetBytes(passphrase);
            byte[] key = Array.Empty<byte>();
            try
            {
                key = scheme.DeriveKey(password, scheme.Cipher.KeyLength);
                using SymmetricAlgorithm symmetric = scheme.Cipher.Create();
                symmetric.Mode = CipherMode.CBC;
                symmetric.Padding = PaddingMode.PKCS7;
                using var decryptor = symmetric.CreateDecryptor(key, scheme.Iv);
                byte[] encrypted = info.GetEncryptedData();
                return decryptor.TransformFinalBlock(encrypted, 0, encrypted.Length);
            }
            finally
            {
                Array.Clear(password, 0, password.Length);
                Array.Clear(key, 0, key.Length);
            }
        }

        private static byte[] Pbkdf2(IDigest digest, byte[] salt, int iterations, byte[] password, int keyLength)
        {
            var generator = new Pkcs5S2ParametersGenerator(digest);
            generator.Init(password, salt, iterations);
            return ((KeyParameter)generator.GenerateDerivedMacParameters(keyLength * 8)).GetKey();
        }

        /// <summary>
        /// The iteration count of a legacy PKCS#5 v1 or PKCS#12 scheme (both SEQUENCE { salt, iterations }), bounded like
        /// PBKDF2's before BouncyCastle runs it.
        /// </summary>
        /// <exception cref="NotSupportedException">More iterations than <see cref="MaxPbkdf2Iterations"/>.</exception>
        public static void CheckLegacyIterations(EncryptedPrivateKeyInfo info)
        {
            if (!(info.EncryptionAlgorithm?.Parameters is Asn1Sequence sequence)) return;
            foreach (Asn1Encodable element in sequence)
            {
                if (element is DerInteger count && (count.Value.BitLength > 31 || count.IntValueExact > MaxPbkdf2Iterations))
                {
                    throw new NotSupportedException("a legacy scheme with more than " + MaxPbkdf2Iterations + " iterations");
                }
            }
        }

        private static IDigest Digest(Pbkdf2Params parameters)
        {
            if (parameters.IsDefaultPrf) return new Sha1Digest();
            var prf = parameters.Prf.Algorithm;
            if (prf.Equals(PkcsObjectIdentifiers.IdHmacWithSha1)) return new Sha1Digest();
            if (prf.Equals(PkcsObjectIdentifiers.IdHmacWithSha224)) return new Sha224Digest();
            if (prf.Equals(PkcsObjectIdentifiers.IdHmacWithSha256)) return new Sha256Digest();
            if (prf.Equals(PkcsObjectIdentifiers.IdHmacWithSha384)) return new Sha384Digest();
            if (prf.Equals(PkcsObjectIdentifiers.IdHmacWithSha512)) return new Sha512Digest();
            throw new NotSupportedException($"PBKDF2 PRF {prf.Id}");
        }

        private static PbesCipher Cipher(DerObjectIdentifier? oid)
        {
            if (oid is null) throw new FormatException("no cipher");
            if (oid.Equals(NistObjectIdentifiers.IdAes128Cbc)) return new PbesCipher(Aes.Create, 16, 16);
            if (oid.Equals(NistObjectIdentifiers.IdAes192Cbc)) return new PbesCipher(Aes.Create, 24, 16);
            if (oid.Equals(NistObjectIdentifiers.IdAes256Cbc)) return new PbesCipher(Aes.Create, 32, 16);
            if (oid.Equals(PkcsObjectIdentifiers.DesEde3Cbc)) return new PbesCipher(TripleDES.Create, 24, 8);
            throw new NotSupportedException($"cipher {oid.Id}");
        }
    }

    /// <summary>A symmetric cipher of PBES2: how to create it, its key length and its block (IV) length in bytes.</summary>
    internal sealed class PbesCipher
    {
        public PbesCipher(Func<SymmetricAlgorithm> create, int keyLength, int blockSize)
        {
            Create = create;
            KeyLength = keyLength;
            BlockSize = blockSize;
        }

        public Func<SymmetricAlgorithm> Create { get; }

        public int KeyLength { get; }

        public int BlockSize { get; }
    }

    /// <summary>PBES2 parameters read from a file: the cipher, its IV, and the key derivation (password bytes to key).</summary>
    internal sealed class Pbes2Scheme
    {
        public Pbes2Scheme(PbesCipher cipher, byte[] iv, Func<byte[], int, byte[]> deriveKey)
        {
            Cipher = cipher;
            Iv = iv;
            DeriveKey = deriveKey;
        }

        public PbesCipher Cipher { get; }

        public byte[] Iv { get; }

        /// <summary>(password bytes, key length) to key bytes; the caller clears both.</summary>
        public Func<byte[], int, byte[]> DeriveKey { get; }
    }
}

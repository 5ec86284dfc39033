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
        /// <summary>Returns the decrypted DER, or null when the scheme is not PBES2 (the caller falls back).</summary>
        /// <exception cref="CryptographicException">Decryption failed: the passphrase is wrong, or the data is damaged.</exception>
        /// <exception cref="NotSupportedException">A PBES2 variant not listed above.</exception>
        public static byte[]? TryDecrypt(EncryptedPrivateKeyInfo info, char[] passphrase)
        {
            var algorithm = info.EncryptionAlgorithm;
            if (!algorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdPbeS2)) return null;

            var scheme = PbeS2Parameters.GetInstance(algorithm.Parameters);
            var cipher = Cipher(scheme.EncryptionScheme.Algorithm);
            byte[] iv = Asn1OctetString.GetInstance(scheme.EncryptionScheme.Parameters).GetOctets();
            byte[] password = Encoding.UTF8.GetBytes(passphrase);
            byte[] key = Array.Empty<byte>();
            try
            {
                key = DeriveKey(scheme.KeyDerivationFunc, password, cipher.KeyLength);
                using SymmetricAlgorithm symmetric = cipher.Create();
                symmetric.Mode = CipherMode.CBC;
                symmetric.Padding = PaddingMode.PKCS7;
                using var decryptor = symmetric.CreateDecryptor(key, iv);
                byte[] encrypted = info.GetEncryptedData();
                return decryptor.TransformFinalBlock(encrypted, 0, encrypted.Length);
            }
            finally
            {
                Array.Clear(password, 0, password.Length);
                Array.Clear(key, 0, key.Length);
            }
        }

        private static byte[] DeriveKey(KeyDerivationFunc function, byte[] password, int keyLength)
        {
            if (function.Algorithm.Equals(PkcsObjectIdentifiers.IdPbkdf2))
            {
                var parameters = Pbkdf2Params.GetInstance(function.Parameters);
                var generator = new Pkcs5S2ParametersGenerator(Digest(parameters));
                generator.Init(password, parameters.GetSalt(), parameters.IterationCount.IntValueExact);
                return ((KeyParameter)generator.GenerateDerivedMacParameters(keyLength * 8)).GetKey();
            }
            if (function.Algorithm.Equals(MiscObjectIdentifiers.id_scrypt))
            {
                var parameters = ScryptParams.GetInstance(function.Parameters);
                return SCrypt.Generate(password, parameters.Salt.GetOctets(), parameters.CostParameter.IntValueExact,
                    parameters.BlockSize.IntValueExact, parameters.ParallelizationParameter.IntValueExact, keyLength);
            }
            throw new NotSupportedException($"key derivation {function.Algorithm.Id}");
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

        private static (Func<SymmetricAlgorithm> Create, int KeyLength) Cipher(DerObjectIdentifier oid)
        {
            if (oid.Equals(NistObjectIdentifiers.IdAes128Cbc)) return (Aes.Create, 16);
            if (oid.Equals(NistObjectIdentifiers.IdAes192Cbc)) return (Aes.Create, 24);
            if (oid.Equals(NistObjectIdentifiers.IdAes256Cbc)) return (Aes.Create, 32);
            if (oid.Equals(PkcsObjectIdentifiers.DesEde3Cbc)) return (TripleDES.Create, 24);
            throw new NotSupportedException($"cipher {oid.Id}");
        }
    }
}

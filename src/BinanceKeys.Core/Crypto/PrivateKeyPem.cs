using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities.IO.Pem;

namespace BinanceKeys.Crypto
{
    /// <summary>What a PEM file held: a private key (which carries its public key) or a public key alone.</summary>
    public sealed class KeyFileContents
    {
        internal KeyFileContents(SigningKey? privateKey, PublicKey publicKey, bool isEncrypted, string format)
        {
            PrivateKey = privateKey;
            PublicKey = publicKey;
            IsEncrypted = isEncrypted;
            Format = format;
        }

        /// <summary>The private key, or null when the file held a public key.</summary>
        public SigningKey? PrivateKey { get; }

        /// <summary>The public key.</summary>
        public PublicKey PublicKey { get; }

        /// <summary>Whether the file was encrypted with a passphrase.</summary>
        public bool IsEncrypted { get; }

        /// <summary>The format read: PKCS#8, encrypted PKCS#8, PKCS#1, SPKI.</summary>
        public string Format { get; }
    }

    /// <summary>
    /// Reads and writes key files: PKCS#8 (plain and PBES2-encrypted), PKCS#1 RSA (plain and OpenSSL-encrypted),
    /// SPKI and PKCS#1 public keys. Every failure is a <see cref="KeyFileException"/> with a distinct
    /// <see cref="KeyFileError"/> and a message free of key material.
    /// </summary>
    public static class PrivateKeyPem
    {
        /// <summary>
        /// PBKDF2-HMAC-SHA256 iterations for new encrypted keys: OWASP's 2023 figure for this PRF
        /// (about 0.6 s here, product.md). OpenSSL reads any count.
        /// </summary>
        public const int Pbkdf2Iterations = 600_000;

        private const int SaltLength = 16;

        /// <summary>Writes an unencrypted PKCS#8 PEM (-----BEGIN PRIVATE KEY-----).</summary>
        public static string WriteUnencrypted(SigningKey key) =>
            PemText.Write("PRIVATE KEY", key.ToPrivateKeyInfo().GetDerEncoded());

        /// <summary>
        /// Writes an encrypted PKCS#8 PEM (-----BEGIN ENCRYPTED PRIVATE KEY-----): PBES2 with PBKDF2-HMAC-SHA256
        /// and AES-256-CBC, which OpenSSL 3 reads (`openssl pkey -in FILE -passin ...`).
        /// </summary>
        /// <param name="key">The key to write.</param>
        /// <param name="passphrase">The passphrase, as characters (encoded as UTF-8, as OpenSSL does).</param>
        /// <param name="iterations">PBKDF2 iterations; tests may lower it, nothing else should.</param>
        public static string WriteEncrypted(SigningKey key, char[] passphrase, int iterations = Pbkdf2Iterations)
        {
            if (passphrase is null || passphrase.Length == 0)
            {
                throw new KeyFileException(KeyFileError.InvalidArgument, null, "The passphrase must not be empty.");
            }
            var random = new SecureRandom();
            byte[] salt = new byte[SaltLength];
            byte[] iv = new byte[16];
            random.NextBytes(salt);
            random.NextBytes(iv);

            byte[] password = Pbkdf2PasswordBytes(passphrase);
            byte[] aesKey = Array.Empty<byte>();
            byte[] plain = key.ToPrivateKeyInfo().GetDerEncoded();
            try
            {
                var kdf = new Pkcs5S2ParametersGenerator(new Sha256Digest());
                kdf.Init(password, salt, iterations);
                aesKey = ((KeyParameter)kdf.GenerateDerivedMacParameters(256)).GetKey();

                byte[] encrypted;
                using (var aes = Aes.Create())
                {
                    aes.Mode = CipherMode.CBC;
                    aes.Padding = PaddingMode.PKCS7;
                    using var encryptor = aes.CreateEncryptor(aesKey, iv);
                    encrypted = encryptor.TransformFinalBlock(plain, 0, plain.Length);
                }

                var pbkdf2 = new Pbkdf2Params(salt, iterations, new AlgorithmIdentifier(PkcsObjectIdentifiers.IdHmacWithSha256, DerNull.Instance));
                var scheme = new PbeS2Parameters(
                    new KeyDerivationFunc(PkcsObjectIdentifiers.IdPbkdf2, pbkdf2),
                    new EncryptionScheme(NistObjectIdentifiers.IdAes256Cbc, new DerOctetString(iv)));
                var info = new EncryptedPrivateKeyInfo(new AlgorithmIdentifier(PkcsObjectIdentifiers.IdPbeS2, scheme), encrypted);
                return PemText.Write("ENCRYPTED PRIVATE KEY", info.GetDerEncoded());
            }
            finally
            {
                Array.Clear(password, 0, password.Length);
                Array.Clear(aesKey, 0, aesKey.Length);
                Array.Clear(plain, 0, plain.Length);
            }
        }

        /// <summary>Reads a key file.</summary>
        /// <exception cref="KeyFileException">The file is missing, damaged, encrypted without a (right) passphrase, or holds a key Binance does not accept.</exception>
        public static KeyFileContents ReadFile(string path, char[]? passphrase)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                throw new KeyFileException(KeyFileError.NotFound, path, $"The key file '{path}' does not exist.", e);
            }
            return Read(text, passphrase, path);
        }

        /// <summary>Reads PEM text; <paramref name="source"/> names it in error messages.</summary>
        public static KeyFileContents Read(string pemText, char[]? passphrase, string? source)
        {
            PemObject pem = ReadPemObject(pemText, source);
            switch (pem.Type)
            {
                case "PRIVATE KEY":
                    return FromPrivate(Parse(() => PrivateKeyFactory.CreateKey(pem.Content), source), false, "PKCS#8", source);
                case "ENCRYPTED PRIVATE KEY":
                    return FromPrivate(DecryptPkcs8(pem.Content, passphrase, source), true, "encrypted PKCS#8", source);
                case "RSA PRIVATE KEY":
                    return ReadPkcs1Private(pemText, pem, passphrase, source);
                case "PUBLIC KEY":
                    return FromPublic(Parse(() => PublicKeyFactory.CreateKey(pem.Content), source), "SPKI", source);
                case "RSA PUBLIC KEY":
                    return FromPublic(Parse(() =>
                    {
                        var rsa = RsaPublicKeyStructure.GetInstance(Asn1Object.FromByteArray(pem.Content));
                        return new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent);
                    }, source), "PKCS#1", source);
                case "OPENSSH PRIVATE KEY":
                    throw new KeyFileException(KeyFileError.UnsupportedKeyType, source,
                        $"{KeyRules.Describe(source)} is in OpenSSH format; convert it to PKCS#8 first (ssh-keygen -p -m PKCS8 -f FILE).");
                case "EC PRIVATE KEY":
                case "DSA PRIVATE KEY":
                    throw new KeyFileException(KeyFileError.UnsupportedKeyType, source,
                        $"{KeyRules.Describe(source)} holds a {pem.Type.Split(' ')[0]} key; Binance accepts Ed25519 and RSA (2048 or 4096 bits) keys only.");
                default:
                    throw new KeyFileException(KeyFileError.UnsupportedKeyType, source,
                        $"{KeyRules.Describe(source)} holds a PEM block of type '{pem.Type}', not a private or public key.");
            }
        }

        private static PemObject ReadPemObject(string pemText, string? source)
        {
            string normalized = pemText.TrimStart('\uFEFF').Replace("\r\n", "\n").Replace('\r', '\n');
            PemObject? pem = null;
            try
            {
                using var reader = new Org.BouncyCastle.Utilities.IO.Pem.PemReader(new StringReader(normalized));
                // Skip anything that is not a key (a certificate, parameters) before the first key block.
                while ((pem = reader.ReadPemObject()) != null && !pem.Type.EndsWith("KEY", StringComparison.Ordinal))
                {
                }
            }
            catch (Exception e) when (e is IOException || e is FormatException || e is ArgumentException)
            {
                throw Corrupt(source, e);
            }
            if (pem is null)
            {
                throw new KeyFileException(KeyFileError.Corrupt, source,
                    $"{KeyRules.Describe(source)} is not a PEM key file: no -----BEGIN ... KEY----- block was found.");
            }
            return pem;
        }

        private static AsymmetricKeyParameter DecryptPkcs8(byte[] content, char[]? passphrase, string? source)
        {
            EncryptedPrivateKeyInfo info = Parse(() => EncryptedPrivateKeyInfo.GetInstance(Asn1Object.FromByteArray(content)), source);
            if (passphrase is null || passphrase.Length == 0)
            {
                throw new KeyFileException(KeyFileError.PassphraseRequired, source,
                    $"{KeyRules.Describe(source)} is encrypted; give its passphrase with -Passphrase.");
            }
            PrivateKeyInfo plain;
            try
            {
                byte[]? der = Pbes2Decryptor.TryDecrypt(info, passphrase);
                plain = der != null
                    ? ParseWith(() => PrivateKeyInfo.GetInstance(Asn1Object.FromByteArray(der)), e => WrongPassphrase(source, e))
                    : PrivateKeyInfoFactory.CreatePrivateKeyInfo(LegacyPassword(info, passphrase), info);
            }
            catch (KeyFileException)
            {
                throw;
            }
            catch (Exception e) when (IsDecryptionFailure(e))
            {
                throw WrongPassphrase(source, e);
            }
            catch (Exception e) when (e is SecurityUtilityException || e is NotSupportedException || e is NotImplementedException)
            {
                throw new KeyFileException(KeyFileError.UnsupportedKeyType, source,
                    $"{KeyRules.Describe(source)} is encrypted with a scheme that is not supported ({info.EncryptionAlgorithm.Algorithm.Id}); re-encrypt it with PBES2 (openssl pkcs8 -topk8 -v2 aes-256-cbc).", e);
            }
            // A wrong passphrase usually fails the padding check above, but 1 time in 256 it yields bytes that
            // only fail to parse.
            return ParseWith(() => PrivateKeyFactory.CreateKey(plain), e => WrongPassphrase(source, e));
        }

        private static KeyFileContents ReadPkcs1Private(string pemText, PemObject pem, char[]? passphrase, string? source)
        {
            bool encrypted = false;
            foreach (PemHeader header in pem.Headers)
            {
                if (header.Name == "Proc-Type" && header.Value.Contains("ENCRYPTED")) encrypted = true;
            }
            if (!encrypted)
            {
                return FromPrivate(Parse(() =>
                {
                    var rsa = RsaPrivateKeyStructure.GetInstance(Asn1Object.FromByteArray(pem.Content));
                    return new RsaPrivateCrtKeyParameters(rsa.Modulus, rsa.PublicExponent, rsa.PrivateExponent,
                        rsa.Prime1, rsa.Prime2, rsa.Exponent1, rsa.Exponent2, rsa.Coefficient);
                }, source), false, "PKCS#1", source);
            }
            if (passphrase is null || passphrase.Length == 0)
            {
                throw new KeyFileException(KeyFileError.PassphraseRequired, source,
                    $"{KeyRules.Describe(source)} is encrypted; give its passphrase with -Passphrase.");
            }
            // OpenSSL's traditional encryption (Proc-Type/DEK-Info headers): BouncyCastle's OpenSSL reader knows it.
            var reader = new Org.BouncyCastle.OpenSsl.PemReader(new StringReader(pemText.Replace("\r\n", "\n")), new PasswordFinder(Utf8BytesAsChars(passphrase)));
            object read = ParseWith(() => reader.ReadObject(), e => WrongPassphrase(source, e));
            var key = read is AsymmetricCipherKeyPair pair ? pair.Private : read as AsymmetricKeyParameter;
            if (key is null) throw WrongPassphrase(source, null);
            return FromPrivate(key, true, "encrypted PKCS#1", source);
        }

        private static KeyFileContents FromPrivate(AsymmetricKeyParameter key, bool encrypted, string format, string? source)
        {
            if (!key.IsPrivate) throw Corrupt(source, null);
            SigningKey signingKey = SigningKey.From(key, source);
            return new KeyFileContents(signingKey, signingKey.PublicKey, encrypted, format);
        }

        private static KeyFileContents FromPublic(AsymmetricKeyParameter key, string format, string? source) =>
            new KeyFileContents(null, PublicKey.From(key, source), false, format);

        private static T Parse<T>(Func<T> parse, string? source) => ParseWith(parse, e => Corrupt(source, e));

        private static T ParseWith<T>(Func<T> parse, Func<Exception, KeyFileException> fail)
        {
            try
            {
                return parse();
            }
            catch (KeyFileException)
            {
                throw;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw fail(e);
            }
        }

        private static bool IsDecryptionFailure(Exception e) =>
            e is InvalidCipherTextException || e is DataLengthException || e is CryptographicException ||
            e is ArgumentException || e is IOException || e is InvalidOperationException ||
            e is Asn1ParsingException || e is PemException;

        private static KeyFileException Corrupt(string? source, Exception? inner) =>
            new KeyFileException(KeyFileError.Corrupt, source,
                $"{KeyRules.Describe(source)} is damaged or not a key file: its PEM block does not decode to a valid key.", inner);

        private static KeyFileException WrongPassphrase(string? source, Exception? inner) =>
            new KeyFileException(KeyFileError.WrongPassphrase, source,
                $"The passphrase does not decrypt {KeyRules.Describe(source)}.", inner);

        private static byte[] Pbkdf2PasswordBytes(char[] passphrase) => Encoding.UTF8.GetBytes(passphrase);

        // BouncyCastle turns each character into one byte for PKCS#5 schemes, where OpenSSL uses the UTF-8 bytes:
        // hand it one character per UTF-8 byte. PKCS#12 schemes take the characters themselves (BMPString).
        private static char[] LegacyPassword(EncryptedPrivateKeyInfo info, char[] passphrase) =>
            info.EncryptionAlgorithm.Algorithm.Id.StartsWith(PkcsObjectIdentifiers.Pkcs12PbeIds + ".", StringComparison.Ordinal)
                ? passphrase
                : Utf8BytesAsChars(passphrase);

        private static char[] Utf8BytesAsChars(char[] passphrase)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(passphrase);
            var chars = new char[bytes.Length];
            for (int i = 0; i < bytes.Length; i++) chars[i] = (char)bytes[i];
            Array.Clear(bytes, 0, bytes.Length);
            return chars;
        }

        private sealed class PasswordFinder : IPasswordFinder
        {
            private readonly char[] passphrase;

            public PasswordFinder(char[] passphrase) => this.passphrase = passphrase;

            public char[] GetPassword() => (char[])passphrase.Clone();
        }
    }
}

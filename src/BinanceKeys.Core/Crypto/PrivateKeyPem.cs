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
    /// <see cref="KeyFileError"/> and a message free of key material. Private keys travel as bytes and char arrays that
    /// are cleared after use, never as managed strings (docs/vault.md, "Private keys in memory").
    /// </summary>
    public static class PrivateKeyPem
    {
        /// <summary>
        /// PBKDF2-HMAC-SHA256 iterations for new encrypted keys: OWASP's 2023 figure for this PRF
        /// (about 0.6 s on the 2-core build machine). OpenSSL reads any count.
        /// </summary>
        public const int Pbkdf2Iterations = 600_000;

        private const int SaltLength = 16;

        /// <summary>
        /// Writes an unencrypted PKCS#8 PEM (-----BEGIN PRIVATE KEY-----) as ASCII bytes, never as a string: the caller
        /// writes them where they belong (a file, the vault) and clears them.
        /// </summary>
        public static byte[] WriteUnencrypted(SigningKey key)
        {
            byte[] der = key.ToPrivateKeyInfo().GetDerEncoded();
            try
            {
                return PemText.WriteBytes("PRIVATE KEY", der);
            }
            finally
            {
                Array.Clear(der, 0, der.Length);
            }
        }

        /// <summary>
        /// Writes an encrypted PKCS#8 PEM (-----BEGIN ENCRYPTED PRIVATE KEY-----): PBES2 with PBKDF2-HMAC-SHA256
        /// and AES-256-CBC, which OpenSSL 3 reads (`openssl pkey -in FILE -passin ...`). Ciphertext only, so a string.
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

            byte[] password = Encoding.UTF8.GetBytes(passphrase);
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

        /// <summary>Reads a key file; its bytes are cleared once parsed.</summary>
        /// <exception cref="KeyFileException">The file is missing, unreadable, damaged, encrypted without a (right)
        /// passphrase, or holds a key Binance does not accept.</exception>
        public static KeyFileContents ReadFile(string path, char[]? passphrase)
        {
            byte[] bytes = ReadBytes(path);
            try
            {
                return Read(bytes, passphrase, path);
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
            }
        }

        /// <summary>Reads PEM text; <paramref name="source"/> names it in error messages. Private keys: prefer the byte overload.</summary>
        public static KeyFileContents Read(string pemText, char[]? passphrase, string? source)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(pemText);
            try
            {
                return Read(bytes, passphrase, source);
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
            }
        }

        /// <summary>
        /// Reads a PEM key from bytes, as a file or a vault entry holds it; <paramref name="source"/> names it in error
        /// messages. The caller keeps and clears <paramref name="pem"/>; every copy made here is cleared.
        /// </summary>
        public static KeyFileContents Read(byte[] pem, char[]? passphrase, string? source)
        {
            PemBlock block;
            try
            {
                block = PemBlock.ReadFirstKey(pem) ?? throw new KeyFileException(KeyFileError.Corrupt, source,
                    $"{KeyRules.Describe(source)} is not a PEM key file: no -----BEGIN ... KEY----- block was found.");
            }
            catch (FormatException e)
            {
                throw Corrupt(source, e);
            }
            using (block)
            {
                switch (block.Type)
                {
                    case "PRIVATE KEY":
                        return FromPrivate(PlainEd25519(block.Content) ?? Parse(() => PrivateKeyFactory.CreateKey(block.Content), source), false, "PKCS#8", source);
                    case "ENCRYPTED PRIVATE KEY":
                        return FromPrivate(DecryptPkcs8(block.Content, passphrase, source), true, "encrypted PKCS#8", source);
                    case "RSA PRIVATE KEY":
                        return ReadPkcs1Private(block, passphrase, source);
                    case "PUBLIC KEY":
                        return FromPublic(Parse(() => PublicKeyFactory.CreateKey(block.Content), source), "SPKI", source);
                    case "RSA PUBLIC KEY":
                        return FromPublic(Parse(() =>
                        {
                            var rsa = Required(RsaPublicKeyStructure.GetInstance(Asn1Object.FromByteArray(block.Content)));
                            return new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent);
                        }, source), "PKCS#1", source);
                    case "OPENSSH PRIVATE KEY":
                        throw new KeyFileException(KeyFileError.UnsupportedKeyType, source,
                            $"{KeyRules.Describe(source)} is in OpenSSH format; convert it to PKCS#8 first (ssh-keygen -p -m PKCS8 -f FILE).");
                    case "EC PRIVATE KEY":
                    case "DSA PRIVATE KEY":
                        throw new KeyFileException(KeyFileError.UnsupportedKeyType, source,
                            $"{KeyRules.Describe(source)} holds a {block.Type.Split(' ')[0]} key; Binance accepts Ed25519 and RSA (2048 or 4096 bits) keys only.");
                    default:
                        throw new KeyFileException(KeyFileError.UnsupportedKeyType, source,
                            $"{KeyRules.Describe(source)} holds a PEM block of type '{block.Type}', not a private or public key.");
                }
            }
        }

        // RFC 8410 §7: an unencrypted Ed25519 PKCS#8 key (version 0, no attributes, no public key; what OpenSSL and this
        // module write) is always these 16 bytes followed by the 32-byte seed.
        private static readonly byte[] Ed25519Pkcs8Prefix =
        {
            0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
        };

        /// <summary>
        /// The key of an unencrypted Ed25519 PKCS#8 encoding in exactly the form above, or null for anything else, which
        /// BouncyCastle's decoder reads. The result is the one that decoder returns for these bytes; matching them here
        /// spares the first key read of a session the start-up of BouncyCastle's ASN.1 and object identifier tables
        /// (docs/performance.md, "Import and first command").
        /// </summary>
        internal static Ed25519PrivateKeyParameters? PlainEd25519(byte[] der)
        {
            if (der.Length != Ed25519Pkcs8Prefix.Length + Ed25519PrivateKeyParameters.KeySize) return null;
            for (int i = 0; i < Ed25519Pkcs8Prefix.Length; i++)
            {
                if (der[i] != Ed25519Pkcs8Prefix[i]) return null;
            }
            return new Ed25519PrivateKeyParameters(der, Ed25519Pkcs8Prefix.Length);
        }

        /// <summary>A PEM block in the form above whose seed is 32 zero bytes: a key nobody holds (Credentials.Prepare).</summary>
        internal static byte[] ThrowawayEd25519Pem()
        {
            var der = new byte[Ed25519Pkcs8Prefix.Length + Ed25519PrivateKeyParameters.KeySize];
            Buffer.BlockCopy(Ed25519Pkcs8Prefix, 0, der, 0, Ed25519Pkcs8Prefix.Length);
            return PemText.WriteBytes("PRIVATE KEY", der);
        }

        /// <summary>
        /// Runs a BouncyCastle decoder over bytes from outside: what it throws for malformed input becomes
        /// <see cref="KeyFileError.Corrupt"/>, an algorithm it does not know <see cref="KeyFileError.UnsupportedKeyType"/>;
        /// anything else (a bug) passes through as it is.
        /// </summary>
        internal static T Parse<T>(Func<T> parse, string? source)
        {
            try
            {
                return parse();
            }
            catch (SecurityUtilityException e)
            {
                throw new KeyFileException(KeyFileError.UnsupportedKeyType, source,
                    $"{KeyRules.Describe(source)} holds a key of an algorithm Binance does not accept; Binance accepts Ed25519 and RSA (2048 or 4096 bits) keys only.", e);
            }
            catch (Exception e) when (IsMalformedEncoding(e))
            {
                throw Corrupt(source, e);
            }
        }

        /// <summary>
        /// How BouncyCastle's ASN.1 and key decoders report bytes that are not what they should be: IOException (with its
        /// Asn1Exception and EndOfStreamException), ArgumentException from GetInstance and the key constructors,
        /// Asn1ParsingException, and FormatException, InvalidCastException or ArithmeticException for values of the wrong
        /// shape or size (KeyFileTests.MutatedKeysFailOnlyWithKeyFileExceptions finds them).
        /// </summary>
        internal static bool IsMalformedEncoding(Exception e) =>
            e is IOException || e is ArgumentException || e is Asn1ParsingException || e is FormatException ||
            e is InvalidCastException || e is ArithmeticException;

        // At most MaxFileSize bytes: a key file is a few kilobytes, and /dev/zero or a huge file must not fill memory.
        private static byte[] ReadBytes(string path)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
                var buffer = new byte[PemBlock.MaxFileSize + 1];
                int read = 0;
                try
                {
                    int count;
                    while (read < buffer.Length && (count = stream.Read(buffer, read, buffer.Length - read)) > 0) read += count;
                    if (read > PemBlock.MaxFileSize)
                    {
                        throw new KeyFileException(KeyFileError.Corrupt, path,
                            $"'{path}' is larger than {PemBlock.MaxFileSize / 1024} KiB: not a key file.");
                    }
                    var bytes = new byte[read];
                    Buffer.BlockCopy(buffer, 0, bytes, 0, read);
                    return bytes;
                }
                finally
                {
                    Array.Clear(buffer, 0, read);
                }
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                throw new KeyFileException(KeyFileError.NotFound, path, $"The key file '{path}' does not exist.", e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new KeyFileException(KeyFileError.AccessDenied, path, $"Access to the key file '{path}' is denied.", e);
            }
            catch (IOException e)
            {
                throw new KeyFileException(KeyFileError.ReadFailed, path, $"The key file '{path}' could not be read: {e.Message}", e);
            }
        }

        private static AsymmetricKeyParameter DecryptPkcs8(byte[] content, char[]? passphrase, string? source)
        {
            EncryptedPrivateKeyInfo info = Parse(() => Required(EncryptedPrivateKeyInfo.GetInstance(Asn1Object.FromByteArray(content))), source);
            if (passphrase is null || passphrase.Length == 0)
            {
                throw new KeyFileException(KeyFileError.PassphraseRequired, source,
                    $"{KeyRules.Describe(source)} is encrypted; give its passphrase with -Passphrase.");
            }
            // The scheme first, without the passphrase: damage there is a damaged file, not a wrong passphrase.
            Pbes2Scheme? scheme;
            try
            {
                scheme = Pbes2Decryptor.Read(info);
                if (scheme is null) Pbes2Decryptor.CheckLegacyIterations(info);
            }
            catch (NotSupportedException e)
            {
                throw UnsupportedScheme(info, source, e);
            }
            catch (Exception e) when (IsMalformedEncoding(e))
            {
                throw Corrupt(source, e);
            }

            PrivateKeyInfo plain;
            byte[]? der = null;
            try
            {
                if (scheme != null)
                {
                    der = Pbes2Decryptor.Decrypt(scheme, info, passphrase);
                    plain = Required(PrivateKeyInfo.GetInstance(Asn1Object.FromByteArray(der)));
                }
                else
                {
                    char[] legacy = LegacyPassword(info, passphrase);
                    try
                    {
                        plain = PrivateKeyInfoFactory.CreatePrivateKeyInfo(legacy, info);
                    }
                    finally
                    {
                        if (!ReferenceEquals(legacy, passphrase)) Array.Clear(legacy, 0, legacy.Length);
                    }
                }
            }
            catch (SecurityUtilityException e)
            {
                throw UnsupportedScheme(info, source, e);
            }
            catch (Exception e) when (IsDecryptionFailure(e))
            {
                // A wrong passphrase fails the padding check, or (1 time in 256) yields bytes that do not decode.
                throw WrongPassphrase(source, e);
            }
            finally
            {
                if (der != null) Array.Clear(der, 0, der.Length);
            }
            try
            {
                return PrivateKeyFactory.CreateKey(plain);
            }
            catch (SecurityUtilityException e)
            {
                throw new KeyFileException(KeyFileError.UnsupportedKeyType, source,
                    $"{KeyRules.Describe(source)} holds a key of an algorithm Binance does not accept; Binance accepts Ed25519 and RSA (2048 or 4096 bits) keys only.", e);
            }
            catch (Exception e) when (IsMalformedEncoding(e))
            {
                throw WrongPassphrase(source, e);
            }
        }

        private static KeyFileException UnsupportedScheme(EncryptedPrivateKeyInfo info, string? source, Exception inner) =>
            new KeyFileException(KeyFileError.UnsupportedKeyType, source,
                $"{KeyRules.Describe(source)} is encrypted with a scheme or settings that are not supported ({info.EncryptionAlgorithm?.Algorithm?.Id}: {inner.Message}); re-encrypt it with PBES2 (openssl pkcs8 -topk8 -v2 aes-256-cbc).", inner);

        // BouncyCastle's GetInstance answers null for an absent element; to this reader that is a malformed file.
        private static T Required<T>(T? value)
            where T : class => value ?? throw new FormatException("a required ASN.1 element is missing");

        private static KeyFileContents ReadPkcs1Private(PemBlock block, char[]? passphrase, string? source)
        {
            string? procType = block.Header("Proc-Type");
            if (procType is null || procType.IndexOf("ENCRYPTED", StringComparison.Ordinal) < 0)
            {
                return FromPrivate(Parse(() =>
                {
                    var rsa = Required(RsaPrivateKeyStructure.GetInstance(Asn1Object.FromByteArray(block.Content)));
                    return new RsaPrivateCrtKeyParameters(rsa.Modulus, rsa.PublicExponent, rsa.PrivateExponent,
                        rsa.Prime1, rsa.Prime2, rsa.Exponent1, rsa.Exponent2, rsa.Coefficient);
                }, source), false, "PKCS#1", source);
            }
            if (passphrase is null || passphrase.Length == 0)
            {
                throw new KeyFileException(KeyFileError.PassphraseRequired, source,
                    $"{KeyRules.Describe(source)} is encrypted; give its passphrase with -Passphrase.");
            }
            // OpenSSL's traditional encryption (Proc-Type/DEK-Info headers), which BouncyCastle's OpenSSL reader knows.
            // The block is ciphertext, so it may pass through a string on the way there.
            var text = new StringBuilder("-----BEGIN RSA PRIVATE KEY-----\n");
            foreach (var header in block.Headers) text.Append(header.Key).Append(": ").Append(header.Value).Append('\n');
            text.Append('\n').Append(Convert.ToBase64String(block.Content)).Append("\n-----END RSA PRIVATE KEY-----\n");
            char[] password = Utf8BytesAsChars(passphrase);
            object? read;
            try
            {
                var reader = new Org.BouncyCastle.OpenSsl.PemReader(new StringReader(text.ToString()), new PasswordFinder(password));
                read = reader.ReadObject();
            }
            catch (Exception e) when (e is PemException || IsDecryptionFailure(e))
            {
                throw WrongPassphrase(source, e);
            }
            finally
            {
                Array.Clear(password, 0, password.Length);
            }
            var key = read is AsymmetricCipherKeyPair pair ? pair.Private : read as AsymmetricKeyParameter;
            if (key is null) throw WrongPassphrase(source, null);
            return FromPrivate(key, true, "encrypted PKCS#1", source);
        }

        private static KeyFileContents FromPrivate(AsymmetricKeyParameter key, bool encrypted, string format, string? source)
        {
            if (!key.IsPrivate) throw Corrupt(source, null);
            SigningKey signingKey;
            try
            {
                signingKey = SigningKey.From(key, source);
            }
            catch (Exception e) when (e is CryptographicException || IsMalformedEncoding(e))
            {
                // Numbers that decode but do not make a valid key (an even RSA exponent, a key the operating system refuses).
                throw Corrupt(source, e);
            }
            return new KeyFileContents(signingKey, signingKey.PublicKey, encrypted, format);
        }

        private static KeyFileContents FromPublic(AsymmetricKeyParameter key, string format, string? source)
        {
            if (key.IsPrivate) throw Corrupt(source, null);
            return new KeyFileContents(null, PublicKey.From(key, source), false, format);
        }

        private static bool IsDecryptionFailure(Exception e) =>
            e is InvalidCipherTextException || e is DataLengthException || e is CryptographicException || IsMalformedEncoding(e);

        private static KeyFileException Corrupt(string? source, Exception? inner) =>
            new KeyFileException(KeyFileError.Corrupt, source,
                $"{KeyRules.Describe(source)} is damaged or not a key file: its PEM block does not decode to a valid key.", inner);

        private static KeyFileException WrongPassphrase(string? source, Exception? inner) =>
            new KeyFileException(KeyFileError.WrongPassphrase, source,
                $"The passphrase does not decrypt {KeyRules.Describe(source)}.", inner);

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

            // The caller's own array, which it clears: no copy is left behind with BouncyCastle.
            public char[] GetPassword() => passphrase;
        }
    }
}

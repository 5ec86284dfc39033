using System;
using BinanceKeys.Crypto;
using BinanceKeys.Secrets;
using BinanceKeys.Signing;

namespace BinanceKeys.Keys
{
    /// <summary>An API key with the signer for its secret or private key, and where they came from (for messages; never the secret).</summary>
    public sealed class Credential
    {
        /// <summary>Creates the credential; it takes over <paramref name="signer"/> (and disposes it if the API key is refused).</summary>
        /// <exception cref="KeyOperationException">The API key cannot go in an HTTP header; the message says where it came from, never what it is.</exception>
        public Credential(string apiKey, IRequestSigner signer, string source)
        {
            if (string.IsNullOrEmpty(apiKey) || !IsHeaderSafe(apiKey))
            {
                signer.Dispose();
                throw new KeyOperationException(KeyOperationError.InvalidArgument,
                    $"The API key from {source} is empty or holds characters that cannot be sent in an HTTP header (only visible ASCII is).");
            }
            ApiKey = apiKey;
            Signer = signer;
            Source = source;
        }

        // Visible ASCII only: what an X-MBX-APIKEY header can carry (Binance's keys are letters and digits).
        private static bool IsHeaderSafe(string value)
        {
            foreach (char c in value)
            {
                if (c < 0x21 || c > 0x7E) return false;
            }
            return true;
        }

        /// <summary>The API key (public identifier).</summary>
        public string ApiKey { get; }

        /// <summary>The signer; whoever connects owns it.</summary>
        public IRequestSigner Signer { get; }

        /// <summary>"parameters", "environment (...)" or the secret store's entry.</summary>
        public string Source { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Signer.Type} credential for {ApiKey} from {Source}";
    }

    /// <summary>
    /// Every way a signer is made from what the user holds: an HMAC secret, a private key file, a key pair read in
    /// this session, a secret-store entry, or the pipeline's environment variables. One place, so that every
    /// command refuses a public key or an empty secret in the same words.
    /// </summary>
    public static class Credentials
    {
        /// <summary>The environment variables a pipeline sets instead of parameters.</summary>
        public const string ApiKeyVariable = "BINANCE_API_KEY";
        public const string SecretVariable = "BINANCE_API_SECRET";
        public const string PrivateKeyPathVariable = "BINANCE_PRIVATE_KEY_PATH";
        public const string PrivateKeyPassphraseVariable = "BINANCE_PRIVATE_KEY_PASSPHRASE";

        /// <summary>An HMAC signer; the caller clears <paramref name="secret"/>.</summary>
        public static IRequestSigner FromSecret(char[]? secret)
        {
            if (secret is null || secret.Length == 0) throw new KeyFileException(KeyFileError.InvalidArgument, null, "The API secret is empty.");
            return HmacRequestSigner.FromSecret(secret);
        }

        /// <summary>A signer for the private key in <paramref name="path"/>; a public key file is refused.</summary>
        public static IRequestSigner FromKeyFile(string path, char[]? passphrase) =>
            FromContents(PrivateKeyPem.ReadFile(path, passphrase), path);

        /// <summary>
        /// A signer for a key pair, its private key loaded now: from the pair's private key file (with
        /// <paramref name="passphrase"/>), or from its secret-store entry through <paramref name="readEntry"/>. The key
        /// must still be the one the pair describes (same public key fingerprint), else <see cref="KeyFileError.KeyMismatch"/>.
        /// </summary>
        /// <param name="pair">The key pair, as New-BinanceKeyPair or Get-BinanceKeyPair described it.</param>
        /// <param name="passphrase">The private key file's passphrase, if it is encrypted; the caller clears it.</param>
        /// <param name="readEntry">Reads a secret-store entry by name; the signer is built before the entry is disposed.</param>
        public static IRequestSigner FromKeyPair(KeyPairInfo pair, char[]? passphrase, Func<string, VaultEntry>? readEntry = null)
        {
            if (pair.PrivateKeyPath != null)
            {
                return FromContents(Matching(pair, PrivateKeyPem.ReadFile(pair.PrivateKeyPath, passphrase), pair.PrivateKeyPath), pair.PrivateKeyPath);
            }
            if (pair.SecretName != null && readEntry != null)
            {
                using VaultEntry entry = readEntry(pair.SecretName);
                string source = $"stored credential '{entry.Name}'";
                if (entry.Info.Type == "hmac")
                {
                    throw new KeyFileException(KeyFileError.KeyMismatch, source, $"The {source} holds an HMAC secret, not the private key of the key pair '{pair.Name}'.");
                }
                return FromContents(Matching(pair, PrivateKeyPem.Read(entry.Secret, null, source), source), source);
            }
            throw new KeyFileException(KeyFileError.InvalidArgument, pair.PublicKeyPath,
                $"The key pair '{pair.Name}' holds only a public key; signing needs its private key (Get-BinanceKeyPair -Path NAME.pem).");
        }

        /// <summary>
        /// The credential in a secret-store entry: an HMAC secret, or a private key in PEM. The API key comes from
        /// <paramref name="apiKey"/> when given, else from the entry's metadata.
        /// </summary>
        public static Credential FromEntry(VaultEntry entry, string? apiKey, string source)
        {
            string key = apiKey ?? entry.Info.ApiKey
                ?? throw new KeyOperationException(KeyOperationError.InvalidArgument, $"The stored credential '{entry.Name}' records no API key; give it with -ApiKey.");
            if (entry.Info.Type != "hmac")
            {
                string where = $"stored credential '{entry.Name}'";
                // Straight from the entry's bytes: the PEM never becomes a string.
                return new Credential(key, FromContents(PrivateKeyPem.Read(entry.Secret, null, where), where), source);
            }
            char[] secret = entry.GetSecretChars();
            try
            {
                return new Credential(key, FromSecret(secret), source);
            }
            finally
            {
                SecureStrings.Clear(secret);
            }
        }

        /// <summary>
        /// For pipelines: BINANCE_API_KEY with BINANCE_API_SECRET (HMAC), or with BINANCE_PRIVATE_KEY_PATH (and
        /// BINANCE_PRIVATE_KEY_PASSPHRASE if the key is encrypted).
        /// </summary>
        /// <param name="environment">Reads an environment variable.</param>
        /// <param name="resolvePath">
        /// Makes BINANCE_PRIVATE_KEY_PATH absolute the way the caller resolves paths (the cmdlets: against the PowerShell
        /// location, not the process's directory); by default Path.GetFullPath.
        /// </param>
        public static Credential FromEnvironment(Func<string, string?> environment, Func<string, string>? resolvePath = null)
        {
            string? apiKey = environment(ApiKeyVariable);
            string? secret = environment(SecretVariable);
            string? keyPath = environment(PrivateKeyPathVariable);
            if (string.IsNullOrEmpty(apiKey) || (string.IsNullOrEmpty(secret) && string.IsNullOrEmpty(keyPath)))
            {
                throw new KeyOperationException(KeyOperationError.InvalidArgument,
                    $"No credentials: give -ApiKey with -Secret, -PrivateKeyPath or -KeyPair, or set {ApiKeyVariable} and {SecretVariable} (HMAC) or {PrivateKeyPathVariable} (Ed25519/RSA, with {PrivateKeyPassphraseVariable} if encrypted).");
            }
            bool hmac = !string.IsNullOrEmpty(secret);
            // An empty BINANCE_PRIVATE_KEY_PASSPHRASE (a CI variable that expanded to nothing) is no passphrase: an
            // encrypted key then fails with PassphraseRequired instead of being tried with "".
            string? passphrase = environment(PrivateKeyPassphraseVariable);
            char[]? chars = (hmac ? secret : string.IsNullOrEmpty(passphrase) ? null : passphrase)?.ToCharArray();
            try
            {
                return hmac
                    ? new Credential(apiKey!, FromSecret(chars), $"environment ({ApiKeyVariable}, {SecretVariable})")
                    : new Credential(apiKey!, FromKeyFile((resolvePath ?? System.IO.Path.GetFullPath)(keyPath!), chars), $"environment ({ApiKeyVariable}, {PrivateKeyPathVariable})");
            }
            finally
            {
                SecureStrings.Clear(chars);
            }
        }

        /// <summary>A secret-store entry for a private key, kept as unencrypted PKCS#8 inside the encrypted store.</summary>
        public static VaultEntry PrivateKeyEntry(string name, SigningKey key, string? apiKey, string? account, string? label)
        {
            byte[] pem = PrivateKeyPem.WriteUnencrypted(key);
            try
            {
                string type = key.Algorithm == KeyAlgorithm.Ed25519 ? "ed25519" : "rsa";
                return new VaultEntry(new VaultEntryInfo(name, type, apiKey, account, label, DateTime.UtcNow), pem);
            }
            finally
            {
                Array.Clear(pem, 0, pem.Length);
            }
        }

        // The contents, if they hold the pair's key; else their private key is disposed and the mismatch reported.
        private static KeyFileContents Matching(KeyPairInfo pair, KeyFileContents contents, string source)
        {
            if (contents.PublicKey.Fingerprint == pair.Fingerprint) return contents;
            contents.PrivateKey?.Dispose();
            throw new KeyFileException(KeyFileError.KeyMismatch, source,
                $"{KeyRules.Describe(source)} no longer holds the private key of the key pair '{pair.Name}' (public key SHA-256 {pair.Fingerprint}): it was replaced since the pair was read. Read the pair again.");
        }

        /// <summary>
        /// Takes the path of a first signature once, with a throwaway key (an Ed25519 seed of 32 zero bytes, written as
        /// an unencrypted PKCS#8 PEM block like a key file's) and a constant payload: the PEM reader, the key and its
        /// public half, and a signature. The module calls it on a background thread when it is imported, so that the
        /// assemblies, types and Ed25519 tables a first command needs are ready when it runs (docs/performance.md,
        /// "Import and first command"). Nothing of it is kept and nothing secret is involved.
        /// </summary>
        public static void Prepare()
        {
            byte[] pem = PrivateKeyPem.ThrowawayEd25519Pem();
            try
            {
                using IRequestSigner signer = FromContents(PrivateKeyPem.Read(pem, null, "the module's start-up key"), "start-up");
                signer.Sign("timestamp=0");
            }
            finally
            {
                Array.Clear(pem, 0, pem.Length);
            }
        }

        private static IRequestSigner FromContents(KeyFileContents contents, string source)
        {
            if (contents.PrivateKey is null)
            {
                throw new KeyFileException(KeyFileError.InvalidArgument, source, $"{KeyRules.Describe(source)} holds a public key; signing needs the private key.");
            }
            return new KeyRequestSigner(contents.PrivateKey, ownsKey: true);
        }
    }
}

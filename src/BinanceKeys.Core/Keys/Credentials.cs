using System;
using BinanceKeys.Crypto;
using BinanceKeys.Secrets;
using BinanceKeys.Signing;

namespace BinanceKeys.Keys
{
    /// <summary>An API key with the signer for its secret or private key, and where they came from (for messages; never the secret).</summary>
    public sealed class Credential
    {
        /// <summary>Creates the credential; it takes over <paramref name="signer"/>.</summary>
        public Credential(string apiKey, IRequestSigner signer, string source)
        {
            ApiKey = apiKey;
            Signer = signer;
            Source = source;
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

        /// <summary>A signer for a key pair: its private key if it was read in this session, else its private key file.</summary>
        public static IRequestSigner FromKeyPair(KeyPairInfo pair, char[]? passphrase)
        {
            if (pair.SigningKey is SigningKey loaded) return new KeyRequestSigner(loaded);
            if (pair.PrivateKeyPath is null)
            {
                throw new KeyFileException(KeyFileError.InvalidArgument, pair.PublicKeyPath,
                    $"The key pair '{pair.Name}' holds only a public key; signing needs its private key (Get-BinanceKeyPair -Path NAME.pem).");
            }
            return FromKeyFile(pair.PrivateKeyPath, passphrase);
        }

        /// <summary>
        /// The credential in a secret-store entry: an HMAC secret, or a private key in PEM. The API key comes from
        /// <paramref name="apiKey"/> when given, else from the entry's metadata.
        /// </summary>
        public static Credential FromEntry(VaultEntry entry, string? apiKey, string source)
        {
            string key = apiKey ?? entry.Info.ApiKey
                ?? throw new KeyOperationException(KeyOperationError.InvalidArgument, $"The stored credential '{entry.Name}' records no API key; give it with -ApiKey.");
            char[] secret = entry.GetSecretChars();
            try
            {
                IRequestSigner signer = entry.Info.Type == "hmac"
                    ? FromSecret(secret)
                    : FromContents(PrivateKeyPem.Read(new string(secret), null, $"stored credential '{entry.Name}'"), $"stored credential '{entry.Name}'");
                return new Credential(key, signer, source);
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
        public static Credential FromEnvironment(Func<string, string?> environment)
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
                    : new Credential(apiKey!, FromKeyFile(keyPath!, chars), $"environment ({ApiKeyVariable}, {PrivateKeyPathVariable})");
            }
            finally
            {
                SecureStrings.Clear(chars);
            }
        }

        /// <summary>A secret-store entry for a private key, kept as unencrypted PKCS#8 inside the encrypted store.</summary>
        public static VaultEntry PrivateKeyEntry(string name, SigningKey key, string? apiKey, string? account, string? label)
        {
            char[] pem = PrivateKeyPem.WriteUnencrypted(key).ToCharArray();
            try
            {
                string type = key.Algorithm == KeyAlgorithm.Ed25519 ? "ed25519" : "rsa";
                return new VaultEntry(new VaultEntryInfo(name, type, apiKey, account, label, DateTime.UtcNow), pem);
            }
            finally
            {
                SecureStrings.Clear(pem);
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

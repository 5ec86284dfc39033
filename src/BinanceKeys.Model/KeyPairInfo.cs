using System;

namespace BinanceKeys
{
    /// <summary>
    /// A key pair on disk, as New-BinanceKeyPair made it or Get-BinanceKeyPair read it: public facts only.
    /// </summary>
    /// <remarks>
    /// It never exposes private key material. When Get-BinanceKeyPair has read (and decrypted) a private key,
    /// the object keeps an internal handle to it so that New-BinanceSignature -KeyPair can sign without asking
    /// for the passphrase again; that handle is not a public member, so it is not displayed, serialised or
    /// enumerated by PowerShell.
    /// </remarks>
    public sealed class KeyPairInfo
    {
        /// <summary>Creates the object; used by the module's core.</summary>
        public KeyPairInfo(
            string name,
            KeyAlgorithm algorithm,
            int keySize,
            string publicKeyPem,
            string fingerprint,
            string? privateKeyPath,
            string? publicKeyPath,
            bool isEncrypted)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Algorithm = algorithm;
            KeySize = keySize;
            PublicKeyPem = publicKeyPem ?? throw new ArgumentNullException(nameof(publicKeyPem));
            Fingerprint = fingerprint ?? throw new ArgumentNullException(nameof(fingerprint));
            PrivateKeyPath = privateKeyPath;
            PublicKeyPath = publicKeyPath;
            IsEncrypted = isEncrypted;
        }

        /// <summary>The key pair's name: the file name without .pem / .pub.pem.</summary>
        public string Name { get; }

        /// <summary>Ed25519 or RSA.</summary>
        public KeyAlgorithm Algorithm { get; }

        /// <summary>Key size in bits: 256 for Ed25519, 2048 or 4096 for RSA.</summary>
        public int KeySize { get; }

        /// <summary>The public key as SPKI PEM (-----BEGIN PUBLIC KEY-----), what Binance's upload form and API take.</summary>
        public string PublicKeyPem { get; }

        /// <summary>SHA-256 of the DER-encoded public key (SubjectPublicKeyInfo), lowercase hex.</summary>
        /// <remarks>Reproduce with: openssl pkey -pubin -in KEY.pub.pem -outform DER | openssl dgst -sha256</remarks>
        public string Fingerprint { get; }

        /// <summary>Path of the private key file, if there is one.</summary>
        public string? PrivateKeyPath { get; }

        /// <summary>Path of the public key file, if there is one.</summary>
        public string? PublicKeyPath { get; }

        /// <summary>The secret-store entry that holds the private key (New-BinanceKeyPair -StoreInVault), if any.</summary>
        public string? SecretName { get; internal set; }

        /// <summary>Whether the private key file is encrypted with a passphrase.</summary>
        public bool IsEncrypted { get; }

        /// <summary>Whether this object can sign: its private key was generated or read in this session.</summary>
        public bool HasPrivateKey => SigningKey != null;

        /// <summary>The loaded private key (a core signing key), when one was read; never public.</summary>
        internal object? SigningKey { get; set; }

        /// <inheritdoc />
        public override string ToString() => $"{Name} ({Algorithm} {KeySize}, SHA256 {Fingerprint})";
    }
}

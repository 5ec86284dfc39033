using System;

namespace BinanceKeys
{
    /// <summary>
    /// A key pair, as New-BinanceKeyPair made it or Get-BinanceKeyPair read it: public facts, and where its private key is.
    /// </summary>
    /// <remarks>
    /// It holds no private key material, not even internally: an object in a PowerShell variable lives as long as the
    /// variable, and PowerShell may serialise it (jobs, remoting, Export-Clixml). Commands that sign with a pair
    /// (New-BinanceSignature -KeyPair, Connect-BinanceAccount -KeyPair) load the private key from
    /// <see cref="PrivateKeyPath"/> or the secret-store entry <see cref="SecretName"/> when they need it, and check that
    /// it is still the key <see cref="Fingerprint"/> describes (docs/vault.md, "Private keys in memory").
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

        /// <summary>The secret store of <see cref="SecretName"/>: the local vault's path, or the SecretManagement vault's name.</summary>
        public string? Vault { get; internal set; }

        /// <summary>Whether <see cref="Vault"/> names a SecretManagement vault rather than a local vault file.</summary>
        internal bool VaultIsSecretManagement { get; set; }

        /// <summary>Whether the private key file is encrypted with a passphrase.</summary>
        public bool IsEncrypted { get; }

        /// <summary>Whether there is a private key to sign with: a private key file, or a secret-store entry.</summary>
        public bool HasPrivateKey => PrivateKeyPath != null || SecretName != null;

        /// <inheritdoc />
        public override string ToString() => $"{Name} ({Algorithm} {KeySize}, SHA256 {Fingerprint})";
    }
}

using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Pkcs;

namespace BinanceKeys.Crypto
{
    /// <summary>
    /// A private key that signs Binance requests. Ed25519 signs through BouncyCastle's raw API and RSA through
    /// the BCL (the operating system's crypto), the fastest correct paths measured (product.md, "Measured on the
    /// build machines"). Its ToString never shows key material.
    /// </summary>
    public abstract class SigningKey : IDisposable
    {
        private protected SigningKey(PublicKey publicKey)
        {
            PublicKey = publicKey;
        }

        /// <summary>The matching public key.</summary>
        public PublicKey PublicKey { get; }

        /// <summary>Ed25519 or RSA.</summary>
        public KeyAlgorithm Algorithm => PublicKey.Algorithm;

        /// <summary>256 for Ed25519; the modulus size for RSA.</summary>
        public int KeySize => PublicKey.KeySize;

        /// <summary>Signs <paramref name="data"/>: pure Ed25519 (binance-api.md §1.5) or RSASSA-PKCS1-v1_5 with SHA-256 (§1.4).</summary>
        public abstract byte[] Sign(byte[] data);

        /// <summary>The unencrypted PKCS#8 PrivateKeyInfo (DER); for writing key files only.</summary>
        internal abstract PrivateKeyInfo ToPrivateKeyInfo();

        /// <summary>Releases the key.</summary>
        public virtual void Dispose()
        {
        }

        /// <inheritdoc />
        public sealed override string ToString() => $"{Algorithm} {KeySize} private key, SHA256 {PublicKey.Fingerprint}";

        internal static SigningKey From(Org.BouncyCastle.Crypto.AsymmetricKeyParameter key, string? path)
        {
            KeyRules.Classify(key, path);
            return key switch
            {
                Ed25519PrivateKeyParameters ed25519 => new Ed25519SigningKey(ed25519),
                RsaPrivateCrtKeyParameters rsa => new RsaSigningKey(rsa),
                _ => throw new KeyFileException(KeyFileError.UnsupportedKeyType, path,
                    $"{KeyRules.Describe(path)} holds an RSA key without CRT parameters, which cannot be used for signing here."),
            };
        }
    }

    /// <summary>An Ed25519 private key (RFC 8032, pure: no pre-hash).</summary>
    internal sealed class Ed25519SigningKey : SigningKey
    {
        private readonly Ed25519PrivateKeyParameters key;

        public Ed25519SigningKey(Ed25519PrivateKeyParameters key)
            : base(PublicKey.From(key.GeneratePublicKey(), null))
        {
            this.key = key;
        }

        public override byte[] Sign(byte[] data)
        {
            var signature = new byte[Ed25519.SignatureSize];
            key.Sign(Ed25519.Algorithm.Ed25519, null, data, 0, data.Length, signature, 0);
            return signature;
        }

        // PKCS#8 v1 (algorithm and private key only): BouncyCastle's factory writes v2 with the public key
        // attached, which OpenSSL 3.0 refuses to read (product.md, interop pitfalls).
        internal override PrivateKeyInfo ToPrivateKeyInfo() =>
            new PrivateKeyInfo(
                new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(Org.BouncyCastle.Asn1.EdEC.EdECObjectIdentifiers.id_Ed25519),
                new Org.BouncyCastle.Asn1.DerOctetString(key.GetEncoded()));
    }

    /// <summary>An RSA private key; signs with the BCL, which is about 18 times faster than BouncyCastle here.</summary>
    internal sealed class RsaSigningKey : SigningKey
    {
        private readonly RsaPrivateCrtKeyParameters key;
        private readonly RSA rsa;
        private readonly object gate = new object();

        public RsaSigningKey(RsaPrivateCrtKeyParameters key)
            : base(PublicKey.From(new RsaKeyParameters(false, key.Modulus, key.PublicExponent), null))
        {
            this.key = key;
            rsa = RSA.Create();
            rsa.ImportParameters(RsaParameterConversion.ToRsaParameters(key));
        }

        public override byte[] Sign(byte[] data)
        {
            lock (gate)
            {
                return rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
        }

        internal override PrivateKeyInfo ToPrivateKeyInfo() => PrivateKeyInfoFactory.CreatePrivateKeyInfo(key);

        public override void Dispose() => rsa.Dispose();
    }
}

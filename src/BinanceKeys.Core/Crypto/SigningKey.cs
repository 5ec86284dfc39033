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
    /// the BCL (the operating system's crypto), the fastest correct paths measured (README.md, "Benchmarks"). Its
    /// ToString never shows key material.
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

        /// <summary>Signs <paramref name="data"/>: pure Ed25519 (docs/binance.md §1.5) or RSASSA-PKCS1-v1_5 with SHA-256 (§1.4).</summary>
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

    /// <summary>
    /// An Ed25519 private key (RFC 8032, pure: no pre-hash). It keeps its own copy of the 32-byte seed, which
    /// <see cref="Dispose"/> clears; BouncyCastle's parameter objects hold copies this class cannot clear, so none is kept.
    /// </summary>
    internal sealed class Ed25519SigningKey : SigningKey
    {
        private readonly byte[] seed;
        private readonly byte[] publicKey;
        private bool disposed;

        public Ed25519SigningKey(Ed25519PrivateKeyParameters key)
            : this(key.GetEncoded(), key.GeneratePublicKey())
        {
        }

        private Ed25519SigningKey(byte[] seed, Ed25519PublicKeyParameters publicKey)
            : base(PublicKey.From(publicKey, null))
        {
            this.seed = seed;
            this.publicKey = publicKey.GetEncoded();
        }

        public override byte[] Sign(byte[] data)
        {
            if (disposed) throw new ObjectDisposedException(nameof(Ed25519SigningKey));
            var signature = new byte[Ed25519.SignatureSize];
            Ed25519.Sign(seed, 0, publicKey, 0, data, 0, data.Length, signature, 0);
            return signature;
        }

        // PKCS#8 v1 (algorithm and private key only): BouncyCastle's factory writes v2 with the public key
        // attached, which OpenSSL 3.0 refuses to read (tests/BinanceKeys.Core.Tests/Interop has OpenSSL read every key
        // this module writes).
        internal override PrivateKeyInfo ToPrivateKeyInfo()
        {
            if (disposed) throw new ObjectDisposedException(nameof(Ed25519SigningKey));
            return new PrivateKeyInfo(
                new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(Org.BouncyCastle.Asn1.EdEC.EdECObjectIdentifiers.id_Ed25519),
                new Org.BouncyCastle.Asn1.DerOctetString(seed));
        }

        public override void Dispose()
        {
            disposed = true;
            Array.Clear(seed, 0, seed.Length);
        }
    }

    /// <summary>
    /// An RSA private key; signs with the BCL, which is about 18 times faster than BouncyCastle here. Only the operating
    /// system's key object is kept (freed and wiped on <see cref="Dispose"/>); the private numbers are exported again
    /// only to write a key file, and those copies are cleared.
    /// </summary>
    internal sealed class RsaSigningKey : SigningKey
    {
        private readonly RSA rsa;
        private readonly object gate = new object();

        public RsaSigningKey(RsaPrivateCrtKeyParameters key)
            : base(PublicKey.From(new RsaKeyParameters(false, key.Modulus, key.PublicExponent), null))
        {
            RSAParameters parameters = RsaParameterConversion.ToRsaParameters(key);
            try
            {
                rsa = RSA.Create();
                try
                {
                    rsa.ImportParameters(parameters);
                }
                catch
                {
                    rsa.Dispose();
                    throw;
                }
            }
            finally
            {
                RsaParameterConversion.ClearPrivate(parameters);
            }
        }

        public override byte[] Sign(byte[] data)
        {
            lock (gate)
            {
                return rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
        }

        internal override PrivateKeyInfo ToPrivateKeyInfo()
        {
            RSAParameters parameters;
            lock (gate)
            {
                parameters = rsa.ExportParameters(includePrivateParameters: true);
            }
            try
            {
                return PrivateKeyInfoFactory.CreatePrivateKeyInfo(RsaParameterConversion.FromRsaParameters(parameters));
            }
            finally
            {
                RsaParameterConversion.ClearPrivate(parameters);
            }
        }

        public override void Dispose() => rsa.Dispose();
    }
}

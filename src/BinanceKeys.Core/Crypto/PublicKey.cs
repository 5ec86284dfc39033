using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace BinanceKeys.Crypto
{
    /// <summary>An Ed25519 or RSA public key, as Binance takes it: DER SubjectPublicKeyInfo in PEM.</summary>
    public sealed class PublicKey
    {
        private readonly AsymmetricKeyParameter parameters;

        // The PEM text and the fingerprint are worked out when first asked for: signing needs neither, and the
        // fingerprint's SHA-256 would otherwise start the operating system's crypto library (OpenSSL) on the first
        // signature of a session (docs/performance.md, "Import and first command"). They are computed from a copy
        // of the DER, so that a caller changing the array SubjectPublicKeyInfo returns cannot change them.
        private readonly byte[] spki;
        private string? pem;
        private string? fingerprint;

        private PublicKey(AsymmetricKeyParameter parameters, KeyAlgorithm algorithm, int keySize, byte[] subjectPublicKeyInfo)
        {
            this.parameters = parameters;
            Algorithm = algorithm;
            KeySize = keySize;
            SubjectPublicKeyInfo = subjectPublicKeyInfo;
            spki = (byte[])subjectPublicKeyInfo.Clone();
        }

        /// <summary>Ed25519 or RSA.</summary>
        public KeyAlgorithm Algorithm { get; }

        /// <summary>256 for Ed25519; the modulus size for RSA.</summary>
        public int KeySize { get; }

        /// <summary>DER-encoded SubjectPublicKeyInfo.</summary>
        public byte[] SubjectPublicKeyInfo { get; }

        /// <summary>SPKI PEM (-----BEGIN PUBLIC KEY-----), LF line endings.</summary>
        public string Pem => pem ??= PemText.Write("PUBLIC KEY", spki);

        /// <summary>SHA-256 of <see cref="SubjectPublicKeyInfo"/>, lowercase hex.</summary>
        public string Fingerprint => fingerprint ??= Hex.Lower(Sha256(spki));

        internal AsymmetricKeyParameter Parameters => parameters;

        /// <summary>Builds the public key from BouncyCastle parameters, checking that Binance accepts it.</summary>
        internal static PublicKey From(AsymmetricKeyParameter key, string? path)
        {
            if (key.IsPrivate) throw new ArgumentException("A public key is expected.", nameof(key));
            var (algorithm, size) = KeyRules.Classify(key, path);
            byte[] spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key).GetDerEncoded();
            return new PublicKey(key, algorithm, size, spki);
        }

        /// <summary>Verifies a raw signature: pure Ed25519, or RSASSA-PKCS1-v1_5 with SHA-256.</summary>
        public bool Verify(byte[] data, byte[] signature)
        {
            if (parameters is Ed25519PublicKeyParameters ed25519)
            {
                return signature.Length == Ed25519.SignatureSize && ed25519.Verify(Ed25519.Algorithm.Ed25519, null, data, 0, data.Length, signature, 0);
            }
            var verifier = SignerUtilities.GetSigner("SHA256WITHRSA");
            verifier.Init(false, parameters);
            verifier.BlockUpdate(data, 0, data.Length);
            return verifier.VerifySignature(signature);
        }

        /// <inheritdoc />
        public override string ToString() => $"{Algorithm} {KeySize} public key, SHA256 {Fingerprint}";

        private static byte[] Sha256(byte[] data)
        {
            using var sha = SHA256.Create();
            return sha.ComputeHash(data);
        }
    }
}

using System;
using System.Linq;
using System.Text;
using BinanceKeys.Crypto;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Xunit;

namespace BinanceKeys.Tests.Crypto
{
    /// <summary>
    /// The start-up shortcuts of the first key read (docs/performance.md, "Import and first command"): an unencrypted
    /// Ed25519 PKCS#8 key is matched byte for byte instead of decoded, and a public key's PEM and fingerprint are worked
    /// out when asked for. Both must give exactly what the full path gives.
    /// </summary>
    public sealed class FirstKeyReadTests
    {
        private static readonly byte[] Seed = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

        [Fact]
        public void ThePlainEd25519FormGivesTheKeyBouncyCastleDecodes()
        {
            for (int i = 0; i < 20; i++)
            {
                using var generated = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
                byte[] der = Der(generated);
                var matched = PrivateKeyPem.PlainEd25519(der);
                var decoded = (Ed25519PrivateKeyParameters)PrivateKeyFactory.CreateKey(der);
                Assert.NotNull(matched);
                Assert.Equal(decoded.GetEncoded(), matched!.GetEncoded());
                Assert.Equal(decoded.GeneratePublicKey().GetEncoded(), matched.GeneratePublicKey().GetEncoded());

                // Through the reader: the same key, fingerprint and signature as the decoder's key gives.
                var read = PrivateKeyPem.Read(KeyFileTests.ToPem("PRIVATE KEY", der), null, "k.pem");
                Assert.Equal(generated.PublicKey.Fingerprint, read.PublicKey.Fingerprint);
                Assert.Equal("PKCS#8", read.Format);
                Assert.False(read.IsEncrypted);
                byte[] data = Encoding.UTF8.GetBytes("timestamp=" + i);
                Assert.Equal(generated.Sign(data), read.PrivateKey!.Sign(data));
            }
        }

        [Fact]
        public void AnythingButThatExactFormIsLeftToTheDecoder()
        {
            var algorithm = new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
            var withPublicKey = new PrivateKeyInfo(algorithm, new DerOctetString(Seed), null, new Ed25519PrivateKeyParameters(Seed).GeneratePublicKey().GetEncoded()).GetDerEncoded();
            var withAttributes = new PrivateKeyInfo(algorithm, new DerOctetString(Seed), new DerSet(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtFriendlyName, new DerSet(new DerBmpString("bot")))), null).GetDerEncoded();
            byte[] plain = new PrivateKeyInfo(algorithm, new DerOctetString(Seed)).GetDerEncoded();
            byte[] ed448 = (byte[])plain.Clone();
            ed448[11] = 0x71; // 1.3.101.113, Ed448: the right length, the wrong algorithm
            byte[] version1 = (byte[])plain.Clone();
            version1[4] = 0x01;

            Assert.NotNull(PrivateKeyPem.PlainEd25519(plain));
            foreach (byte[] other in new[] { withPublicKey, withAttributes, ed448, version1, plain[..^1], plain.Concat(new byte[] { 0 }).ToArray(), Array.Empty<byte>() })
            {
                Assert.Null(PrivateKeyPem.PlainEd25519(other));
            }

            // What the decoder makes of them is what the reader reports, as before the shortcut.
            Assert.Equal(new Ed25519PrivateKeyParameters(Seed).GeneratePublicKey().GetEncoded(),
                ((Ed25519PublicKeyParameters)PrivateKeyPem.Read(KeyFileTests.ToPem("PRIVATE KEY", withPublicKey), null, "k.pem").PrivateKey!.PublicKey.Parameters).GetEncoded());
            Assert.Throws<KeyFileException>(() => PrivateKeyPem.Read(KeyFileTests.ToPem("PRIVATE KEY", ed448), null, "k.pem"));
        }

        [Fact]
        public void APublicKeysPemAndFingerprintDoNotFollowChangesToItsDerArray()
        {
            using var key = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
            var reference = PrivateKeyPem.Read(Encoding.ASCII.GetString(PrivateKeyPem.WriteUnencrypted(key)), null, "k.pem").PublicKey;
            string pem = reference.Pem;
            string fingerprint = reference.Fingerprint;

            var fresh = PrivateKeyPem.Read(Encoding.ASCII.GetString(PrivateKeyPem.WriteUnencrypted(key)), null, "k.pem").PublicKey;
            Array.Clear(fresh.SubjectPublicKeyInfo, 0, fresh.SubjectPublicKeyInfo.Length);
            Assert.Equal(pem, fresh.Pem);
            Assert.Equal(fingerprint, fresh.Fingerprint);
            Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", pem);
            Assert.Equal(64, fingerprint.Length);
        }

        [Fact]
        public void TheStartUpWarmUpKeyIsAZeroSeedEd25519KeyInTheMatchedForm()
        {
            // The throwaway key Credentials.Prepare signs with on import: RFC 8410's unencrypted form around 32 zero bytes,
            // so that the warm-up takes the same path as a key file OpenSSL wrote (the matched form, not the decoder).
            byte[] pem = PrivateKeyPem.ThrowawayEd25519Pem();
            Assert.Equal("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n-----END PRIVATE KEY-----\n",
                Encoding.ASCII.GetString(pem));
            var read = PrivateKeyPem.Read(pem, null, "start-up");
            var expected = new Ed25519PrivateKeyParameters(new byte[32]);
            Assert.Equal(expected.GeneratePublicKey().GetEncoded(), ((Ed25519PublicKeyParameters)read.PublicKey.Parameters).GetEncoded());
            Assert.NotNull(PrivateKeyPem.PlainEd25519(Convert.FromBase64String("MC4CAQAwBQYDK2VwBCIEIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")));
        }

        [Fact]
        public void TheStartUpWarmUpCanRunMoreThanOnce()
        {
            // Import calls it once per process on a pool thread; a second call (another runspace, a test) must be as harmless.
            BinanceKeys.Keys.Credentials.Prepare();
            BinanceKeys.Keys.Credentials.Prepare();
        }

        private static byte[] Der(SigningKey key)
        {
            string pem = Encoding.ASCII.GetString(PrivateKeyPem.WriteUnencrypted(key));
            return Convert.FromBase64String(pem.Replace("-----BEGIN PRIVATE KEY-----", "").Replace("-----END PRIVATE KEY-----", "").Replace("\n", ""));
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using BinanceKeys.Crypto;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Xunit;

namespace BinanceKeys.Tests.Crypto
{
    /// <summary>
    /// How long private keys live and how their files are read: output objects hold no key, keys are cleared on dispose,
    /// PEM is parsed from bytes, and malformed input is reported as the module's own error while a bug is not.
    /// </summary>
    public sealed class PrivateKeyHandlingTests : IDisposable
    {
        private const int FastIterations = 1000;
        private static readonly char[] Passphrase = "handling pass".ToCharArray();
        private readonly string folder = Directory.CreateTempSubdirectory("bk-keyhandling-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        [Fact]
        public void KeyPairInfoHasNoPlaceForPrivateKeyMaterial()
        {
            // Every field, public or not, is a plain value: nothing that could hold (or point to) a key.
            var allowed = new[] { typeof(string), typeof(bool), typeof(int), typeof(KeyAlgorithm) };
            var fields = typeof(KeyPairInfo).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            Assert.NotEmpty(fields);
            foreach (var field in fields) Assert.Contains(field.FieldType, allowed);
        }

        [Theory]
        [InlineData(KeyAlgorithm.Ed25519, null)]
        [InlineData(KeyAlgorithm.RSA, 2048)]
        public void KeyPairsMadeAndReadCarryNoKeyMaterial(KeyAlgorithm algorithm, int? size)
        {
            var made = KeyPairFiles.Create("bot", folder, algorithm, size, null, overwrite: false);
            var read = KeyPairFiles.Read(made.PrivateKeyPath!, null);
            string pem = File.ReadAllText(made.PrivateKeyPath!);
            string body = string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));
            foreach (var pair in new[] { made, read })
            {
                foreach (var field in typeof(KeyPairInfo).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
                {
                    if (field.GetValue(pair) is string text) Assert.DoesNotContain(body.Substring(body.Length - 40), text);
                }
                Assert.True(pair.HasPrivateKey);
            }
        }

        [Fact]
        public void DisposingAnEd25519KeyClearsItsSeedAndStopsItSigning()
        {
            var key = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
            byte[] data = Encoding.UTF8.GetBytes("timestamp=1");
            Assert.True(key.PublicKey.Verify(data, key.Sign(data)));
            var arrays = key.GetType().GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
                .Where(f => f.FieldType == typeof(byte[])).Select(f => (byte[])f.GetValue(key)!).ToList();
            Assert.Contains(arrays, a => a.Length == 32 && a.Any(b => b != 0));

            key.Dispose();

            Assert.Throws<ObjectDisposedException>(() => key.Sign(data));
            // The seed is all zeros; the public key may stay.
            Assert.Contains(arrays, a => a.Length == 32 && a.All(b => b == 0));
            Assert.DoesNotContain(key.GetType().GetFields(BindingFlags.Instance | BindingFlags.NonPublic),
                f => f.FieldType.Namespace?.StartsWith("Org.BouncyCastle", StringComparison.Ordinal) == true);
        }

        [Fact]
        public void AnRsaKeyKeepsNoBouncyCastleCopyOfItsPrivateNumbers()
        {
            using var key = KeyGenerator.Generate(KeyAlgorithm.RSA, 2048);
            Assert.DoesNotContain(key.GetType().GetFields(BindingFlags.Instance | BindingFlags.NonPublic),
                f => f.FieldType.Namespace?.StartsWith("Org.BouncyCastle", StringComparison.Ordinal) == true);
            // And it still writes a key file that reads back as the same key.
            byte[] pem = PrivateKeyPem.WriteUnencrypted(key);
            Assert.Equal(key.PublicKey.Fingerprint, PrivateKeyPem.Read(pem, null, "rsa.pem").PublicKey.Fingerprint);
        }

        [Fact]
        public void PemIsReadFromBytesWithWhatOpenSslAccepts()
        {
            using var key = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
            string pem = Encoding.ASCII.GetString(PrivateKeyPem.WriteUnencrypted(key));
            string certificateFirst = "Bag Attributes\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" + pem;
            foreach (string text in new[] { pem, "\uFEFF" + pem.Replace("\n", "\r\n"), pem.Replace("\n", "\r"), "  " + pem.Replace("\n", "  \n"), certificateFirst })
            {
                Assert.Equal(key.PublicKey.Fingerprint, PrivateKeyPem.Read(Encoding.UTF8.GetBytes(text), null, "k.pem").PublicKey.Fingerprint);
            }
        }

        [Theory]
        [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u\n")]
        [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u\n-----END PUBLIC KEY-----\n")]
        [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAw*QYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u\n-----END PRIVATE KEY-----\n")]
        [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u\nProc-Type: 4,ENCRYPTED\n-----END PRIVATE KEY-----\n")]
        [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m8é\n-----END PRIVATE KEY-----\n")]
        [InlineData("no key here\n")]
        public void BrokenPemIsCorrupt(string text)
        {
            var error = Assert.Throws<KeyFileException>(() => PrivateKeyPem.Read(Encoding.UTF8.GetBytes(text), null, "broken.pem"));
            Assert.Equal(KeyFileError.Corrupt, error.Error);
            Assert.Equal("broken.pem", error.Path);
        }

        [Fact]
        public void AKeyOfAnUnknownAlgorithmIsUnsupportedNotCorrupt()
        {
            // A well-formed PKCS#8 and SPKI of an algorithm BouncyCastle does not know (OID 1.2.3.4): the file is fine,
            // the key type is not. It used to be reported as damaged.
            var algorithm = new AlgorithmIdentifier(new DerObjectIdentifier("1.2.3.4"));
            byte[] privateDer = new PrivateKeyInfo(algorithm, new DerOctetString(new byte[32])).GetDerEncoded();
            byte[] publicDer = new SubjectPublicKeyInfo(algorithm, new byte[32]).GetDerEncoded();
            foreach (var (label, der) in new[] { ("PRIVATE KEY", privateDer), ("PUBLIC KEY", publicDer) })
            {
                var error = Assert.Throws<KeyFileException>(() => PrivateKeyPem.Read(KeyFileTests.ToPem(label, der), null, "odd.pem"));
                Assert.Equal(KeyFileError.UnsupportedKeyType, error.Error);
            }
        }

        [Fact]
        public void ABugInADecoderIsNotReportedAsACorruptFile()
        {
            Assert.Throws<NullReferenceException>(() => PrivateKeyPem.Parse<object>(() => throw new NullReferenceException(), "k.pem"));
            Assert.Throws<ObjectDisposedException>(() => PrivateKeyPem.Parse<object>(() => throw new ObjectDisposedException("x"), "k.pem"));
            Assert.Equal(KeyFileError.Corrupt, Assert.Throws<KeyFileException>(() => PrivateKeyPem.Parse<object>(() => throw new EndOfStreamException(), "k.pem")).Error);
        }

        public static TheoryData<string> Originals => new TheoryData<string> { "ed25519", "rsa-pkcs8", "rsa-pkcs1", "ed25519-spki", "rsa-spki", "rsa-pkcs1-public", "ed25519-encrypted" };

        /// <summary>
        /// Seeded mutations of real key files (bit flips, byte changes, truncations, insertions, cut lengths) in the DER
        /// and in the PEM text: whatever the bytes, only a KeyFileException comes out, never a decoder's own exception.
        /// 500 inputs per original, 3,500 in all.
        /// </summary>
        [Theory]
        [MemberData(nameof(Originals))]
        public void MutatedKeysFailOnlyWithKeyFileExceptions(string original)
        {
            var (label, der, passphrase) = Original(original);
            var random = new Random(original.Aggregate(20261125, (hash, c) => hash * 31 + c));
            var seen = new Dictionary<KeyFileError, int>();
            int parsed = 0;
            for (int i = 0; i < 500; i++)
            {
                byte[] input = i % 5 == 4
                    ? Mutate(Encoding.ASCII.GetBytes(KeyFileTests.ToPem(label, der)), random)
                    : Encoding.ASCII.GetBytes(KeyFileTests.ToPem(label, Mutate(der, random)));
                try
                {
                    var contents = PrivateKeyPem.Read(input, passphrase, "mutated.pem");
                    contents.PrivateKey?.Dispose();
                    parsed++;
                }
                catch (KeyFileException e)
                {
                    seen[e.Error] = seen.GetValueOrDefault(e.Error) + 1;
                }
            }
            // The mutations really reached the decoders: most inputs are refused, for the reasons a reader expects.
            Assert.True(seen.Values.Sum() > 250, $"only {seen.Values.Sum()} of 500 refused");
            Assert.All(seen.Keys, error => Assert.Contains(error, new[] { KeyFileError.Corrupt, KeyFileError.UnsupportedKeyType, KeyFileError.UnsupportedKeySize, KeyFileError.WrongPassphrase }));
        }

        [Fact]
        public void AFolderOrAnUnreadableFileIsItsOwnErrorNotAnOperatingSystemException()
        {
            var error = Assert.Throws<KeyFileException>(() => PrivateKeyPem.ReadFile(folder, null));
            Assert.Contains(error.Error, new[] { KeyFileError.AccessDenied, KeyFileError.ReadFailed });
            Assert.Equal(folder, error.Path);
        }

        [Fact]
        public void AFileLargerThanAnyKeyIsRefusedUnparsed()
        {
            string big = Path.Combine(folder, "big.pem");
            File.WriteAllBytes(big, new byte[PemBlock.MaxFileSize + 1]);
            var error = Assert.Throws<KeyFileException>(() => PrivateKeyPem.ReadFile(big, null));
            Assert.Equal(KeyFileError.Corrupt, error.Error);
            Assert.Contains("KiB", error.Message);
        }

        [Fact]
        public void AFolderThatCannotBeCreatedIsAWriteFailure()
        {
            File.WriteAllText(Path.Combine(folder, "file"), "x");
            var error = Assert.Throws<KeyFileException>(() => KeyPairFiles.Create("bot", Path.Combine(folder, "file", "keys"), KeyAlgorithm.Ed25519, null, null, overwrite: false));
            Assert.Equal(KeyFileError.WriteFailed, error.Error);
        }

        private (string Label, byte[] Der, char[]? Passphrase) Original(string name)
        {
            using var ed25519 = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
            using var rsa = KeyGenerator.Generate(KeyAlgorithm.RSA, 2048);
            byte[] Der(byte[] pem) => Convert.FromBase64String(string.Concat(Encoding.ASCII.GetString(pem).Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))));
            switch (name)
            {
                case "ed25519": return ("PRIVATE KEY", Der(PrivateKeyPem.WriteUnencrypted(ed25519)), null);
                case "rsa-pkcs8": return ("PRIVATE KEY", Der(PrivateKeyPem.WriteUnencrypted(rsa)), null);
                case "rsa-pkcs1":
                    var info = PrivateKeyInfo.GetInstance(Der(PrivateKeyPem.WriteUnencrypted(rsa)));
                    return ("RSA PRIVATE KEY", info.ParsePrivateKey().GetDerEncoded(), null);
                case "ed25519-spki": return ("PUBLIC KEY", ed25519.PublicKey.SubjectPublicKeyInfo, null);
                case "rsa-spki": return ("PUBLIC KEY", rsa.PublicKey.SubjectPublicKeyInfo, null);
                case "rsa-pkcs1-public":
                    var spki = SubjectPublicKeyInfo.GetInstance(rsa.PublicKey.SubjectPublicKeyInfo);
                    return ("RSA PUBLIC KEY", spki.PublicKey.GetOctets(), null);
                default:
                    string encrypted = PrivateKeyPem.WriteEncrypted(ed25519, Passphrase, FastIterations);
                    return ("ENCRYPTED PRIVATE KEY", Der(Encoding.ASCII.GetBytes(encrypted)), Passphrase);
            }
        }

        private static byte[] Mutate(byte[] original, Random random)
        {
            var bytes = new List<byte>(original);
            int operations = 1 + random.Next(3);
            for (int n = 0; n < operations && bytes.Count > 0; n++)
            {
                int at = random.Next(bytes.Count);
                switch (random.Next(6))
                {
                    case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                    case 1: bytes[at] = (byte)random.Next(256); break;
                    case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                    case 3: bytes.Insert(at, (byte)random.Next(256)); break;
                    case 4: bytes.RemoveAt(at); break;
                    default: bytes[at] = (byte)(random.Next(2) == 0 ? 0x80 | random.Next(5) : 0xFF); break; // long-form lengths
                }
            }
            return bytes.ToArray();
        }
    }
}

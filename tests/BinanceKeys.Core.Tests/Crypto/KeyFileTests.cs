using System;
using System.IO;
using System.Text;
using BinanceKeys.Crypto;
using Xunit;

namespace BinanceKeys.Tests.Crypto
{
    public sealed class KeyFileTests : IDisposable
    {
        // Low work factor for speed; the production count is exercised by the OpenSSL interop tests.
        private const int FastIterations = 1000;
        private static readonly char[] Passphrase = "correct horse battery staple".ToCharArray();
        private readonly string folder = Directory.CreateTempSubdirectory("bk-keyfile-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        [Theory]
        [InlineData(KeyAlgorithm.Ed25519, null, 256)]
        [InlineData(KeyAlgorithm.RSA, 2048, 2048)]
        public void EncryptedRoundTripKeepsTheKey(KeyAlgorithm algorithm, int? size, int expectedSize)
        {
            using var key = KeyGenerator.Generate(algorithm, size);
            string pem = PrivateKeyPem.WriteEncrypted(key, Passphrase, FastIterations);

            Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n", pem);
            var read = PrivateKeyPem.Read(pem, Passphrase, "k.pem");
            Assert.True(read.IsEncrypted);
            Assert.Equal(algorithm, read.PublicKey.Algorithm);
            Assert.Equal(expectedSize, read.PublicKey.KeySize);
            Assert.Equal(key.PublicKey.Fingerprint, read.PublicKey.Fingerprint);
            var data = Encoding.UTF8.GetBytes("timestamp=1");
            Assert.True(key.PublicKey.Verify(data, read.PrivateKey!.Sign(data)));
        }

        [Fact]
        public void UnencryptedEd25519IsPkcs8Version1WithoutThePublicKey()
        {
            using var key = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
            string pem = Encoding.ASCII.GetString(PrivateKeyPem.WriteUnencrypted(key));
            byte[] der = Convert.FromBase64String(pem.Replace("-----BEGIN PRIVATE KEY-----", "").Replace("-----END PRIVATE KEY-----", "").Replace("\n", ""));
            // SEQUENCE(46) { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }: the v1 form OpenSSL 3.0 reads.
            Assert.Equal(48, der.Length);
            Assert.Equal(new byte[] { 0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20 }, der[..16]);
        }

        [Fact]
        public void AnEmptyPassphraseIsRefusedAndWritesNothing()
        {
            // Only a null passphrase means "unencrypted": an empty one used to write the private key in the clear.
            var error = Assert.Throws<KeyFileException>(() => KeyPairFiles.Create("bot", folder, KeyAlgorithm.Ed25519, null, Array.Empty<char>(), overwrite: false));
            Assert.Equal(KeyFileError.InvalidArgument, error.Error);
            Assert.Contains("empty", error.Message);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Fact]
        public void WrongPassphraseIsItsOwnError()
        {
            using var key = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
            string pem = PrivateKeyPem.WriteEncrypted(key, Passphrase, FastIterations);
            // Many wrong passphrases, so that the 1-in-256 case where padding happens to check out is also covered.
            for (int i = 0; i < 300; i++)
            {
                var error = Assert.Throws<KeyFileException>(() => PrivateKeyPem.Read(pem, ("wrong " + i).ToCharArray(), "k.pem"));
                Assert.Equal(KeyFileError.WrongPassphrase, error.Error);
            }
        }

        [Fact]
        public void EncryptedKeyWithoutPassphraseAsksForOne()
        {
            using var key = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
            string pem = PrivateKeyPem.WriteEncrypted(key, Passphrase, FastIterations);
            Assert.Equal(KeyFileError.PassphraseRequired, Assert.Throws<KeyFileException>(() => PrivateKeyPem.Read(pem, null, "k.pem")).Error);
            Assert.Equal(KeyFileError.PassphraseRequired, Assert.Throws<KeyFileException>(() => PrivateKeyPem.Read(pem, Array.Empty<char>(), "k.pem")).Error);
        }

        [Theory]
        [InlineData("not a key at all")]
        [InlineData("")]
        [InlineData("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n")]
        [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+\n-----END PRIVATE KEY-----\n")]
        [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
        [InlineData("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n")]
        [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u\n")]
        public void DamagedFilesAreCorrupt(string text)
        {
            var error = Assert.Throws<KeyFileException>(() => PrivateKeyPem.Read(text, Passphrase, "bad.pem"));
            Assert.Equal(KeyFileError.Corrupt, error.Error);
            Assert.Contains("bad.pem", error.Message);
        }

        [Fact]
        public void TamperedCiphertextIsDetected()
        {
            using var key = KeyGenerator.Generate(KeyAlgorithm.RSA, 2048);
            string pem = PrivateKeyPem.WriteEncrypted(key, Passphrase, FastIterations);
            string body = pem.Replace("-----BEGIN ENCRYPTED PRIVATE KEY-----", "").Replace("-----END ENCRYPTED PRIVATE KEY-----", "").Replace("\n", "");
            byte[] der = Convert.FromBase64String(body);
            der[^5] ^= 0x55; // inside the last cipher block: breaks the padding
            string tampered = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + Convert.ToBase64String(der) + "\n-----END ENCRYPTED PRIVATE KEY-----\n";

            var error = Assert.Throws<KeyFileException>(() => PrivateKeyPem.Read(tampered, Passphrase, "k.pem"));
            Assert.Equal(KeyFileError.WrongPassphrase, error.Error); // PBES2 has no MAC: tampering looks like a wrong passphrase
        }

        [Fact]
        public void Ed448IsAnUnsupportedKeyType()
        {
            var ed448 = new Org.BouncyCastle.Crypto.Parameters.Ed448PrivateKeyParameters(new Org.BouncyCastle.Security.SecureRandom());
            string pem = ToPem("PRIVATE KEY", Org.BouncyCastle.Pkcs.PrivateKeyInfoFactory.CreatePrivateKeyInfo(ed448).GetDerEncoded());
            var error = Assert.Throws<KeyFileException>(() => PrivateKeyPem.Read(pem, null, "ed448.pem"));
            Assert.Equal(KeyFileError.UnsupportedKeyType, error.Error);
            Assert.Contains("Ed448", error.Message);
        }

        [Fact]
        public void OpenSshFormatIsUnsupportedWithAConversionHint()
        {
            var error = Assert.Throws<KeyFileException>(() => PrivateKeyPem.Read("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n", null, "id_ed25519"));
            Assert.Equal(KeyFileError.UnsupportedKeyType, error.Error);
            Assert.Contains("ssh-keygen -p -m PKCS8", error.Message);
        }

        [Theory]
        [InlineData(1024)]
        [InlineData(3072)]
        public void RsaSizesOtherThan2048And4096AreUnsupported(int bits)
        {
            var generator = new Org.BouncyCastle.Crypto.Generators.RsaKeyPairGenerator();
            generator.Init(new Org.BouncyCastle.Crypto.KeyGenerationParameters(new Org.BouncyCastle.Security.SecureRandom(), bits));
            var pair = generator.GenerateKeyPair();
            string pem = ToPem("PRIVATE KEY", Org.BouncyCastle.Pkcs.PrivateKeyInfoFactory.CreatePrivateKeyInfo(pair.Private).GetDerEncoded());

            var error = Assert.Throws<KeyFileException>(() => PrivateKeyPem.Read(pem, null, "rsa.pem"));
            Assert.Equal(KeyFileError.UnsupportedKeySize, error.Error);
            Assert.Contains(bits + "-bit", error.Message);
        }

        [Theory]
        [InlineData(KeyAlgorithm.RSA, 1024)]
        [InlineData(KeyAlgorithm.RSA, 3072)]
        [InlineData(KeyAlgorithm.Ed25519, 2048)]
        public void GeneratorRefusesSizesBinanceRejects(KeyAlgorithm algorithm, int size)
        {
            Assert.Equal(KeyFileError.UnsupportedKeySize, Assert.Throws<KeyFileException>(() => KeyGenerator.Generate(algorithm, size)).Error);
        }

        [Fact]
        public void Rsa4096IsGenerated()
        {
            using var key = KeyGenerator.Generate(KeyAlgorithm.RSA, 4096);
            Assert.Equal(4096, key.KeySize);
        }

        [Fact]
        public void CreateWritesBothFilesOwnerOnlyAndReadFindsThePair()
        {
            var info = KeyPairFiles.Create("bot", Path.Combine(folder, "keys"), KeyAlgorithm.Ed25519, null, Passphrase, overwrite: false, FastIterations);

            Assert.Equal(Path.Combine(folder, "keys", "bot.pem"), info.PrivateKeyPath);
            Assert.Equal(Path.Combine(folder, "keys", "bot.pub.pem"), info.PublicKeyPath);
            Assert.True(info.IsEncrypted);
            Assert.True(info.HasPrivateKey);
            Assert.Equal(info.PublicKeyPem, File.ReadAllText(info.PublicKeyPath!));
            Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", File.ReadAllText(info.PrivateKeyPath!));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(info.PrivateKeyPath!));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(info.PublicKeyPath!));
            }

            var read = KeyPairFiles.Read(info.PrivateKeyPath!, Passphrase);
            Assert.Equal("bot", read.Name);
            Assert.Equal(info.Fingerprint, read.Fingerprint);
            Assert.Equal(info.PublicKeyPath, read.PublicKeyPath);
            Assert.True(read.HasPrivateKey);

            var publicOnly = KeyPairFiles.Read(info.PublicKeyPath!, null);
            Assert.Equal("bot", publicOnly.Name);
            Assert.False(publicOnly.HasPrivateKey);
            Assert.Null(publicOnly.PrivateKeyPath);
        }

        [Fact]
        public void CreateRefusesToOverwriteAndChangesNothing()
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "bot.pub.pem"), "keep me");

            var error = Assert.Throws<KeyFileException>(() => KeyPairFiles.Create("bot", folder, KeyAlgorithm.Ed25519, null, null, overwrite: false));

            Assert.Equal(KeyFileError.AlreadyExists, error.Error);
            Assert.Equal("keep me", File.ReadAllText(Path.Combine(folder, "bot.pub.pem")));
            Assert.False(File.Exists(Path.Combine(folder, "bot.pem")));
        }

        [Fact]
        public void CreateOverwritesWhenAsked()
        {
            var first = KeyPairFiles.Create("bot", folder, KeyAlgorithm.Ed25519, null, null, overwrite: false);
            var second = KeyPairFiles.Create("bot", folder, KeyAlgorithm.Ed25519, null, null, overwrite: true);
            Assert.NotEqual(first.Fingerprint, second.Fingerprint);
            Assert.Equal(second.Fingerprint, KeyPairFiles.Read(second.PrivateKeyPath!, null).Fingerprint);
            Assert.Equal(2, Directory.GetFiles(folder).Length);
        }

        [Theory]
        [InlineData("../escape")]
        [InlineData("a/b")]
        [InlineData("")]
        [InlineData(".hidden")]
        [InlineData("trailing.")]
        [InlineData("spaces not allowed")]
        public void NamesThatAreNotPlainFileNamesAreRejected(string name)
        {
            var error = Assert.Throws<KeyFileException>(() => KeyPairFiles.GetPaths(name, folder));
            Assert.Equal(KeyFileError.InvalidArgument, error.Error);
        }

        [Fact]
        public void MissingFileIsNotFound()
        {
            var error = Assert.Throws<KeyFileException>(() => KeyPairFiles.Read(Path.Combine(folder, "none.pem"), null));
            Assert.Equal(KeyFileError.NotFound, error.Error);
        }

        [Fact]
        public void ReadAcceptsCrLfAndByteOrderMark()
        {
            using var key = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
            string pem = "\uFEFF" + Encoding.ASCII.GetString(PrivateKeyPem.WriteUnencrypted(key)).Replace("\n", "\r\n");
            Assert.Equal(key.PublicKey.Fingerprint, PrivateKeyPem.Read(pem, null, "crlf.pem").PublicKey.Fingerprint);
        }

        [Fact]
        public void ToStringOfKeysShowsNoKeyMaterial()
        {
            using var key = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
            string pem = Encoding.ASCII.GetString(PrivateKeyPem.WriteUnencrypted(key));
            string body = pem.Split('\n')[1];
            Assert.DoesNotContain(body.Substring(20, 20), key.ToString());
            Assert.Contains(key.PublicKey.Fingerprint, key.ToString());
        }

        internal static string ToPem(string label, byte[] der) =>
            "-----BEGIN " + label + "-----\n" + Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n") + "\n-----END " + label + "-----\n";
    }
}

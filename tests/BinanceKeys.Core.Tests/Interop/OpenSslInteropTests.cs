using System;
using System.IO;
using System.Text;
using BinanceKeys.Crypto;
using BinanceKeys.Signing;
using Xunit;

namespace BinanceKeys.Tests.Interop
{
    /// <summary>Our keys and signatures against OpenSSL 3, both ways.</summary>
    public sealed class OpenSslInteropTests : IDisposable
    {
        // Non-ASCII on purpose: both sides must encode the passphrase as UTF-8.
        private const string Passphrase = "pässwörd ✓ 123";
        private readonly string folder = Directory.CreateTempSubdirectory("bk-openssl-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private string PassFile()
        {
            string path = Path.Combine(folder, "pass.txt");
            File.WriteAllText(path, Passphrase + "\n", new UTF8Encoding(false));
            return path;
        }

        [Theory]
        [InlineData(KeyAlgorithm.Ed25519, null)]
        [InlineData(KeyAlgorithm.RSA, 2048)]
        public void OurEncryptedKeysOpenWithOpenSslAndGiveTheSamePublicKey(KeyAlgorithm algorithm, int? size)
        {
            // Production work factor: what users get is what OpenSSL must read.
            var info = KeyPairFiles.Create("bot", folder, algorithm, size, Passphrase.ToCharArray(), overwrite: false);

            string publicFromOpenSsl = ExternalTool.OpenSsl($"pkey -in \"{info.PrivateKeyPath}\" -passin file:\"{PassFile()}\" -pubout");

            Assert.Equal(info.PublicKeyPem, publicFromOpenSsl);
            Assert.Contains("PBES2", ExternalTool.OpenSsl($"asn1parse -in \"{info.PrivateKeyPath}\""));
            Assert.Contains("hmacWithSHA256", ExternalTool.OpenSsl($"asn1parse -in \"{info.PrivateKeyPath}\""));
            Assert.Contains("aes-256-cbc", ExternalTool.OpenSsl($"asn1parse -in \"{info.PrivateKeyPath}\""));
        }

        [Fact]
        public void OpenSslRejectsTheWrongPassphraseForOurKey()
        {
            var info = KeyPairFiles.Create("bot", folder, KeyAlgorithm.Ed25519, null, Passphrase.ToCharArray(), overwrite: false, pbkdf2Iterations: 1000);
            Assert.Throws<InvalidOperationException>(() => ExternalTool.OpenSsl($"pkey -in \"{info.PrivateKeyPath}\" -passin pass:wrong -noout"));
        }

        [Fact]
        public void OurUnencryptedKeysOpenWithOpenSsl()
        {
            var info = KeyPairFiles.Create("plain", folder, KeyAlgorithm.Ed25519, null, null, overwrite: false);
            Assert.Equal(info.PublicKeyPem, ExternalTool.OpenSsl($"pkey -in \"{info.PrivateKeyPath}\" -pubout"));
        }

        [Fact]
        public void OurFingerprintIsOpenSslsSha256OfTheDerPublicKey()
        {
            var info = KeyPairFiles.Create("fp", folder, KeyAlgorithm.Ed25519, null, null, overwrite: false);
            string der = Path.Combine(folder, "fp.der");
            ExternalTool.OpenSsl($"pkey -pubin -in \"{info.PublicKeyPath}\" -outform DER -out \"{der}\"");
            string digest = ExternalTool.OpenSsl($"dgst -sha256 -r \"{der}\"").Split(' ')[0];
            Assert.Equal(digest, info.Fingerprint);
        }

        [Theory]
        [InlineData(KeyAlgorithm.Ed25519, null)]
        [InlineData(KeyAlgorithm.RSA, 2048)]
        [InlineData(KeyAlgorithm.RSA, 4096)]
        public void OurSignaturesVerifyWithOpenSsl(KeyAlgorithm algorithm, int? size)
        {
            var info = KeyPairFiles.Create("signer", folder, algorithm, size, null, overwrite: false);
            string payload = "email=desk%2Beu%40example.com&apiName=mm-bot&timestamp=1700000000000";
            string payloadFile = Path.Combine(folder, "payload.bin");
            string signatureFile = Path.Combine(folder, "signature.bin");
            File.WriteAllBytes(payloadFile, Encoding.UTF8.GetBytes(payload));
            using var signer = new KeyRequestSigner(PrivateKeyPem.ReadFile(info.PrivateKeyPath!, null).PrivateKey!, ownsKey: true);
            File.WriteAllBytes(signatureFile, Convert.FromBase64String(signer.Sign(payload)));

            string verdict = algorithm == KeyAlgorithm.Ed25519
                ? ExternalTool.OpenSsl($"pkeyutl -verify -pubin -inkey \"{info.PublicKeyPath}\" -rawin -in \"{payloadFile}\" -sigfile \"{signatureFile}\"")
                : ExternalTool.OpenSsl($"dgst -sha256 -verify \"{info.PublicKeyPath}\" -signature \"{signatureFile}\" \"{payloadFile}\"");

            Assert.Contains("Verified", verdict, StringComparison.OrdinalIgnoreCase);
        }

        public static TheoryData<string, string, bool> OpenSslKeyCommands => new TheoryData<string, string, bool>
        {
            { "ed25519 pkcs8", "genpkey -algorithm ed25519 -out {0}", false },
            { "ed25519 pkcs8 aes-256-cbc", "genpkey -algorithm ed25519 -aes-256-cbc -pass file:{1} -out {0}", true },
            { "ed25519 pkcs8 scrypt", "genpkey -algorithm ed25519 -out {0}.plain && openssl pkcs8 -topk8 -scrypt -in {0}.plain -passout file:{1} -out {0}", true },
            { "rsa2048 pkcs8", "genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out {0}", false },
            { "rsa2048 pkcs8 aes-128-cbc", "genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes-128-cbc -pass file:{1} -out {0}", true },
            { "rsa2048 pkcs8 3des (pbes1-era)", "genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out {0}.plain && openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES -in {0}.plain -passout file:{1} -out {0}", true },
            { "rsa2048 pkcs1", "genrsa -traditional -out {0} 2048", false },
            { "rsa2048 pkcs1 aes256", "genrsa -traditional -aes256 -passout file:{1} -out {0} 2048", true },
        };

        [Theory]
        [MemberData(nameof(OpenSslKeyCommands))]
        public void OpenSslKeysLoadAndSignIdentically(string description, string command, bool encrypted)
        {
            string keyFile = Path.Combine(folder, "openssl.pem");
            string passFile = PassFile();
            ExternalTool.Run("/bin/sh", "-c " + ExternalTool.Quote("openssl " + string.Format(command, Quote(keyFile), Quote(passFile))), null);

            var read = KeyPairFiles.Read(keyFile, encrypted ? Passphrase.ToCharArray() : null);

            Assert.True(read.HasPrivateKey, description);
            Assert.Equal(encrypted, read.IsEncrypted);
            string publicFromOpenSsl = ExternalTool.OpenSsl($"pkey -in \"{keyFile}\" -passin file:\"{passFile}\" -pubout");
            Assert.Equal(publicFromOpenSsl, read.PublicKeyPem);

            // Ed25519 and RSA PKCS#1 v1.5 are deterministic: OpenSSL's signature must equal ours, byte for byte.
            string payloadFile = Path.Combine(folder, "payload.bin");
            File.WriteAllBytes(payloadFile, Encoding.UTF8.GetBytes("timestamp=1700000000000"));
            string signatureFile = Path.Combine(folder, "openssl.sig");
            if (read.Algorithm == KeyAlgorithm.Ed25519)
            {
                ExternalTool.OpenSsl($"pkeyutl -sign -inkey \"{keyFile}\" -passin file:\"{passFile}\" -rawin -in \"{payloadFile}\" -out \"{signatureFile}\"");
            }
            else
            {
                ExternalTool.OpenSsl($"dgst -sha256 -sign \"{keyFile}\" -passin file:\"{passFile}\" -out \"{signatureFile}\" \"{payloadFile}\"");
            }
            using var signer = new KeyRequestSigner(PrivateKeyPem.ReadFile(keyFile, encrypted ? Passphrase.ToCharArray() : null).PrivateKey!, ownsKey: true);
            Assert.Equal(Convert.ToBase64String(File.ReadAllBytes(signatureFile)), signer.Sign("timestamp=1700000000000"));
        }

        [Theory]
        [InlineData("genpkey -algorithm ed25519 -out {0}.key && openssl pkey -in {0}.key -pubout -out {0}", KeyAlgorithm.Ed25519)]
        [InlineData("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out {0}.key && openssl pkey -in {0}.key -pubout -out {0}", KeyAlgorithm.RSA)]
        [InlineData("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out {0}.key && openssl rsa -in {0}.key -RSAPublicKey_out -out {0}", KeyAlgorithm.RSA)]
        public void OpenSslPublicKeysLoad(string command, KeyAlgorithm expected)
        {
            string keyFile = Path.Combine(folder, "openssl.pub.pem");
            ExternalTool.Run("/bin/sh", "-c " + ExternalTool.Quote("openssl " + string.Format(command, Quote(keyFile))), null);
            var read = KeyPairFiles.Read(keyFile, null);
            Assert.Equal(expected, read.Algorithm);
            Assert.False(read.HasPrivateKey);
            Assert.Equal(ExternalTool.OpenSsl($"pkey -in \"{keyFile}.key\" -pubout"), read.PublicKeyPem);
        }

        [Theory]
        [InlineData("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out {0}", KeyFileError.UnsupportedKeyType)]
        [InlineData("ecparam -name prime256v1 -genkey -noout -out {0}", KeyFileError.UnsupportedKeyType)]
        [InlineData("genpkey -algorithm ed448 -out {0}", KeyFileError.UnsupportedKeyType)]
        [InlineData("genpkey -algorithm x25519 -out {0}", KeyFileError.UnsupportedKeyType)]
        [InlineData("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out {0}", KeyFileError.UnsupportedKeySize)]
        [InlineData("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out {0}", KeyFileError.UnsupportedKeySize)]
        public void OpenSslKeysBinanceRejectsAreRefusedWithTheirOwnError(string command, KeyFileError expected)
        {
            string keyFile = Path.Combine(folder, "other.pem");
            ExternalTool.Run("/bin/sh", "-c " + ExternalTool.Quote("openssl " + string.Format(command, Quote(keyFile))), null);
            Assert.Equal(expected, Assert.Throws<KeyFileException>(() => KeyPairFiles.Read(keyFile, null)).Error);
        }

        [Fact]
        public void HmacMatchesOpenSsl()
        {
            const string secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
            string payload = "email=a%2Bb%40example.com&timestamp=1700000000000";
            string expected = ExternalTool.OpenSsl($"dgst -sha256 -hmac {secret} -r", Encoding.UTF8.GetBytes(payload)).Split(' ')[0];
            using var signer = HmacRequestSigner.FromSecret(secret.ToCharArray());
            Assert.Equal(expected, signer.Sign(payload));
        }

        private static string Quote(string path) => "'" + path.Replace("'", "'\\''") + "'";
    }
}

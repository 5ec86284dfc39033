using System;
using System.IO;
using BinanceKeys.Crypto;
using BinanceKeys.Signing;
using Xunit;

namespace BinanceKeys.Tests.Interop
{
    /// <summary>Our keys and signatures against Python's `cryptography` package, which Binance's FIX sample uses.</summary>
    public sealed class PythonCryptographyInteropTests : IDisposable
    {
        private const string Passphrase = "pässwörd ✓ 123";
        private readonly string folder = Directory.CreateTempSubdirectory("bk-python-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private const string SignScript = @"
import base64, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding
key = serialization.load_pem_private_key(open(sys.argv[1], 'rb').read(), password=sys.argv[2].encode('utf-8') if sys.argv[2] else None)
data = sys.argv[3].encode('utf-8')
sig = key.sign(data) if isinstance(key, ed25519.Ed25519PrivateKey) else key.sign(data, padding.PKCS1v15(), hashes.SHA256())
print(base64.b64encode(sig).decode())
";

        [Theory]
        [InlineData(KeyAlgorithm.Ed25519, null)]
        [InlineData(KeyAlgorithm.RSA, 2048)]
        public void PythonOpensOurEncryptedKeyAndSignsIdentically(KeyAlgorithm algorithm, int? size)
        {
            var info = KeyPairFiles.Create("bot", folder, algorithm, size, Passphrase.ToCharArray(), overwrite: false, pbkdf2Iterations: 10_000);
            string payload = "symbol=%EF%BC%91&timestamp=1";

            string fromPython = ExternalTool.PythonScript(SignScript, info.PrivateKeyPath!, Passphrase, payload).Trim();

            using var signer = new KeyRequestSigner(PrivateKeyPem.ReadFile(info.PrivateKeyPath!, Passphrase.ToCharArray()).PrivateKey!, ownsKey: true);
            Assert.Equal(fromPython, signer.Sign(payload));
        }

        [Theory]
        [InlineData("ed25519.Ed25519PrivateKey.generate()", true)]
        [InlineData("ed25519.Ed25519PrivateKey.generate()", false)]
        [InlineData("rsa.generate_private_key(public_exponent=65537, key_size=2048)", true)]
        public void PythonKeysLoad(string generate, bool encrypted)
        {
            string keyFile = Path.Combine(folder, "python.pem");
            string script = @"
import sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
key = " + generate + @"
enc = serialization.BestAvailableEncryption(sys.argv[2].encode('utf-8')) if sys.argv[3] == '1' else serialization.NoEncryption()
open(sys.argv[1], 'wb').write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc))
print(key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(), end='')
";
            string publicPem = ExternalTool.PythonScript(script, keyFile, Passphrase, encrypted ? "1" : "0");

            var read = KeyPairFiles.Read(keyFile, encrypted ? Passphrase.ToCharArray() : null);

            Assert.Equal(publicPem, read.PublicKeyPem);
            Assert.Equal(encrypted, read.IsEncrypted);
            string fromPython = ExternalTool.PythonScript(SignScript, keyFile, encrypted ? Passphrase : "", "timestamp=1").Trim();
            using var signer = new KeyRequestSigner(PrivateKeyPem.ReadFile(keyFile, encrypted ? Passphrase.ToCharArray() : null).PrivateKey!, ownsKey: true);
            Assert.Equal(fromPython, signer.Sign("timestamp=1"));
        }
    }
}

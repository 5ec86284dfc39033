using System;
using System.Collections.Generic;
using System.IO;
using BinanceKeys.Crypto;
using BinanceKeys.Keys;
using BinanceKeys.Secrets;
using BinanceKeys.Signing;
using Xunit;

namespace BinanceKeys.Tests.Keys
{
    public sealed class CredentialsTests : IDisposable
    {
        private readonly string folder = Directory.CreateTempSubdirectory("bk-credentials-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private static Func<string, string?> Environment(Dictionary<string, string> values) => name => values.TryGetValue(name, out var v) ? v : null;

        [Fact]
        public void HmacFromTheEnvironment()
        {
            var credential = Credentials.FromEnvironment(Environment(new() { ["BINANCE_API_KEY"] = "k", ["BINANCE_API_SECRET"] = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j" }));
            Assert.Equal("k", credential.ApiKey);
            Assert.Equal(SignatureType.Hmac, credential.Signer.Type);
            Assert.Equal("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71",
                credential.Signer.Sign("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"));
            Assert.DoesNotContain("NhqPtmd", credential.ToString());
        }

        [Fact]
        public void EncryptedPrivateKeyFromTheEnvironment()
        {
            var pair = KeyPairFiles.Create("ops", folder, KeyAlgorithm.Ed25519, null, "env pass".ToCharArray(), overwrite: false, pbkdf2Iterations: 1000);
            var credential = Credentials.FromEnvironment(Environment(new()
            {
                ["BINANCE_API_KEY"] = "k",
                ["BINANCE_PRIVATE_KEY_PATH"] = pair.PrivateKeyPath!,
                ["BINANCE_PRIVATE_KEY_PASSPHRASE"] = "env pass",
            }));
            Assert.Equal(SignatureType.Ed25519, credential.Signer.Type);
            Assert.Contains("BINANCE_PRIVATE_KEY_PATH", credential.Source);
        }

        [Fact]
        public void AnEmptyPassphraseVariableIsNoPassphrase()
        {
            var pair = KeyPairFiles.Create("ops", folder, KeyAlgorithm.Ed25519, null, "env pass".ToCharArray(), overwrite: false, pbkdf2Iterations: 1000);
            var error = Assert.Throws<KeyFileException>(() => Credentials.FromEnvironment(Environment(new()
            {
                ["BINANCE_API_KEY"] = "k",
                ["BINANCE_PRIVATE_KEY_PATH"] = pair.PrivateKeyPath!,
                ["BINANCE_PRIVATE_KEY_PASSPHRASE"] = "",
            })));
            Assert.Equal(KeyFileError.PassphraseRequired, error.Error);
        }

        [Theory]
        [InlineData(null, "s", null)]
        [InlineData("k", null, null)]
        [InlineData("", "s", null)]
        public void MissingVariablesSayWhichAreNeeded(string? apiKey, string? secret, string? path)
        {
            var values = new Dictionary<string, string>();
            if (apiKey != null) values["BINANCE_API_KEY"] = apiKey;
            if (secret != null) values["BINANCE_API_SECRET"] = secret;
            if (path != null) values["BINANCE_PRIVATE_KEY_PATH"] = path;
            var error = Assert.Throws<KeyOperationException>(() => Credentials.FromEnvironment(Environment(values)));
            Assert.Equal(KeyOperationError.InvalidArgument, error.Error);
            Assert.Contains("BINANCE_API_SECRET", error.Message);
        }

        [Fact]
        public void PublicKeysAndEmptySecretsCannotSign()
        {
            var pair = KeyPairFiles.Create("pub", folder, KeyAlgorithm.Ed25519, null, null, overwrite: false);
            Assert.Equal(KeyFileError.InvalidArgument, Assert.Throws<KeyFileException>(() => Credentials.FromKeyFile(pair.PublicKeyPath!, null)).Error);
            var publicOnly = KeyPairFiles.Read(pair.PublicKeyPath!, null);
            Assert.Equal(KeyFileError.InvalidArgument, Assert.Throws<KeyFileException>(() => Credentials.FromKeyPair(publicOnly, null)).Error);
            Assert.Equal(KeyFileError.InvalidArgument, Assert.Throws<KeyFileException>(() => Credentials.FromSecret(Array.Empty<char>())).Error);
            Assert.Equal(KeyFileError.InvalidArgument, Assert.Throws<KeyFileException>(() => Credentials.FromSecret(null)).Error);
        }

        [Fact]
        public void AKeyPairLoadsItsPrivateKeyOnUseFromItsFile()
        {
            var pair = KeyPairFiles.Create("ops", folder, KeyAlgorithm.Ed25519, null, "file pass".ToCharArray(), overwrite: false, pbkdf2Iterations: 1000);
            Assert.Equal(KeyFileError.PassphraseRequired, Assert.Throws<KeyFileException>(() => Credentials.FromKeyPair(pair, null)).Error);

            using (var signer = Credentials.FromKeyPair(pair, "file pass".ToCharArray()))
            {
                var data = System.Text.Encoding.UTF8.GetBytes("timestamp=1");
                Assert.True(PrivateKeyPem.ReadFile(pair.PublicKeyPath!, null).PublicKey.Verify(data, Convert.FromBase64String(signer.Sign("timestamp=1"))));
            }

            // The file now holds another key: the pair no longer describes it, and nothing signs with the wrong key.
            KeyPairFiles.Create("ops", folder, KeyAlgorithm.Ed25519, null, "file pass".ToCharArray(), overwrite: true, pbkdf2Iterations: 1000);
            var error = Assert.Throws<KeyFileException>(() => Credentials.FromKeyPair(pair, "file pass".ToCharArray()));
            Assert.Equal(KeyFileError.KeyMismatch, error.Error);
            Assert.Equal(pair.PrivateKeyPath, error.Path);
        }

        [Fact]
        public void AKeyPairInASecretStoreLoadsItsPrivateKeyFromTheEntry()
        {
            using var key = KeyGenerator.Generate(KeyAlgorithm.RSA, 2048);
            using var entry = Credentials.PrivateKeyEntry("ops", key, null, null, "ops");
            var pair = KeyPairFiles.CreateInStore("ops", folder, KeyAlgorithm.Ed25519, null, overwrite: false, _ => { });
            pair.SecretName = "ops";
            // The entry holds an RSA key, the pair an Ed25519 one: a mismatch, never a signature with the wrong key.
            Assert.Equal(KeyFileError.KeyMismatch, Assert.Throws<KeyFileException>(() => Credentials.FromKeyPair(pair, null, name => Copy(entry))).Error);
            // Without a way to read the store, the pair cannot sign.
            Assert.Equal(KeyFileError.InvalidArgument, Assert.Throws<KeyFileException>(() => Credentials.FromKeyPair(pair, null)).Error);

            VaultEntry? stored = null;
            var matching = KeyPairFiles.CreateInStore("rsa", folder, KeyAlgorithm.RSA, 2048, overwrite: false, k => stored = Credentials.PrivateKeyEntry("rsa", k, null, null, "rsa"));
            matching.SecretName = "rsa";
            string? asked = null;
            using var signer = Credentials.FromKeyPair(matching, null, name => { asked = name; return Copy(stored!); });
            Assert.Equal("rsa", asked);
            Assert.Equal(SignatureType.Rsa, signer.Type);
            Assert.All(stored!.Secret, b => Assert.NotEqual(0, b)); // the store's copy is the caller's; the one handed over was disposed
        }

        private static VaultEntry Copy(VaultEntry entry) => new VaultEntry(entry.Info, (byte[])entry.Secret.Clone());

        [Fact]
        public void AStoredPrivateKeySignsLikeTheOriginal()
        {
            using var key = KeyGenerator.Generate(KeyAlgorithm.RSA, 2048);
            using var entry = Credentials.PrivateKeyEntry("ops", key, "k", "desk", "bot");
            Assert.Equal("rsa", entry.Info.Type);

            var credential = Credentials.FromEntry(entry, null, "test");
            Assert.Equal("k", credential.ApiKey);
            // Checked with the BCL's RSA verifier against the original public key, not by signing again with module code.
            using var verifier = System.Security.Cryptography.RSA.Create();
            verifier.ImportSubjectPublicKeyInfo(key.PublicKey.SubjectPublicKeyInfo, out _);
            Assert.True(verifier.VerifyData(System.Text.Encoding.ASCII.GetBytes("timestamp=1"), Convert.FromBase64String(credential.Signer.Sign("timestamp=1")),
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1));
            Assert.Equal("other", Credentials.FromEntry(entry, "other", "test").ApiKey);
        }

        [Fact]
        public void AStoredEntryWithoutAnApiKeyNeedsOne()
        {
            using var entry = new VaultEntry(new VaultEntryInfo("x", "hmac", null, null, null, DateTime.UtcNow), "secret".ToCharArray());
            Assert.Equal(KeyOperationError.InvalidArgument, Assert.Throws<KeyOperationException>(() => Credentials.FromEntry(entry, null, "test")).Error);
        }
    }
}

using System;
using System.IO;
using System.Security.Cryptography;
using BinanceKeys.Secrets;

namespace BinanceKeys.Tests.Secrets
{
    /// <summary>A temporary folder for one test's vault, and cheap scrypt parameters so the suite stays fast.</summary>
    internal sealed class VaultFolder : IDisposable
    {
        public const string Passphrase = "correct horse battery staple";

        /// <summary>N = 2^10, r = 8: about 1 MiB and a few milliseconds. Production parameters are tested once.</summary>
        public static readonly ScryptParameters Cheap = new ScryptParameters(10, 8, 1);

        public VaultFolder() => Folder = Directory.CreateTempSubdirectory("bk-vault-").FullName;

        public string Folder { get; }

        public string VaultPath => Path.Combine(Folder, "vault.bkv");

        public LocalVault Create(string passphrase = Passphrase, TimeSpan? lockTimeout = null) =>
            LocalVault.Open(VaultPath, passphrase.ToCharArray(), create: true, Cheap, lockTimeout ?? TimeSpan.FromSeconds(10));

        public LocalVault Open(string passphrase = Passphrase) =>
            LocalVault.Open(VaultPath, passphrase.ToCharArray(), create: false, Cheap, TimeSpan.FromSeconds(10));

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }

    internal static class TestEntries
    {
        /// <summary>A 64-character alphanumeric secret, like the ones Binance issues, different in every test.</summary>
        public static string NewHmacSecret()
        {
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            var chars = new char[64];
            for (int i = 0; i < chars.Length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            return new string(chars);
        }

        /// <summary>A PEM-shaped private key with random contents (the vault stores bytes; it does not parse keys).</summary>
        public static string NewPem() =>
            "-----BEGIN PRIVATE KEY-----\n" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)) + "\n-----END PRIVATE KEY-----\n";

        public static VaultEntry Hmac(string name, string secret, string? account = "desk-eu", string? label = "reporting") =>
            new VaultEntry(new VaultEntryInfo(name, "hmac", "api-" + name, account, label, new DateTime(2026, 11, 25, 4, 0, 0, DateTimeKind.Utc)), secret.ToCharArray());
    }
}

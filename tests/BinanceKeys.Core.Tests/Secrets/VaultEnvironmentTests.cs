using System;
using System.Collections.Generic;
using System.IO;
using System.Security;
using BinanceKeys.Secrets;
using Xunit;

namespace BinanceKeys.Tests.Secrets
{
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class EnvironmentCollection
    {
        public const string Name = "Process environment";
    }

    /// <summary>Resolution of the vault path and passphrase; the pure rules take the environment as a function.</summary>
    public sealed class VaultResolutionTests
    {
        private static Func<string, string?> Environment(params (string Name, string Value)[] variables)
        {
            var map = new Dictionary<string, string>();
            foreach (var (name, value) in variables) map[name] = value;
            return name => map.TryGetValue(name, out string? value) ? value : null;
        }

        [Fact]
        public void AnExplicitPathWinsOverTheEnvironment()
        {
            string explicitPath = Path.Combine(Path.GetTempPath(), "explicit.bkv");
            Assert.Equal(explicitPath, VaultLocation.Resolve(explicitPath, Environment(("BINANCEKEYS_VAULT", "/srv/env.bkv")), windows: false));
        }

        [Fact]
        public void TheEnvironmentVariableWinsOverTheDefaultAndIsMadeAbsolute()
        {
            Assert.Equal(Path.GetFullPath("relative.bkv"), VaultLocation.Resolve(null, Environment(("BINANCEKEYS_VAULT", "relative.bkv"), ("HOME", "/home/u")), windows: false));
            Assert.Equal("/home/u/.local/share/binancekeys/vault.bkv", VaultLocation.Resolve("  ", Environment(("BINANCEKEYS_VAULT", ""), ("HOME", "/home/u")), windows: false));
        }

        [Fact]
        public void TheDefaultFollowsXdgOnUnixAndAppDataOnWindows()
        {
            Assert.Equal("/data/binancekeys/vault.bkv", VaultLocation.DefaultPath(Environment(("XDG_DATA_HOME", "/data"), ("HOME", "/home/u")), windows: false));
            // A relative XDG_DATA_HOME is invalid by the XDG specification and ignored.
            Assert.Equal("/home/u/.local/share/binancekeys/vault.bkv", VaultLocation.DefaultPath(Environment(("XDG_DATA_HOME", "data"), ("HOME", "/home/u")), windows: false));
            Assert.Equal(Path.Combine(@"C:\Users\u\AppData\Roaming", "BinanceKeys", "vault.bkv"), VaultLocation.DefaultPath(Environment(("APPDATA", @"C:\Users\u\AppData\Roaming")), windows: true));
        }

        [Fact]
        public void AnExplicitPassphraseWinsAndIsCopied()
        {
            char[] given = "given".ToCharArray();
            char[] resolved = VaultPassphrase.Resolve(given, Environment(("BINANCEKEYS_VAULT_PASSPHRASE", "from-env")));
            Assert.Equal("given", new string(resolved));
            Assert.NotSame(given, resolved);
        }

        [Fact]
        public void ThePassphraseComesFromTheEnvironmentOtherwiseAndIsRequired()
        {
            Assert.Equal("from-env", new string(VaultPassphrase.Resolve(null, Environment(("BINANCEKEYS_VAULT_PASSPHRASE", "from-env")))));

            var missing = Assert.Throws<VaultException>(() => VaultPassphrase.Resolve(null, Environment()));
            Assert.Equal(VaultErrorReason.PassphraseRequired, missing.Reason);
            Assert.Contains("BINANCEKEYS_VAULT_PASSPHRASE", missing.Message);
            Assert.Equal(VaultErrorReason.PassphraseRequired, Assert.Throws<VaultException>(() => VaultPassphrase.Resolve(null, Environment(("BINANCEKEYS_VAULT_PASSPHRASE", "")))).Reason);
            Assert.Equal(VaultErrorReason.PassphraseRequired, Assert.Throws<VaultException>(() => VaultPassphrase.Resolve(Array.Empty<char>(), Environment())).Reason);
        }

        [Fact]
        public void ASecureStringPassphraseIsCopiedOut()
        {
            using var secure = new SecureString();
            foreach (char c in "pässphrase") secure.AppendChar(c);
            Assert.Equal("pässphrase", new string(VaultPassphrase.Resolve(secure)));
        }
    }

    /// <summary>The same rules against the real process environment; not parallel with anything else.</summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class VaultEnvironmentVariableTests : IDisposable
    {
        private readonly Dictionary<string, string?> saved = new Dictionary<string, string?>();
        private readonly VaultFolder folder = new VaultFolder();

        public void Dispose()
        {
            foreach (var (name, value) in saved) System.Environment.SetEnvironmentVariable(name, value);
            folder.Dispose();
        }

        private void Set(string name, string? value)
        {
            if (!saved.ContainsKey(name)) saved[name] = System.Environment.GetEnvironmentVariable(name);
            System.Environment.SetEnvironmentVariable(name, value);
        }

        [Fact]
        public void PipelineSettingsOpenTheVaultWithoutArguments()
        {
            Set(VaultLocation.PathVariable, folder.VaultPath);
            Set(VaultPassphrase.Variable, VaultFolder.Passphrase);

            string path = VaultLocation.Resolve();
            char[] passphrase = VaultPassphrase.Resolve((char[]?)null);
            Assert.Equal(folder.VaultPath, path);
            using (LocalVault vault = LocalVault.Open(path, passphrase, create: true, VaultFolder.Cheap, LocalVault.DefaultLockTimeout)) { }
            Array.Clear(passphrase);

            using LocalVault reopened = folder.Open();
            Assert.Empty(reopened.List());
        }

        [Fact]
        public void WithoutTheVariablesTheDefaultPathIsUsedAndAPassphraseIsRequired()
        {
            Set(VaultLocation.PathVariable, null);
            Set(VaultPassphrase.Variable, null);
            Set("XDG_DATA_HOME", folder.Folder);

            string expected = OperatingSystem.IsWindows()
                ? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.ApplicationData), "BinanceKeys", "vault.bkv")
                : Path.Combine(folder.Folder, "binancekeys", "vault.bkv");
            Assert.Equal(expected, VaultLocation.Resolve());
            Assert.Equal(VaultErrorReason.PassphraseRequired, Assert.Throws<VaultException>(() => VaultPassphrase.Resolve((char[]?)null)).Reason);
        }
    }
}

using System;
using System.IO;
using System.Runtime.InteropServices;

namespace BinanceKeys.Secrets
{
    /// <summary>Where the local vault lives: an explicit path, else <c>BINANCEKEYS_VAULT</c>, else a per-user default.</summary>
    public static class VaultLocation
    {
        /// <summary>The environment variable that names the vault file.</summary>
        public const string PathVariable = "BINANCEKEYS_VAULT";

        /// <summary>The vault's file name in the default folder.</summary>
        public const string DefaultFileName = "vault.bkv";

        /// <summary>
        /// The full path of the vault: <paramref name="explicitPath"/> if given, else <c>BINANCEKEYS_VAULT</c>, else
        /// <c>%APPDATA%\BinanceKeys\vault.bkv</c> on Windows and <c>$XDG_DATA_HOME/binancekeys/vault.bkv</c>
        /// (default <c>~/.local/share/binancekeys/vault.bkv</c>) elsewhere.
        /// </summary>
        public static string Resolve(string? explicitPath = null) =>
            Resolve(explicitPath, Environment.GetEnvironmentVariable, RuntimeInformation.IsOSPlatform(OSPlatform.Windows));

        internal static string Resolve(string? explicitPath, Func<string, string?> environment, bool windows)
        {
            if (!string.IsNullOrWhiteSpace(explicitPath)) return Path.GetFullPath(explicitPath);
            string? fromEnvironment = environment(PathVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
            return DefaultPath(environment, windows);
        }

        internal static string DefaultPath(Func<string, string?> environment, bool windows)
        {
            if (windows)
            {
                string? appData = environment("APPDATA");
                if (string.IsNullOrEmpty(appData)) appData = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData);
                return Path.Combine(appData, "BinanceKeys", DefaultFileName);
            }

            // XDG Base Directory: a relative XDG_DATA_HOME is invalid and must be ignored.
            string? dataHome = environment("XDG_DATA_HOME");
            if (string.IsNullOrEmpty(dataHome) || !Path.IsPathRooted(dataHome))
            {
                string? home = environment("HOME");
                if (string.IsNullOrEmpty(home)) home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                if (string.IsNullOrEmpty(home))
                {
                    // An environment without a home folder (a bare container): the module's own error, saying what to do.
                    throw new VaultException(VaultErrorReason.VaultNotFound, $"Cannot find the home folder for the default vault; set {PathVariable} or give a vault path.");
                }
                dataHome = Path.Combine(home, ".local", "share");
            }
            return Path.Combine(dataHome, "binancekeys", DefaultFileName);
        }
    }
}

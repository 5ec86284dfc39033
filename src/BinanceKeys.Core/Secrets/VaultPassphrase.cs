using System;
using System.Runtime.InteropServices;
using System.Security;

namespace BinanceKeys.Secrets
{
    /// <summary>Where the vault passphrase comes from: given explicitly, else <c>BINANCEKEYS_VAULT_PASSPHRASE</c> (for pipelines).</summary>
    public static class VaultPassphrase
    {
        /// <summary>The environment variable that holds the passphrase for non-interactive use.</summary>
        public const string Variable = "BINANCEKEYS_VAULT_PASSPHRASE";

        /// <summary>
        /// A new array holding the passphrase, which the caller must clear: a copy of <paramref name="explicitPassphrase"/>
        /// if given, else the value of <c>BINANCEKEYS_VAULT_PASSPHRASE</c>.
        /// </summary>
        /// <exception cref="VaultException">Neither is set, or the passphrase is empty (<see cref="VaultErrorReason.PassphraseRequired"/>).</exception>
        public static char[] Resolve(char[]? explicitPassphrase) => Resolve(explicitPassphrase, Environment.GetEnvironmentVariable);

        /// <summary>As <see cref="Resolve(char[])"/>, with the passphrase given as a SecureString.</summary>
        public static char[] Resolve(SecureString? explicitPassphrase)
        {
            if (explicitPassphrase is null) return Resolve((char[]?)null);
            char[] chars = ToChars(explicitPassphrase);
            try
            {
                return Resolve(chars);
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }

        /// <summary>Copies a SecureString into a new array the caller must clear (<see cref="Crypto.SecureStrings.ToChars"/>).</summary>
        public static char[] ToChars(SecureString secure) => Crypto.SecureStrings.ToChars(secure);

        internal static char[] Resolve(char[]? explicitPassphrase, Func<string, string?> environment)
        {
            if (explicitPassphrase != null)
            {
                if (explicitPassphrase.Length == 0) throw Empty();
                return (char[])explicitPassphrase.Clone();
            }

            // A string from the environment cannot be cleared; that is the price of pipelines (see docs/vault.md).
            string? fromEnvironment = environment(Variable);
            if (fromEnvironment is null)
            {
                throw new VaultException(VaultErrorReason.PassphraseRequired,
                    $"No vault passphrase: give one, or set the {Variable} environment variable for non-interactive use.");
            }
            if (fromEnvironment.Length == 0) throw Empty();
            return fromEnvironment.ToCharArray();
        }

        internal static void RequireNonEmpty(char[] passphrase)
        {
            if (passphrase is null) throw new ArgumentNullException(nameof(passphrase));
            if (passphrase.Length == 0) throw Empty();
        }

        private static VaultException Empty() =>
            new VaultException(VaultErrorReason.PassphraseRequired, "The vault passphrase is empty.");
    }
}

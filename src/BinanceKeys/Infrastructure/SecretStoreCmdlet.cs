using System.Management.Automation;
using System.Security;
using BinanceKeys.Secrets;

namespace BinanceKeys.Commands.Infrastructure
{
    /// <summary>
    /// The parameters that choose a secret store, shared by the cmdlets that always use one: the local vault
    /// (-VaultPath, -VaultPassphrase, with BINANCEKEYS_VAULT and BINANCEKEYS_VAULT_PASSPHRASE as defaults) or a
    /// SecretManagement vault (-Vault).
    /// </summary>
    public abstract class SecretStoreCmdlet : BinanceCmdlet
    {
        /// <summary>The local vault file (default: BINANCEKEYS_VAULT, or the per-user vault).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? VaultPath { get; set; }

        /// <summary>The local vault's passphrase (default: BINANCEKEYS_VAULT_PASSPHRASE).</summary>
        [Parameter]
        [ValidateNotEmptySecureString]
        public SecureString? VaultPassphrase { get; set; }

        /// <summary>A SecretManagement vault to use instead of the local vault.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Vault { get; set; }

        /// <summary>Opens the chosen store; <paramref name="create"/> creates a missing local vault.</summary>
        protected ISecretStore OpenStore(bool create) => OpenSecretStore(Vault, VaultPath, VaultPassphrase, create);
    }
}

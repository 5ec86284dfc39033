using System;
using System.Management.Automation;
using System.Security;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Secrets;

namespace BinanceKeys.Commands
{
    /// <summary>Remove-BinanceSecret: deletes an entry from the local vault or a SecretManagement vault (High impact, -Force for CI).</summary>
    [Cmdlet(VerbsCommon.Remove, "BinanceSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveBinanceSecretCommand : BinanceCmdlet
    {
        /// <summary>The entry to delete.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The local vault file (default: BINANCEKEYS_VAULT, or the per-user vault).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? VaultPath { get; set; }

        /// <summary>The local vault's passphrase (default: BINANCEKEYS_VAULT_PASSPHRASE).</summary>
        [Parameter]
        public SecureString? VaultPassphrase { get; set; }

        /// <summary>A SecretManagement vault to delete from instead of the local vault.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Vault { get; set; }

        /// <summary>Deletes without asking. Does not override -WhatIf.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (!(Force && !MyInvocation.BoundParameters.ContainsKey("WhatIf")) && !ShouldProcess(Name, "Delete secret")) return;
            try
            {
                using ISecretStore store = OpenSecretStore(Vault, VaultPath, VaultPassphrase, create: false);
                store.Remove(Name);
                WriteVerbose($"Deleted '{Name}' from {store.Description}.");
            }
            catch (Exception e) when (IsExpected(e))
            {
                WriteNonTerminating(e, Name);
            }
        }
    }
}

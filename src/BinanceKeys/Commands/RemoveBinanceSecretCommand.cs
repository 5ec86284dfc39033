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
    public sealed class RemoveBinanceSecretCommand : SecretStoreCmdlet
    {
        /// <summary>The entry to delete.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.SecretNameCompleter))]
        public string Name { get; set; } = string.Empty;

        /// <summary>Deletes without asking. -WhatIf and $WhatIfPreference still win; -Confirm still asks.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (!ShouldProcess(Name, "Delete secret", Force)) return;
            try
            {
                using ISecretStore store = OpenStore(create: false);
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

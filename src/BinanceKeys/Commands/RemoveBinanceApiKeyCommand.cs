using System;
using System.Management.Automation;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Keys;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// Remove-BinanceApiKey: deletes a sub-account or broker key. High impact: it asks for confirmation unless
    /// -Force or -Confirm:$false is given; -WhatIf and $WhatIfPreference always win, and -Force -Confirm still asks.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "BinanceApiKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveBinanceApiKeyCommand : ApiKeyTargetCmdlet
    {
        /// <summary>Deletes without asking for confirmation (CI). -WhatIf and $WhatIfPreference still win; -Confirm still asks.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            try
            {
                var account = TargetAccount;
                if (!ShouldProcess($"API key {ApiKey} ({account.Name})", "Delete", Force)) return;
                Run((log, token) => KeyService(log, VaultPath).RemoveKeyAsync(account, ApiKey, token));
                KnownKeyTypes.Forget(ConnectionStore.Current, ApiKey);
            }
            catch (Exception e) when (IsExpected(e))
            {
                WriteNonTerminating(e, ApiKey);
            }
        }
    }
}

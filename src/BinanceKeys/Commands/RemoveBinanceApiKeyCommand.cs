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
            var account = TargetAccount;
            string target = $"API key {ApiKey} ({account.Name})";
            if (!ShouldProcess(target, "Delete", Force)) return;
            try
            {
                Run((log, token) => KeyService(log).RemoveKeyAsync(account, ApiKey, token));
            }
            catch (Exception e) when (IsExpected(e))
            {
                WriteNonTerminating(e, ApiKey);
            }
        }
    }
}

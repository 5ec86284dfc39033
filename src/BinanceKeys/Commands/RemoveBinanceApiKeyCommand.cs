using System;
using System.Management.Automation;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Keys;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// Remove-BinanceApiKey: deletes a sub-account or broker key. High impact: it asks for confirmation unless
    /// -Force or -Confirm:$false is given; -WhatIf always wins.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "BinanceApiKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveBinanceApiKeyCommand : ApiKeyTargetCmdlet
    {
        /// <summary>Deletes without asking for confirmation (CI). Does not override -WhatIf.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var account = TargetAccount;
            string target = $"API key {ApiKey} ({account.Name})";
            // -WhatIf always wins; -Force skips the prompt, as -Confirm:$false does.
            if (Force && !MyInvocation.BoundParameters.ContainsKey("WhatIf"))
            {
                WriteVerbose($"Deleting {target} (-Force).");
            }
            else if (!ShouldProcess(target, "Delete"))
            {
                return;
            }
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

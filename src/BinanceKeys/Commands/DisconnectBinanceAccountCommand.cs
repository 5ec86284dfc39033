using System.Management.Automation;
using BinanceKeys.Commands.Infrastructure;

namespace BinanceKeys.Commands
{
    /// <summary>Disconnect-BinanceAccount: forgets this session's connection and clears its credentials from memory.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "BinanceAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class DisconnectBinanceAccountCommand : BinanceCmdlet
    {
        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var current = ConnectionStore.Current;
            if (current is null)
            {
                WriteVerbose("There is no connection to close.");
                return;
            }
            if (!ShouldProcess(current.Info.ToString(), "Disconnect")) return;
            ConnectionStore.Set(null);
            WriteVerbose($"Disconnected {current.Info}.");
        }
    }
}

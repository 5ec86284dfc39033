using System;
using System.Management.Automation;
using BinanceKeys.Commands.Infrastructure;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// Get-BinanceSubAccount: the master account's sub-accounts (with margin and futures status), or with -Broker
    /// the Binance Link broker's sub-accounts. The objects pipe into Get-BinanceApiKey and New-BinanceApiKey.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BinanceSubAccount", DefaultParameterSetName = SubAccountSet)]
    [OutputType(typeof(SubAccountInfo))]
    public sealed class GetBinanceSubAccountCommand : BinanceCmdlet
    {
        private const string SubAccountSet = "SubAccount";
        private const string BrokerSet = "Broker";

        /// <summary>Only this sub-account (exact email).</summary>
        [Parameter(Position = 0, ParameterSetName = SubAccountSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.SubAccountCompleter))]
        public string? Email { get; set; }

        /// <summary>List broker (Binance Link) sub-accounts instead.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BrokerSet)]
        public SwitchParameter Broker { get; set; }

        /// <summary>Only this broker sub-account.</summary>
        [Parameter(ParameterSetName = BrokerSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.SubAccountCompleter))]
        public string? BrokerSubAccountId { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            try
            {
                var accounts = Run((log, token) => Broker
                    ? KeyService(log).GetBrokerSubAccountsAsync(BrokerSubAccountId, token)
                    : KeyService(log).GetSubAccountsAsync(Email, token));
                foreach (var account in accounts) WriteObject(account);
            }
            catch (Exception e) when (IsExpected(e))
            {
                ThrowTerminating(e, Email ?? BrokerSubAccountId);
            }
        }
    }
}

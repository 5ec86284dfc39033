using System;
using System.Management.Automation;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Keys;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// Set-BinanceApiKeyRestriction: replaces, extends or shrinks a key's IP whitelist, or lifts the restriction;
    /// the result is read back from Binance and verified. Own-account keys: prints the web-UI steps instead.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "BinanceApiKeyRestriction", SupportsShouldProcess = true, DefaultParameterSetName = ReplaceSet)]
    [Alias("Set-ApiKeyRestriction")]
    [OutputType(typeof(ApiKeyInfo))]
    public sealed class SetBinanceApiKeyRestrictionCommand : ApiKeyTargetCmdlet
    {
        private const string ReplaceSet = "Replace";
        private const string AddSet = "Add";
        private const string RemoveSet = "Remove";
        private const string UnrestrictedSet = "Unrestricted";

        /// <summary>The complete new whitelist (replaces the current one). Not bound from the pipeline on purpose.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ReplaceSet)]
        [ValidateNotNullOrEmpty]
        public string[] IpAddress { get; set; } = new string[0];

        /// <summary>Addresses to add to the whitelist.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AddSet)]
        [ValidateNotNullOrEmpty]
        public string[] AddIpAddress { get; set; } = new string[0];

        /// <summary>Addresses to remove from the whitelist.</summary>
        [Parameter(Mandatory = true, ParameterSetName = RemoveSet)]
        [ValidateNotNullOrEmpty]
        public string[] RemoveIpAddress { get; set; } = new string[0];

        /// <summary>Lifts the IP restriction (any address). Refused for keys that Default Security Controls or withdrawals forbid it for.</summary>
        [Parameter(Mandatory = true, ParameterSetName = UnrestrictedSet)]
        public SwitchParameter Unrestricted { get; set; }

        /// <summary>
        /// The key's type, when known: bound from a piped key's Type (keys from New-BinanceApiKey carry it; Binance's
        /// listings do not), else what this session saw. Unknown keys are checked as HMAC keys, the strictest case.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Type")]
        public ApiKeyType? KeyType { get; set; }

        /// <summary>Writes the key as it is after the change.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var (mode, addresses, description) = ParameterSetName switch
            {
                AddSet => (IpChangeMode.Add, AddIpAddress, "Add " + string.Join(",", AddIpAddress) + " to the IP whitelist"),
                RemoveSet => (IpChangeMode.Remove, RemoveIpAddress, "Remove " + string.Join(",", RemoveIpAddress) + " from the IP whitelist"),
                UnrestrictedSet => (IpChangeMode.Unrestricted, new string[0], "Lift the IP restriction"),
                _ => (IpChangeMode.Replace, IpAddress, "Set the IP whitelist to " + string.Join(",", IpAddress)),
            };
            try
            {
                var account = TargetAccount;
                if (!ShouldProcess($"API key {ApiKey} ({account.Name})", description)) return;
                var type = KnownType(KeyType);
                var key = Run((log, token) => KeyService(log, VaultPath).SetIpRestrictionAsync(account, ApiKey, mode, addresses, type, token));
                if (PassThru) WriteObject(KnownKeyTypes.Complete(ConnectionStore.Current, key, type));
            }
            catch (Exception e) when (IsExpected(e))
            {
                WriteNonTerminating(e, ApiKey);
            }
        }
    }
}

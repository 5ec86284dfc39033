using System;
using System.Management.Automation;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Keys;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// Get-BinanceApiKey: the connected key's own permissions, or with -Email / -BrokerSubAccountId every key of a
    /// sub-account with its permissions and IP whitelist. One object per key, pipeable into the Set- and Remove- commands.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BinanceApiKey", DefaultParameterSetName = OwnSet)]
    [OutputType(typeof(ApiKeyInfo))]
    public sealed class GetBinanceApiKeyCommand : BinanceCmdlet
    {
        private const string OwnSet = "Own";
        private const string SubAccountSet = "SubAccount";
        private const string BrokerSet = "Broker";

        /// <summary>The sub-account whose keys to read.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = SubAccountSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.SubAccountCompleter))]
        public string? Email { get; set; }

        /// <summary>The broker sub-account whose keys to read.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BrokerSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.SubAccountCompleter))]
        public string? BrokerSubAccountId { get; set; }

        /// <summary>Only this key.</summary>
        [Parameter(ParameterSetName = SubAccountSet)]
        [Parameter(ParameterSetName = BrokerSet)]
        [ValidateNotNullOrEmpty]
        public string? ApiKey { get; set; }

        /// <summary>Only keys whose label matches (wildcards allowed, case-insensitive).</summary>
        [Parameter(ParameterSetName = SubAccountSet)]
        [Parameter(ParameterSetName = BrokerSet)]
        [ValidateNotNullOrEmpty]
        public string? Label { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var account = ParameterSetName switch
            {
                SubAccountSet => AccountReference.SubAccount(Email!),
                BrokerSet => AccountReference.Broker(BrokerSubAccountId!),
                _ => AccountReference.Own,
            };
            var pattern = Label is null ? null : new WildcardPattern(Label, WildcardOptions.IgnoreCase);
            try
            {
                var keys = Run((log, token) => KeyService(log).GetKeysAsync(account, ApiKey, token, Progress(1, $"Reading the API keys of {account.Name}")));
                foreach (var key in keys)
                {
                    if (pattern is null || (key.Label != null && pattern.IsMatch(key.Label))) WriteObject(key);
                }
            }
            catch (Exception e) when (IsExpected(e))
            {
                // One account failing does not stop the others in a pipeline.
                WriteNonTerminating(e, account.Name);
            }
        }
    }
}

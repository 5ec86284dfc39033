using System.Management.Automation;
using BinanceKeys.Keys;

namespace BinanceKeys.Commands.Infrastructure
{
    /// <summary>
    /// The parameters that name one existing key, shared by the commands that change or delete it: -ApiKey, and
    /// -Email or -BrokerSubAccountId for its account (neither: the connected account's own key). All bind by property
    /// name, so ApiKeyInfo objects from Get-BinanceApiKey and New-BinanceApiKey pipe straight in.
    /// </summary>
    public abstract class ApiKeyTargetCmdlet : BinanceCmdlet
    {
        /// <summary>The key (its public identifier).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ApiKey { get; set; } = string.Empty;

        /// <summary>The key's sub-account.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completers.SubAccountCompleter))]
        public string? Email { get; set; }

        /// <summary>The key's broker sub-account.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completers.SubAccountCompleter))]
        public string? BrokerSubAccountId { get; set; }

        /// <summary>The account the key belongs to, from -Email / -BrokerSubAccountId.</summary>
        protected AccountReference TargetAccount => AccountReference.From(Email, BrokerSubAccountId);
    }
}

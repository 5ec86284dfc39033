using System.Management.Automation;
using BinanceKeys.Keys;

namespace BinanceKeys.Commands.Infrastructure
{
    /// <summary>
    /// The parameters that name one existing key, shared by the commands that change or delete it: -ApiKey, and
    /// -Email or -BrokerSubAccountId for its account (neither: the connected account's own key). All bind by property
    /// name, so ApiKeyInfo objects from Get-BinanceApiKey and New-BinanceApiKey pipe straight in (a key object carries
    /// exactly one of Email and BrokerSubAccountId).
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

        /// <summary>
        /// The local vault file beside which the module keeps its records of the keys it created (their types, public-key
        /// fingerprints and broker labels, which Binance does not report); default: BINANCEKEYS_VAULT, or the per-user
        /// vault. Give the one the key was created with (New-BinanceApiKey -VaultPath, Invoke-BinanceKeyPlan -VaultPath).
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? VaultPath { get; set; }

        /// <summary>
        /// The account the key belongs to, from -Email / -BrokerSubAccountId (neither: the connected account). Both at
        /// once name two accounts: refused rather than guessed, so that a key is never changed in the wrong kind of account.
        /// </summary>
        /// <exception cref="KeyOperationException">Both given, or one of them blank.</exception>
        protected AccountReference TargetAccount
        {
            get
            {
                bool email = !string.IsNullOrEmpty(Email);
                bool broker = !string.IsNullOrEmpty(BrokerSubAccountId);
                if (email && broker)
                {
                    throw new KeyOperationException(KeyOperationError.InvalidArgument,
                        $"API key {ApiKey}: give -Email (a sub-account) or -BrokerSubAccountId (a broker sub-account), not both.");
                }
                if ((email && Email!.Trim().Length == 0) || (broker && BrokerSubAccountId!.Trim().Length == 0))
                {
                    throw new KeyOperationException(KeyOperationError.InvalidArgument, $"API key {ApiKey}: the account is blank.");
                }
                return AccountReference.From(Email, BrokerSubAccountId);
            }
        }

        /// <summary>
        /// The key's type as far as this session knows it: <paramref name="given"/> (bound from a piped key's Type, or
        /// -KeyType), else the type seen earlier in this session; null when unknown.
        /// </summary>
        protected ApiKeyType? KnownType(ApiKeyType? given)
        {
            var connection = ConnectionStore.Current;
            KnownKeyTypes.Remember(connection, ApiKey, given);
            return given ?? KnownKeyTypes.Find(connection, ApiKey);
        }
    }
}

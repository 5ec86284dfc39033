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
    /// <remarks>
    /// The account is chosen from -Email and -BrokerSubAccountId in code, not by parameter sets: piped objects carry
    /// both properties (one of them null), and PowerShell's set resolution fails on a null property of another set
    /// once a parameter shared by the sets (-ApiKey) is bound. Both at once name two accounts and are refused.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "BinanceApiKey")]
    [OutputType(typeof(ApiKeyInfo))]
    public sealed class GetBinanceApiKeyCommand : BinanceCmdlet
    {
        /// <summary>The sub-account whose keys to read.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completers.SubAccountCompleter))]
        public string? Email { get; set; }

        /// <summary>The broker sub-account whose keys to read.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completers.SubAccountCompleter))]
        public string? BrokerSubAccountId { get; set; }

        /// <summary>Only this key; bound from a piped key object, so that piping a key reads that key again.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? ApiKey { get; set; }

        /// <summary>
        /// The type of the key named by -ApiKey, when known (bound from a piped key's Type): Binance's listings do not
        /// report it, so it is carried over instead of shown as unknown.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Type")]
        public ApiKeyType? KeyType { get; set; }

        /// <summary>Only keys whose label matches (wildcards allowed, case-insensitive).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.KeyLabelCompleter))]
        public string? Label { get; set; }

        /// <summary>
        /// The local vault file beside which the module keeps its records of the keys it created (their types, public-key
        /// fingerprints and broker labels, which Binance does not report); default: BINANCEKEYS_VAULT, or the per-user
        /// vault. Give the one the key was created with (New-BinanceApiKey -VaultPath, Invoke-BinanceKeyPlan -VaultPath).
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? VaultPath { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var pattern = Label is null ? null : new WildcardPattern(Label, WildcardOptions.IgnoreCase);
            string? apiKey = string.IsNullOrEmpty(ApiKey) ? null : ApiKey;
            string name = !string.IsNullOrEmpty(Email) ? Email! : !string.IsNullOrEmpty(BrokerSubAccountId) ? BrokerSubAccountId! : AccountReference.Own.Name;
            try
            {
                var account = Account();
                name = account.Name;
                var keys = Run((log, token) => KeyService(log, VaultPath).GetKeysAsync(account, apiKey, token, Progress(1, $"Reading the API keys of {account.Name}"),
                    pattern is null ? null : (Func<string, bool>)pattern.IsMatch));
                var connection = ConnectionStore.Current;
                foreach (var key in keys)
                {
                    WriteObject(KnownKeyTypes.Complete(connection, key, apiKey != null && key.ApiKey == apiKey ? KeyType : null));
                }
            }
            catch (Exception e) when (IsExpected(e))
            {
                // One account failing does not stop the others in a pipeline.
                WriteNonTerminating(e, name);
            }
        }

        private AccountReference Account()
        {
            bool email = !string.IsNullOrEmpty(Email);
            bool broker = !string.IsNullOrEmpty(BrokerSubAccountId);
            if (email && broker)
            {
                throw new KeyOperationException(KeyOperationError.InvalidArgument,
                    $"'{Email}' and broker sub-account '{BrokerSubAccountId}' name two accounts: give -Email (a sub-account) or -BrokerSubAccountId (a broker sub-account), not both.");
            }
            if (email) return AccountOf(() => AccountReference.SubAccount(Email!));
            if (broker) return AccountOf(() => AccountReference.Broker(BrokerSubAccountId!));
            return AccountReference.Own;
        }
    }
}

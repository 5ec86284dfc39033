using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Keys;

namespace BinanceKeys.Commands.Completers
{
    /// <summary>
    /// Completes -Label with the labels of the keys of the account already on the command line (-Email or
    /// -BrokerSubAccountId), from one key query through the connection (no IP reads), with the module's records beside
    /// the command line's -VaultPath (else the default vault) for the labels Binance does not report (broker keys).
    /// Nothing without a connection or an account. A key query costs UID weight 3000 of 180,000 a minute
    /// (docs/binance.md §4), so each account's labels are read once a minute at most (<see cref="CompletionCache{TKey}"/>).
    /// </summary>
    public sealed class KeyLabelCompleter : IArgumentCompleter
    {
        private static readonly ConditionalWeakTable<BinanceConnection, CompletionCache<string>> Caches = new ConditionalWeakTable<BinanceConnection, CompletionCache<string>>();

        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var connection = ConnectionStore.Current;
            if (connection is null || fakeBoundParameters is null) return Enumerable.Empty<CompletionResult>();
            AccountReference account;
            // Completion binds arguments loosely: a bare 1001 arrives as a number, not as the string the parameter takes.
            if (Text(fakeBoundParameters["Email"]) is string email) account = AccountReference.SubAccount(email);
            else if (Text(fakeBoundParameters["BrokerSubAccountId"]) is string id) account = AccountReference.Broker(id);
            else return Enumerable.Empty<CompletionResult>();

            // Broker keys carry no label on Binance: theirs are in the module's records, beside the vault the command names.
            string? vault = Completions.VaultFile(Runspace.DefaultRunspace, fakeBoundParameters["VaultPath"] as string);
            var cache = Caches.GetValue(connection, _ => new CompletionCache<string>(StringComparer.OrdinalIgnoreCase));
            IReadOnlyList<string> labels = cache.Get(account.Kind + ":" + account.Name + "\n" + vault, cancellation =>
            {
                // Read-only: a Tab press creates no folder and writes nothing; unreadable records leave Binance's labels.
                var records = vault is null ? null : State.Local.LocalKeyState.TryOpenRecords(new Uri(connection.Info.Endpoint), vault, readOnly: true, out _);
                return new ApiKeyService(connection, records: records).GetLabelsAsync(account, cancellation);
            });
            return Completions.Matching(labels, wordToComplete).ToList();
        }

        private static string? Text(object? value)
        {
            string? text = value is PSObject wrapped ? wrapped.BaseObject?.ToString() : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
            return string.IsNullOrWhiteSpace(text) ? null : text;
        }
    }
}

using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Runtime.CompilerServices;
using System.Threading;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Keys;

namespace BinanceKeys.Commands.Completers
{
    /// <summary>
    /// Completes -Label with the labels of the keys of the account already on the command line (-Email or
    /// -BrokerSubAccountId), from one key query through the connection (no IP reads). Nothing without a connection or an
    /// account. A key query costs UID weight 3000 of 180,000 a minute (docs/binance.md §4), so each account's labels are
    /// read once a minute at most, and a query that takes longer than 5 seconds gives no suggestions rather than holding
    /// the prompt.
    /// </summary>
    public sealed class KeyLabelCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
        private static readonly ConditionalWeakTable<BinanceConnection, CompletionCache<string>> Caches = new ConditionalWeakTable<BinanceConnection, CompletionCache<string>>();

        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var connection = ConnectionStore.Current;
            if (connection is null || fakeBoundParameters is null) return Enumerable.Empty<CompletionResult>();
            AccountReference account;
            if (fakeBoundParameters["Email"] is string email && email.Length > 0) account = AccountReference.SubAccount(email);
            else if (fakeBoundParameters["BrokerSubAccountId"] is string id && id.Length > 0) account = AccountReference.Broker(id);
            else return Enumerable.Empty<CompletionResult>();

            var cache = Caches.GetValue(connection, _ => new CompletionCache<string>(StringComparer.OrdinalIgnoreCase));
            IReadOnlyList<string> labels = cache.Get(account.Kind + ":" + account.Name, () =>
            {
                using var cancellation = new CancellationTokenSource(Timeout);
                return new ApiKeyService(connection).GetLabelsAsync(account, cancellation.Token).GetAwaiter().GetResult();
            });
            return Completions.Matching(labels, wordToComplete).ToList();
        }
    }
}

using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Runtime.CompilerServices;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Keys;

namespace BinanceKeys.Commands.Completers
{
    /// <summary>
    /// Completes -Email with the connected master account's sub-accounts, and -BrokerSubAccountId with the broker's.
    /// Nothing without a connection; the list is read once a minute at most (IP weight 1 and 10, docs/binance.md §2.5).
    /// </summary>
    public sealed class SubAccountCompleter : IArgumentCompleter
    {
        private static readonly ConditionalWeakTable<BinanceConnection, CompletionCache<bool>> Caches = new ConditionalWeakTable<BinanceConnection, CompletionCache<bool>>();

        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var connection = ConnectionStore.Current;
            if (connection is null) return Enumerable.Empty<CompletionResult>();
            bool broker = string.Equals(parameterName, "BrokerSubAccountId", StringComparison.OrdinalIgnoreCase);
            var cache = Caches.GetValue(connection, _ => new CompletionCache<bool>());
            IReadOnlyList<string> names = cache.Get(broker, async cancellation =>
            {
                var service = new ApiKeyService(connection);
                var accounts = broker
                    ? await service.GetBrokerSubAccountsAsync(null, cancellation).ConfigureAwait(false)
                    : await service.GetSubAccountsAsync(null, cancellation).ConfigureAwait(false);
                return accounts.Select(a => (broker ? a.BrokerSubAccountId : a.Email) ?? string.Empty).ToList();
            });
            return Completions.Matching(names, wordToComplete);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;

namespace BinanceKeys.Keys
{
    /// <summary>
    /// Settles writes whose outcome is unknown (a timeout, a 5xx, a dropped connection: docs/binance.md §4) by
    /// reading the state back. Nothing is ever sent again blindly.
    /// </summary>
    internal sealed class WriteSettlement
    {
        private readonly Action<string>? log;

        public WriteSettlement(Action<string>? log) => this.log = log;

        /// <summary>
        /// Sends a change whose result the caller reads back and verifies anyway: an unknown outcome is logged and left
        /// to that verification (if the change is not there, it fails with a clear message).
        /// </summary>
        public async Task SendAsync(Func<Task> write)
        {
            try
            {
                await write().ConfigureAwait(false);
            }
            catch (BinanceApiException e) when (e.Kind == BinanceErrorKind.ServerStateUnknown)
            {
                log?.Invoke($"The change has an unknown outcome ({e.BinanceMessage}); reading it back.");
            }
        }

        /// <summary>
        /// A create with an unknown outcome: the keys that appeared since <paramref name="before"/> tell. None: nothing
        /// was created so far (<c>NothingSeen</c>: Binance may still execute it). An HMAC key whose one-time secret was
        /// lost is deleted again (it is useless and a risk). Returns the error to throw.
        /// </summary>
        public async Task<(Exception Error, RemoteApiKey? Created, bool NothingSeen)> SettleCreateAsync(IAccountKeyApi api, string label, ApiKeyType type, IReadOnlyList<RemoteApiKey> before,
            BinanceApiException error)
        {
            var account = api.Account;
            log?.Invoke($"The create of '{label}' has an unknown outcome ({error.BinanceMessage}); reading {account.Name} back instead of sending it again.");
            // Reading back and cleaning up are not cancellable: a half-known create must be settled before anything else.
            var after = await api.QueryAsync(null, CancellationToken.None).ConfigureAwait(false);
            var appeared = after.Where(k => !before.Any(b => b.ApiKey == k.ApiKey))
                .Where(k => k.ApiName is null || string.Equals(k.ApiName, label, StringComparison.OrdinalIgnoreCase)).ToList();
            if (appeared.Count == 0)
            {
                return (new KeyOperationException(KeyOperationError.OutcomeUnknown,
                    $"The create of '{label}' did not reach a result (Binance: {error.BinanceMessage}); reading {account.Name} back shows no new key, so nothing was created so far. Run the command again.", error), null, true);
            }
            if (type == ApiKeyType.Hmac)
            {
                var masked = appeared.Where(k => k.ApiKey.Contains("*")).ToList();
                foreach (var orphan in appeared.Except(masked)) await UndoCreateAsync(api, orphan.ApiKey).ConfigureAwait(false);
                if (masked.Count > 0)
                {
                    // A broker query masks keys (§2.6), and a masked key cannot be deleted: say exactly what is left.
                    return (new KeyOperationException(KeyOperationError.OutcomeUnknown,
                        $"Binance created '{label}' in {account.Name} but its one-time secret was lost with the answer ({error.BinanceMessage}), and Binance shows the new key only masked " +
                        $"({string.Join(", ", masked.Select(k => k.ApiKey))}), so it cannot be deleted through the API. It has reading only and no secret anyone knows; delete it in the web UI.", error), null, false);
                }
                return (new KeyOperationException(KeyOperationError.OutcomeUnknown,
                    $"Binance created '{label}' but its one-time secret was lost with the answer ({error.BinanceMessage}); the key was deleted again. Run the command again.", error), null, false);
            }
            if (!api.CreatesAtomically)
            {
                // Created with reading only and no restriction (the safe state); a masked key cannot be set up further.
                return (new KeyOperationException(KeyOperationError.OutcomeUnknown,
                    $"The answer to the create of '{label}' was lost ({error.BinanceMessage}), but Binance did create it ({string.Join(", ", appeared.Select(k => k.ApiKey))}) with reading only and no IP restriction; " +
                    "its full API key was in the lost answer, so it cannot be restricted or deleted through the API: delete it in the web UI, then run the command again.", error), null, false);
            }
            return (new KeyOperationException(KeyOperationError.OutcomeUnknown,
                $"The answer to the create of '{label}' was lost ({error.BinanceMessage}), but Binance did create it as {string.Join(", ", appeared.Select(k => k.ApiKey))}; read it with Get-BinanceApiKey.", error),
                appeared.Count == 1 ? appeared[0] : null, false);
        }

        /// <summary>Deletes a key to undo a create: not cancellable, and an unknown outcome is settled by reading back.</summary>
        public async Task UndoCreateAsync(IAccountKeyApi api, string apiKey)
        {
            try
            {
                await api.DeleteAsync(apiKey, CancellationToken.None).ConfigureAwait(false);
            }
            catch (BinanceApiException e) when (e.Kind == BinanceErrorKind.ServerStateUnknown)
            {
                await SettleDeleteAsync(api, apiKey, e).ConfigureAwait(false);
            }
        }

        /// <summary>A delete with an unknown outcome: gone is done; still there is an error saying so.</summary>
        public async Task SettleDeleteAsync(IAccountKeyApi api, string apiKey, BinanceApiException error)
        {
            log?.Invoke($"The delete of {apiKey} has an unknown outcome ({error.BinanceMessage}); reading the account back.");
            var still = await api.QueryAsync(apiKey, CancellationToken.None).ConfigureAwait(false);
            if (still.Any(k => api.IsSameKey(k.ApiKey, apiKey)))
            {
                throw new KeyOperationException(KeyOperationError.OutcomeUnknown,
                    $"The delete of {apiKey} did not complete (Binance: {error.BinanceMessage}); the key still exists. Run the command again.", error);
            }
        }
    }
}

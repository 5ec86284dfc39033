using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace BinanceKeys.Binance
{
    /// <summary>
    /// Paces requests so that a normal run never receives a 429 (README, "How the client behaves"): each budget (all of
    /// /api, or one /sapi endpoint) is counted per window aligned to Binance's clock minutes, corrected by the
    /// usage header of every response, and a request that would pass the limit waits for the next window.
    /// Broker key creates and deletes also keep their per-sub-account spacing (docs/binance.md §2.6).
    /// </summary>
    internal sealed class RequestPacer
    {
        private readonly ServerClock clock;
        private readonly TimeProvider time;
        private readonly long windowMilliseconds;
        private readonly long spacingMilliseconds;
        private readonly Dictionary<string, Budget> budgets = new Dictionary<string, Budget>(StringComparer.Ordinal);
        private readonly Dictionary<string, long> lastSpaced = new Dictionary<string, long>(StringComparer.Ordinal);
        private readonly Dictionary<string, long> blockedUntil = new Dictionary<string, long>(StringComparer.Ordinal);
        private readonly object gate = new object();

        public RequestPacer(ServerClock clock, TimeProvider time, TimeSpan window, TimeSpan spacing)
        {
            this.clock = clock;
            this.time = time;
            windowMilliseconds = Math.Max(1, (long)window.TotalMilliseconds);
            spacingMilliseconds = (long)spacing.TotalMilliseconds;
        }

        // A window boundary seen from here can be off by the clock's error and the round trip: keep a margin,
        // widened by what the clock itself says it may be off by.
        private long Margin => Math.Max(100, windowMilliseconds / 50) + clock.UncertaintyMilliseconds;

        private long SpacingMargin => Math.Min(100, spacingMilliseconds / 10) + clock.UncertaintyMilliseconds;

        /// <summary>Waits until the request fits its budget (and spacing), then reserves its weight; <paramref name="onWait"/> hears each wait first.</summary>
        public async Task<TimeSpan> WaitAsync(BinanceEndpoint endpoint, string? spacingKey, CancellationToken cancellation, Action<TimeSpan>? onWait = null)
        {
            TimeSpan waited = TimeSpan.Zero;
            while (true)
            {
                long delay = Reserve(endpoint, spacingKey);
                if (delay <= 0) return waited;
                waited += TimeSpan.FromMilliseconds(delay);
                onWait?.Invoke(TimeSpan.FromMilliseconds(delay));
                await time.Delay(TimeSpan.FromMilliseconds(delay), cancellation).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Records what the server says this window has used, from the response's usage header. The count only
        /// ever goes up: a response reports the weight of the requests the server had seen when it answered, not
        /// of those still in flight, so lowering the local count to it would let concurrent callers overspend.
        /// </summary>
        public void Observe(BinanceEndpoint endpoint, int? usedWeight)
        {
            if (!usedWeight.HasValue) return;
            lock (gate)
            {
                var budget = Current(endpoint.BudgetKey);
                budget.Used = Math.Max(budget.Used, usedWeight.Value);
            }
        }

        /// <summary>
        /// After a 429: nothing more from this budget for <paramref name="wait"/> (Binance's Retry-After). Not
        /// "until the window ends": Retry-After is Binance's own answer to how long, and a burst refused for a
        /// second must not stall every caller for the rest of the minute.
        /// </summary>
        public void Block(BinanceEndpoint endpoint, TimeSpan wait)
        {
            lock (gate)
            {
                long until = clock.NowMilliseconds + Math.Max(0, (long)Math.Ceiling(wait.TotalMilliseconds));
                blockedUntil[endpoint.BudgetKey] = blockedUntil.TryGetValue(endpoint.BudgetKey, out long current) ? Math.Max(current, until) : until;
            }
        }

        private long Reserve(BinanceEndpoint endpoint, string? spacingKey)
        {
            lock (gate)
            {
                long now = clock.NowMilliseconds;
                if (blockedUntil.TryGetValue(endpoint.BudgetKey, out long blocked))
                {
                    if (blocked > now) return blocked - now;
                    blockedUntil.Remove(endpoint.BudgetKey);
                }
                if (spacingKey != null && lastSpaced.TryGetValue(spacingKey, out long last))
                {
                    // The spacing runs from the previous call's answer, which came after Binance executed it: only the
                    // clock's own error needs a margin here, not the window's (1.2 s of a minute would double a second).
                    long ready = last + spacingMilliseconds + SpacingMargin;
                    if (ready > now) return ready - now;
                }

                var budget = Current(endpoint.BudgetKey);
                if (budget.Used + endpoint.Weight > endpoint.LimitPerWindow)
                {
                    return (budget.Window + 1) * windowMilliseconds + Margin - now;
                }
                budget.Used += endpoint.Weight;
                budget.InFlight += endpoint.Weight;
                if (spacingKey != null) lastSpaced[spacingKey] = now;
                return 0;
            }
        }

        /// <summary>
        /// Called once the request reserved by <see cref="WaitAsync"/> has its answer (or failed). Binance counts a
        /// request when it processes it, which may be in the window after the one it was reserved in, and a broker
        /// create's "1 per second" runs from when Binance executed it, not from when it was sent: so the weight stays
        /// charged to every window the request was in flight in, and the spacing runs from its completion.
        /// </summary>
        public void Complete(BinanceEndpoint endpoint, string? spacingKey)
        {
            lock (gate)
            {
                var budget = Current(endpoint.BudgetKey);
                budget.InFlight = Math.Max(0, budget.InFlight - endpoint.Weight);
                if (spacingKey != null)
                {
                    long now = clock.NowMilliseconds;
                    lastSpaced[spacingKey] = lastSpaced.TryGetValue(spacingKey, out long last) ? Math.Max(last, now) : now;
                }
            }
        }

        private Budget Current(string key)
        {
            long window = clock.NowMilliseconds / windowMilliseconds;
            if (!budgets.TryGetValue(key, out var budget) || budget.Window != window)
            {
                // Requests still in flight from the last window may be counted in this one.
                int inFlight = budget?.InFlight ?? 0;
                budget = new Budget { Window = window, Used = inFlight, InFlight = inFlight };
                budgets[key] = budget;
            }
            return budget;
        }

        private sealed class Budget
        {
            public long Window { get; set; }

            public int Used { get; set; }

            /// <summary>Weight of requests sent but not yet answered.</summary>
            public int InFlight { get; set; }
        }
    }
}

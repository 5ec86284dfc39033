using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace BinanceKeys.Binance
{
    /// <summary>
    /// Paces requests so that a normal run never receives a 429 (product.md non-negotiables): each budget (all of
    /// /api, or one /sapi endpoint) is counted per window aligned to Binance's clock minutes, corrected by the
    /// usage header of every response, and a request that would pass the limit waits for the next window.
    /// Broker key creates and deletes also keep their per-sub-account spacing (binance-api.md §2.6).
    /// </summary>
    internal sealed class RequestPacer
    {
        private readonly ServerClock clock;
        private readonly long windowMilliseconds;
        private readonly long spacingMilliseconds;
        private readonly Dictionary<string, Budget> budgets = new Dictionary<string, Budget>(StringComparer.Ordinal);
        private readonly Dictionary<string, long> lastSpaced = new Dictionary<string, long>(StringComparer.Ordinal);
        private readonly object gate = new object();

        public RequestPacer(ServerClock clock, TimeSpan window, TimeSpan spacing)
        {
            this.clock = clock;
            windowMilliseconds = Math.Max(1, (long)window.TotalMilliseconds);
            spacingMilliseconds = (long)spacing.TotalMilliseconds;
        }

        // A window boundary seen from here can be off by the clock's error and the round trip: keep a margin.
        private long Margin => Math.Max(100, windowMilliseconds / 50);

        /// <summary>Waits until the request fits its budget (and spacing), then reserves its weight.</summary>
        public async Task<TimeSpan> WaitAsync(BinanceEndpoint endpoint, string? spacingKey, CancellationToken cancellation)
        {
            TimeSpan waited = TimeSpan.Zero;
            while (true)
            {
                long delay = Reserve(endpoint, spacingKey);
                if (delay <= 0) return waited;
                waited += TimeSpan.FromMilliseconds(delay);
                await Task.Delay(TimeSpan.FromMilliseconds(delay), cancellation).ConfigureAwait(false);
            }
        }

        /// <summary>Records what the server says this window has used, from the response's usage header.</summary>
        public void Observe(BinanceEndpoint endpoint, int? usedWeight)
        {
            if (!usedWeight.HasValue) return;
            lock (gate)
            {
                var budget = Current(endpoint.BudgetKey);
                budget.Used = usedWeight.Value;
            }
        }

        /// <summary>After a 429: nothing more from this budget until the window ends.</summary>
        public void Exhaust(BinanceEndpoint endpoint)
        {
            lock (gate)
            {
                Current(endpoint.BudgetKey).Used = int.MaxValue / 2;
            }
        }

        private long Reserve(BinanceEndpoint endpoint, string? spacingKey)
        {
            lock (gate)
            {
                long now = clock.NowMilliseconds;
                if (spacingKey != null && lastSpaced.TryGetValue(spacingKey, out long last))
                {
                    long ready = last + spacingMilliseconds + Margin;
                    if (ready > now) return ready - now;
                }

                var budget = Current(endpoint.BudgetKey);
                if (budget.Used + endpoint.Weight > endpoint.LimitPerWindow)
                {
                    return (budget.Window + 1) * windowMilliseconds + Margin - now;
                }
                budget.Used += endpoint.Weight;
                if (spacingKey != null) lastSpaced[spacingKey] = now;
                return 0;
            }
        }

        private Budget Current(string key)
        {
            long window = clock.NowMilliseconds / windowMilliseconds;
            if (!budgets.TryGetValue(key, out var budget) || budget.Window != window)
            {
                budget = new Budget { Window = window };
                budgets[key] = budget;
            }
            return budget;
        }

        private sealed class Budget
        {
            public long Window { get; set; }

            public int Used { get; set; }
        }
    }
}

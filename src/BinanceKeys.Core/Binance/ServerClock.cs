using System;
using System.Threading;
using System.Threading.Tasks;

namespace BinanceKeys.Binance
{
    /// <summary>
    /// Binance's clock as seen from here: the offset learnt from GET /api/v3/time, taken at the midpoint of the
    /// round trip (docs/binance.md §1.6). Signed requests are stamped with it, so a skewed local clock still works.
    /// The midpoint is only right to within half the round trip, so a slow sample (a loaded machine, a busy
    /// network) is replaced by a quicker one when a few are taken, and the remaining uncertainty is published for
    /// the pacer, whose window boundaries are only as good as this clock.
    /// </summary>
    internal sealed class ServerClock
    {
        /// <summary>Samples per synchronisation at most; fewer when one is quick enough.</summary>
        private const int MaxSamples = 3;

        /// <summary>A round trip this short leaves an error too small to matter: stop sampling.</summary>
        private const long GoodRoundTripMilliseconds = 20;

        private readonly TimeProvider time;
        private long offset;
        private long uncertainty;
        private int synchronized;

        public ServerClock(TimeProvider time) => this.time = time;

        public bool IsSynchronized => Volatile.Read(ref synchronized) != 0;

        /// <summary>Milliseconds that Binance's clock is ahead of the local one.</summary>
        public long OffsetMilliseconds => Interlocked.Read(ref offset);

        /// <summary>Half the round trip of the sample the offset came from: how far off it may be.</summary>
        public long UncertaintyMilliseconds => Interlocked.Read(ref uncertainty);

        public long NowMilliseconds => Local() + OffsetMilliseconds;

        private long Local() => time.GetUtcNow().ToUnixTimeMilliseconds();

        public async Task SynchronizeAsync(Func<CancellationToken, Task<long>> fetchServerTime, CancellationToken cancellation)
        {
            long bestRoundTrip = long.MaxValue;
            long bestOffset = 0;
            for (int sample = 0; sample < MaxSamples && bestRoundTrip > GoodRoundTripMilliseconds; sample++)
            {
                long sent = Local();
                long serverTime = await fetchServerTime(cancellation).ConfigureAwait(false);
                long received = Local();
                long roundTrip = Math.Max(0, received - sent);
                if (roundTrip < bestRoundTrip)
                {
                    bestRoundTrip = roundTrip;
                    bestOffset = serverTime - (sent + received) / 2;
                }
            }
            Interlocked.Exchange(ref offset, bestOffset);
            Interlocked.Exchange(ref uncertainty, (bestRoundTrip + 1) / 2);
            Volatile.Write(ref synchronized, 1);
        }
    }
}

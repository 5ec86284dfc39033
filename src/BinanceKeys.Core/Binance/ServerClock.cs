using System;
using System.Threading;
using System.Threading.Tasks;

namespace BinanceKeys.Binance
{
    /// <summary>
    /// Binance's clock as seen from here: the offset learnt from GET /api/v3/time, taken at the midpoint of the
    /// round trip (binance-api.md §1.6). Signed requests are stamped with it, so a skewed local clock still works.
    /// </summary>
    internal sealed class ServerClock
    {
        private readonly Func<long> local;
        private long offset;

        public ServerClock(Func<long> local) => this.local = local;

        public bool IsSynchronized { get; private set; }

        /// <summary>Milliseconds that Binance's clock is ahead of the local one.</summary>
        public long OffsetMilliseconds => Interlocked.Read(ref offset);

        public long NowMilliseconds => local() + OffsetMilliseconds;

        public async Task SynchronizeAsync(Func<CancellationToken, Task<long>> fetchServerTime, CancellationToken cancellation)
        {
            long sent = local();
            long serverTime = await fetchServerTime(cancellation).ConfigureAwait(false);
            long received = local();
            Interlocked.Exchange(ref offset, serverTime - (sent + received) / 2);
            IsSynchronized = true;
        }
    }
}

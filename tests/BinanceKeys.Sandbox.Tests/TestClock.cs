using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace BinanceKeys.Tests.Time;

/// <summary>
/// A fake clock that also knows which timers are pending, so a test can move time to exactly the next wait of
/// the code under test instead of sleeping (nothing in a test depends on real time passing). Shared by the
/// sandbox and the client tests: the sandbox and a client on one <see cref="TestClock"/> agree on the time.
/// </summary>
public sealed class TestClock : FakeTimeProvider
{
    /// <summary>Where every test clock starts: a fixed instant after 2017 (older timestamps are refused, docs/binance.md §1.6).</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>How long a test waits, in real time, for the code under test to reach a state before failing.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly object gate = new();
    private readonly List<TrackedTimer> timers = new();

    public TestClock()
        : base(Epoch)
    {
    }

    public TestClock(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>Now, in Unix milliseconds.</summary>
    public long NowMs => GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The remaining time of every pending timer, soonest first.</summary>
    public IReadOnlyList<TimeSpan> PendingTimers
    {
        get
        {
            var now = GetUtcNow();
            lock (gate)
            {
                return timers.Select(t => t.Due).OfType<DateTimeOffset>().Select(due => due - now).Order().ToList();
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this);
        // Under the gate, so that the clock cannot move between the tracked due time and the real one.
        lock (gate)
        {
            timers.Add(tracked);
            tracked.Schedule(dueTime, period);
            tracked.Inner = base.CreateTimer(s =>
            {
                tracked.OnFired();
                callback(s);
            }, state, dueTime, period);
        }
        return tracked;
    }

    /// <summary>Moves the clock forward (firing what falls due), never while a timer is being created.</summary>
    public void AdvanceBy(TimeSpan step)
    {
        lock (gate)
        {
            Advance(step);
        }
    }

    /// <summary>
    /// Waits (in real time, up to <see cref="Patience"/>) until a timer is pending that is due within
    /// <paramref name="within"/> (any, when null), and returns its remaining time.
    /// </summary>
    public async Task<TimeSpan> WaitForTimerAsync(TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var pending = PendingTimers.Where(t => within is null || t <= within.Value).ToList();
            if (pending.Count > 0)
            {
                return pending[0];
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No timer was started: the code under test never began to wait.");
            }
            await Task.Delay(2);
        }
    }

    /// <summary>Moves the clock to the soonest pending timer (firing it) and returns how far it moved.</summary>
    public async Task<TimeSpan> AdvanceToNextTimerAsync(TimeSpan? within = null)
    {
        var step = await WaitForTimerAsync(within);
        AdvanceBy(step > TimeSpan.Zero ? step : TimeSpan.Zero);
        return step;
    }

    /// <summary>
    /// Runs <paramref name="work"/> and, whenever it waits on this clock (and <paramref name="isBusy"/> says no
    /// request is in flight), moves the clock to its next timer, if that is due within <paramref name="maxStep"/>.
    /// Timers further away (request timeouts) are never reached this way. Fails if the work does not finish
    /// within <see cref="Patience"/> of real time.
    /// </summary>
    public async Task<T> RunAsync<T>(Task<T> work, Func<bool>? isBusy = null, TimeSpan? maxStep = null)
    {
        await DriveAsync(work, isBusy, maxStep ?? TimeSpan.FromMinutes(5));
        return await work;
    }

    /// <inheritdoc cref="RunAsync{T}"/>
    public async Task RunAsync(Task work, Func<bool>? isBusy = null, TimeSpan? maxStep = null)
    {
        await DriveAsync(work, isBusy, maxStep ?? TimeSpan.FromMinutes(5));
        await work;
    }

    private async Task DriveAsync(Task work, Func<bool>? isBusy, TimeSpan maxStep)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!work.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The work did not finish; pending timers: {string.Join(", ", PendingTimers)}.");
            }
            await Task.WhenAny(work, Task.Delay(2));
            if (work.IsCompleted || isBusy?.Invoke() == true)
            {
                continue;
            }
            var next = PendingTimers.FirstOrDefault(t => t <= maxStep, TimeSpan.MaxValue);
            if (next != TimeSpan.MaxValue)
            {
                AdvanceBy(next > TimeSpan.Zero ? next : TimeSpan.Zero);
            }
        }
    }

    /// <summary>
    /// A timer whose due time the clock can see. Its due time is only read or written under the clock's gate: a
    /// background loop reads <see cref="PendingTimers"/> while requests dispose their timeout timers on other threads,
    /// and a due time cleared between the loop's check and its read used to throw "Nullable object must have a value".
    /// </summary>
    private sealed class TrackedTimer : ITimer
    {
        private readonly TestClock clock;
        private TimeSpan period = Timeout.InfiniteTimeSpan;

        public TrackedTimer(TestClock clock) => this.clock = clock;

        public ITimer? Inner { get; set; }

        /// <summary>When it fires next; null when it will not fire again. Read and written under the clock's gate.</summary>
        public DateTimeOffset? Due { get; private set; }

        public void Schedule(TimeSpan dueTime, TimeSpan period)
        {
            this.period = period;
            Due = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime;
        }

        public void OnFired()
        {
            // Timers fire inside AdvanceBy, CreateTimer or Change, which hold the gate already; taking it here keeps
            // that true should anything else ever move the clock.
            lock (clock.gate)
            {
                Due = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : clock.GetUtcNow() + period;
                if (Due is null)
                {
                    clock.timers.Remove(this);
                }
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock.gate)
            {
                Schedule(dueTime, period);
                return Inner?.Change(dueTime, period) ?? false;
            }
        }

        public void Dispose()
        {
            lock (clock.gate)
            {
                Due = null;
                clock.timers.Remove(this);
            }
            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

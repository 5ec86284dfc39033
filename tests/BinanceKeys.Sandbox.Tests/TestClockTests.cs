using System;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Tests.Time;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>The test clock itself, which the client tests' background loop and the code under test share.</summary>
public sealed class TestClockTests
{
    /// <summary>
    /// The client tests' background loop reads the pending timers while each request disposes its timeout timer on
    /// another thread. A due time cleared between the loop's check and its read once failed a run in a fixture's
    /// cleanup ("Nullable object must have a value"). A race, so not certain to show, but it did in 20 runs of 20
    /// against the unfixed clock.
    /// </summary>
    [Fact]
    public async Task PendingTimers_CanBeReadWhileOtherThreadsDisposeTimers()
    {
        var clock = new TestClock();
        int disposing = 0;
        var requests = Task.Run(() =>
        {
            // What BinanceTransport does for each request: a one-day deadline, disposed with the answer. In batches,
            // so that the reads below happen while timers are being disposed, not while they are being created.
            var deadlines = new CancellationTokenSource[256];
            for (int round = 0; round < 400; round++)
            {
                for (int i = 0; i < deadlines.Length; i++)
                {
                    deadlines[i] = new CancellationTokenSource(TimeSpan.FromDays(1), clock);
                }
                Volatile.Write(ref disposing, 1);
                foreach (var deadline in deadlines)
                {
                    deadline.Dispose();
                }
                Volatile.Write(ref disposing, 0);
            }
        });
        while (!requests.IsCompleted)
        {
            if (Volatile.Read(ref disposing) == 0)
            {
                Thread.SpinWait(1);
                continue;
            }
            Assert.All(clock.PendingTimers, remaining => Assert.Equal(TimeSpan.FromDays(1), remaining));
        }
        await requests;
    }
}

using System;
using System.Collections.Generic;
using BinanceKeys.Sandbox.Http;

namespace BinanceKeys.Sandbox.Limits;

/// <summary>docs/binance.md §2.6: "Max 1 create and 1 delete per sub-account per second" (the second is scaled).</summary>
internal sealed class BrokerKeyThrottle
{
    private const double SecondMs = 1000;

    private readonly SandboxClock _clock;
    private readonly Dictionary<string, long> _last = new(StringComparer.Ordinal);

    public BrokerKeyThrottle(SandboxClock clock) => _clock = clock;

    /// <summary>Records the operation, or throws when the same one ran for this sub-account less than a second ago.</summary>
    public void Pass(string subAccountId, string operation)
    {
        var bucket = subAccountId + "|" + operation;
        var now = _clock.NowMs;
        var spacing = _clock.Scaled(SecondMs);
        if (_last.TryGetValue(bucket, out var last) && now - last < spacing)
        {
            throw BinanceErrors.TooManyNewRequests(last + spacing - now);
        }
        _last[bucket] = now;
    }

    public void Clear() => _last.Clear();
}

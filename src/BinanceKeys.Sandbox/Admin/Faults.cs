using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace BinanceKeys.Sandbox.Admin;

/// <summary>What an injected fault does to a matching request.</summary>
internal enum FaultKind
{
    /// <summary>Answer 5xx before the request is processed: nothing changes.</summary>
    ErrorBeforeChange,

    /// <summary>Process the request (the change is made), then answer 5xx instead of the result.</summary>
    ErrorAfterChange,

    /// <summary>Process the request, then abort the connection without an answer.</summary>
    DropAfterChange,

    /// <summary>Wait <c>delayMs</c> before processing.</summary>
    Delay,

    /// <summary>Answer 429 / -1003 with Retry-After, as if the weight limit was hit.</summary>
    RateLimit,

    /// <summary>Shift the server time seen by the request by <c>offsetMs</c>.</summary>
    ClockSkew,
}

/// <summary>A fault request posted to <c>/admin/faults</c>; applies to the next <c>Count</c> matching requests.</summary>
internal sealed record FaultSpec(
    FaultKind Kind,
    string Path,
    string Method = "*",
    int Count = 1,
    int Status = 503,
    int DelayMs = 0,
    long OffsetMs = 0,
    int RetryAfterSeconds = 1);

/// <summary>A fault waiting for requests, with how many it still applies to.</summary>
internal sealed record PendingFault(int Id, FaultSpec Spec, int Remaining);

/// <summary>The queue of injected faults. Not thread-safe: used under the sandbox lock.</summary>
internal sealed class FaultInjector
{
    private readonly List<PendingFault> _pending = new();
    private int _nextId = 1;

    public IReadOnlyList<PendingFault> Pending => _pending.ToList();

    public PendingFault Add(FaultSpec spec)
    {
        if (spec.Count < 1 || string.IsNullOrEmpty(spec.Path) || spec.DelayMs < 0 || spec.Status is < 500 or > 599)
        {
            throw new ArgumentException("A fault needs a path, count >= 1, delayMs >= 0 and a 5xx status.");
        }
        var fault = new PendingFault(_nextId++, spec, spec.Count);
        _pending.Add(fault);
        return fault;
    }

    public void Clear() => _pending.Clear();

    /// <summary>Takes one use of every pending fault that matches this request.</summary>
    public IReadOnlyList<FaultSpec> Take(string method, string path)
    {
        var taken = new List<FaultSpec>();
        for (var i = 0; i < _pending.Count; i++)
        {
            var fault = _pending[i];
            if (!Matches(fault.Spec, method, path))
            {
                continue;
            }
            taken.Add(fault.Spec);
            if (fault.Remaining == 1)
            {
                _pending.RemoveAt(i--);
            }
            else
            {
                _pending[i] = fault with { Remaining = fault.Remaining - 1 };
            }
        }
        return taken;
    }

    // Method "*" matches any; in the path, "*" matches any run of characters.
    private static bool Matches(FaultSpec spec, string method, string path) =>
        (spec.Method == "*" || string.Equals(spec.Method, method, StringComparison.OrdinalIgnoreCase))
        && Regex.IsMatch(path, "^" + Regex.Escape(spec.Path).Replace("\\*", ".*", StringComparison.Ordinal) + "$");
}

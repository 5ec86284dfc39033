using System.Collections.Generic;
using System.Linq;

namespace BinanceKeys.Sandbox.Admin;

/// <summary>One Binance-API request as the sandbox saw it (parameter names only, never values).</summary>
internal sealed record RequestLogEntry(
    long Time,
    string Method,
    string Path,
    IReadOnlyList<string> ParameterNames,
    int Status,
    int? Code,
    IReadOnlyList<FaultKind> Faults);

/// <summary>The log behind <c>GET /admin/requests</c>, so tests can assert what a client sent. Not thread-safe.</summary>
internal sealed class RequestLog
{
    // Bounded so that a long-running sandbox cannot grow without limit.
    private const int Capacity = 10_000;

    private readonly Queue<RequestLogEntry> _entries = new();

    public IReadOnlyList<RequestLogEntry> Entries => _entries.ToList();

    public void Add(RequestLogEntry entry)
    {
        if (_entries.Count == Capacity)
        {
            _entries.Dequeue();
        }
        _entries.Enqueue(entry);
    }

    public void Clear() => _entries.Clear();
}

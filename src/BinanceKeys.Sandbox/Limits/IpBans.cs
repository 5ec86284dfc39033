using System;
using System.Collections.Generic;
using BinanceKeys.Sandbox.Http;

namespace BinanceKeys.Sandbox.Limits;

/// <summary>
/// docs/binance.md §4, /api only: "failing to back off after receiving 429s will result in an automated IP ban (HTTP
/// status 418)", bans "from 2 minutes to 3 days" for repeat offenders. How many requests during a 429's Retry-After
/// earn a ban is not documented (an assumption): the first one does, and each further ban of the same IP doubles,
/// from 2 minutes up to 3 days (scaled). Not thread-safe: used under the sandbox lock.
/// </summary>
internal sealed class IpBans
{
    private static readonly TimeSpan FirstBan = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan LongestBan = TimeSpan.FromDays(3);

    private readonly SandboxClock _clock;
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);

    public IpBans(SandboxClock clock) => _clock = clock;

    /// <summary>Throws 418 while the IP is banned, and bans an IP that did not wait out its last 429.</summary>
    public void Check(string ip)
    {
        if (!_states.TryGetValue(ip, out var state))
        {
            return;
        }
        var now = _clock.ServerTimeMs();
        if (state.BannedUntil > now)
        {
            throw BinanceErrors.IpBanned(state.BannedUntil, state.BannedUntil - now);
        }
        if (state.RefusedUntil > now)
        {
            state.Bans++;
            var length = Math.Min(FirstBan.TotalMilliseconds * Math.Pow(2, state.Bans - 1), LongestBan.TotalMilliseconds);
            state.BannedUntil = now + (long)Math.Ceiling(_clock.Scaled(length));
            state.RefusedUntil = 0;
            throw BinanceErrors.IpBanned(state.BannedUntil, state.BannedUntil - now);
        }
    }

    /// <summary>Records a 429: until its wait is over, another request from the IP earns a ban.</summary>
    public void Refused(string ip, double waitMs)
    {
        if (!_states.TryGetValue(ip, out var state))
        {
            state = new State();
            _states[ip] = state;
        }
        state.RefusedUntil = Math.Max(state.RefusedUntil, _clock.ServerTimeMs() + (long)Math.Ceiling(waitMs));
    }

    public void Clear() => _states.Clear();

    private sealed class State
    {
        public long RefusedUntil { get; set; }

        public long BannedUntil { get; set; }

        public int Bans { get; set; }
    }
}

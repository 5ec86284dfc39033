using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BinanceKeys.Sandbox.Limits;
using BinanceKeys.Sandbox.State;

namespace BinanceKeys.Sandbox.Http;

/// <summary>What a handler sees: the world, the decoded parameters, the calling key and the server time.</summary>
internal sealed class EndpointCall
{
    public EndpointCall(SandboxWorld world, RequestParameters parameters, SandboxAccount? account, SandboxKey? key, long serverTime, BrokerKeyThrottle brokerThrottle, SandboxClock clock)
    {
        World = world;
        Parameters = parameters;
        CallerAccount = account;
        CallerKey = key;
        ServerTime = serverTime;
        BrokerThrottle = brokerThrottle;
        Clock = clock;
    }

    /// <summary>The sandbox's clock: scales rule periods (the sweep, trading expiry) like every other window.</summary>
    public SandboxClock Clock { get; }

    /// <summary>The server time without this request's injected skew: the time the world's own timers run on.</summary>
    public long WorldTime => Clock.ServerTimeMs();

    public SandboxWorld World { get; }

    public RequestParameters Parameters { get; }

    public SandboxAccount? CallerAccount { get; }

    public SandboxKey? CallerKey { get; }

    public long ServerTime { get; }

    public BrokerKeyThrottle BrokerThrottle { get; }

    public SandboxAccount Caller => CallerAccount ?? throw new InvalidOperationException("Unsigned endpoint has no caller.");

    public SandboxKey CallingKey => CallerKey ?? throw new InvalidOperationException("Unsigned endpoint has no caller.");

    public string Required(string name)
    {
        var value = Parameters.Get(name);
        return string.IsNullOrEmpty(value) ? throw BinanceErrors.MandatoryParameter(name) : value;
    }

    public string? Optional(string name)
    {
        var value = Parameters.Get(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Binance booleans are the strings "true"/"false" (§2.6); anything else is -1130.</summary>
    public bool? OptionalBool(string name)
    {
        var value = Optional(name);
        if (value is null)
        {
            return null;
        }
        if (bool.TryParse(value, out var parsed))
        {
            return parsed;
        }
        throw BinanceErrors.InvalidParameter(name);
    }

    public bool RequiredBool(string name)
    {
        Required(name);
        return OptionalBool(name)!.Value;
    }

    public int Int(string name, int defaultValue, int min, int max)
    {
        var value = Optional(name);
        if (value is null)
        {
            return defaultValue;
        }
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < min || parsed > max)
        {
            throw BinanceErrors.InvalidParameter(name);
        }
        return parsed;
    }

    /// <summary>
    /// One page of <paramref name="items"/>, from the <c>page</c> parameter (default 1, min 1) and the
    /// size parameter <paramref name="sizeName"/> (its default and maximum are the endpoint's, §2).
    /// </summary>
    public List<T> Page<T>(IEnumerable<T> items, string sizeName, int defaultSize, int maxSize)
    {
        var page = Int("page", 1, 1, int.MaxValue);
        var size = Int(sizeName, defaultSize, 1, maxSize);
        return items.Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * size)).Take(size).ToList();
    }

    /// <summary>The sub-account named by <c>email</c>: malformed → -4003, unknown → -3003 (§5).</summary>
    public SandboxAccount SubAccountByEmail()
    {
        var email = Required("email");
        if (!email.Contains('@', StringComparison.Ordinal))
        {
            throw BinanceErrors.InvalidEmail();
        }
        return World.FindSubAccount(email) ?? throw BinanceErrors.UserDoesNotExist();
    }

    /// <summary>The broker sub-account named by <c>subAccountId</c>; unknown → -3003 (UNCONFIRMED code).</summary>
    public SandboxAccount BrokerSubAccountById()
    {
        var id = Required("subAccountId");
        return World.FindBrokerSubAccount(id) ?? throw BinanceErrors.UserDoesNotExist();
    }

    /// <summary>
    /// A key query's <c>subAccountApiKey</c> filter (§2.3, §2.6): the matching key, or, when none matches, -2008 or an
    /// empty page, as the seed's <c>behaviour.unmatchedKeyFilter</c> says (Binance's answer is not documented).
    /// </summary>
    public IReadOnlyList<SandboxKey> FilteredKeys(SandboxAccount account)
    {
        var apiKey = Required("subAccountApiKey");
        var key = account.Keys.Find(k => k.ApiKey == apiKey);
        return key is not null ? [key]
            : World.Behaviour.UnmatchedKeyFilter == UnmatchedKeyFilter.EmptyPage ? []
            : throw BinanceErrors.InvalidApiKeyId();
    }

    /// <summary>The key named by <c>subAccountApiKey</c> on that account; unknown → -2008 (§5).</summary>
    public SandboxKey KeyOf(SandboxAccount account)
    {
        var apiKey = Required("subAccountApiKey");
        return account.Keys.Find(k => k.ApiKey == apiKey) ?? throw BinanceErrors.InvalidApiKeyId();
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BinanceKeys.Sandbox.Admin;
using BinanceKeys.Sandbox.Endpoints;
using BinanceKeys.Sandbox.Limits;
using BinanceKeys.Sandbox.Seed;
using BinanceKeys.Sandbox.Signing;
using BinanceKeys.Sandbox.State;

namespace BinanceKeys.Sandbox.Http;

/// <summary>The result of one request before it is written: status, JSON body, headers.</summary>
internal sealed record Outcome(int Status, object? Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>The error body of docs/binance.md §5; <c>code</c> is left out of the legacy message-only body.</summary>
internal sealed record ErrorBody(int? Code, string Msg);

/// <summary>
/// All sandbox state behind one lock: the world, limits, faults and log. Runs a request through
/// authentication (§1), limits (§4) and the endpoint's handler, and turns errors into §5 bodies.
/// </summary>
internal sealed class SandboxEngine
{
    private const int ApiIpLimit = 6_000;        // §4: /api, per IP, all endpoints together.
    private const int SapiIpLimit = 12_000;      // §4: /sapi, per IP-limited endpoint.
    internal const int SapiUidLimit = 180_000;   // §4: /sapi, per UID-limited endpoint.

    // §4: the usage headers, named as Binance's answers name them (HTTP header names are case-insensitive; Binance
    // sends them in lower case). /api answers carry the legacy one without an interval too.
    internal const string ApiUsedWeightHeader = "x-mbx-used-weight-1m";
    internal const string ApiLegacyUsedWeightHeader = "x-mbx-used-weight";
    internal const string SapiIpWeightHeader = "x-sapi-used-ip-weight-1m";
    internal const string SapiUidWeightHeader = "x-sapi-used-uid-weight-1m";

    private static readonly string[] SignedRequestParameters = ["timestamp", "recvWindow", "signature"];

    private readonly object _lock = new();
    private readonly Dictionary<(string Method, string Path), Endpoint> _endpoints;
    private SandboxWorld _world;

    public SandboxEngine(WorldSeed seed, SandboxClock clock)
    {
        Seed = seed;
        Clock = clock;
        Weights = new WeightCounter(clock);
        BrokerThrottle = new BrokerKeyThrottle(clock);
        Bans = new IpBans(clock);
        _world = NewWorld();
        _endpoints = AccountEndpoints.All()
            .Concat(SubAccountEndpoints.All())
            .Concat(BrokerEndpoints.All())
            .ToDictionary(e => (e.Method, e.Path));
    }

    public WorldSeed Seed { get; }

    public SandboxClock Clock { get; }

    /// <summary>Use only inside <see cref="Locked{T}"/>.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>Use only inside <see cref="Locked{T}"/>.</summary>
    public RequestLog Log { get; } = new();

    /// <summary>Use only inside <see cref="Locked{T}"/>.</summary>
    public SandboxWorld World
    {
        get
        {
            Tick();
            return _world;
        }
    }

    /// <summary>Every moment a key held more than reading with no IP restriction (admin /violations).</summary>
    public KeyAudit Audit { get; } = new();

    private WeightCounter Weights { get; }

    private BrokerKeyThrottle BrokerThrottle { get; }

    private IpBans Bans { get; }

    public Endpoint? Find(string method, string path) => _endpoints.GetValueOrDefault((method, path));

    /// <summary>Runs <paramref name="action"/> under the sandbox lock (faults, log, admin reads and writes).</summary>
    public T Locked<T>(Func<T> action)
    {
        lock (_lock)
        {
            return action();
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            Clock.ServerTimeOffsetMs = 0;
            _world = NewWorld();
            Weights.Clear();
            BrokerThrottle.Clear();
            Bans.Clear();
            Faults.Clear();
            Log.Clear();
            Audit.Clear();
        }
    }

    private SandboxWorld NewWorld()
    {
        var world = Seed.Build(Clock.ServerTimeMs());
        KeyRules.Tick(world, Clock.ServerTimeMs(), Clock.Scaled(world.Behaviour.TradingPermissionLifetime.TotalMilliseconds));
        return world;
    }

    /// <summary>The world's time-driven rules (docs/binance.md §9): trading expiry and the Default Security Controls sweep.</summary>
    private void Tick() =>
        KeyRules.Tick(_world, Clock.ServerTimeMs(), Clock.Scaled(_world.Behaviour.TradingPermissionLifetime.TotalMilliseconds));

    /// <summary>Processes one Binance-API request.</summary>
    public Outcome Execute(Endpoint endpoint, RequestParameters parameters, string? apiKeyHeader, string remoteIp, long clockSkewMs)
    {
        lock (_lock)
        {
            Tick();
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            var ipBucket = IpBucket(endpoint, remoteIp);
            string? uidBucket = null;
            try
            {
                if (!endpoint.IsSapi)
                {
                    // §4: a ban, or a request during a 429's Retry-After (which earns one), answers 418 before anything else.
                    Bans.Check(remoteIp);
                }
                if (endpoint.IpWeight > 0)
                {
                    ChargeIp(endpoint, ipBucket, remoteIp);
                }
                var serverTime = Clock.ServerTimeMs(clockSkewMs);
                SandboxAccount? account = null;
                SandboxKey? key = null;
                if (endpoint.Access != Access.Public)
                {
                    (account, key) = Authenticate(endpoint, parameters, apiKeyHeader, remoteIp, serverTime);
                    uidBucket = UidBucket(endpoint, account);
                    if (endpoint.UidWeight > 0)
                    {
                        Weights.Charge(uidBucket, endpoint.UidWeight, SapiUidLimit);
                    }
                    EnsureAllParametersKnown(endpoint, parameters);
                }
                var body = endpoint.Handle(new EndpointCall(_world, parameters, account, key, serverTime, BrokerThrottle, Clock));
                Tick();
                return new Outcome(200, body, headers);
            }
            catch (BinanceError error)
            {
                return ErrorOutcome(error, headers);
            }
            finally
            {
                AddUsageHeaders(headers, endpoint, ipBucket, uidBucket);
                Audit.Check(_world, Clock.NowMs, endpoint.Method, endpoint.Path);
            }
        }
    }

    private void ChargeIp(Endpoint endpoint, string ipBucket, string remoteIp)
    {
        try
        {
            Weights.Charge(ipBucket, endpoint.IpWeight, endpoint.IsSapi ? SapiIpLimit : ApiIpLimit);
        }
        catch (BinanceError limited) when (!endpoint.IsSapi && limited.RetryAfterMs is { } wait)
        {
            Bans.Refused(remoteIp, wait);
            throw;
        }
    }

    /// <summary>An injected 429 on /api counts like a real one: a request during its Retry-After earns a ban (§4).</summary>
    public void NoteInjectedRateLimit(Endpoint endpoint, string remoteIp, double waitMs)
    {
        if (endpoint.IsSapi)
        {
            return;
        }
        lock (_lock)
        {
            Bans.Refused(remoteIp, waitMs);
        }
    }

    /// <summary>The usage headers for an answer made without running the endpoint (an injected fault).</summary>
    public Dictionary<string, string> UsageHeaders(Endpoint endpoint, string remoteIp, string? apiKeyHeader)
    {
        lock (_lock)
        {
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            var caller = apiKeyHeader is null ? null : _world.FindKey(apiKeyHeader);
            AddUsageHeaders(headers, endpoint, IpBucket(endpoint, remoteIp), caller is null ? null : UidBucket(endpoint, caller.Value.Account));
            return headers;
        }
    }

    // §4: /api shares one IP budget; each /sapi endpoint has its own IP and UID budgets.
    private static string IpBucket(Endpoint endpoint, string remoteIp) =>
        endpoint.IsSapi ? $"{endpoint.Method} {endpoint.Path}|{remoteIp}" : $"api|{remoteIp}";

    private static string UidBucket(Endpoint endpoint, SandboxAccount account) =>
        $"{endpoint.Method} {endpoint.Path}|uid:{account.UserId}";

    /// <summary>
    /// §4: /api answers carry the IP weight used this minute, with and without the interval; a /sapi answer carries
    /// only the header of the limit its endpoint counts against (IP, UID, or both for an endpoint weighted in both),
    /// and the UID one only once the caller is known.
    /// </summary>
    private void AddUsageHeaders(Dictionary<string, string> headers, Endpoint endpoint, string ipBucket, string? uidBucket)
    {
        if (!endpoint.IsSapi)
        {
            var used = Weights.Used(ipBucket).ToString(CultureInfo.InvariantCulture);
            headers[ApiUsedWeightHeader] = used;
            headers[ApiLegacyUsedWeightHeader] = used;
            return;
        }
        if (endpoint.IpWeight > 0)
        {
            headers[SapiIpWeightHeader] = Weights.Used(ipBucket).ToString(CultureInfo.InvariantCulture);
        }
        if (endpoint.UidWeight > 0 && uidBucket is not null)
        {
            headers[SapiUidWeightHeader] = Weights.Used(uidBucket).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// A §5 error as an outcome; 429s and 418s carry Retry-After (whole seconds) and the exact scaled wait.
    /// Retry-After on sapi 429s is an assumption (§4); always sending it is the helpful reading.
    /// </summary>
    public static Outcome ErrorOutcome(BinanceError error, Dictionary<string, string>? headers = null)
    {
        headers ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (error.RetryAfterMs is { } wait)
        {
            headers["Retry-After"] = RetryAfter.Seconds(wait).ToString(CultureInfo.InvariantCulture);
            headers["X-SANDBOX-RETRY-AFTER-MS"] = Math.Ceiling(wait).ToString(CultureInfo.InvariantCulture);
        }
        return new Outcome(error.HttpStatus, new ErrorBody(error.Code, error.Message), headers);
    }

    /// <summary>
    /// §1: API key header, timing, signature, then the key's IP whitelist and permissions. /sapi answers some of
    /// these differently from /api (§5): an unknown or deleted key is 400 -2008, a missing signature 401 -1002, and
    /// an IP or permission refusal whatever the seed's <c>behaviour.sapiRejection</c> says.
    /// </summary>
    private (SandboxAccount Account, SandboxKey Key) Authenticate(Endpoint endpoint, RequestParameters parameters, string? apiKeyHeader, string remoteIp, long serverTime)
    {
        if (apiKeyHeader is null || !KeyGenerator.IsWellFormed(apiKeyHeader))
        {
            throw BinanceErrors.BadApiKeyFormat();
        }
        var (account, key) = _world.FindKey(apiKeyHeader)
            ?? throw (endpoint.IsSapi ? BinanceErrors.InvalidApiKeyId() : BinanceErrors.RejectedApiKey());

        TimingRules.Check(parameters, serverTime);
        var signature = parameters.Signature;
        if (string.IsNullOrEmpty(signature))
        {
            throw endpoint.IsSapi ? BinanceErrors.SignatureRequired() : BinanceErrors.MandatoryParameter("signature");
        }
        // §1.2: since 2026-01-15 the payload is percent-encoded before it is signed; raw bytes never verify.
        if (!SigningRules.IsCanonical(parameters, _world.Behaviour.ReservedCharacters) || !SignatureVerifier.Verify(key, parameters.SignedPayload, signature))
        {
            throw BinanceErrors.InvalidSignature();
        }

        // §5: an IP off the whitelist and a missing permission get the same answer.
        var refused = (key.IpRestricted && !key.IpList.Contains(remoteIp)) || (endpoint.Writes && !key.Has(Permission.SpotAndMarginTrading));
        if (refused)
        {
            throw endpoint.IsSapi ? BinanceErrors.SapiRefused(_world.Behaviour.SapiRejection) : BinanceErrors.RejectedApiKey();
        }
        if (endpoint.Access == Access.MasterKey && account.Kind != AccountKind.Master)
        {
            throw BinanceErrors.SupportMainAccountOnly();
        }
        return (account, key);
    }

    /// <summary>Unknown parameters are refused (-1104), so a client's typo cannot pass unnoticed.</summary>
    private static void EnsureAllParametersKnown(Endpoint endpoint, RequestParameters parameters)
    {
        var unknown = parameters.AllNames
            .Where(name => !endpoint.Parameters.Contains(name) && !SignedRequestParameters.Contains(name))
            .ToList();
        // docs/binance.md §9: withdrawals are set in the web UI only; say so rather than "unknown parameter".
        var withdrawal = unknown.FirstOrDefault(name => name.Contains("withdraw", StringComparison.OrdinalIgnoreCase));
        if (withdrawal is not null)
        {
            throw BinanceErrors.ParameterNotRequired(withdrawal);
        }
        if (unknown.Count > 0)
        {
            throw BinanceErrors.UnreadParameters(parameters.AllNames.Count - unknown.Count, parameters.AllNames.Count);
        }
    }
}

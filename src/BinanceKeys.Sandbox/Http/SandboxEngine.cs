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

/// <summary>The error body of binance-api.md §5.</summary>
internal sealed record ErrorBody(int Code, string Msg);

/// <summary>
/// All sandbox state behind one lock: the world, limits, faults and log. Runs a request through
/// authentication (§1), limits (§4) and the endpoint's handler, and turns errors into §5 bodies.
/// </summary>
internal sealed class SandboxEngine
{
    private const int ApiIpLimit = 6_000;        // §4: /api, per IP, all endpoints together.
    private const int SapiIpLimit = 12_000;      // §4: /sapi, per IP-limited endpoint.
    internal const int SapiUidLimit = 180_000;   // §4: /sapi, per UID-limited endpoint.

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
        _world = seed.Build(clock.NowMs);
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
    public KeyAudit Audit { get; } = new();

    /// <summary>Use only inside <see cref="Locked{T}"/>.</summary>
    public SandboxWorld World => _world;

    private WeightCounter Weights { get; }

    private BrokerKeyThrottle BrokerThrottle { get; }

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
            _world = Seed.Build(Clock.NowMs);
            Weights.Clear();
            BrokerThrottle.Clear();
            Faults.Clear();
            Log.Clear();
            Audit.Clear();
            Clock.ServerTimeOffsetMs = 0;
        }
    }

    /// <summary>Processes one Binance-API request.</summary>
    public Outcome Execute(Endpoint endpoint, RequestParameters parameters, string? apiKeyHeader, string remoteIp, long clockSkewMs)
    {
        lock (_lock)
        {
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            var ipBucket = IpBucket(endpoint, remoteIp);
            string? uidBucket = null;
            try
            {
                if (endpoint.IpWeight > 0)
                {
                    Weights.Charge(ipBucket, endpoint.IpWeight, endpoint.IsSapi ? SapiIpLimit : ApiIpLimit);
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
                var body = endpoint.Handle(new EndpointCall(_world, parameters, account, key, serverTime, BrokerThrottle));
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

    /// <summary>§4: usage headers on every answer.</summary>
    private void AddUsageHeaders(Dictionary<string, string> headers, Endpoint endpoint, string ipBucket, string? uidBucket)
    {
        if (endpoint.IsSapi)
        {
            headers["X-SAPI-USED-IP-WEIGHT-1M"] = Weights.Used(ipBucket).ToString(CultureInfo.InvariantCulture);
            headers["X-SAPI-USED-UID-WEIGHT-1M"] = (uidBucket is null ? 0 : Weights.Used(uidBucket)).ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            headers["X-MBX-USED-WEIGHT-1M"] = Weights.Used(ipBucket).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// A §5 error as an outcome; 429s carry Retry-After (whole seconds) and the exact scaled wait.
    /// Retry-After on sapi 429s is UNCONFIRMED (§4); always sending it is the helpful reading.
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

    /// <summary>§1: API key header, timing, signature, then the key's IP whitelist and permissions.</summary>
    private (SandboxAccount Account, SandboxKey Key) Authenticate(Endpoint endpoint, RequestParameters parameters, string? apiKeyHeader, string remoteIp, long serverTime)
    {
        if (apiKeyHeader is null || !KeyGenerator.IsWellFormed(apiKeyHeader))
        {
            throw BinanceErrors.BadApiKeyFormat();
        }
        var (account, key) = _world.FindKey(apiKeyHeader) ?? throw BinanceErrors.RejectedApiKey();

        TimingRules.Check(parameters, serverTime);
        var signature = parameters.Signature;
        if (string.IsNullOrEmpty(signature))
        {
            throw BinanceErrors.MandatoryParameter("signature");
        }
        if (!SignatureVerifier.Verify(key, parameters.SignedPayload, signature))
        {
            throw BinanceErrors.InvalidSignature();
        }

        // §5 -2015: "wrong key, IP not whitelisted, or missing permission".
        if (key.IpRestricted && !key.IpList.Contains(remoteIp))
        {
            throw BinanceErrors.RejectedApiKey();
        }
        if (endpoint.Writes && !key.Has(Permission.SpotAndMarginTrading))
        {
            throw BinanceErrors.RejectedApiKey();
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
        // product.md: withdrawals cannot be set by API; say so rather than "unknown parameter".
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

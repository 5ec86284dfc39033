using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;
using BinanceKeys.Crypto;
using BinanceKeys.Sandbox;
using BinanceKeys.Sandbox.Seed;
using BinanceKeys.Signing;
using BinanceKeys.Tests.Time;

namespace BinanceKeys.Client.Tests;

/// <summary>The keys the test world seeds: the demo HMAC key plus test-only keys made here.</summary>
public static class ClientWorld
{
    public const string AdminKey = DemoWorld.AdminApiKey;
    public const string AdminSecret = DemoWorld.AdminSecretKey;

    public static readonly string FarAwayKey = Pad("ClientFarAwayApiKey");
    public static readonly string FarAwaySecret = Pad("ClientFarAwaySecret");
    public static readonly string SecondLoopbackKey = Pad("ClientLoopback2ApiKey");
    public static readonly string SecondLoopbackSecret = Pad("ClientLoopback2Secret");
    public static readonly string Ed25519ApiKey = Pad("ClientEd25519ApiKey");
    public static readonly string RsaApiKey = Pad("ClientRsaApiKey");
    public static readonly string DeskAKey = Pad("ClientDeskAApiKey");
    public static readonly string DeskASecret = Pad("ClientDeskASecret");

    /// <summary>Fresh keys, made once per test run; their public halves are seeded on the master.</summary>
    public static readonly SigningKey Ed25519Key = KeyGenerator.Generate(KeyAlgorithm.Ed25519);

    public static readonly SigningKey RsaKey = KeyGenerator.Generate(KeyAlgorithm.RSA, 2048);

    public const string PlusEmail = "desk+plus@example.com";

    public static string Pad(string prefix) => prefix + new string('0', 64 - prefix.Length);

    private static string Spki(SigningKey key) => Convert.ToBase64String(key.PublicKey.SubjectPublicKeyInfo);

    public static readonly string ReaderKey = Pad("ClientReaderApiKey");
    public static readonly string ReaderSecret = Pad("ClientReaderSecret");

    /// <summary>The third party that <c>status=3</c> keys may name (docs/sandbox.md <c>behaviour.thirdParties</c>).</summary>
    public const string ThirdParty = "ExamplePartner";

    public const string ThirdPartyIp = "198.51.100.7";

    /// <summary>The test world.</summary>
    public static string Yaml => With();

    /// <summary>The test world with more <c>behaviour:</c> lines (docs/sandbox.md "Seed options"), e.g. "sapiRejection: rejected".</summary>
    public static string With(params string[] behaviour) =>
        BaseYaml + $"behaviour:\n  thirdParties:\n    {ThirdParty}: [{ThirdPartyIp}]\n" + string.Concat(behaviour.Select(line => "  " + line + "\n"));

    private static string BaseYaml => $$"""
        master:
          email: master@example.com
          defaultSecurityControls: true
          keys:
            - { label: admin, type: hmac, apiKey: {{AdminKey}}, secretKey: {{AdminSecret}}, permissions: [spotAndMarginTrading], ipWhitelist: [127.0.0.1] }
            - { label: far-away, type: hmac, apiKey: {{FarAwayKey}}, secretKey: {{FarAwaySecret}}, permissions: [spotAndMarginTrading], ipWhitelist: [10.0.0.1] }
            - { label: reader, type: hmac, apiKey: {{ReaderKey}}, secretKey: {{ReaderSecret}}, permissions: [], ipWhitelist: [127.0.0.1] }
            - { label: loopback-2, type: hmac, apiKey: {{SecondLoopbackKey}}, secretKey: {{SecondLoopbackSecret}}, permissions: [spotAndMarginTrading], ipWhitelist: [127.0.0.2] }
            - { label: ops, type: ed25519, apiKey: {{Ed25519ApiKey}}, publicKey: "{{Spki(Ed25519Key)}}", permissions: [spotAndMarginTrading, fixApiTrading] }
            - { label: rsa-ops, type: rsa, apiKey: {{RsaApiKey}}, publicKey: "{{Spki(RsaKey)}}", permissions: [spotAndMarginTrading] }
        subAccounts:
          - email: desk-a@example.com
            futuresEnabled: true
            marginEnabled: false
            remark: trading desk
            keys:
              - { label: desk-a-bot, type: hmac, apiKey: {{DeskAKey}}, secretKey: {{DeskASecret}}, permissions: [spotAndMarginTrading], ipWhitelist: [127.0.0.1] }
          - { email: desk-b@example.com, futuresEnabled: false, marginEnabled: true, keys: [] }
          - { email: desk-c@example.com, futuresEnabled: false, marginEnabled: false, keys: [] }
          - { email: "{{PlusEmail}}", futuresEnabled: true, marginEnabled: true, keys: [] }
        brokerSubAccounts:
          - { subAccountId: "1001", email: broker-1001@example.com, tag: demo, futuresEnabled: true, marginEnabled: true, keys: [] }

        """;
}

/// <summary>
/// One in-process sandbox on a free loopback port, with admin helpers and client factories. The sandbox and every
/// client made here run on one <see cref="TestClock"/>: nothing waits for real time. While <see cref="AutoAdvance"/>
/// is on, a background loop moves the clock to the next pending timer whenever no client request is in flight, so
/// a client that paces or backs off goes on at once, and its waits show up in fake time only.
/// </summary>
public sealed class ClientSandbox : IAsyncDisposable
{
    private readonly HttpClient admin;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task driver;
    private int inFlight;

    private ClientSandbox(SandboxServer server, double timeScale, TestClock clock)
    {
        Server = server;
        TimeScale = timeScale;
        Clock = clock;
        admin = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        driver = Task.Run(DriveAsync);
    }

    public SandboxServer Server { get; }

    public double TimeScale { get; }

    /// <summary>The sandbox's and the clients' clock.</summary>
    public TestClock Clock { get; }

    /// <summary>Whether the background loop moves the clock to the next timer when the clients are idle (default on).</summary>
    public bool AutoAdvance { get; set; } = true;

    /// <summary>The longest single step the background loop takes: request timeouts (a day here) are never reached by it.</summary>
    public TimeSpan MaxAutoStep { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Requests sent by this sandbox's clients that have no answer yet.</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    public Uri BaseAddress => Server.BaseAddress;

    /// <summary>Every line the clients made by this sandbox logged.</summary>
    public ConcurrentQueue<string> LogLines { get; } = new();

    public static async Task<ClientSandbox> StartAsync(double timeScale = 1, string? yaml = null, TestClock? clock = null)
    {
        clock ??= new TestClock();
        var server = await SandboxServer.StartAsync(new SandboxOptions { SeedYaml = yaml ?? ClientWorld.Yaml, TimeScale = timeScale, TimeProvider = clock });
        return new ClientSandbox(server, timeScale, clock);
    }

    /// <summary>Options matching the sandbox's (scaled) windows and clock; request timeouts far away unless a test sets one.</summary>
    public BinanceClientOptions Options(Action<BinanceClientOptions>? configure = null)
    {
        var options = new BinanceClientOptions
        {
            Endpoint = BaseAddress,
            RateLimitWindow = TimeSpan.FromMilliseconds(60_000 * TimeScale),
            BrokerKeySpacing = TimeSpan.FromMilliseconds(1_000 * TimeScale),
            RetryDelay = TimeSpan.FromMilliseconds(20),
            Timeout = TimeSpan.FromDays(1),
            TimeProvider = Clock,
            Log = line => LogLines.Enqueue(line),
        };
        configure?.Invoke(options);
        options.Handler = new CountingHandler(this, options.Handler ?? new SocketsHttpHandler());
        return options;
    }

    public BinanceClient Admin(Action<BinanceClientOptions>? configure = null) =>
        Hmac(ClientWorld.AdminKey, ClientWorld.AdminSecret, configure);

    public BinanceClient Hmac(string apiKey, string secret, Action<BinanceClientOptions>? configure = null) =>
        new(new BinanceTransport(Options(configure), apiKey, HmacRequestSigner.FromSecret(secret.ToCharArray())));

    public BinanceClient Keyed(string apiKey, SigningKey key, Action<BinanceClientOptions>? configure = null) =>
        new(new BinanceTransport(Options(configure), apiKey, new KeyRequestSigner(key)));

    /// <summary>A handler whose connections leave from another loopback address (127.0.0.2), to test whitelists.</summary>
    public static SocketsHttpHandler From(IPAddress localAddress) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private async Task DriveAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(2, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (!AutoAdvance || InFlight > 0)
            {
                continue;
            }
            var next = Clock.PendingTimers.FirstOrDefault(t => t <= MaxAutoStep, TimeSpan.MaxValue);
            if (next != TimeSpan.MaxValue)
            {
                Clock.AdvanceBy(next > TimeSpan.Zero ? next : TimeSpan.Zero);
            }
        }
    }

    /// <summary>Counts the clients' requests in flight, so the clock moves only while they wait.</summary>
    private sealed class CountingHandler : DelegatingHandler
    {
        private readonly ClientSandbox owner;

        public CountingHandler(ClientSandbox owner, HttpMessageHandler inner)
            : base(inner) => this.owner = owner;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref owner.inFlight);
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref owner.inFlight);
            }
        }
    }

    public async Task<JsonElement> AdminAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await admin.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task ResetAsync() => AdminAsync(HttpMethod.Post, "/admin/reset");

    public Task AddFaultAsync(object fault) => AdminAsync(HttpMethod.Post, "/admin/faults", fault);

    public Task SetClockAsync(long offsetMs) => AdminAsync(HttpMethod.Post, "/admin/clock", new { offsetMs });

    /// <summary>The sandbox's request log (method, path, parameter names, status, code, faults).</summary>
    public async Task<IReadOnlyList<LoggedRequest>> RequestsAsync()
    {
        var entries = await AdminAsync(HttpMethod.Get, "/admin/requests");
        return entries.EnumerateArray().Select(e => new LoggedRequest(
            e.GetProperty("method").GetString()!,
            e.GetProperty("path").GetString()!,
            e.GetProperty("parameterNames").EnumerateArray().Select(n => n.GetString()!).ToList(),
            e.GetProperty("status").GetInt32(),
            e.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number ? code.GetInt32() : null)).ToList();
    }

    /// <summary>The keys the admin API shows for the account with this email (or broker sub-account id).</summary>
    public async Task<JsonElement[]> KeysAsync(string emailOrSubAccountId)
    {
        var state = await AdminAsync(HttpMethod.Get, "/admin/state");
        var account = state.GetProperty("accounts").EnumerateArray().Single(a =>
            a.GetProperty("email").GetString() == emailOrSubAccountId ||
            (a.TryGetProperty("subAccountId", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == emailOrSubAccountId));
        return account.GetProperty("keys").EnumerateArray().ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        try
        {
            await driver;
        }
        catch (Exception e)
        {
            // xUnit may report a fixture's cleanup failure by its type alone: the message carries the driver's stack.
            throw new InvalidOperationException($"The sandbox's clock driver failed during the tests: {e}", e);
        }
        finally
        {
            // The server stops even when the driver failed, so that its port and threads do not outlive the class.
            stopping.Dispose();
            admin.Dispose();
            await Server.DisposeAsync();
        }
    }
}

/// <summary>One entry of the sandbox's request log.</summary>
public sealed record LoggedRequest(string Method, string Path, IReadOnlyList<string> ParameterNames, int Status, int? Code);

/// <summary>A sandbox shared by the tests of one class; each test resets it first.</summary>
public abstract class SandboxFixture : IAsyncLifetime
{
    protected SandboxFixture(double timeScale) => TimeScale = timeScale;

    public double TimeScale { get; }

    public ClientSandbox Sandbox { get; private set; } = null!;

    public async Task InitializeAsync() => Sandbox = await ClientSandbox.StartAsync(TimeScale);

    public async Task DisposeAsync() => await Sandbox.DisposeAsync();
}

/// <summary>Binance's own windows (time scale 1) on a fake clock: the minute is 60 s of fake time, passed in an instant.</summary>
public sealed class FastSandboxFixture : SandboxFixture
{
    public FastSandboxFixture() : base(1.0)
    {
    }
}

using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;
using BinanceKeys.Tests.Time;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>An in-process sandbox on a free loopback port, with an admin-key client and admin helpers.</summary>
public sealed class TestSandbox : IAsyncDisposable
{
    private readonly HttpClient _admin;

    private TestSandbox(SandboxServer server, TestClock clock)
    {
        Server = server;
        Clock = clock;
        _admin = new HttpClient { BaseAddress = server.BaseAddress };
        Master = Timed(TestClient.Hmac(server.BaseAddress, TestWorld.AdminKey, TestWorld.AdminSecret));
    }

    public SandboxServer Server { get; }

    /// <summary>The sandbox's clock; it moves only when a test moves it.</summary>
    public TestClock Clock { get; }

    public Uri BaseAddress => Server.BaseAddress;

    /// <summary>The master's HMAC key with spotAndMarginTrading, whitelisted to 127.0.0.1.</summary>
    public TestClient Master { get; }

    public static async Task<TestSandbox> StartAsync(double timeScale = 1, string? yaml = null)
    {
        var clock = new TestClock();
        return new(await SandboxServer.StartAsync(new SandboxOptions { SeedYaml = yaml ?? TestWorld.Yaml, TimeScale = timeScale, TimeProvider = clock }), clock);
    }

    public TestClient Hmac(string apiKey, string secret, IPAddress? localAddress = null) => Timed(TestClient.Hmac(BaseAddress, apiKey, secret, localAddress));

    public TestClient Ed25519(string apiKey, Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters key) => Timed(TestClient.Ed25519(BaseAddress, apiKey, key));

    public TestClient Rsa(string apiKey, System.Security.Cryptography.RSA key) => Timed(TestClient.Rsa(BaseAddress, apiKey, key));

    public TestClient Custom(string apiKey, Func<byte[], string> sign) => Timed(TestClient.Custom(BaseAddress, apiKey, sign));

    /// <summary>Stamps the client's requests with the sandbox's clock.</summary>
    private TestClient Timed(TestClient client)
    {
        client.Clock = () => Clock.NowMs;
        return client;
    }

    public async Task<JsonElement> AdminAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        var response = await _admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> AddFaultAsync(object fault) => AdminAsync(HttpMethod.Post, "/admin/faults", fault);

    /// <summary>The keys the admin API shows for the account with this email.</summary>
    public async Task<JsonElement[]> KeysAsync(string email)
    {
        var state = await AdminAsync(HttpMethod.Get, "/admin/state");
        var account = state.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("email").GetString() == email);
        return account.GetProperty("keys").EnumerateArray().ToArray();
    }

    public async Task<JsonElement[]> BrokerKeysAsync(string subAccountId)
    {
        var state = await AdminAsync(HttpMethod.Get, "/admin/state");
        var account = state.GetProperty("accounts").EnumerateArray()
            .Single(a => a.TryGetProperty("subAccountId", out var id) && id.GetString() == subAccountId);
        return account.GetProperty("keys").EnumerateArray().ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        Master.Dispose();
        _admin.Dispose();
        await Server.DisposeAsync();
    }
}

using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;

namespace BinanceKeys.Client.Tests;

/// <summary>README.md, "How the client behaves": secrets never in any output; the Log callback carries names and weights, never values.</summary>
public sealed class LogTests : IClassFixture<FastSandboxFixture>, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly ClientSandbox sandbox;

    public LogTests(FastSandboxFixture fixture) => sandbox = fixture.Sandbox;

    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task LogLines_NameMethodPathParametersAndWeight_ButNoValue()
    {
        var lines = new ConcurrentQueue<string>();
        using var client = sandbox.Admin(o => o.Log = lines.Enqueue);
        await sandbox.AddFaultAsync(new { kind = "errorBeforeChange", method = "GET", path = "/sapi/v1/sub-account/subAccountApi" });
        await sandbox.AddFaultAsync(new { kind = "rateLimit", method = "POST", path = "/sapi/v1/sub-account/subAccountApi" });

        Assert.Single(await client.QuerySubAccountApiKeysAsync("desk-a@example.com", null, None));
        string secret;
        using (var created = await client.CreateSubAccountApiKeyAsync(ClientWorld.PlusEmail, "log-label", IpRestrictionStatus.TrustedIps, new[] { "127.0.0.1", "10.20.30.40" }, null,
            new SubAccountPermissions { CanTrade = true }, null, None))
        {
            secret = new string(created.TakeSecret()!);
        }
        var error = await Assert.ThrowsAsync<BinanceApiException>(() =>
            client.UpdateSubAccountIpRestrictionAsync(ClientWorld.PlusEmail, ClientWorld.DeskAKey, true, new[] { "10.99.99.99" }, None));

        var create = Assert.Single(lines, l => l.StartsWith("POST /sapi/v1/sub-account/subAccountApi ", StringComparison.Ordinal) && l.Contains("-> 200", StringComparison.Ordinal));
        Assert.Contains("email", create, StringComparison.Ordinal);
        Assert.Contains("ipAddress", create, StringComparison.Ordinal);
        Assert.Contains("signature", create, StringComparison.Ordinal);
        Assert.Contains("weight 3000", create, StringComparison.Ordinal);
        Assert.Contains("recvWindow,timestamp,signature", create, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("-> 503", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("-> 429", StringComparison.Ordinal));

        string all = string.Join("\n", lines) + "\n" + error;
        foreach (string value in new[] { ClientWorld.AdminSecret, ClientWorld.AdminKey, secret, ClientWorld.PlusEmail, "desk+plus", "desk-a@example.com", "desk%2Bplus", "10.20.30.40", "10.99.99.99", "127.0.0.1", "log-label", ClientWorld.DeskAKey })
        {
            Assert.DoesNotContain(value, all, StringComparison.OrdinalIgnoreCase);
        }
        // No signature either: HMAC signatures are 64 hex characters; no "name=value" pair at all.
        Assert.DoesNotMatch(new Regex("[0-9a-f]{64}"), all);
        Assert.DoesNotMatch(new Regex(@"\w=\w"), string.Join("\n", lines));
    }

    [Fact]
    public async Task AsymmetricSignatures_NeverReachTheLog()
    {
        var lines = new ConcurrentQueue<string>();
        using var client = sandbox.Keyed(ClientWorld.Ed25519ApiKey, ClientWorld.Ed25519Key, o => o.Log = lines.Enqueue);
        await client.GetApiRestrictionsAsync(None);
        Assert.NotEmpty(lines);
        // Base64 Ed25519 signatures are 88 characters.
        Assert.DoesNotMatch(new Regex("[A-Za-z0-9+/]{40,}"), string.Join("\n", lines));
    }

    [Fact]
    public void TransportAndSignerStrings_HoldNoSecret()
    {
        using var client = sandbox.Admin();
        string text = client.Transport.ToString() + client.ToString();
        Assert.DoesNotContain(ClientWorld.AdminSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientWorld.AdminKey, text, StringComparison.Ordinal);
    }
}

/// <summary>README.md, "Cmdlets": plain http only to loopback.</summary>
public sealed class EndpointPolicyTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://127.0.0.2/")]
    [InlineData("http://localhost")]
    [InlineData("http://localhost:5080/")]
    [InlineData("http://[::1]")]
    [InlineData("http://[::1]:5080/")]
    [InlineData("https://api.binance.com")]
    [InlineData("https://example.com")]
    public void Accepted(string endpoint) => EndpointPolicy.Validate(new Uri(endpoint));

    [Theory]
    [InlineData("http://example.com")]
    [InlineData("http://api.binance.com")]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://10.0.0.1")]
    [InlineData("http://localhost.example.com")]
    [InlineData("http://127.0.0.1.nip.io")]
    [InlineData("http://[::ffff:8.8.8.8]")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("http://127.0.0.1@example.com")]
    [InlineData("http://localhost@example.com:80")]
    public void Refused(string endpoint)
    {
        var error = Assert.Throws<ArgumentException>(() => EndpointPolicy.Validate(new Uri(endpoint)));
        Assert.Contains("https", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTransportAppliesIt()
    {
        var options = new BinanceClientOptions { Endpoint = new Uri("http://example.com") };
        Assert.Throws<ArgumentException>(() => new BinanceTransport(options, null, null));
    }

    [Fact]
    public void RelativeEndpoints_AreRefused() =>
        Assert.Throws<ArgumentException>(() => EndpointPolicy.Validate(new Uri("/sapi", UriKind.Relative)));

    [Fact]
    public void ApiKeysThatCannotBeAHeader_AreRefused()
    {
        var options = new BinanceClientOptions { Endpoint = new Uri("http://127.0.0.1:5080") };
        Assert.Throws<ArgumentException>(() => new BinanceTransport(options, "bad key\r\nX-Injected: 1", null));
    }
}

/// <summary>A redirect is never followed: it could take the API key header, or a write's body, to another host.</summary>
public sealed class RedirectTests
{
    [Theory]
    [InlineData("GET", 302)]
    [InlineData("POST", 307)]
    public async Task Redirects_AreNotFollowed(string method, int status)
    {
        var target = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        target.Start();
        var origin = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        origin.Start();
        try
        {
            int targetPort = ((System.Net.IPEndPoint)target.LocalEndpoint).Port;
            int originPort = ((System.Net.IPEndPoint)origin.LocalEndpoint).Port;
            var serve = Task.Run(async () =>
            {
                while (true)
                {
                    using var connection = await origin.AcceptTcpClientAsync();
                    var stream = connection.GetStream();
                    var buffer = new byte[65536];
                    int read = 0;
                    while (!System.Text.Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        int n = await stream.ReadAsync(buffer.AsMemory(read));
                        if (n == 0) break;
                        read += n;
                    }
                    byte[] answer = System.Text.Encoding.ASCII.GetBytes(
                        $"HTTP/1.1 {status} Moved\r\nLocation: http://127.0.0.1:{targetPort}/elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(answer);
                }
            });

            var options = new BinanceClientOptions { Endpoint = new Uri($"http://127.0.0.1:{originPort}/"), RetryDelay = TimeSpan.FromMilliseconds(1), Timeout = TimeSpan.FromSeconds(3) };
            using var client = new BinanceClient(new BinanceTransport(options, ClientWorld.AdminKey, Signing.HmacRequestSigner.FromSecret(ClientWorld.AdminSecret.ToCharArray())));
            var endpoint = method == "GET" ? BinanceEndpoints.SystemStatus : BinanceEndpoint.Custom(System.Net.Http.HttpMethod.Post, "/sapi/v1/unsigned/thing", signed: false);
            var error = await Assert.ThrowsAsync<BinanceApiException>(() =>
                client.InvokeAsync(endpoint, Array.Empty<System.Collections.Generic.KeyValuePair<string, string>>(), CancellationToken.None));
            Assert.Equal((System.Net.HttpStatusCode)status, error.Status);

            // Nobody went to the redirect target.
            var accept = target.AcceptTcpClientAsync();
            Assert.NotSame(accept, await Task.WhenAny(accept, Task.Delay(300)));
        }
        finally
        {
            origin.Stop();
            target.Stop();
        }
    }
}

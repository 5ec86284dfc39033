using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Org.BouncyCastle.Crypto.Parameters;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>An answer: status, parsed JSON (if any) and headers.</summary>
public sealed record Reply(HttpStatusCode Status, JsonElement Json, HttpResponseMessage Message)
{
    /// <summary>The §5 error code, or 0 when the answer is not an error body.</summary>
    public int Code => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("code", out var code) ? code.GetInt32() : 0;

    public string Msg => Json.GetProperty("msg").GetString()!;

    public string Header(string name) => Message.Headers.TryGetValues(name, out var values) ? values.Single() : "";
}

/// <summary>
/// A small Binance client written for these tests only: RFC 3986 percent-encoding, payload = query
/// + body with no separator, HMAC hex / RSA and Ed25519 base64 signatures (docs/binance.md §1).
/// </summary>
public sealed class TestClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Func<byte[], string> _sign;

    private TestClient(Uri baseAddress, string apiKey, Func<byte[], string> sign, IPAddress? localAddress)
    {
        var handler = new SocketsHttpHandler();
        if (localAddress is not null)
        {
            // Lets a test speak from another loopback address (127.0.0.2) to exercise IP whitelists.
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(localAddress, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            };
        }
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(20) };
        ApiKey = apiKey;
        _sign = sign;
    }

    public string ApiKey { get; set; }

    /// <summary>Replaces the signature before sending (for bad-signature tests).</summary>
    public Func<string, string>? TamperSignature { get; set; }

    /// <summary>A client whose signature comes from elsewhere (an external tool), as the signature text before encoding.</summary>
    public static TestClient Custom(Uri baseAddress, string apiKey, Func<byte[], string> sign) => new(baseAddress, apiKey, sign, null);

    public static TestClient Hmac(Uri baseAddress, string apiKey, string secret, IPAddress? localAddress = null) =>
        new(baseAddress, apiKey, payload => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload)), localAddress);

    public static TestClient Ed25519(Uri baseAddress, string apiKey, Ed25519PrivateKeyParameters key) =>
        new(baseAddress, apiKey, payload =>
        {
            var signature = new byte[64];
            key.Sign(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519, null, payload, 0, payload.Length, signature, 0);
            return Convert.ToBase64String(signature);
        }, null);

    public static TestClient Rsa(Uri baseAddress, string apiKey, RSA key) =>
        new(baseAddress, apiKey, payload => Convert.ToBase64String(key.SignData(payload, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)), null);

    /// <summary>The timestamp source: the system clock, or the sandbox's test clock (<see cref="TestSandbox"/> sets it).</summary>
    public Func<long> Clock { get; set; } = () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public long Now => Clock();

    /// <summary>RFC 3986: everything but A-Z a-z 0-9 - _ . ~ is %XX of its UTF-8 bytes.</summary>
    public static string Encode(IEnumerable<(string Name, string Value)> pairs) =>
        string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));

    public Task<Reply> GetAsync(string path, params (string, string)[] query) => SendAsync(HttpMethod.Get, path, query);

    /// <summary>POST with every parameter, timestamp and signature in the query string (as the official JS SDK sends them).</summary>
    public Task<Reply> PostInQueryAsync(string path, params (string, string)[] query) => SendAsync(HttpMethod.Post, path, query);

    public Task<Reply> DeleteAsync(string path, params (string, string)[] query) => SendAsync(HttpMethod.Delete, path, query);

    /// <summary>POST with every parameter, timestamp and signature in the form body.</summary>
    public Task<Reply> PostAsync(string path, params (string, string)[] body) => SendAsync(HttpMethod.Post, path, [], body);

    /// <summary>
    /// Signed request: <paramref name="query"/> in the URL, <paramref name="body"/> as a form. The
    /// timestamp (and recvWindow) go last into the body if there is one, else into the query; the
    /// signature goes where the timestamp went.
    /// </summary>
    public async Task<Reply> SendAsync(
        HttpMethod method,
        string path,
        IEnumerable<(string, string)> query,
        IEnumerable<(string, string)>? body = null,
        long? timestamp = null,
        string? recvWindow = null)
    {
        var queryPairs = query.ToList();
        var bodyPairs = body?.ToList();
        var timing = new List<(string, string)>();
        if (recvWindow is not null)
        {
            timing.Add(("recvWindow", recvWindow));
        }
        timing.Add(("timestamp", (timestamp ?? Now).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        (bodyPairs ?? queryPairs).AddRange(timing);

        var queryText = Encode(queryPairs);
        var bodyText = bodyPairs is null ? "" : Encode(bodyPairs);
        var signature = _sign(Encoding.UTF8.GetBytes(queryText + bodyText));
        signature = TamperSignature?.Invoke(signature) ?? signature;
        var signaturePair = "signature=" + Uri.EscapeDataString(signature);
        if (bodyPairs is null)
        {
            queryText = queryText.Length == 0 ? signaturePair : queryText + "&" + signaturePair;
        }
        else
        {
            bodyText = bodyText + "&" + signaturePair;
        }
        return await SendRawAsync(method, path, queryText, bodyPairs is null ? null : bodyText);
    }

    /// <summary>
    /// Signs and sends texts exactly as given, without percent-encoding them first (what a client that signs raw
    /// text does): <c>timestamp</c> is appended to the body if there is one, else to the query, and the signature
    /// (over the raw UTF-8 bytes of query + body) goes after it.
    /// </summary>
    public Task<Reply> SendSignedRawAsync(HttpMethod method, string path, string rawQuery, string? rawBody)
    {
        var stamp = "timestamp=" + Now.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (rawBody is null)
        {
            rawQuery = rawQuery.Length == 0 ? stamp : rawQuery + "&" + stamp;
        }
        else
        {
            rawBody = rawBody.Length == 0 ? stamp : rawBody + "&" + stamp;
        }
        var signature = "signature=" + Uri.EscapeDataString(_sign(Encoding.UTF8.GetBytes(rawQuery + (rawBody ?? ""))));
        if (rawBody is null)
        {
            rawQuery += "&" + signature;
        }
        else
        {
            rawBody += "&" + signature;
        }
        return SendRawAsync(method, path, rawQuery, rawBody);
    }

    /// <summary>Sends exactly these texts, with the API key header when <see cref="ApiKey"/> is set.</summary>
    public async Task<Reply> SendRawAsync(HttpMethod method, string path, string queryText, string? bodyText)
    {
        using var request = new HttpRequestMessage(method, path + (queryText.Length > 0 ? "?" + queryText : ""));
        if (ApiKey.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("X-MBX-APIKEY", ApiKey);
        }
        if (bodyText is not null)
        {
            request.Content = new StringContent(bodyText, Encoding.UTF8, "application/x-www-form-urlencoded");
        }
        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new Reply(response.StatusCode, json, response);
    }

    public void Dispose() => _http.Dispose();
}

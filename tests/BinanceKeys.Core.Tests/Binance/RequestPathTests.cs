using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;
using CsCheck;
using Xunit;

namespace BinanceKeys.Tests.Binance
{
    /// <summary>
    /// Issue 9, item 2: a caller's path cannot send the API key and a signature to another host, nor slip a
    /// key-creating call past the guard. The grammar, the guard and the transport's own host check, each with the
    /// issue's two reproductions and a property-based test over random paths.
    /// </summary>
    public sealed class RequestPathTests
    {
        // The grammar restated independently of BinancePath, for the properties to compare against.
        private static readonly Regex Grammar = new Regex(@"\A/(api|sapi)(/[A-Za-z0-9_-]+)+\z", RegexOptions.CultureInvariant);

        private static readonly Uri Sandbox = new Uri("http://127.0.0.1:5080/");

        // Pieces that real attacks are made of, so random paths hit the interesting cases often.
        private static readonly string[] Pieces =
        {
            "/", "//", "api", "sapi", "v1", "v3", "sub-account", "subAccountApi", "broker", "account", "info", "..", ".", "%2F", "%2f", "%2e", "%2E%2E",
            "\\", "http:", "https:", "//127.0.0.2:5392", "127.0.0.2", ":5392", "@", "evil.example", "?", "#", "x=1", "&", ":", "~", " ", "\t", "\n", "\r",
            "\u0000", "é", "ＡＰＩ", "%", "file:", "localhost", "-", "_", "A", "Z", "9", "\u2215", "\uFF0F",
        };

        private static readonly Gen<string> RandomPath = Gen.OneOf(
            Gen.OneOf(Pieces).Array[0, 14].Select(parts => string.Concat(parts)),
            Gen.OneOf(Pieces).Array[0, 10].Select(parts => "/" + string.Concat(parts)),
            Gen.OneOf(Pieces).Array[0, 10].Select(parts => "/sapi/" + string.Concat(parts)),
            Gen.String);

        [Theory]
        [InlineData("/api/v3/time")]
        [InlineData("/sapi/v1/account/info")]
        [InlineData("/sapi/v1/sub-account/subAccountApi/ipRestriction")]
        [InlineData("/sapi/v1/broker/subAccountApi/permission/universalTransfer")]
        public void RealBinancePaths_AreAccepted(string path)
        {
            Assert.True(BinancePath.TryParse(path, out string? parsed, out string? problem), problem);
            Assert.Equal(path, parsed);
        }

        [Theory]
        [InlineData("/http://127.0.0.2:5392/api/v3/account", "is refused")] // the issue's first reproduction
        [InlineData("/api/http://127.0.0.2:5392/api/v3/account", "contains ':'")]
        [InlineData("//sapi/v1/sub-account/subAccountApi", "is refused")] // the issue's second reproduction
        [InlineData("/sapi//v1/account/info", "empty segment")]
        [InlineData("/sapi/v1/account/info/", "empty segment")]
        [InlineData("/sapi/v1/../v1/account/info", "contains '.'")]
        [InlineData("/sapi/./v1/account/info", "contains '.'")]
        [InlineData("/sapi/v1%2Faccount", "contains '%'")]
        [InlineData("/sapi/%2e%2e/x", "contains '%'")]
        [InlineData("/sapi/v1\\account", "contains '\\'")]
        [InlineData("/sapi/v1/account/info?x=1", "contains '?'")]
        [InlineData("/sapi/v1/account/info#x", "contains '#'")]
        [InlineData("/sapi/v1/account@evil.example/x", "contains '@'")]
        [InlineData("sapi/v1/account/info", "does not start with '/'")]
        [InlineData("/wapi/v1/x", "is refused")]
        [InlineData("/sapi", "names no endpoint")]
        [InlineData("/sapi/v1/accöunt", "contains 'ö'")]
        [InlineData("/sapi/v1/a\nX-Forged: 1", "contains '\\u000a'")]
        [InlineData("", "is empty")]
        public void PathsOutsideTheGrammar_AreRefused_WithTheReason(string path, string reason)
        {
            Assert.False(BinancePath.TryParse(path, out string? parsed, out string? problem));
            Assert.Null(parsed);
            Assert.Contains(reason, problem);
            Assert.DoesNotContain("\n", problem);
        }

        [Fact]
        public void ThePathLengthLimit_HoldsAtItsBoundary()
        {
            string at = "/sapi/" + new string('a', BinancePath.MaxLength - 6);
            Assert.True(BinancePath.TryParse(at, out _, out _));
            Assert.False(BinancePath.TryParse(at + "a", out _, out string? problem));
            Assert.Contains($"at most {BinancePath.MaxLength}", problem);
        }

        [Theory]
        [InlineData("POST", "/sapi/v1/sub-account/subAccountApi", true)]
        [InlineData("POST", "/SAPI/V2/SUB-ACCOUNT/SUBACCOUNTAPI", true)]
        [InlineData("PUT", "/sapi/v1/broker/subAccountApi", true)]
        [InlineData("POST", "/sapi/v3/sub-account/subAccountApi", true)] // a later version creates too
        [InlineData("POST", "//sapi/v1/sub-account/subAccountApi", true)] // unparsable: refused, never let through
        [InlineData("GET", "/sapi/v1/sub-account/subAccountApi", false)]
        [InlineData("DELETE", "/sapi/v1/broker/subAccountApi", false)]
        [InlineData("POST", "/sapi/v1/sub-account/subAccountApiPermission", false)]
        [InlineData("POST", "/sapi/v1/sub-account/subAccountApi/ipRestriction", false)]
        public void TheKeyCreatingGuard_ComparesTheParsedPath(string method, string path, bool creates)
        {
            Assert.Equal(creates, BinanceEndpoints.IssuesOneTimeSecret(new HttpMethod(method), path));
        }

        [Fact]
        public void Property_TheGrammarAcceptsExactlyItsLanguage_AndAnAcceptedPathStaysOnTheEndpoint()
        {
            int accepted = 0;
            RandomPath.Sample(path =>
            {
                bool parses = BinancePath.TryParse(path, out string? parsed, out string? problem);
                bool expected = path.Length <= BinancePath.MaxLength && Grammar.IsMatch(path);
                Assert.True(parses == expected, $"'{path}': parser says {parses}, grammar says {expected}");
                if (!parses)
                {
                    Assert.NotNull(problem);
                    return;
                }
                Interlocked.Increment(ref accepted);
                foreach (Uri endpoint in new[] { Sandbox, new Uri("https://proxy.example:8443/binance/") })
                {
                    Uri uri = new Uri(endpoint, parsed!.Substring(1));
                    Assert.Equal(endpoint.GetLeftPart(UriPartial.Authority), uri.GetLeftPart(UriPartial.Authority));
                    Assert.Equal(endpoint.AbsolutePath + parsed.Substring(1), uri.AbsolutePath);
                    Assert.Equal("", uri.Query + uri.Fragment);
                }
            }, iter: 20_000);
            Assert.True(accepted > 100, $"only {accepted} random paths were valid; the generator does not reach the accepted side");
        }

        [Fact]
        public void CustomEndpoints_RefuseWhatTheGrammarRefuses()
        {
            var e = Assert.Throws<ArgumentException>(() => BinanceEndpoint.Custom(HttpMethod.Get, "/http://127.0.0.2:5392/api/v3/account", signed: true));
            Assert.Contains("is refused", e.Message);
            Assert.Equal("/sapi/v1/account/info", BinanceEndpoint.Custom(HttpMethod.Get, "/sapi/v1/account/info", signed: true).Path);
        }

        [Fact]
        public async Task TheTransport_NeverSendsToAnotherHost_TheIssuesReproductions()
        {
            var handler = new RecordingHandler();
            using var transport = new BinanceTransport(new BinanceClientOptions { Endpoint = new Uri("http://127.0.0.1:5080"), Handler = handler, MaxAttempts = 1 }, "the-api-key", null);

            // Endpoints built directly, past Custom's check: the transport refuses on its own.
            foreach (string path in new[] { "/http://127.0.0.2:5392/api/v3/account", "//sapi/v1/sub-account/subAccountApi", "/../../x", "//127.0.0.2:5392/api/v3/time" })
            {
                var endpoint = new BinanceEndpoint(HttpMethod.Get, path, false, RateLimitKind.ApiIp, 1, false);
                var error = await Assert.ThrowsAsync<InvalidOperationException>(() => transport.SendAsync(endpoint, Array.Empty<KeyValuePair<string, string>>(), null, CancellationToken.None));
                Assert.Contains("Refused to send", error.Message);
            }
            Assert.Empty(handler.Requests);

            await transport.SendAsync(BinanceEndpoint.Custom(HttpMethod.Get, "/api/v3/time", signed: false), Array.Empty<KeyValuePair<string, string>>(), null, CancellationToken.None);
            Assert.Equal("http://127.0.0.1:5080/api/v3/time", Assert.Single(handler.Requests).AbsoluteUri);
        }

        [Fact]
        public async Task Property_TheTransportSendsOnlyParsedPaths_AndOnlyToTheConnectionsHost()
        {
            var handler = new RecordingHandler();
            var endpoint = new Uri("https://proxy.example:8443/binance/");
            using var transport = new BinanceTransport(new BinanceClientOptions { Endpoint = endpoint, Handler = handler, MaxAttempts = 1 }, "the-api-key", null);
            int sent = 0;

            await RandomPath.SampleAsync(async path =>
            {
                var raw = new BinanceEndpoint(HttpMethod.Get, path, false, RateLimitKind.ApiIp, 1, false);
                bool parses = BinancePath.TryParse(path, out _, out _);
                string id = Guid.NewGuid().ToString("N");
                try
                {
                    await transport.SendAsync(raw, new[] { new KeyValuePair<string, string>("id", id) }, null, CancellationToken.None);
                    Assert.True(parses, $"'{path}' was sent though the grammar refuses it");
                    Interlocked.Increment(ref sent);
                }
                catch (InvalidOperationException)
                {
                    Assert.False(parses, $"'{path}' parses but was refused");
                    Assert.Equal(0, handler.Count(id));
                }
            }, iter: 3_000);

            Assert.True(sent > 10, $"only {sent} requests were sent");
            Assert.All(handler.Requests, uri =>
            {
                Assert.Equal("https://proxy.example:8443", uri.GetLeftPart(UriPartial.Authority));
                Assert.StartsWith("/binance/api/", uri.AbsolutePath.Replace("/binance/sapi/", "/binance/api/"));
            });
        }

        /// <summary>Answers every request with 200 {} and records where it was going; nothing leaves the process.</summary>
        private sealed class RecordingHandler : HttpMessageHandler
        {
            private readonly ConcurrentQueue<Uri> requests = new ConcurrentQueue<Uri>();

            public IReadOnlyList<Uri> Requests => requests.ToList();

            public int Count(string marker) => requests.Count(uri => uri.Query.Contains(marker, StringComparison.Ordinal));

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                requests.Enqueue(request.RequestUri!);
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
            }
        }
    }
}

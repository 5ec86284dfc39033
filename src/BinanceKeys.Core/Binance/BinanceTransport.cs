using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Signing;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace BinanceKeys.Binance
{
    /// <summary>
    /// Sends requests to Binance: signs them (docs/binance.md §1), paces them against the rate limits (§4), and
    /// retries only where it is safe. Reads are retried on transient failures; a write is re-sent only when it
    /// certainly did not reach the server (connection refused, or rejected with 429 or -1021 before execution);
    /// a write whose outcome is unknown (timeout, 5xx, dropped connection) raises
    /// <see cref="BinanceErrorKind.ServerStateUnknown"/> so that the caller settles it by reading the state back.
    /// A request that could not be sent at all, even after the retries, raises <see cref="BinanceErrorKind.ConnectionFailed"/>.
    /// </summary>
    public sealed class BinanceTransport : IDisposable
    {
        private const int TimestampErrorCode = -1021;

        private readonly BinanceClientOptions options;
        private readonly HttpClient http;
        private readonly string? apiKey;
        private readonly IRequestSigner? signer;
        private readonly TimeProvider time;
        private readonly ServerClock clock;
        private readonly RequestPacer pacer;
        private readonly SemaphoreSlim clockGate = new SemaphoreSlim(1, 1);
        private long apiBannedUntil;

        /// <summary>Creates a transport; <paramref name="signer"/> is owned and disposed with it.</summary>
        public BinanceTransport(BinanceClientOptions options, string? apiKey, IRequestSigner? signer)
        {
            this.options = options ?? throw new ArgumentNullException(nameof(options));
            EndpointPolicy.Validate(options.Endpoint);
            if (apiKey != null && !IsPrintableAscii(apiKey))
            {
                throw new ArgumentException("The API key contains characters that cannot go in an HTTP header.", nameof(apiKey));
            }
            this.apiKey = apiKey;
            this.signer = signer;
            time = options.TimeProvider ?? throw new ArgumentException("The options need a TimeProvider.", nameof(options));
            clock = new ServerClock(time);
            pacer = new RequestPacer(clock, time, options.RateLimitWindow, options.BrokerKeySpacing);
            // Redirects are never followed: Binance does not redirect its API, and following one would carry the
            // X-MBX-APIKEY header (and a write's body) to a host the endpoint policy never checked.
            http = new HttpClient(options.Handler ?? new HttpClientHandler { AllowAutoRedirect = false }, disposeHandler: true)
            {
                BaseAddress = WithTrailingSlash(options.Endpoint),
                Timeout = System.Threading.Timeout.InfiniteTimeSpan, // per request, below
            };
            http.DefaultRequestHeaders.UserAgent.ParseAdd("BinanceKeys/" + typeof(BinanceTransport).Assembly.GetName().Version);
        }

        /// <summary>The signature type of the credential, or null for an unsigned transport.</summary>
        public SignatureType? SignatureType => signer?.Type;

        /// <summary>The server clock's offset from the local clock, once learnt.</summary>
        public long? ClockOffsetMilliseconds => clock.IsSynchronized ? clock.OffsetMilliseconds : (long?)null;

        /// <summary>Sends a request and returns the parsed JSON body.</summary>
        /// <param name="endpoint">The endpoint.</param>
        /// <param name="parameters">Parameters in the order they are sent (GET: query; POST/DELETE: form body).</param>
        /// <param name="spacingKey">For endpoints with a per-target minimum spacing (broker key create/delete), the target.</param>
        /// <param name="cancellation">Cancels the wait and the HTTP call (Ctrl-C).</param>
        public async Task<JToken> SendAsync(BinanceEndpoint endpoint, IReadOnlyList<KeyValuePair<string, string>> parameters, string? spacingKey, CancellationToken cancellation)
        {
            if (endpoint.Signed && (signer is null || apiKey is null))
            {
                throw new InvalidOperationException($"{endpoint} needs a signed request: connect with an API key first.");
            }
            if (endpoint.Signed && !clock.IsSynchronized) await SynchronizeClockAsync(cancellation, onlyIfUnsynchronized: true).ConfigureAwait(false);

            bool resynchronized = false;
            int rateLimited = 0;
            for (int attempt = 1; ; attempt++)
            {
                ThrowIfBanned(endpoint);
                TimeSpan waited = await pacer.WaitAsync(endpoint, spacingKey, cancellation,
                    options.RateLimitWait is null ? null : delay => options.RateLimitWait(new RateLimitWait(endpoint.ToString(), delay))).ConfigureAwait(false);
                if (waited > TimeSpan.Zero) Log($"Waited {waited.TotalSeconds:0.0} s for {endpoint}'s rate-limit window.");
                Outcome outcome;
                try
                {
                    outcome = await SendOnceAsync(endpoint, parameters, cancellation).ConfigureAwait(false);
                }
                finally
                {
                    pacer.Complete(endpoint, spacingKey);
                }
                if (outcome.Body != null) return outcome.Body;

                BinanceApiException error = outcome.Error!;
                if (error.Kind == BinanceErrorKind.Banned) RememberBan(endpoint, error);
                switch (error.Kind)
                {
                    case BinanceErrorKind.RateLimited when rateLimited < 2 && error.RetryAfter.GetValueOrDefault() <= options.MaxRetryAfter:
                        // Rejected, so never executed: safe to send again once the wait is over, writes included.
                        // The pacer holds every caller of this budget back for the wait, this one included.
                        rateLimited++;
                        TimeSpan wait = error.RetryAfter ?? options.RateLimitWindow;
                        pacer.Block(endpoint, wait);
                        Log($"{endpoint} was rate limited (429); waiting {wait.TotalSeconds:0.0} s as Binance asked.");
                        attempt--;
                        continue;
                    case BinanceErrorKind.InvalidTimestamp when !resynchronized && endpoint.Signed:
                        // -1021 is a rejection: resynchronise once and retry (docs/binance.md §1.6, §5).
                        resynchronized = true;
                        Log($"{endpoint} was rejected for its timestamp (-1021); resynchronising the clock with /api/v3/time.");
                        await SynchronizeClockAsync(cancellation).ConfigureAwait(false);
                        attempt--;
                        continue;
                    case BinanceErrorKind.ConnectionFailed when attempt < options.MaxAttempts:
                    case BinanceErrorKind.ServerStateUnknown when !endpoint.IsWrite && attempt < options.MaxAttempts:
                        TimeSpan backOff = TimeSpan.FromMilliseconds(options.RetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
                        Log($"{endpoint} failed ({error.BinanceMessage}); attempt {attempt + 1} of {options.MaxAttempts} in {backOff.TotalSeconds:0.0} s.");
                        await time.Delay(backOff, cancellation).ConfigureAwait(false);
                        continue;
                    default:
                        throw error;
                }
            }
        }

        /// <summary>
        /// docs/binance.md §4: a 418 bans this IP from /api for Retry-After seconds, and every request meanwhile lengthens
        /// the ban. So nothing more goes to /api until it ends: such calls fail here at once, without being sent.
        /// </summary>
        private void RememberBan(BinanceEndpoint endpoint, BinanceApiException ban)
        {
            if (endpoint.Limit != RateLimitKind.ApiIp) return;
            long until = clock.NowMilliseconds + (long)Math.Ceiling((ban.RetryAfter ?? options.RateLimitWindow).TotalMilliseconds);
            long current;
            do
            {
                current = Interlocked.Read(ref apiBannedUntil);
            }
            while (until > current && Interlocked.CompareExchange(ref apiBannedUntil, until, current) != current);
        }

        private void ThrowIfBanned(BinanceEndpoint endpoint)
        {
            if (endpoint.Limit != RateLimitKind.ApiIp) return;
            long remaining = Interlocked.Read(ref apiBannedUntil) - clock.NowMilliseconds;
            if (remaining <= 0) return;
            throw new BinanceApiException(BinanceErrorKind.Banned, null,
                $"This IP is banned from Binance's /api for {Math.Ceiling(remaining / 1000.0).ToString(CultureInfo.InvariantCulture)} s more (HTTP 418 earlier); the request was not sent, since each request during a ban lengthens it.",
                null, endpoint.ToString())
            {
                RetryAfter = TimeSpan.FromMilliseconds(remaining),
            };
        }

        private async Task SynchronizeClockAsync(CancellationToken cancellation, bool onlyIfUnsynchronized = false)
        {
            await clockGate.WaitAsync(cancellation).ConfigureAwait(false);
            try
            {
                // Concurrent first calls: one synchronisation serves them all.
                if (onlyIfUnsynchronized && clock.IsSynchronized) return;
                await clock.SynchronizeAsync(async token =>
                {
                    JToken time = await SendAsync(BinanceEndpoints.ServerTime, Array.Empty<KeyValuePair<string, string>>(), null, token).ConfigureAwait(false);
                    return BinanceJson.Int64(time, "serverTime") ?? throw new BinanceApiException(BinanceErrorKind.Other, null, "The server time response has no serverTime.", null, BinanceEndpoints.ServerTime.ToString());
                }, cancellation).ConfigureAwait(false);
                Log($"Clock synchronised with Binance: offset {clock.OffsetMilliseconds} ms (within {clock.UncertaintyMilliseconds} ms).");
            }
            finally
            {
                clockGate.Release();
            }
        }

        private async Task<Outcome> SendOnceAsync(BinanceEndpoint endpoint, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellation)
        {
            bool inBody = endpoint.Method != HttpMethod.Get;
            string query;
            string body;
            if (endpoint.Signed)
            {
                var none = Array.Empty<KeyValuePair<string, string>>();
                var content = RequestPayload.Sign(inBody ? none : parameters, inBody ? parameters : none, clock.NowMilliseconds, options.ReceiveWindow, signer!, inBody);
                query = content.QueryString;
                body = content.Body;
            }
            else
            {
                query = inBody ? string.Empty : RequestPayload.Encode(parameters);
                body = inBody ? RequestPayload.Encode(parameters) : string.Empty;
            }

            using var request = new HttpRequestMessage(endpoint.Method, RequestUri(http.BaseAddress!, endpoint.Path, query));
            if (apiKey != null) request.Headers.Add("X-MBX-APIKEY", apiKey);
            if (inBody) request.Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");

            var added = !endpoint.Signed ? Array.Empty<string>()
                : options.ReceiveWindow.HasValue ? new[] { "recvWindow", "timestamp", "signature" } : new[] { "timestamp", "signature" };
            string names = string.Join(",", parameters.Select(p => p.Key).Concat(added));
            // The timeout runs on the options' clock, so tests move it instead of waiting for it.
            using var deadline = time.CreateCancellationTokenSource(options.Timeout);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation, deadline.Token);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException e)
            {
                Log($"{endpoint.Method.Method} {endpoint.Path} [{names}]: no answer within {options.Timeout.TotalSeconds:0.#} s.");
                return Outcome.Failed(Unknown(endpoint, $"No answer within {options.Timeout.TotalSeconds:0.#} s.", null, e));
            }
            catch (HttpRequestException e)
            {
                bool notSent = NeverReachedServer(e);
                Log($"{endpoint.Method.Method} {endpoint.Path} [{names}]: {(notSent ? "could not connect" : "connection lost")}.");
                return Outcome.Failed(notSent
                    ? new BinanceApiException(BinanceErrorKind.ConnectionFailed, null, $"Could not connect to {options.Endpoint.Authority}; the request was not sent.", null, endpoint.ToString(), e)
                    : Unknown(endpoint, "The connection was lost before the answer arrived.", null, e));
            }

            using (response)
            {
                int? used = ReadUsage(response, endpoint.UsageHeader) ?? (endpoint.LegacyUsageHeader is string legacy ? ReadUsage(response, legacy) : null);
                pacer.Observe(endpoint, used);
                Log($"{endpoint.Method.Method} {endpoint.Path} [{names}] -> {(int)response.StatusCode}; {endpoint.Limit} weight {endpoint.Weight}, used {(used.HasValue ? used.Value.ToString(CultureInfo.InvariantCulture) : "?")}/{endpoint.LimitPerWindow} this minute.");
                string text = response.Content is null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                JToken? json = BinanceJson.TryParse(text);
                if (response.IsSuccessStatusCode && json is null && !string.IsNullOrWhiteSpace(text))
                {
                    // A 2xx that is not JSON (a proxy's or captive portal's page) is not Binance's answer: whether the
                    // request reached Binance is unknown, so a write must be read back, never taken as done.
                    return Outcome.Failed(new BinanceApiException(BinanceErrorKind.ServerStateUnknown, null,
                        BinanceErrors.Describe(text, response.StatusCode) + " Another server (a proxy or a portal) may have answered; whether Binance received the request is unknown.",
                        response.StatusCode, endpoint.ToString()));
                }
                // Legacy sapi errors come back as 200 {"msg":...,"success":false} (docs/binance.md §5); the flag is read
                // tolerantly, since Newtonsoft's own conversion throws on anything but a boolean-like string.
                if (response.IsSuccessStatusCode && !(json is JObject o && BinanceJson.Bool(o, "success") == false))
                {
                    return Outcome.Succeeded(json ?? new JObject());
                }
                return Outcome.Failed(BinanceErrors.FromResponse(endpoint, response.StatusCode, json, text, RetryAfter(response)));
            }
        }

        private static BinanceApiException Unknown(BinanceEndpoint endpoint, string message, HttpStatusCode? status, Exception? inner) =>
            new BinanceApiException(BinanceErrorKind.ServerStateUnknown, null, message, status, endpoint.ToString(), inner);

        // Connection refused or no such host: the request never left this machine, so even a write may be re-sent.
        private static bool NeverReachedServer(Exception error)
        {
            for (Exception? e = error; e != null; e = e.InnerException)
            {
                // A socket error under an IOException happened on an open connection, while sending or reading:
                // the request may have reached the server, whatever the socket error says.
                if (e is System.IO.IOException) return false;
                if (e is SocketException socket)
                {
                    return socket.SocketErrorCode == SocketError.ConnectionRefused || socket.SocketErrorCode == SocketError.HostNotFound ||
                        socket.SocketErrorCode == SocketError.NetworkUnreachable || socket.SocketErrorCode == SocketError.HostUnreachable ||
                        socket.SocketErrorCode == SocketError.TryAgain;
                }
                if (e is WebException web)
                {
                    return web.Status == WebExceptionStatus.ConnectFailure || web.Status == WebExceptionStatus.NameResolutionFailure;
                }
            }
            return false;
        }

        private static int? ReadUsage(HttpResponseMessage response, string header) =>
            response.Headers.TryGetValues(header, out var values) && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int used)
                ? used : (int?)null;

        private TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            var retry = response.Headers.RetryAfter;
            if (retry?.Delta is TimeSpan delta) return delta;
            // A date already past (clock differences) means "now", never a negative wait.
            DateTimeOffset now = time.GetUtcNow();
            if (retry?.Date is DateTimeOffset date) return date > now ? date - now : TimeSpan.Zero;
            return null;
        }

        // Paths are resolved relative to the base address: without a trailing slash its last segment would be
        // dropped (https://proxy/binance + sapi/... = https://proxy/sapi/...).
        private static Uri WithTrailingSlash(Uri endpoint) =>
            endpoint.AbsolutePath.EndsWith("/", StringComparison.Ordinal) ? endpoint : new UriBuilder(endpoint) { Path = endpoint.AbsolutePath + "/" }.Uri;

        /// <summary>
        /// The absolute URI of a request: the connection's endpoint, then the path (which must follow
        /// <see cref="BinancePath"/>'s grammar), then the query. Refuses, before anything is sent, any URI whose
        /// scheme, host or port is not the endpoint's, or whose path is not below the endpoint's path, so that the
        /// API key and a signature never leave for another host whatever the path held.
        /// </summary>
        internal static Uri RequestUri(Uri baseAddress, string path, string query)
        {
            if (!BinancePath.TryParse(path, out string? parsed, out string? problem))
                throw new InvalidOperationException("Refused to send a request: " + problem);
            var uri = new Uri(baseAddress, parsed!.Substring(1) + (query.Length > 0 ? "?" + query : string.Empty));
            if (!string.Equals(uri.Scheme, baseAddress.Scheme, StringComparison.OrdinalIgnoreCase) ||
                !string.Equals(uri.Host, baseAddress.Host, StringComparison.OrdinalIgnoreCase) || uri.Port != baseAddress.Port ||
                !uri.AbsolutePath.StartsWith(baseAddress.AbsolutePath, StringComparison.Ordinal) || uri.UserInfo.Length > 0)
                throw new InvalidOperationException($"Refused to send a request for {parsed} anywhere but {baseAddress.GetLeftPart(UriPartial.Authority)}.");
            return uri;
        }

        private static bool IsPrintableAscii(string value) => value.Length > 0 && value.All(c => c > 32 && c < 127);

        private void Log(string line) => options.Log?.Invoke(line);

        /// <inheritdoc />
        public void Dispose()
        {
            http.Dispose();
            signer?.Dispose();
            clockGate.Dispose();
        }

        /// <inheritdoc />
        public override string ToString() => $"Binance transport to {options.Endpoint} ({(signer is null ? "unsigned" : signer.Type.ToString())})";

        private sealed class Outcome
        {
            public JToken? Body { get; private set; }

            public BinanceApiException? Error { get; private set; }

            public static Outcome Succeeded(JToken body) => new Outcome { Body = body };

            public static Outcome Failed(BinanceApiException error) => new Outcome { Error = error };
        }
    }

    /// <summary>TLS everywhere; plain http only to this machine (the sandbox) (the module's rule: TLS everywhere, docs/binance.md §2).</summary>
    public static class EndpointPolicy
    {
        /// <summary>Throws unless <paramref name="endpoint"/> is https, or http to a loopback address.</summary>
        public static void Validate(Uri endpoint)
        {
            if (endpoint is null) throw new ArgumentNullException(nameof(endpoint));
            if (!endpoint.IsAbsoluteUri) throw new ArgumentException($"The endpoint '{endpoint}' must be an absolute URI such as https://api.binance.com.", nameof(endpoint));
            if (endpoint.Scheme == Uri.UriSchemeHttps) return;
            if (endpoint.Scheme == Uri.UriSchemeHttp && IsLoopback(endpoint)) return;
            throw new ArgumentException(
                $"The endpoint '{endpoint}' is refused: only https:// is allowed, except http:// to a loopback address (the local sandbox).", nameof(endpoint));
        }

        private static bool IsLoopback(Uri endpoint) =>
            endpoint.IsLoopback || (IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }
}

using System;
using System.Net.Http;

namespace BinanceKeys.Binance
{
    /// <summary>How the client talks to Binance (or to the sandbox).</summary>
    public sealed class BinanceClientOptions
    {
        /// <summary>Binance's REST base address (docs/binance.md §2).</summary>
        public static readonly Uri DefaultEndpoint = new Uri("https://api.binance.com");

        /// <summary>Base address; plain http:// is accepted for loopback addresses only (the sandbox).</summary>
        public Uri Endpoint { get; set; } = DefaultEndpoint;

        /// <summary>recvWindow in milliseconds; Binance recommends 5000 or less (docs/binance.md §1.6). Null: not sent (Binance's default, 5000).</summary>
        public decimal? ReceiveWindow { get; set; } = 5000m;

        /// <summary>How long one HTTP request may take before its outcome counts as unknown.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Length of Binance's rate-limit window: one minute, aligned to the server's clock minutes (docs/binance.md §4).</summary>
        public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

        /// <summary>Minimum spacing of broker key creates and deletes per sub-account: 1 per second (docs/binance.md §2.6).</summary>
        public TimeSpan BrokerKeySpacing { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>Attempts for a read, or for a write that certainly did not reach the server.</summary>
        public int MaxAttempts { get; set; } = 3;

        /// <summary>First back-off between attempts; doubled each time.</summary>
        public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        /// <summary>The longest Retry-After the client waits for on its own; longer asks fail instead.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>Receives one line per request (method, path, parameter names, weight), never values or secrets.</summary>
        public Action<string>? Log { get; set; }

        /// <summary>Hears every wait for a rate-limit window before it starts: which endpoint, and for how long.</summary>
        public Action<RateLimitWait>? RateLimitWait { get; set; }

        /// <summary>The HTTP handler; tests may substitute one. The client disposes it.</summary>
        public HttpMessageHandler? Handler { get; set; }

        /// <summary>
        /// The local clock, and the source of every wait and timeout (pacing, back-off, Retry-After, the request
        /// timeout). Tests substitute a fake one and move it themselves, so nothing depends on real time passing.
        /// </summary>
        public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
    }

    /// <summary>A wait for Binance's rate limit: the endpoint whose budget is spent, and how long until the request may go.</summary>
    public sealed class RateLimitWait
    {
        /// <summary>Creates the value.</summary>
        public RateLimitWait(string endpoint, TimeSpan delay)
        {
            Endpoint = endpoint;
            Delay = delay;
        }

        /// <summary>Method and path, e.g. "GET /sapi/v1/sub-account/subAccountApi/ipRestriction".</summary>
        public string Endpoint { get; }

        /// <summary>How long the wait is.</summary>
        public TimeSpan Delay { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Endpoint}: {Delay.TotalSeconds:0.#} s";
    }
}

using System;
using System.Net;

namespace BinanceKeys.Binance
{
    /// <summary>What kind of failure Binance reported; the module's error records are chosen from it.</summary>
    public enum BinanceErrorKind
    {
        /// <summary>-1022: the signature does not verify (wrong secret or key type, encoding mismatch).</summary>
        InvalidSignature,

        /// <summary>-1021: the timestamp is outside recvWindow even after resynchronising the clock.</summary>
        InvalidTimestamp,

        /// <summary>-2014, -2015, -2008: the API key is malformed or unknown, the IP is not whitelisted, or the key lacks the permission.</summary>
        InvalidApiKeyIpOrPermission,

        /// <summary>-1002, -4006 ("Support main account only"): the caller may not do this.</summary>
        Unauthorized,

        /// <summary>HTTP 429 / -1003: rate limited.</summary>
        RateLimited,

        /// <summary>HTTP 418: the IP is banned for a while.</summary>
        Banned,

        /// <summary>-3003, -1099, HTTP 404: the sub-account or key does not exist.</summary>
        NotFound,

        /// <summary>-11xx, -1130, -4003, -9000: a parameter is missing or invalid, or the operation is unsupported.</summary>
        InvalidParameter,

        /// <summary>HTTP 5xx, a timeout or a dropped connection: Binance may or may not have done it.</summary>
        ServerStateUnknown,

        /// <summary>Anything else Binance refused.</summary>
        Other,

        /// <summary>
        /// The request never left this machine (connection refused, host not found or unreachable), even after the
        /// retries: nothing was done on Binance, so unlike <see cref="ServerStateUnknown"/> there is nothing to settle.
        /// </summary>
        ConnectionFailed,
    }

    /// <summary>An error Binance returned, keeping its code and message (docs/binance.md §5).</summary>
    public class BinanceApiException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public BinanceApiException(BinanceErrorKind kind, int? code, string binanceMessage, HttpStatusCode? status, string endpoint, Exception? inner = null)
            : base(Format(kind, code, binanceMessage, endpoint), inner)
        {
            Kind = kind;
            Code = code;
            BinanceMessage = binanceMessage;
            Status = status;
            Endpoint = endpoint;
        }

        /// <summary>The kind of failure.</summary>
        public BinanceErrorKind Kind { get; }

        /// <summary>Binance's error code, e.g. -2015; null when the body had none.</summary>
        public int? Code { get; }

        /// <summary>Binance's message, as sent.</summary>
        public string BinanceMessage { get; }

        /// <summary>The HTTP status, when a response arrived.</summary>
        public HttpStatusCode? Status { get; }

        /// <summary>Method and path of the request.</summary>
        public string Endpoint { get; }

        /// <summary>For 429 and 418: how long Binance asked to wait.</summary>
        public TimeSpan? RetryAfter { get; internal set; }

        private static string Format(BinanceErrorKind kind, int? code, string message, string endpoint)
        {
            string hint = kind switch
            {
                BinanceErrorKind.InvalidApiKeyIpOrPermission => " Check the API key, that this machine's IP is on the key's whitelist, and that the key has the permission the call needs.",
                BinanceErrorKind.InvalidSignature => " Check that the secret or private key belongs to this API key.",
                BinanceErrorKind.InvalidTimestamp => " The local clock is too far from Binance's; keep it synchronised (NTP).",
                BinanceErrorKind.ServerStateUnknown => " Binance may or may not have made the change; read the state back before trying again.",
                BinanceErrorKind.ConnectionFailed => " Nothing reached Binance, so nothing changed; check the network and the endpoint address.",
                _ => string.Empty,
            };
            return $"Binance rejected {endpoint}: {(code.HasValue ? code.Value + " " : string.Empty)}{message}{hint}";
        }
    }
}

using System;
using System.Net;
using Newtonsoft.Json.Linq;

namespace BinanceKeys.Binance
{
    /// <summary>Turns Binance's error answers into typed exceptions (binance-api.md §5), tolerating bodies without a code.</summary>
    internal static class BinanceErrors
    {
        public static BinanceApiException FromResponse(BinanceEndpoint endpoint, HttpStatusCode status, JToken? json, string text, TimeSpan? retryAfter)
        {
            int? code = json is JObject o ? BinanceJson.Int32(o, "code") : null;
            string message = (json is JObject m ? BinanceJson.String(m, "msg", "message") : null) ?? ShortText(text, status);
            var error = new BinanceApiException(Classify((int)status, code), code, message, status, endpoint.ToString())
            {
                RetryAfter = retryAfter,
            };
            return error;
        }

        public static BinanceErrorKind Classify(int status, int? code)
        {
            // A ban (418) carries -1003 too ("Way too much request weight used; IP banned until ..."): check it first,
            // since a ban must never be waited out and re-sent like a 429 (binance-api.md §4).
            if (status == 418) return BinanceErrorKind.Banned;
            if (status == 429 || code == -1003) return BinanceErrorKind.RateLimited;
            switch (code)
            {
                case -1021: return BinanceErrorKind.InvalidTimestamp;
                case -1022: return BinanceErrorKind.InvalidSignature;
                case -2008:
                case -2014:
                case -2015: return BinanceErrorKind.InvalidApiKeyIpOrPermission;
                case -1002:
                case -4004:
                case -4006:
                case -10038: return BinanceErrorKind.Unauthorized;
                case -1099:
                case -3003: return BinanceErrorKind.NotFound;
                case -1000: return status >= 500 ? BinanceErrorKind.ServerStateUnknown : BinanceErrorKind.Other;
                case -4001:
                case -4003:
                case -9000: return BinanceErrorKind.InvalidParameter;
            }
            if (code.HasValue && code.Value <= -1100 && code.Value > -1200) return BinanceErrorKind.InvalidParameter;
            if (status >= 500) return BinanceErrorKind.ServerStateUnknown; // binance-api.md §4: 5xx = execution status unknown
            if (status == 404) return BinanceErrorKind.NotFound;
            if (status == 401 || status == 403) return BinanceErrorKind.InvalidApiKeyIpOrPermission;
            return BinanceErrorKind.Other;
        }

        internal static string ShortText(string text, HttpStatusCode status)
        {
            string trimmed = (text ?? string.Empty).Trim();
            if (trimmed.Length == 0) return $"HTTP {(int)status} {status}.";
            return trimmed.Length <= 200 ? trimmed : trimmed.Substring(0, 200) + "...";
        }
    }
}

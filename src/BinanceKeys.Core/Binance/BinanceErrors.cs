using System;
using System.Net;
using Newtonsoft.Json.Linq;

namespace BinanceKeys.Binance
{
    /// <summary>
    /// Turns Binance's error answers into typed exceptions (docs/binance.md §5), tolerating bodies without a code. The
    /// whole table, HTTP status and body to kind, is in docs/binance.md §5.1.
    /// </summary>
    internal static class BinanceErrors
    {
        /// <summary>-2008 "Invalid Api-Key ID.": an unknown or deleted key, the caller's or the one named (§5).</summary>
        public const int InvalidApiKeyId = -2008;

        private const int NotAuthorizedCode = -1002;

        public static BinanceApiException FromResponse(BinanceEndpoint endpoint, HttpStatusCode status, JToken? json, string text, TimeSpan? retryAfter)
        {
            int? code = json is JObject o ? BinanceJson.Int32(o, "code") : null;
            string? said = json is JObject m ? BinanceJson.String(m, "msg", "message") : null;
            string message = said != null ? Printable(said) : Describe(text, status);
            // Some /sapi refusals come as {"msg": ...} with no code (§5): read the code the message stands for.
            int? effective = code ?? CodeOfMessage(message);
            var error = new BinanceApiException(Classify((int)status, effective), code, message, status, endpoint.ToString())
            {
                RetryAfter = retryAfter,
            };
            return error;
        }

        /// <summary>The code of one of Binance's fixed refusal messages, for bodies that carry only the message.</summary>
        internal static int? CodeOfMessage(string message)
        {
            switch ((message ?? string.Empty).Trim())
            {
                case "You are not authorized to execute this request.": return NotAuthorizedCode;
                case "Invalid API-key, IP, or permissions for action.": return -2015;
                case "Invalid Api-Key ID.": return InvalidApiKeyId;
                case "API-key format invalid.": return -2014;
                default: return null;
            }
        }

        public static BinanceErrorKind Classify(int status, int? code)
        {
            // A ban (418) carries -1003 too ("Way too much request weight used; IP banned until ..."): check it first,
            // since a ban must never be waited out and re-sent like a 429 (docs/binance.md §4).
            if (status == 418) return BinanceErrorKind.Banned;
            if (status == 429 || code == -1003) return BinanceErrorKind.RateLimited;
            switch (code)
            {
                case -1021: return BinanceErrorKind.InvalidTimestamp;
                case -1022: return BinanceErrorKind.InvalidSignature;
                case InvalidApiKeyId:
                case -2014:
                case -2015: return BinanceErrorKind.InvalidApiKeyIpOrPermission;
                case NotAuthorizedCode:
                    // §5: /sapi answers an IP off the whitelist or a missing permission with HTTP 401 -1002 (and a missing
                    // signature too); a 400 -1002 is a rule of the account (futures or margin not enabled, Default
                    // Security Controls refusing a change).
                    return status == 401 ? BinanceErrorKind.InvalidApiKeyIpOrPermission : BinanceErrorKind.Unauthorized;
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
            if (status >= 500) return BinanceErrorKind.ServerStateUnknown; // docs/binance.md §4: 5xx = execution status unknown
            if (status == 404) return BinanceErrorKind.NotFound;
            if (status == 401 || status == 403) return BinanceErrorKind.InvalidApiKeyIpOrPermission;
            return BinanceErrorKind.Other;
        }

        /// <summary>
        /// An answer that is not Binance's JSON (a proxy's or a captive portal's page) is described, never shown: such a
        /// page may hold anything, the request's own parameters included, and it would land in logs and CI output.
        /// </summary>
        internal static string Describe(string text, HttpStatusCode status)
        {
            int length = (text ?? string.Empty).Trim().Length;
            return length == 0
                ? $"HTTP {(int)status} {status}, with an empty answer."
                : $"HTTP {(int)status} {status}, with an answer that is not Binance's JSON ({length} characters, not shown).";
        }

        /// <summary>Binance's own error text, kept for the user but at most 200 characters, and without control characters (a terminal escape) or line breaks.</summary>
        internal static string Printable(string message)
        {
            const int Limit = 200;
            var builder = new System.Text.StringBuilder(Math.Min(message.Length, Limit + 3));
            foreach (char c in message)
            {
                if (builder.Length == Limit)
                {
                    builder.Append("...");
                    break;
                }
                builder.Append(char.IsControl(c) ? ' ' : c);
            }
            return builder.ToString().Trim();
        }
    }
}

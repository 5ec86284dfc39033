using System;
using System.Linq;
using System.Net.Http;

namespace BinanceKeys.Binance
{
    /// <summary>Which Binance budget a request counts against (docs/binance.md §4).</summary>
    public enum RateLimitKind
    {
        /// <summary>/api/*: one IP budget shared by all endpoints.</summary>
        ApiIp,

        /// <summary>/sapi/*: a per-endpoint IP budget.</summary>
        SapiIp,

        /// <summary>/sapi/*: a per-endpoint UID budget (the sub-account key endpoints).</summary>
        SapiUid,
    }

    /// <summary>One Binance endpoint: method, path, whether it is signed, and what it costs.</summary>
    public sealed class BinanceEndpoint
    {
        internal BinanceEndpoint(HttpMethod method, string path, bool signed, RateLimitKind limit, int weight, bool isWrite)
        {
            Method = method;
            Path = path;
            Signed = signed;
            Limit = limit;
            Weight = weight;
            IsWrite = isWrite;
        }

        /// <summary>GET, POST or DELETE.</summary>
        public HttpMethod Method { get; }

        /// <summary>The path, e.g. /sapi/v1/sub-account/subAccountApi.</summary>
        public string Path { get; }

        /// <summary>Whether the request carries timestamp and signature.</summary>
        public bool Signed { get; }

        /// <summary>The budget it counts against.</summary>
        public RateLimitKind Limit { get; }

        /// <summary>Its weight in that budget.</summary>
        public int Weight { get; }

        /// <summary>Whether it changes state on Binance (never retried blindly).</summary>
        public bool IsWrite { get; }

        /// <summary>The budget per window for <see cref="Limit"/> (docs/binance.md §4).</summary>
        public int LimitPerWindow => Limit switch
        {
            RateLimitKind.ApiIp => 6000,
            RateLimitKind.SapiIp => 12000,
            _ => 180000,
        };

        /// <summary>The response header that reports the weight used in the current minute (docs/binance.md §4).</summary>
        public string UsageHeader => Limit switch
        {
            RateLimitKind.ApiIp => "X-MBX-USED-WEIGHT-1M",
            RateLimitKind.SapiIp => "X-SAPI-USED-IP-WEIGHT-1M",
            _ => "X-SAPI-USED-UID-WEIGHT-1M",
        };

        /// <summary>The older header with the same count, read when <see cref="UsageHeader"/> is missing (/api's <c>x-mbx-used-weight</c>).</summary>
        internal string? LegacyUsageHeader => Limit == RateLimitKind.ApiIp ? "X-MBX-USED-WEIGHT" : null;

        /// <summary>The key under which weight is counted: one budget for all of /api, one per endpoint for /sapi.</summary>
        internal string BudgetKey => Limit == RateLimitKind.ApiIp ? "api" : Method.Method + " " + Path;

        /// <summary>An endpoint that is not in the catalogue (Invoke-BinanceRestMethod): costed conservatively.</summary>
        /// <exception cref="ArgumentException">The path does not follow <see cref="BinancePath"/>'s grammar.</exception>
        public static BinanceEndpoint Custom(HttpMethod method, string path, bool signed)
        {
            if (!BinancePath.TryParse(path, out string? parsed, out string? problem)) throw new ArgumentException(problem, nameof(path));
            path = parsed!;
            bool sapi = path.StartsWith("/sapi/", StringComparison.Ordinal);
            // Unknown cost: assume the most expensive sapi class so that pacing errs on the slow side.
            return new BinanceEndpoint(method, path, signed, sapi ? RateLimitKind.SapiUid : RateLimitKind.ApiIp, sapi ? 3000 : 1, method != HttpMethod.Get);
        }

        /// <inheritdoc />
        public override string ToString() => Method.Method + " " + Path;
    }

    /// <summary>
    /// Every endpoint the module calls, with its weight, written once (docs/binance.md §2.1 to §2.6, §4). Where the
    /// spec says a weight is UNCONFIRMED (most broker endpoints), the safe assumption is UID 3000: pacing then
    /// errs on the slow side and never earns a 429.
    /// </summary>
    public static class BinanceEndpoints
    {
        private static readonly HttpMethod Delete = HttpMethod.Delete;
        private static readonly HttpMethod Get = HttpMethod.Get;
        private static readonly HttpMethod Post = HttpMethod.Post;

        // §2.1
        public static readonly BinanceEndpoint ServerTime = new BinanceEndpoint(Get, "/api/v3/time", false, RateLimitKind.ApiIp, 1, false);
        public static readonly BinanceEndpoint SystemStatus = new BinanceEndpoint(Get, "/sapi/v1/system/status", false, RateLimitKind.SapiIp, 1, false);

        // §2.2
        public static readonly BinanceEndpoint ApiRestrictions = new BinanceEndpoint(Get, "/sapi/v1/account/apiRestrictions", true, RateLimitKind.SapiIp, 1, false);
        public static readonly BinanceEndpoint AccountInfo = new BinanceEndpoint(Get, "/sapi/v1/account/info", true, RateLimitKind.SapiIp, 1, false);

        // §2.3
        public static readonly BinanceEndpoint CreateSubAccountApiKey = new BinanceEndpoint(Post, "/sapi/v1/sub-account/subAccountApi", true, RateLimitKind.SapiUid, 3000, true);
        public static readonly BinanceEndpoint CreateSubAccountApiKeyV2 = new BinanceEndpoint(Post, "/sapi/v2/sub-account/subAccountApi", true, RateLimitKind.SapiUid, 3000, true);
        public static readonly BinanceEndpoint DeleteSubAccountApiKey = new BinanceEndpoint(Delete, "/sapi/v1/sub-account/subAccountApi", true, RateLimitKind.SapiUid, 3000, true);
        public static readonly BinanceEndpoint QuerySubAccountApiKey = new BinanceEndpoint(Get, "/sapi/v1/sub-account/subAccountApi", true, RateLimitKind.SapiUid, 3000, false);
        public static readonly BinanceEndpoint ModifySubAccountApiKeyPermission = new BinanceEndpoint(Post, "/sapi/v1/sub-account/subAccountApiPermission", true, RateLimitKind.SapiUid, 3000, true);

        // §2.4
        public static readonly BinanceEndpoint GetSubAccountIpRestriction = new BinanceEndpoint(Get, "/sapi/v1/sub-account/subAccountApi/ipRestriction", true, RateLimitKind.SapiUid, 3000, false);
        public static readonly BinanceEndpoint UpdateSubAccountIpRestriction = new BinanceEndpoint(Post, "/sapi/v2/sub-account/subAccountApi/ipRestriction", true, RateLimitKind.SapiUid, 3000, true);
        public static readonly BinanceEndpoint DeleteSubAccountIpList = new BinanceEndpoint(Delete, "/sapi/v1/sub-account/subAccountApi/ipRestriction/ipList", true, RateLimitKind.SapiUid, 3000, true);

        // §2.5
        public static readonly BinanceEndpoint SubAccountList = new BinanceEndpoint(Get, "/sapi/v1/sub-account/list", true, RateLimitKind.SapiIp, 1, false);
        public static readonly BinanceEndpoint SubAccountStatus = new BinanceEndpoint(Get, "/sapi/v1/sub-account/status", true, RateLimitKind.SapiIp, 10, false);

        // §2.6 (weights UNCONFIRMED except create and the v2 IP update: UID 3000 assumed)
        public static readonly BinanceEndpoint BrokerSubAccounts = new BinanceEndpoint(Get, "/sapi/v1/broker/subAccount", true, RateLimitKind.SapiUid, 3000, false);
        public static readonly BinanceEndpoint CreateBrokerApiKey = new BinanceEndpoint(Post, "/sapi/v1/broker/subAccountApi", true, RateLimitKind.SapiUid, 3000, true);
        public static readonly BinanceEndpoint DeleteBrokerApiKey = new BinanceEndpoint(Delete, "/sapi/v1/broker/subAccountApi", true, RateLimitKind.SapiUid, 3000, true);
        public static readonly BinanceEndpoint QueryBrokerApiKey = new BinanceEndpoint(Get, "/sapi/v1/broker/subAccountApi", true, RateLimitKind.SapiUid, 3000, false);
        public static readonly BinanceEndpoint ChangeBrokerApiKeyPermission = new BinanceEndpoint(Post, "/sapi/v1/broker/subAccountApi/permission", true, RateLimitKind.SapiUid, 3000, true);
        public static readonly BinanceEndpoint BrokerUniversalTransfer = new BinanceEndpoint(Post, "/sapi/v1/broker/subAccountApi/permission/universalTransfer", true, RateLimitKind.SapiUid, 3000, true);
        public static readonly BinanceEndpoint BrokerVanillaOptions = new BinanceEndpoint(Post, "/sapi/v1/broker/subAccountApi/permission/vanillaOptions", true, RateLimitKind.SapiUid, 3000, true);
        public static readonly BinanceEndpoint GetBrokerIpRestriction = new BinanceEndpoint(Get, "/sapi/v1/broker/subAccountApi/ipRestriction", true, RateLimitKind.SapiUid, 3000, false);
        public static readonly BinanceEndpoint UpdateBrokerIpRestriction = new BinanceEndpoint(Post, "/sapi/v2/broker/subAccountApi/ipRestriction", true, RateLimitKind.SapiUid, 3000, true);
        public static readonly BinanceEndpoint DeleteBrokerIpList = new BinanceEndpoint(Delete, "/sapi/v1/broker/subAccountApi/ipRestriction/ipList", true, RateLimitKind.SapiUid, 3000, true);

        /// <summary>
        /// Whether a call creates an API key, whose answer carries the one-time HMAC secret (docs/binance.md §2.3,
        /// §2.6). Such calls go through New-BinanceApiKey, which stores the secret first, never through a raw call
        /// that would print it.
        /// </summary>
        /// <remarks>
        /// Compared on the parsed path, case-insensitively and whatever the version segment (a future v3 create is
        /// still a create); any method but GET and DELETE counts, since only those two cannot create. A path the
        /// grammar refuses is reported as creating too, so that a caller who forgot to parse still refuses it.
        /// </remarks>
        public static bool IssuesOneTimeSecret(HttpMethod method, string path)
        {
            if (method == Get || method == Delete) return false;
            if (!BinancePath.TryParse(path, out string? parsed, out _)) return true;
            string unversioned = BinancePath.WithoutVersion(parsed!);
            foreach (var create in new[] { CreateSubAccountApiKey, CreateSubAccountApiKeyV2, CreateBrokerApiKey })
            {
                if (string.Equals(unversioned, BinancePath.WithoutVersion(create.Path), StringComparison.OrdinalIgnoreCase)) return true;
            }
            return false;
        }
    }

    /// <summary>
    /// The grammar a caller's path must follow before it is put after the connection's endpoint (issue: a path that
    /// smuggled a scheme and host sent the API key and a valid signature elsewhere):
    /// <c>path = "/" ("api" / "sapi") 1*("/" segment)</c>, <c>segment = 1*(ALPHA / DIGIT / "-" / "_")</c>, ASCII,
    /// at most 200 characters. So no scheme, authority, <c>..</c> or <c>.</c>, empty segment (<c>//</c>, a trailing
    /// <c>/</c>), backslash, percent-encoding, query or fragment can get in; parameters go in -Parameter.
    /// </summary>
    public static class BinancePath
    {
        /// <summary>Longest path accepted (Binance's longest is under 70 characters).</summary>
        public const int MaxLength = 200;

        /// <summary>Parses <paramref name="path"/>; on success <paramref name="parsed"/> is the path to send, else <paramref name="problem"/> says why not (quoting no more than the path).</summary>
        public static bool TryParse(string? path, out string? parsed, out string? problem)
        {
            parsed = null;
            problem = Check(path);
            if (problem != null) return false;
            parsed = path;
            return true;
        }

        private static string? Check(string? path)
        {
            const string Expected = "expected /api/... or /sapi/... such as /sapi/v1/account/info: segments of letters, digits, '-' and '_', without a host, query or fragment (parameters go in -Parameter)";
            if (string.IsNullOrEmpty(path)) return "The path is empty; " + Expected + ".";
            if (path!.Length > MaxLength) return $"The path is {path.Length} characters long; at most {MaxLength} are accepted.";
            if (path[0] != '/') return $"The path '{Shown(path)}' does not start with '/'; " + Expected + ".";
            string[] segments = path.Substring(1).Split('/');
            if (segments[0] != "api" && segments[0] != "sapi") return $"The path '{Shown(path)}' is refused; " + Expected + ".";
            if (segments.Length < 2) return $"The path '{Shown(path)}' names no endpoint; " + Expected + ".";
            foreach (string segment in segments)
            {
                if (segment.Length == 0) return $"The path '{Shown(path)}' has an empty segment ('//' or a trailing '/'); " + Expected + ".";
                foreach (char c in segment)
                {
                    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                    if (!allowed) return $"The path '{Shown(path)}' contains '{Shown(c.ToString())}', which is not allowed in a path; " + Expected + ".";
                }
            }
            return null;
        }

        /// <summary>The path with its version segment (<c>v1</c>, <c>v2</c>, ...) removed, for comparing endpoints across versions.</summary>
        internal static string WithoutVersion(string parsedPath)
        {
            string[] segments = parsedPath.Split('/');
            // "", "sapi", "v1", ...: the version is the third piece.
            if (segments.Length > 2 && segments[2].Length > 1 && (segments[2][0] == 'v' || segments[2][0] == 'V') && segments[2].Substring(1).All(char.IsDigit))
                return string.Join("/", segments.Take(2).Concat(segments.Skip(3)));
            return parsedPath;
        }

        // The user's own input, but control characters are escaped so that a message cannot forge lines in a log.
        private static string Shown(string text)
        {
            var shown = new System.Text.StringBuilder(text.Length);
            foreach (char c in text) shown.Append(c < 32 || c == 127 ? $"\\u{(int)c:x4}" : c.ToString());
            return shown.ToString();
        }
    }
}

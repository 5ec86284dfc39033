using System;
using BinanceKeys.Sandbox.State;

namespace BinanceKeys.Sandbox.Http;

/// <summary>
/// A Binance-style error: HTTP status plus the <c>{"code":-NNNN,"msg":"..."}</c> body of docs/binance.md §5, or the
/// legacy body with a message and no code (<see cref="Code"/> null).
/// </summary>
internal sealed class BinanceError : Exception
{
    public BinanceError(int httpStatus, int? code, string message, double? retryAfterMs = null)
        : base(message)
    {
        HttpStatus = httpStatus;
        Code = code;
        RetryAfterMs = retryAfterMs;
    }

    public int HttpStatus { get; }

    /// <summary>Binance's code; null for the legacy body that has only <c>msg</c>.</summary>
    public int? Code { get; }

    /// <summary>Set on 429 and 418 answers: the wait in (scaled) milliseconds, sent as <c>Retry-After</c> seconds.</summary>
    public double? RetryAfterMs { get; }
}

/// <summary>Every error code and message the sandbox can send, written once (docs/binance.md §5).</summary>
internal static class BinanceErrors
{
    // docs/binance.md §5: HTTP statuses are mostly undocumented (an assumption): 401 for API-key rejections on
    // /api and for the /sapi ones Binance's clients report as 401, 400 for request errors, 429/418 for limits (§4).
    private const int BadRequest = 400;
    private const int Unauthorized = 401;

    private const string NotAuthorizedMessage = "You are not authorized to execute this request.";

    public static BinanceError UnknownError(int httpStatus) =>
        new(httpStatus, -1000, "An unknown error occurred while processing the request.");

    /// <summary>400 -1002: a rule of the account refuses the change (futures/margin not enabled, Default Security Controls).</summary>
    public static BinanceError NotAuthorized() =>
        new(BadRequest, -1002, NotAuthorizedMessage);

    /// <summary>docs/binance.md §5: /sapi's answer to a signed endpoint called without a signature: 401 -1002.</summary>
    public static BinanceError SignatureRequired() =>
        new(Unauthorized, -1002, NotAuthorizedMessage);

    /// <summary>docs/binance.md §5: /sapi's answer to an IP off the key's whitelist, or a permission the key lacks.</summary>
    public static BinanceError SapiRefused(SapiRejection rejection) => rejection switch
    {
        SapiRejection.Rejected => new(BadRequest, -2015, "Invalid API-key, IP, or permissions for action."),
        SapiRejection.MessageOnly => new(Unauthorized, null, NotAuthorizedMessage),
        _ => new(Unauthorized, -1002, NotAuthorizedMessage),
    };

    public static BinanceError TooMuchWeight(int limit, double retryAfterMs) =>
        new(429, -1003, $"Too much request weight used; current limit is {limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.", retryAfterMs);

    /// <summary>docs/binance.md §4: 418, an automated IP ban for going on after a 429; Retry-After is the ban's length.</summary>
    public static BinanceError IpBanned(long untilMs, double retryAfterMs) =>
        new(418, -1003, $"Way too much request weight used; IP banned until {untilMs}. Please use WebSocket Streams for live updates to avoid bans.", retryAfterMs);

    public static BinanceError TimestampAhead() =>
        new(BadRequest, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");

    public static BinanceError OutsideRecvWindow() =>
        new(BadRequest, -1021, "Timestamp for this request is outside of the recvWindow.");

    public static BinanceError InvalidSignature() =>
        new(BadRequest, -1022, "Signature for this request is not valid.");

    public static BinanceError IllegalCharacters(string parameter, string legalRange) =>
        new(BadRequest, -1100, $"Illegal characters found in parameter '{parameter}'; legal range is '{legalRange}'.");

    public static BinanceError MandatoryParameter(string parameter) =>
        new(BadRequest, -1102, $"Mandatory parameter '{parameter}' was not sent, was empty/null, or malformed.");

    public static BinanceError UnreadParameters(int read, int sent) =>
        new(BadRequest, -1104, $"Not all sent parameters were read; read '{read}' parameter(s) but was sent '{sent}'.");

    public static BinanceError ParameterNotRequired(string parameter) =>
        new(BadRequest, -1106, $"Parameter '{parameter}' sent when not required.");

    public static BinanceError InvalidParameter(string parameter) =>
        new(BadRequest, -1130, $"Data sent for parameter '{parameter}' is not valid.");

    public static BinanceError RecvWindowTooLarge() =>
        new(BadRequest, -1131, "recvWindow must be less than 60000");

    public static BinanceError InvalidApiKeyId() =>
        new(BadRequest, -2008, "Invalid Api-Key ID.");

    public static BinanceError BadApiKeyFormat() =>
        new(Unauthorized, -2014, "API-key format invalid.");

    public static BinanceError RejectedApiKey() =>
        new(Unauthorized, -2015, "Invalid API-key, IP, or permissions for action.");

    public static BinanceError UserDoesNotExist() =>
        new(BadRequest, -3003, "User does not exist.");

    public static BinanceError InvalidOperation() =>
        new(BadRequest, -4001, "Invalid operation.");

    public static BinanceError InvalidEmail() =>
        new(BadRequest, -4003, "Your input email is invalid.");

    // An assumption (docs/binance.md §2.6 gives the 1/second rule, not its error): -4005 is the §5
    // message that fits; sent as HTTP 429 with Retry-After so that clients back off.
    public static BinanceError TooManyNewRequests(double retryAfterMs) =>
        new(429, -4005, "Too many new requests.", retryAfterMs);

    public static BinanceError SupportMainAccountOnly() =>
        new(BadRequest, -4006, "Support main account only.");

    public static BinanceError UnsupportedOperation() =>
        new(BadRequest, -9000, "Unsupported operation");
}

using System;
using System.Collections.Generic;

namespace BinanceKeys.Sandbox.State;

/// <summary>docs/binance.md §1.2: how raw RFC 3986 reserved ASCII (<c>@ , / + = :</c> ...) in a signed payload is taken.</summary>
internal enum ReservedCharacterRule
{
    /// <summary>Verified as sent: the signature covers the raw bytes (what ccxt's sub-account calls rely on).</summary>
    Lenient,

    /// <summary>Refused with -1022: Binance signs its own percent-encoded form, so a raw reserved character never verifies.</summary>
    Strict,
}

/// <summary>docs/binance.md §5: the /sapi answer when the calling key's IP whitelist or permissions refuse the call.</summary>
internal enum SapiRejection
{
    /// <summary>HTTP 401 <c>{"code":-1002,"msg":"You are not authorized to execute this request."}</c>.</summary>
    Unauthorized,

    /// <summary>HTTP 400 <c>{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}</c>.</summary>
    Rejected,

    /// <summary>HTTP 401 <c>{"msg":"You are not authorized to execute this request."}</c>, no code.</summary>
    MessageOnly,
}

/// <summary>docs/binance.md §9: the two readings of Default Security Controls (and the sweep variant of the second).</summary>
internal enum SecurityControlsViolation
{
    /// <summary>The change is refused (400 -1002) and nothing changes: "won't be able to enable any permission other than reading".</summary>
    Refuse,

    /// <summary>The change answers 200, then the key is deleted at once: "will be deleted".</summary>
    DeleteAtOnce,

    /// <summary>The change answers 200; a sweep deletes the key later, so a later call with it gets -2008.</summary>
    DeleteLater,
}

/// <summary>docs/binance.md §2.3: the answer to a key query whose <c>subAccountApiKey</c> filter matches nothing.</summary>
internal enum UnmatchedKeyFilter
{
    /// <summary>400 -2008 "Invalid Api-Key ID."</summary>
    InvalidKeyId,

    /// <summary>200 with an empty page.</summary>
    EmptyPage,
}

/// <summary>The seed's <c>behaviour:</c> block, validated (docs/sandbox.md "Seed options").</summary>
internal sealed record Behaviour(
    ReservedCharacterRule ReservedCharacters,
    SapiRejection SapiRejection,
    SecurityControlsViolation SecurityControlsViolation,
    TimeSpan SweepAfter,
    UnmatchedKeyFilter UnmatchedKeyFilter,
    TimeSpan TradingPermissionLifetime,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ThirdParties)
{
    /// <summary>The defaults of docs/sandbox.md.</summary>
    public static Behaviour Default { get; } = new(
        ReservedCharacterRule.Lenient,
        SapiRejection.Unauthorized,
        SecurityControlsViolation.DeleteAtOnce,
        TimeSpan.FromSeconds(60),
        UnmatchedKeyFilter.InvalidKeyId,
        TimeSpan.FromDays(30),
        new Dictionary<string, IReadOnlyList<string>>());
}

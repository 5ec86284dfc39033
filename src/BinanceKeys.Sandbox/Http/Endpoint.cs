using System;
using System.Collections.Generic;

namespace BinanceKeys.Sandbox.Http;

/// <summary>Who may call an endpoint.</summary>
internal enum Access
{
    /// <summary>Unsigned (security type NONE).</summary>
    Public,

    /// <summary>Signed; any account's key.</summary>
    AnyKey,

    /// <summary>
    /// Signed; a master account's key only (sub-account and broker endpoints). The one master serves
    /// both families; a real broker account gets -10038 on the sub-account list (§2.5), not modelled.
    /// </summary>
    MasterKey,
}

/// <summary>
/// One Binance endpoint: route, access, weights (docs/binance.md §2, §4), accepted parameters and handler.
/// <paramref name="Writes"/>: a state-changing call, which needs the calling key's spotAndMarginTrading
/// (§2.4 note, §2.6 note).
/// </summary>
internal sealed record Endpoint(
    string Method,
    string Path,
    Access Access,
    int IpWeight,
    int UidWeight,
    bool Writes,
    IReadOnlyList<string> Parameters,
    Func<EndpointCall, object> Handle)
{
    public bool IsSapi => Path.StartsWith("/sapi/", StringComparison.Ordinal);
}

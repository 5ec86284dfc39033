using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BinanceKeys.Sandbox.Http;

namespace BinanceKeys.Sandbox.State;

/// <summary>Parsing and limits of an <c>ipAddress</c> list (docs/binance.md §3).</summary>
internal static class IpList
{
    /// <summary>UNCONFIRMED (§3): 30 IPs per key is stated only for the Fast API and by third parties.</summary>
    public const int MaxEntries = 30;

    /// <summary>§2.3: "comma-separated list, max 500 chars".</summary>
    public const int MaxCharacters = 500;

    /// <summary>
    /// Comma-separated, no spaces (§3, PTDefender/Welcome#47), IPv4 dotted quads only (IPv6/CIDR
    /// UNCONFIRMED, so refused), duplicates dropped. Throws the Binance-style error for bad input.
    /// </summary>
    public static IReadOnlyList<string> Parse(string parameterName, string text)
    {
        if (text.Length > MaxCharacters)
        {
            throw BinanceErrors.InvalidParameter(parameterName);
        }
        if (text.Any(char.IsWhiteSpace))
        {
            throw BinanceErrors.IllegalCharacters(parameterName, "0-9.,");
        }
        var entries = text.Split(',').Distinct().ToList();
        if (entries.Count == 0 || !entries.All(IsIpv4))
        {
            throw BinanceErrors.InvalidParameter(parameterName);
        }
        return entries;
    }

    /// <summary>Enforces the per-key maximum on a list about to be stored.</summary>
    public static void EnsureWithinLimit(string parameterName, IReadOnlyCollection<string> list)
    {
        if (list.Count > MaxEntries)
        {
            throw BinanceErrors.InvalidParameter(parameterName);
        }
    }

    public static bool IsIpv4(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(part =>
            part.Length is > 0 and <= 3
            && part.All(char.IsAsciiDigit)
            && (part.Length == 1 || part[0] != '0')
            && int.Parse(part, CultureInfo.InvariantCulture) <= 255);
    }
}

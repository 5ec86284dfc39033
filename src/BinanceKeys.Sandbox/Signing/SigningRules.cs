using BinanceKeys.Sandbox.Http;
using BinanceKeys.Sandbox.State;

namespace BinanceKeys.Sandbox.Signing;

/// <summary>
/// docs/binance.md §1.2, the 2026-01-15 rule: a signed payload is percent-encoded before it is signed, and Binance
/// answers -1022 otherwise. Raw non-ASCII bytes therefore never verify. For raw ASCII that RFC 3986 reserves
/// (<c>@ , / + = : ; ! * ' ( ) $ [ ]</c>, and space) Binance's canonical form is not documented: the seed chooses
/// (<c>behaviour.reservedCharacters</c>) between verifying them as sent (lenient) and refusing them (strict).
/// </summary>
internal static class SigningRules
{
    /// <summary>Whether the signed segments are in a form this sandbox verifies at all.</summary>
    public static bool IsCanonical(RequestParameters parameters, ReservedCharacterRule rule)
    {
        foreach (var segment in parameters.SignedSegments)
        {
            var equals = segment.IndexOf('=');
            if (!IsAcceptable(equals < 0 ? segment : segment[..equals], rule)
                || (equals >= 0 && !IsAcceptable(segment[(equals + 1)..], rule)))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsAcceptable(string raw, ReservedCharacterRule rule)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c > 0x7F)
            {
                return false; // raw non-ASCII: never the encoded form Binance signs
            }
            if (rule == ReservedCharacterRule.Lenient || IsUnreserved(c))
            {
                continue;
            }
            // Strict: only unreserved characters and %XX escapes.
            if (c != '%' || !IsHex(raw, i + 1) || !IsHex(raw, i + 2))
            {
                return false;
            }
            i += 2;
        }
        return true;
    }

    private static bool IsHex(string text, int index) => index < text.Length && char.IsAsciiHexDigit(text[index]);

    // RFC 3986 §2.3.
    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~';
}

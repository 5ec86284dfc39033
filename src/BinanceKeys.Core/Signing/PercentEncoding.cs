using System.Text;

namespace BinanceKeys.Signing
{
    /// <summary>
    /// RFC 3986 percent-encoding of UTF-8 bytes: the unreserved set <c>A-Z a-z 0-9 - _ . ~</c> stays as it is,
    /// every other byte becomes <c>%XX</c> (upper-case hex). This is what docs/binance.md §1.2 recommends (the
    /// docs' <c>rawurlencode</c>); space becomes %20, never '+'.
    /// </summary>
    public static class PercentEncoding
    {
        private const string HexDigits = "0123456789ABCDEF";

        /// <summary>Percent-encodes <paramref name="value"/>.</summary>
        public static string Encode(string value)
        {
            if (IsAllUnreserved(value)) return value;
            byte[] bytes = Encoding.UTF8.GetBytes(value);
            var text = new StringBuilder(bytes.Length * 3);
            foreach (byte b in bytes)
            {
                if (IsUnreserved((char)b))
                {
                    text.Append((char)b);
                }
                else
                {
                    text.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
                }
            }
            return text.ToString();
        }

        private static bool IsAllUnreserved(string value)
        {
            foreach (char c in value)
            {
                if (!IsUnreserved(c)) return false;
            }
            return true;
        }

        private static bool IsUnreserved(char c) =>
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~';
    }
}

using System;
using System.Collections.Generic;
using System.Text;

namespace BinanceKeys.Crypto
{
    /// <summary>
    /// One PEM block read from bytes, so that a private key's base64 body never becomes a managed string (which cannot
    /// be cleared): the body is gathered in a char array and decoded to DER, both cleared by <see cref="Dispose"/> or at once.
    /// Only the label and the RFC 1421 headers (Proc-Type, DEK-Info: nothing secret) become strings.
    /// </summary>
    internal sealed class PemBlock : IDisposable
    {
        /// <summary>Larger than any key file (an RSA-4096 PEM is about 3.3 KB); a bigger file is refused unread.</summary>
        public const int MaxFileSize = 1024 * 1024;

        private PemBlock(string type, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] content)
        {
            Type = type;
            Headers = headers;
            Content = content;
        }

        /// <summary>The label: "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "PUBLIC KEY", ...</summary>
        public string Type { get; }

        /// <summary>The RFC 1421 headers before the body (Proc-Type, DEK-Info), in order.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

        /// <summary>The decoded body (DER); cleared on dispose.</summary>
        public byte[] Content { get; }

        /// <summary>The value of a header, or null.</summary>
        public string? Header(string name)
        {
            foreach (var header in Headers)
            {
                if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)) return header.Value;
            }
            return null;
        }

        /// <summary>Clears the DER.</summary>
        public void Dispose() => Array.Clear(Content, 0, Content.Length);

        /// <summary>
        /// The first block whose label ends in KEY (certificates or parameters before it are skipped), or null when there
        /// is none. A UTF-8 byte-order mark and CR LF or CR line ends are accepted, as OpenSSL accepts them.
        /// </summary>
        /// <exception cref="FormatException">A key block without its END line, with a header after the body, with
        /// characters outside ASCII, or whose body is not base64.</exception>
        public static PemBlock? ReadFirstKey(byte[] text)
        {
            int position = text.Length >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF ? 3 : 0;
            while (NextLine(text, ref position, out int start, out int end))
            {
                string? type = Marker(text, start, end, "-----BEGIN ");
                if (type is null) continue;
                bool isKey = type.EndsWith("KEY", StringComparison.Ordinal);
                PemBlock? block = ReadBody(text, ref position, type, decode: isKey);
                if (isKey) return block;
            }
            return null;
        }

        private static PemBlock? ReadBody(byte[] text, ref int position, string type, bool decode)
        {
            var headers = new List<KeyValuePair<string, string>>();
            // Base64 characters of the body: at most the rest of the file.
            char[] body = new char[decode ? text.Length - position : 0];
            int length = 0;
            try
            {
                while (NextLine(text, ref position, out int start, out int end))
                {
                    string? endType = Marker(text, start, end, "-----END ");
                    if (endType != null)
                    {
                        if (endType != type) throw new FormatException($"the block '{type}' ends with '{endType}'");
                        return decode ? new PemBlock(type, headers, Convert.FromBase64CharArray(body, 0, length)) : null;
                    }
                    if (!decode) continue;
                    int colon = IndexOf(text, start, end, (byte)':');
                    if (colon >= 0)
                    {
                        if (length > 0) throw new FormatException("a header after the body");
                        headers.Add(new KeyValuePair<string, string>(Ascii(text, start, colon).Trim(), Ascii(text, colon + 1, end).Trim()));
                        continue;
                    }
                    for (int i = start; i < end; i++)
                    {
                        byte b = text[i];
                        if (b == ' ' || b == '\t') continue;
                        if (b > 0x7F) throw new FormatException("a character outside ASCII in the body");
                        body[length++] = (char)b;
                    }
                }
                throw new FormatException($"the block '{type}' has no END line");
            }
            finally
            {
                Array.Clear(body, 0, body.Length);
            }
        }

        // The next line without its line end; trailing spaces and tabs are trimmed.
        private static bool NextLine(byte[] text, ref int position, out int start, out int end)
        {
            start = position;
            end = position;
            if (position >= text.Length) return false;
            while (end < text.Length && text[end] != '\n' && text[end] != '\r') end++;
            position = end;
            if (position < text.Length && text[position] == '\r') position++;
            if (position < text.Length && text[position] == '\n') position++;
            while (start < end && (text[start] == ' ' || text[start] == '\t')) start++;
            while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t')) end--;
            return true;
        }

        // "-----BEGIN TYPE-----" -> TYPE for the given prefix, else null.
        private static string? Marker(byte[] text, int start, int end, string prefix)
        {
            const string Dashes = "-----";
            int length = end - start;
            if (length < prefix.Length + Dashes.Length) return null;
            for (int i = 0; i < prefix.Length; i++)
            {
                if (text[start + i] != prefix[i]) return null;
            }
            for (int i = 0; i < Dashes.Length; i++)
            {
                if (text[end - Dashes.Length + i] != '-') return null;
            }
            int typeStart = start + prefix.Length;
            int typeEnd = end - Dashes.Length;
            for (int i = typeStart; i < typeEnd; i++)
            {
                if (text[i] > 0x7F || text[i] < 0x20) return null;
            }
            return Ascii(text, typeStart, typeEnd);
        }

        private static int IndexOf(byte[] text, int start, int end, byte value)
        {
            for (int i = start; i < end; i++)
            {
                if (text[i] == value) return i;
            }
            return -1;
        }

        private static string Ascii(byte[] text, int start, int end) => Encoding.ASCII.GetString(text, start, end - start);
    }
}

using System;
using System.Text;

namespace BinanceKeys.Crypto
{
    /// <summary>Writes PEM blocks the way OpenSSL does: 64-character base64 lines, LF line endings.</summary>
    internal static class PemText
    {
        public static string Write(string label, byte[] der)
        {
            string body = Convert.ToBase64String(der);
            var text = new StringBuilder(body.Length + body.Length / 64 + 64);
            text.Append("-----BEGIN ").Append(label).Append("-----\n");
            for (int offset = 0; offset < body.Length; offset += 64)
            {
                text.Append(body, offset, Math.Min(64, body.Length - offset)).Append('\n');
            }
            text.Append("-----END ").Append(label).Append("-----\n");
            return text.ToString();
        }
    }

    /// <summary>Lowercase hexadecimal, as Binance's HMAC signatures and our fingerprints use.</summary>
    internal static class Hex
    {
        private const string Digits = "0123456789abcdef";

        public static string Lower(byte[] bytes)
        {
            var chars = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = Digits[bytes[i] >> 4];
                chars[2 * i + 1] = Digits[bytes[i] & 0xF];
            }
            return new string(chars);
        }
    }
}

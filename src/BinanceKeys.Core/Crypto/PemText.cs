using System;
using System.Text;

namespace BinanceKeys.Crypto
{
    /// <summary>Writes PEM blocks the way OpenSSL does: 64-character base64 lines, LF line endings.</summary>
    internal static class PemText
    {
        /// <summary>
        /// The PEM block as ASCII bytes, built without a managed string, for private keys: the caller clears the result;
        /// the base64 characters on the way are cleared here.
        /// </summary>
        public static byte[] WriteBytes(string label, byte[] der)
        {
            byte[] begin = Encoding.ASCII.GetBytes("-----BEGIN " + label + "-----\n");
            byte[] end = Encoding.ASCII.GetBytes("-----END " + label + "-----\n");
            var body = new char[(der.Length + 2) / 3 * 4];
            try
            {
                int written = Convert.ToBase64CharArray(der, 0, der.Length, body, 0);
                int lines = (written + 63) / 64;
                var pem = new byte[begin.Length + written + lines + end.Length];
                Buffer.BlockCopy(begin, 0, pem, 0, begin.Length);
                int offset = begin.Length;
                for (int i = 0; i < written; i++)
                {
                    pem[offset++] = (byte)body[i];
                    if (i % 64 == 63 || i == written - 1) pem[offset++] = (byte)'\n';
                }
                Buffer.BlockCopy(end, 0, pem, offset, end.Length);
                return pem;
            }
            finally
            {
                Array.Clear(body, 0, body.Length);
            }
        }

        /// <summary>The PEM block as text; for public keys and encrypted private keys only (a string cannot be cleared).</summary>
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

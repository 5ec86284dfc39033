using System;
using System.Runtime.InteropServices;
using System.Security;

namespace BinanceKeys.Crypto
{
    /// <summary>Copies a SecureString's characters into an array the caller clears as soon as it is done.</summary>
    public static class SecureStrings
    {
        /// <summary>The characters of <paramref name="value"/>; clear them with <see cref="Clear"/>.</summary>
        public static char[] ToChars(SecureString value)
        {
            if (value is null) throw new ArgumentNullException(nameof(value));
            IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(value);
            try
            {
                var chars = new char[value.Length];
                Marshal.Copy(pointer, chars, 0, chars.Length);
                return chars;
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        /// <summary>Overwrites the characters with zeros.</summary>
        public static void Clear(char[]? chars)
        {
            if (chars != null) Array.Clear(chars, 0, chars.Length);
        }
    }
}

using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

namespace BinanceKeys.Crypto
{
    /// <summary>Converts RSA keys between BouncyCastle and the BCL, padding each field to the length the BCL requires.</summary>
    internal static class RsaParameterConversion
    {
        public static RSAParameters ToRsaParameters(RsaPrivateCrtKeyParameters key)
        {
            int modulusLength = (key.Modulus.BitLength + 7) / 8;
            int halfLength = (modulusLength + 1) / 2;
            return new RSAParameters
            {
                Modulus = Unsigned(key.Modulus, modulusLength),
                Exponent = key.PublicExponent.ToByteArrayUnsigned(),
                D = Unsigned(key.Exponent, modulusLength),
                P = Unsigned(key.P, halfLength),
                Q = Unsigned(key.Q, halfLength),
                DP = Unsigned(key.DP, halfLength),
                DQ = Unsigned(key.DQ, halfLength),
                InverseQ = Unsigned(key.QInv, halfLength),
            };
        }

        public static RsaPrivateCrtKeyParameters FromRsaParameters(RSAParameters p) =>
            new RsaPrivateCrtKeyParameters(
                new BigInteger(1, p.Modulus), new BigInteger(1, p.Exponent), new BigInteger(1, p.D),
                new BigInteger(1, p.P), new BigInteger(1, p.Q), new BigInteger(1, p.DP),
                new BigInteger(1, p.DQ), new BigInteger(1, p.InverseQ));

        /// <summary>Overwrites the private fields (D, P, Q, DP, DQ, InverseQ) with zeros.</summary>
        public static void ClearPrivate(RSAParameters parameters)
        {
            foreach (var field in new[] { parameters.D, parameters.P, parameters.Q, parameters.DP, parameters.DQ, parameters.InverseQ })
            {
                if (field != null) Array.Clear(field, 0, field.Length);
            }
        }

        private static byte[] Unsigned(BigInteger value, int length)
        {
            byte[] bytes = value.ToByteArrayUnsigned();
            if (bytes.Length == length) return bytes;
            if (bytes.Length > length) throw new CryptographicException("RSA key field is longer than the modulus allows.");
            var padded = new byte[length];
            Buffer.BlockCopy(bytes, 0, padded, length - bytes.Length, bytes.Length);
            return padded;
        }
    }
}

using System;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace BinanceKeys.State
{
    /// <summary>Reads a public key (PEM SubjectPublicKeyInfo, or its bare base64) far enough to know its algorithm and size.</summary>
    internal static class PublicKeyInspector
    {
        private static readonly Regex Pem = new Regex(
            @"-----BEGIN PUBLIC KEY-----(?<body>[A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----", RegexOptions.CultureInvariant);

        public static bool TryInspect(string text, out ApiKeyType algorithm, out int? bits, out string? problem)
        {
            algorithm = default;
            bits = null;
            problem = null;
            string trimmed = text.Trim();
            string body;
            if (trimmed.Contains("-----BEGIN"))
            {
                if (trimmed.Contains("PRIVATE KEY"))
                {
                    // Never echo the content: it is a private key in the wrong place.
                    problem = "this is a PRIVATE key; publicKey must be the public key (openssl pkey -pubout)";
                    return false;
                }
                Match match = Pem.Match(trimmed);
                if (!match.Success)
                {
                    problem = "expected a PEM block '-----BEGIN PUBLIC KEY-----' ... '-----END PUBLIC KEY-----'";
                    return false;
                }
                body = match.Groups["body"].Value;
            }
            else
            {
                body = trimmed;
            }
            try
            {
                byte[] der = Convert.FromBase64String(Regex.Replace(body, @"\s+", ""));
                AsymmetricKeyParameter key = PublicKeyFactory.CreateKey(der);
                switch (key)
                {
                    case Ed25519PublicKeyParameters _:
                        algorithm = ApiKeyType.Ed25519;
                        return true;
                    case RsaKeyParameters rsa when !rsa.IsPrivate:
                        algorithm = ApiKeyType.Rsa;
                        bits = rsa.Modulus.BitLength;
                        return true;
                    default:
                        problem = $"unsupported public key algorithm ({key.GetType().Name}); Binance accepts Ed25519 and RSA";
                        return false;
                }
            }
            catch (Exception e) when (e is FormatException || e is ArgumentException || e is InvalidOperationException || e is System.IO.IOException || e is SecurityUtilityException || e is InvalidCastException)
            {
                problem = "not a readable public key (expected PEM SubjectPublicKeyInfo, as written by 'openssl pkey -pubout')";
                return false;
            }
        }
    }
}

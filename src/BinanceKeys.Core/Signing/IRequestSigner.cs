using System;

namespace BinanceKeys.Signing
{
    /// <summary>Signs Binance request payloads with one credential.</summary>
    public interface IRequestSigner : IDisposable
    {
        /// <summary>HMAC, Ed25519 or RSA.</summary>
        SignatureType Type { get; }

        /// <summary>
        /// Signs the UTF-8 bytes of <paramref name="payload"/> and returns the signature as Binance expects it
        /// before percent-encoding: lowercase hex for HMAC (docs/binance.md §1.3), base64 otherwise (§1.4, §1.5).
        /// </summary>
        string Sign(string payload);
    }

    /// <summary>The three signature types Binance verifies (docs/binance.md §1.1).</summary>
    public enum SignatureType
    {
        /// <summary>HMAC-SHA256 with the API secret, hex.</summary>
        Hmac,

        /// <summary>Pure Ed25519, base64.</summary>
        Ed25519,

        /// <summary>RSASSA-PKCS1-v1_5 with SHA-256, base64.</summary>
        Rsa,
    }
}

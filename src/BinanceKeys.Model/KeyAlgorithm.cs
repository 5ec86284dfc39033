namespace BinanceKeys
{
    /// <summary>The asymmetric key algorithms Binance accepts for self-generated API keys.</summary>
    public enum KeyAlgorithm
    {
        /// <summary>Ed25519 (RFC 8032), the type Binance recommends.</summary>
        Ed25519,

        /// <summary>RSA, 2048 or 4096 bits, signatures RSASSA-PKCS1-v1_5 with SHA-256.</summary>
        RSA,
    }
}

namespace BinanceKeys
{
    /// <summary>The three kinds of Binance API key; the names are the contract used in files and parameters.</summary>
    public enum ApiKeyType
    {
        /// <summary>System-generated: Binance returns an API key and a secret key, once.</summary>
        Hmac,

        /// <summary>Self-generated Ed25519 key pair (Binance's recommendation); the only type that can have FIX permissions.</summary>
        Ed25519,

        /// <summary>Self-generated RSA key pair, 2048 or 4096 bits, PKCS#8.</summary>
        Rsa,
    }
}

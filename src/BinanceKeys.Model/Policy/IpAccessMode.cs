namespace BinanceKeys
{
    /// <summary>How a key restricts the addresses it can be used from (Binance's <c>status</c> 1, 2, 3).</summary>
    public enum IpAccessMode
    {
        /// <summary>Any address (status 1).</summary>
        Unrestricted,

        /// <summary>Only the addresses in the key's trusted IP list (status 2).</summary>
        TrustedIps,

        /// <summary>A third party's IP whitelist, named by <c>thirdPartyName</c> (status 3).</summary>
        ThirdParty,

        /// <summary>
        /// Not readable: a broker key that Binance lists only masked (docs/binance.md §2.6) and that the module did not
        /// create, so its full API key, which the IP query needs, is unknown.
        /// </summary>
        Unknown,
    }
}

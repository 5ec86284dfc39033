namespace BinanceKeys
{
    /// <summary>Whose keys these are, which decides the endpoints, and whether the API can change them at all.</summary>
    public enum AccountKind
    {
        /// <summary>The calling account's own keys: read-only through the API, changed only in the web UI.</summary>
        Own,

        /// <summary>A sub-account of the master account, addressed by email.</summary>
        SubAccount,

        /// <summary>A Binance Link broker sub-account, addressed by its sub-account id.</summary>
        BrokerSubAccount,
    }
}

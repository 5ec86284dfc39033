namespace BinanceKeys
{
    /// <summary>How bad a policy finding is; ordered so that a higher value is worse.</summary>
    public enum FindingSeverity
    {
        /// <summary>Worth knowing, for example a manual step in the web UI.</summary>
        Info = 0,

        /// <summary>Risky, or will expire, or cannot be checked offline.</summary>
        Warning = 1,

        /// <summary>Binance would reject it or delete the key, or the organisation forbids it.</summary>
        Error = 2,
    }
}

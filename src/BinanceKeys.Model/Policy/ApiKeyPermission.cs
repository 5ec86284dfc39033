namespace BinanceKeys
{
    /// <summary>Every permission a Binance API key can carry, named as in files and parameters (case-insensitive).</summary>
    public enum ApiKeyPermission
    {
        /// <summary>Enable Reading: always on.</summary>
        Reading,

        /// <summary>Enable Spot &amp; Margin Trading.</summary>
        SpotAndMarginTrading,

        /// <summary>Enable Margin Loan, Repay &amp; Transfer.</summary>
        MarginLoanRepayTransfer,

        /// <summary>Enable Futures.</summary>
        Futures,

        /// <summary>Enable Internal Transfer (master and sub-account transfers).</summary>
        InternalTransfer,

        /// <summary>Permits Universal Transfer.</summary>
        UniversalTransfer,

        /// <summary>Enable Withdrawals: needs an IP restriction; web UI only.</summary>
        Withdrawals,

        /// <summary>Enable European Options (vanilla options).</summary>
        EuropeanOptions,

        /// <summary>FIX API trading: Ed25519 keys only.</summary>
        FixApiTrading,

        /// <summary>FIX API read-only: Ed25519 keys only.</summary>
        FixApiReading,

        /// <summary>Portfolio Margin trading.</summary>
        PortfolioMarginTrading,
    }
}

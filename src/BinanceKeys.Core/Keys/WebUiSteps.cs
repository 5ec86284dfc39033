using System.Collections.Generic;

namespace BinanceKeys.Keys
{
    /// <summary>
    /// The exact web-UI steps for what Binance's API cannot do (docs/binance.md §0.1, §2.2): the caller's own keys,
    /// withdrawals, internal transfer, symbol whitelists, FIX permissions of an existing key.
    /// </summary>
    public static class WebUiSteps
    {
        /// <summary>Steps to do <paramref name="action"/> (a sentence starting with a verb) on the key <paramref name="keyOrLabel"/>.</summary>
        public static IReadOnlyList<string> For(AccountReference account, string keyOrLabel, string action)
        {
            string last = char.ToUpperInvariant(action[0]) + action.Substring(1) + ".";
            return account.Kind switch
            {
                AccountKind.Own => new[]
                {
                    "Log in to binance.com with the account that owns the key.",
                    "Open Account > API Management.",
                    $"Find the key {keyOrLabel} and click 'Edit restrictions'.",
                    last,
                },
                AccountKind.SubAccount => new[]
                {
                    "Log in to binance.com with the master account.",
                    "Open Sub Accounts > API Management.",
                    $"Select the sub-account {account.Email} and find the key {keyOrLabel}; click 'Edit restrictions'.",
                    last,
                },
                _ => new[]
                {
                    "Log in to binance.com with the broker (Binance Link) master account.",
                    $"Open the Link sub-account {account.BrokerSubAccountId}'s API management.",
                    $"Find the key {keyOrLabel}; edit its restrictions.",
                    last,
                },
            };
        }

        /// <summary>Steps to create a key in the calling account itself, which only the web UI can do.</summary>
        public static IReadOnlyList<string> CreateOwnKey(string label, string settings) => new[]
        {
            "Log in to binance.com with the account that will own the key.",
            "Open Account > API Management and click 'Create API'.",
            $"Choose the key type, label it '{label}' and confirm with two-factor authentication.",
            $"Click 'Edit restrictions' and set: {settings}.",
        };

        /// <summary>The exception for a change that only the web UI can make.</summary>
        public static ManualStepRequiredException OwnAccount(string what, IReadOnlyList<string>? steps = null) =>
            new ManualStepRequiredException(what + " is not possible through Binance's API (docs/binance.md §0.1).",
                steps ?? For(AccountReference.Own, "(new key)", "click 'Create API', choose the key type, label it and confirm with two-factor authentication"));
    }
}

using System;
using System.Globalization;
using System.Linq;

namespace BinanceKeys
{
    /// <summary>What Export-BinanceKeyState wrote: the file, what it holds and left out, and whether it passes the policy check; never a secret.</summary>
    public sealed class KeyStateExport
    {
        /// <summary>The desired-state file written.</summary>
        public string Path { get; set; } = string.Empty;

        /// <summary>The Binance endpoint the keys were read from.</summary>
        public string Endpoint { get; set; } = string.Empty;

        /// <summary>When they were read.</summary>
        public DateTimeOffset ExportedAt { get; set; }

        /// <summary>Accounts in the file.</summary>
        public int AccountCount { get; set; }

        /// <summary>Keys in the file.</summary>
        public int KeyCount { get; set; }

        /// <summary>Keys written as <c>type: hmac</c> because Binance does not report their type and the module did not create them (correct them by hand).</summary>
        public int AssumedTypeCount { get; set; }

        /// <summary>Keys on Binance that are not in the file, "account: key: why" (masked broker keys, keys left by an interrupted apply, ...).</summary>
        public string[] NotExported { get; set; } = Array.Empty<string>();

        /// <summary>What the file check (Test-BinanceApiKeyPolicy) finds in the file.</summary>
        public PolicyFinding[] Findings { get; set; } = Array.Empty<PolicyFinding>();

        /// <summary>Whether the file passes the policy check (no Error finding).</summary>
        public bool PassesPolicy => !Findings.Any(f => f.Severity == FindingSeverity.Error);

        /// <summary>What else the export has to say (accounts it could not read, a plan of the file that would not be empty).</summary>
        public string[] Notes { get; set; } = Array.Empty<string>();

        /// <inheritdoc />
        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "Exported {0} {1} of {2} {3} to {4}", KeyCount, KeyCount == 1 ? "key" : "keys", AccountCount, AccountCount == 1 ? "account" : "accounts", Path);
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using BinanceKeys.Binance;
using BinanceKeys.Keys;

namespace BinanceKeys.State.Planning
{
    /// <summary>What a plan read of one account on Binance.</summary>
    public sealed class LiveAccount
    {
        /// <summary>Creates the account's snapshot.</summary>
        public LiveAccount(AccountReference account) => Account = account;

        /// <summary>The account.</summary>
        public AccountReference Account { get; }

        /// <summary>Whether its keys could be read (own-account keys cannot).</summary>
        public bool Readable { get; set; } = true;

        /// <summary>Its keys.</summary>
        public List<LiveKey> Keys { get; } = new List<LiveKey>();

        /// <summary>What Binance reported about the account.</summary>
        public LiveAccountFacts Facts { get; set; } = new LiveAccountFacts();

        /// <summary>SHA-256 over what the key query reported, in a stable order.</summary>
        public string KeysFingerprint => Hash(Keys.OrderBy(k => k.Remote.ApiKey, StringComparer.Ordinal).Select(k => k.QueryLine()));

        /// <summary>SHA-256 over everything read, IP whitelists included.</summary>
        public string Fingerprint => Hash(Keys.OrderBy(k => k.Remote.ApiKey, StringComparer.Ordinal).Select(k => k.QueryLine() + "|" + k.IpLine()));

        /// <summary>The fingerprint of a key query's rows, as <see cref="KeysFingerprint"/> computes it.</summary>
        public static string FingerprintOf(IEnumerable<RemoteApiKey> rows) =>
            Hash(rows.OrderBy(r => r.ApiKey, StringComparer.Ordinal).Select(LiveKey.QueryLineOf));

        private static string Hash(IEnumerable<string> lines)
        {
            using var sha = SHA256.Create();
            byte[] digest = sha.ComputeHash(Encoding.UTF8.GetBytes(string.Join("\n", lines)));
            var text = new StringBuilder(digest.Length * 2);
            foreach (byte b in digest) text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            return text.ToString();
        }
    }

    /// <summary>One key as Binance reported it, with what the module's record adds.</summary>
    public sealed class LiveKey
    {
        /// <summary>Creates the key's snapshot.</summary>
        public LiveKey(RemoteApiKey remote, string apiKey, KeyRecord? record)
        {
            Remote = remote;
            ApiKey = apiKey;
            Record = record;
        }

        /// <summary>The query row (a broker key's is masked).</summary>
        public RemoteApiKey Remote { get; }

        /// <summary>The full API key, or the masked one when the module has no record of a broker key.</summary>
        public string ApiKey { get; }

        /// <summary>The module's record of the key, if it created it.</summary>
        public KeyRecord? Record { get; }

        /// <summary>The label: Binance's apiName, else the record's (broker keys).</summary>
        public string? Label => Remote.ApiName ?? Record?.Label;

        /// <summary>Whether the full API key is unknown (a masked broker key the module did not create).</summary>
        public bool IsMasked => ApiKey.IndexOf('*') >= 0;

        /// <summary>The IP restriction, if read (or taken from the cache).</summary>
        public IpRestriction? Ip { get; set; }

        /// <summary>When <see cref="Ip"/> was read from Binance.</summary>
        public DateTimeOffset? IpReadAt { get; set; }

        /// <summary>Where <see cref="Ip"/> came from.</summary>
        public ValueSource IpSource { get; set; } = ValueSource.Unknown;

        /// <summary>The permissions Binance reports as enabled, as bits (<see cref="Policy.PermissionMask"/>).</summary>
        public int EnabledMask => enabledMask ??= Policy.PermissionMask.Of(PermissionMapping.FromRemote(Remote));

        /// <summary>The permissions Binance reports at all, as bits.</summary>
        public int ReportedMask => reportedMask ??= Policy.PermissionMask.Of(PermissionMapping.Reported(Remote));

        private int? enabledMask;
        private int? reportedMask;

        /// <summary>The permissions Binance reports as enabled.</summary>
        public ISet<ApiKeyPermission> Enabled => new HashSet<ApiKeyPermission>(PermissionMapping.FromRemote(Remote));

        /// <summary>The permissions Binance reports at all (enabled or not).</summary>
        public ISet<ApiKeyPermission> Reported => PermissionMapping.Reported(Remote);

        internal string QueryLine() => QueryLineOf(Remote);

        internal static string QueryLineOf(RemoteApiKey row) =>
            string.Join("|", row.ApiKey, row.ApiName ?? "", Flag(row.CanTrade), Flag(row.CanMarginLoanRepay), Flag(row.CanFuturesTrade),
                Flag(row.CanUniversalTransfer), Flag(row.CanVanillaOptions), Flag(row.CanFixApiTrading), Flag(row.CanFixApiReading));

        internal string IpLine() => Ip is null ? "ip:?" :
            (Ip.IpRestrict ? "ip:" + string.Join(",", Ip.IpList.Select(a => a.Trim()).OrderBy(a => a, StringComparer.OrdinalIgnoreCase)) : "ip:any");

        private static string Flag(bool? value) => value is null ? "?" : value.Value ? "1" : "0";

        /// <inheritdoc />
        public override string ToString() => $"{Label ?? "(no label)"} {ApiKey}";
    }
}

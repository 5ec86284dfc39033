using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace BinanceKeys.Policy
{
    /// <summary>What an entry of an IP whitelist turned out to be.</summary>
    public enum IpEntryKind
    {
        Ipv4,
        Ipv6,
        Cidr,
        Invalid,
    }

    /// <summary>Classifies whitelist entries strictly (docs/binance.md §3: IPv4 only, no spaces) and tests CIDR membership.</summary>
    public static class IpAddressRules
    {
        /// <summary>
        /// Strict dotted-quad IPv4: four decimal parts 0-255 without leading zeros. IPAddress.TryParse alone would accept
        /// "1", "0x7f.1" or "010.0.0.1", which Binance's comma-separated list would not read the same way.
        /// </summary>
        public static bool IsStrictIpv4(string text) => TryParseStrictIpv4(text, out _);

        /// <summary>
        /// <see cref="IsStrictIpv4"/> with the address as a number; reads the characters in place (no allocation: the
        /// rules run it on every whitelist entry of estates with tens of thousands of keys).
        /// </summary>
        public static bool TryParseStrictIpv4(string text, out uint value)
        {
            value = 0;
            int parts = 0;
            int i = 0;
            while (true)
            {
                int start = i;
                int part = 0;
                while (i < text.Length && text[i] >= '0' && text[i] <= '9' && i - start < 3)
                {
                    part = part * 10 + (text[i] - '0');
                    i++;
                }
                int length = i - start;
                if (length == 0 || (length > 1 && text[start] == '0') || part > 255) return false;
                value = (value << 8) | (uint)part;
                parts++;
                if (i == text.Length) return parts == 4;
                if (text[i] != '.' || parts == 4) return false;
                i++;
            }
        }

        public static IpEntryKind Classify(string text)
        {
            if (IsStrictIpv4(text)) return IpEntryKind.Ipv4;
            int slash = text.IndexOf('/');
            if (slash > 0)
            {
                string address = text.Substring(0, slash);
                string prefix = text.Substring(slash + 1);
                bool prefixOk = int.TryParse(prefix, NumberStyles.None, CultureInfo.InvariantCulture, out int bits);
                if (prefixOk && IsStrictIpv4(address) && bits <= 32) return IpEntryKind.Cidr;
                if (prefixOk && IPAddress.TryParse(address, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 && bits <= 128)
                    return IpEntryKind.Cidr;
                return IpEntryKind.Invalid;
            }
            if (text.IndexOf(':') >= 0 && IPAddress.TryParse(text, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetworkV6)
                return IpEntryKind.Ipv6;
            return IpEntryKind.Invalid;
        }

        /// <summary>Parses "a.b.c.d/n" or a bare "a.b.c.d" (taken as /32) into an IPv4 network.</summary>
        public static bool TryParseIpv4Network(string text, out Ipv4Network network, out string? problem)
        {
            network = default;
            problem = null;
            int slash = text.IndexOf('/');
            string address = slash < 0 ? text : text.Substring(0, slash);
            int bits = 32;
            if (!IsStrictIpv4(address))
            {
                problem = "expected an IPv4 network such as 203.0.113.0/24 (IPv6 is not accepted in Binance whitelists)";
                return false;
            }
            if (slash >= 0 && (!int.TryParse(text.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out bits) || bits > 32))
            {
                problem = "the prefix length after '/' must be 0 to 32";
                return false;
            }
            uint value = ToUInt32(address);
            uint mask = bits == 0 ? 0u : uint.MaxValue << (32 - bits);
            if ((value & mask) != value)
            {
                problem = $"host bits are set; did you mean {FromUInt32(value & mask)}/{bits}?";
                return false;
            }
            network = new Ipv4Network(value, bits);
            return true;
        }

        internal static uint ToUInt32(string strictIpv4) =>
            TryParseStrictIpv4(strictIpv4, out uint value) ? value : throw new FormatException("Not a strict IPv4 address.");

        internal static string FromUInt32(uint value) =>
            string.Join(".", new[] { value >> 24, (value >> 16) & 255, (value >> 8) & 255, value & 255 });
    }

    /// <summary>An IPv4 network (address and prefix length).</summary>
    public readonly struct Ipv4Network
    {
        public Ipv4Network(uint address, int prefixLength)
        {
            Address = address;
            PrefixLength = prefixLength;
        }

        public uint Address { get; }

        public int PrefixLength { get; }

        public bool Contains(string strictIpv4) => Contains(IpAddressRules.ToUInt32(strictIpv4));

        /// <summary>Whether the address (as a number) lies in the network.</summary>
        public bool Contains(uint address)
        {
            uint mask = PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);
            return (address & mask) == Address;
        }

        public override string ToString() => IpAddressRules.FromUInt32(Address) + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using BinanceKeys.Binance;
using BinanceKeys.State;

namespace BinanceKeys.Keys
{
    /// <summary>Turns what Binance reports about a key into the module's objects, and those into the policy engine's model.</summary>
    internal static class KeyDescriptions
    {
        /// <summary>The object scripts see for a key Binance reported (with its IP restriction, when read).</summary>
        public static ApiKeyInfo Describe(AccountReference account, RemoteApiKey key, IpRestriction? ip, ApiKeyType? type, string? label = null) => new ApiKeyInfo
        {
            Account = account.Name,
            AccountKind = account.Kind,
            Email = account.Email,
            BrokerSubAccountId = account.BrokerSubAccountId,
            Label = key.ApiName ?? label,
            ApiKey = key.ApiKey,
            Type = type,
            Permission = PermissionMapping.FromRemote(key),
            // status 3: a third party's IP list (docs/binance.md §2.3); it restricts the key, but the list is not the key's own.
            IpAccess = ip?.Status == 3 ? IpAccessMode.ThirdParty : ip?.IpRestrict == true ? IpAccessMode.TrustedIps : IpAccessMode.Unrestricted,
            IpAddress = ip?.IpRestrict == true && ip.Status != 3 ? ip.IpList.ToArray() : Array.Empty<string>(),
            CreateTime = key.CreateTime,
        };

        /// <summary>A key that exists on Binance, in the policy engine's model (creation-only rules do not apply to it).</summary>
        public static DesiredKey ToObserved(ApiKeyInfo key)
        {
            var observed = new DesiredKey
            {
                Label = key.Label ?? key.ApiKey ?? string.Empty,
                Type = key.Type,
                IpAccess = key.IpAccess,
                IpAccessDeclared = true,
                CreateTime = key.CreateTime,
                TradingAuthorityExpirationTime = key.TradingAuthorityExpirationTime,
                Observed = true,
            };
            observed.Permissions.AddRange(key.Permission.Select(p => new Located<ApiKeyPermission>(p, null)));
            observed.IpWhitelist.AddRange(key.IpAddress.Select(a => new Located<string>(a, null)));
            return observed;
        }

        /// <summary>A key to be created, in the policy engine's model.</summary>
        public static DesiredKey ToProposed(string label, ApiKeyType type, ISet<ApiKeyPermission> permissions, IReadOnlyList<string> ips,
            Crypto.PublicKey? publicKey, string? secretDestination)
        {
            var proposed = new DesiredKey
            {
                Label = label,
                Type = type,
                IpAccess = ips.Count > 0 ? IpAccessMode.TrustedIps : IpAccessMode.Unrestricted,
                IpAccessDeclared = true,
                PublicKeyPem = publicKey?.Pem,
                PublicKeyAlgorithm = publicKey is null ? (ApiKeyType?)null : type,
                PublicKeyBits = publicKey?.KeySize,
                Secret = type == ApiKeyType.Hmac ? secretDestination : null,
            };
            proposed.Permissions.AddRange(permissions.Select(p => new Located<ApiKeyPermission>(p, null)));
            proposed.IpWhitelist.AddRange(ips.Select(ip => new Located<string>(ip, null)));
            return proposed;
        }

        /// <summary>A key already on Binance, as a sibling in the policy model (it counts towards limits and labels).</summary>
        public static DesiredKey Sibling(RemoteApiKey key) =>
            new DesiredKey { Label = key.ApiName ?? key.ApiKey, Observed = true, IpAccessDeclared = true };
    }
}

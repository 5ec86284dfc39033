using System;
using System.Collections.Generic;
using System.Linq;
using BinanceKeys.Sandbox.Http;
using BinanceKeys.Sandbox.Signing;
using BinanceKeys.Sandbox.State;

namespace BinanceKeys.Sandbox.Endpoints;

/// <summary>A create's IP access: the trusted IPs, and the third party they belong to for status 3.</summary>
internal sealed record Restriction(IReadOnlyList<string> IpList, string? ThirdPartyName)
{
    public bool IsRestricted => IpList.Count > 0 || ThirdPartyName is not null;
}

/// <summary>A permission flag as a request parameter names it, e.g. <c>canTrade</c>.</summary>
internal sealed record PermissionFlag(string Parameter, Permission Permission);

/// <summary>Key changes shared by the sub-account (§2.3–§2.4) and broker (§2.6) endpoint families.</summary>
internal static class KeyOperations
{
    public const string IpAddress = "ipAddress";
    public const string Status = "status";

    public const string ThirdPartyName = "thirdPartyName";

    /// <summary>
    /// Reads the create-time <c>status</c> (§2.3): 1 unrestricted, 2 trusted IPs (<c>ipAddress</c>), 3 a third party's
    /// IPs (<c>thirdPartyName</c>, documented by the official JS SDK). Which IPs a third party stands for is not
    /// documented: the seed names them (<c>behaviour.thirdParties</c>); an unknown name is -1130.
    /// </summary>
    public static Restriction ReadCreateRestriction(EndpointCall call)
    {
        var status = call.Required(Status);
        if (status != "3" && call.Optional(ThirdPartyName) is not null)
        {
            throw BinanceErrors.ParameterNotRequired(ThirdPartyName);
        }
        switch (status)
        {
            case "1":
                return call.Optional(IpAddress) is null ? new Restriction([], null) : throw BinanceErrors.ParameterNotRequired(IpAddress);
            case "2":
                return new Restriction(ParseLimitedList(call.Required(IpAddress)), null);
            case "3":
                if (call.Optional(IpAddress) is not null)
                {
                    throw BinanceErrors.ParameterNotRequired(IpAddress);
                }
                var name = call.Required(ThirdPartyName);
                return call.World.Behaviour.ThirdParties.TryGetValue(name, out var ips)
                    ? new Restriction(ips, name)
                    : throw BinanceErrors.InvalidParameter(ThirdPartyName);
            default:
                throw BinanceErrors.InvalidParameter(Status);
        }
    }

    /// <summary>
    /// Creates a key; the caller applies Default Security Controls after building its answer.
    /// <paramref name="admit"/> runs after every check passed and before the key exists (the broker throttle).
    /// </summary>
    public static SandboxKey Create(
        EndpointCall call,
        SandboxAccount account,
        string label,
        string? publicKeyText,
        bool rsaAllowed,
        IReadOnlyCollection<Permission> permissions,
        Restriction restriction,
        Action? admit = null)
    {
        KeyRules.EnsureRoomForAnotherKey(account);
        PublicKeyMaterial? publicKey = null;
        if (publicKeyText is not null)
        {
            publicKey = PublicKeyMaterial.TryParse(publicKeyText);
            if (publicKey is null || (publicKey.Type == KeyType.Rsa && !rsaAllowed))
            {
                throw BinanceErrors.InvalidParameter("publicKey");
            }
        }
        var type = publicKey?.Type ?? KeyType.Hmac;
        KeyRules.EnsurePermissionsAllowed(account, type, restriction.IsRestricted, permissions);
        admit?.Invoke();

        string apiKey;
        do
        {
            apiKey = KeyGenerator.NewKeyString();
        }
        while (call.World.ApiKeyExists(apiKey));
        var secret = type == KeyType.Hmac ? KeyGenerator.NewKeyString() : null;

        var key = new SandboxKey(apiKey, label, type, secret, publicKey, call.ServerTime);
        foreach (var permission in permissions)
        {
            key.Set(permission, true);
        }
        key.IpList.AddRange(restriction.IpList);
        key.ThirdPartyName = restriction.ThirdPartyName;
        account.Keys.Add(key);
        return key;
    }

    /// <summary>Reads the given flags; an omitted flag is false (the safe reading, see docs/sandbox.md).</summary>
    public static HashSet<Permission> ReadFlags(EndpointCall call, IEnumerable<PermissionFlag> flags, bool allRequired = false)
    {
        var granted = new HashSet<Permission>();
        foreach (var flag in flags)
        {
            var value = allRequired ? call.RequiredBool(flag.Parameter) : call.OptionalBool(flag.Parameter) ?? false;
            if (value)
            {
                granted.Add(flag.Permission);
            }
        }
        return granted;
    }

    /// <summary>Sets exactly these flags on a key, after checking the result against the rules.</summary>
    public static void SetFlags(SandboxAccount account, SandboxKey key, IEnumerable<PermissionFlag> flags, IReadOnlySet<Permission> granted)
    {
        var result = key.Permissions.ToHashSet();
        foreach (var flag in flags)
        {
            if (granted.Contains(flag.Permission))
            {
                result.Add(flag.Permission);
            }
            else
            {
                result.Remove(flag.Permission);
            }
        }
        KeyRules.EnsurePermissionsAllowed(account, key.Type, key.IpRestricted, result);
        foreach (var flag in flags)
        {
            key.Set(flag.Permission, granted.Contains(flag.Permission));
        }
    }

    /// <summary>
    /// POST v2 ipRestriction (§2.4, §2.6). Status 1 lifts the restriction (and clears the list);
    /// status 2 ADDS the given IPs to the list: whether Binance replaces or appends is UNCONFIRMED
    /// (§8), and appending is the safe assumption (a client that removes surplus IPs with DELETE
    /// works either way, one relying on replacement does not).
    /// </summary>
    public static void UpdateRestriction(EndpointCall call, SandboxKey key, string status)
    {
        var given = call.Optional(IpAddress);
        switch (status)
        {
            case "1":
                if (given is not null)
                {
                    throw BinanceErrors.ParameterNotRequired(IpAddress);
                }
                LiftRestriction(key);
                break;
            case "2":
                if (key.ThirdPartyName is not null)
                {
                    // Moving from a third party's IPs to the key's own list: the third party's do not stay.
                    key.ThirdPartyName = null;
                    key.IpList.Clear();
                }
                var merged = key.IpList.Concat(given is null ? new List<string>() : IpList.Parse(IpAddress, given)).Distinct().ToList();
                if (merged.Count == 0)
                {
                    throw BinanceErrors.MandatoryParameter(IpAddress);
                }
                IpList.EnsureWithinLimit(IpAddress, merged);
                key.IpList.Clear();
                key.IpList.AddRange(merged);
                break;
            default:
                throw BinanceErrors.InvalidParameter(Status);
        }
        key.UpdateTime = call.ServerTime;
    }

    /// <summary>DELETE ipList: removes the given IPs, or all when <paramref name="ipAddresses"/> is null.</summary>
    public static void RemoveIps(EndpointCall call, SandboxKey key, string? ipAddresses)
    {
        if (ipAddresses is null)
        {
            LiftRestriction(key);
        }
        else
        {
            var removed = IpList.Parse(IpAddress, ipAddresses);
            key.IpList.RemoveAll(ip => removed.Contains(ip));
            if (!key.IpRestricted)
            {
                KeyRules.OnIpRestrictionRemoved(key);
            }
        }
        key.UpdateTime = call.ServerTime;
    }

    private static void LiftRestriction(SandboxKey key)
    {
        key.IpList.Clear();
        key.ThirdPartyName = null;
        KeyRules.OnIpRestrictionRemoved(key);
    }

    private static IReadOnlyList<string> ParseLimitedList(string text)
    {
        var list = IpList.Parse(IpAddress, text);
        IpList.EnsureWithinLimit(IpAddress, list);
        return list;
    }
}

using System.Collections.Generic;
using BinanceKeys.Sandbox.Signing;

namespace BinanceKeys.Sandbox.State;

/// <summary>One API key as the sandbox holds it. Mutated only under the world's lock.</summary>
internal sealed class SandboxKey
{
    public SandboxKey(string apiKey, string label, KeyType type, string? secretKey, PublicKeyMaterial? publicKey, long createTime)
    {
        ApiKey = apiKey;
        Label = label;
        Type = type;
        SecretKey = secretKey;
        PublicKey = publicKey;
        CreateTime = createTime;
        UpdateTime = createTime;
    }

    public string ApiKey { get; }

    public string Label { get; }

    public KeyType Type { get; }

    /// <summary>HMAC keys only.</summary>
    public string? SecretKey { get; }

    /// <summary>Ed25519 and RSA keys only.</summary>
    public PublicKeyMaterial? PublicKey { get; }

    public long CreateTime { get; }

    /// <summary>Last change of the IP restriction (the <c>updateTime</c> of §2.4).</summary>
    public long UpdateTime { get; set; }

    public HashSet<Permission> Permissions { get; } = new() { Permission.Reading };

    /// <summary>Trusted IPs; an empty list means unrestricted (status 1), unless a third party restricts the key.</summary>
    public List<string> IpList { get; } = new();

    /// <summary>docs/binance.md §2.3 status 3: the third party whose IPs (in <see cref="IpList"/>) the key is restricted to.</summary>
    public string? ThirdPartyName { get; set; }

    public bool IpRestricted => IpList.Count > 0 || ThirdPartyName is not null;

    /// <summary>The status of §2.3: 1 unrestricted, 2 trusted IPs, 3 a third party's IPs.</summary>
    public int RestrictionStatus => ThirdPartyName is not null ? 3 : IpList.Count > 0 ? 2 : 1;

    /// <summary>docs/binance.md §9: when spot and margin trading lapses on a key without an IP whitelist (Unix ms); null: never.</summary>
    public long? TradingExpiresAt { get; set; }

    /// <summary>Default Security Controls, read as a later sweep: when the sweep deletes this key (Unix ms); null: not marked.</summary>
    public long? SweepAt { get; set; }

    public bool Has(Permission permission) => Permissions.Contains(permission);

    public void Set(Permission permission, bool enabled)
    {
        if (enabled)
        {
            Permissions.Add(permission);
        }
        else if (permission != Permission.Reading)
        {
            Permissions.Remove(permission);
        }
    }
}

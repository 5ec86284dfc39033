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

    /// <summary>Trusted IPs; an empty list means unrestricted (status 1).</summary>
    public List<string> IpList { get; } = new();

    public bool IpRestricted => IpList.Count > 0;

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

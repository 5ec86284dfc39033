using System;
using System.Collections.Generic;
using System.Linq;

namespace BinanceKeys.Sandbox.State;

/// <summary>A key permission; the camelCase names are the project-wide contract (docs/desired-state.md).</summary>
internal enum Permission
{
    Reading,
    SpotAndMarginTrading,
    MarginLoanRepayTransfer,
    Futures,
    InternalTransfer,
    UniversalTransfer,
    Withdrawals,
    EuropeanOptions,
    FixApiTrading,
    FixApiReading,
    PortfolioMarginTrading,
}

/// <summary>How a key signs: system-generated secret or an uploaded public key.</summary>
internal enum KeyType
{
    Hmac,
    Ed25519,
    Rsa,
}

/// <summary>Contract names of permissions and key types, both directions.</summary>
internal static class ContractNames
{
    public static string Of(Permission permission)
    {
        var name = permission.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static string Of(KeyType type) => type.ToString().ToLowerInvariant();

    public static bool TryParsePermission(string text, out Permission permission)
    {
        foreach (var candidate in Enum.GetValues<Permission>())
        {
            if (Of(candidate) == text)
            {
                permission = candidate;
                return true;
            }
        }
        permission = default;
        return false;
    }

    public static bool TryParseKeyType(string text, out KeyType type)
    {
        foreach (var candidate in Enum.GetValues<KeyType>())
        {
            if (Of(candidate) == text)
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }

    public static IReadOnlyList<string> Of(IEnumerable<Permission> permissions) =>
        permissions.OrderBy(p => p).Select(Of).ToList();
}

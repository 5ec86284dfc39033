using System.Collections.Generic;
using System.Linq;
using BinanceKeys.Sandbox.Http;

namespace BinanceKeys.Sandbox.State;

/// <summary>Binance's rules for keys (product.md, binance-api.md §2–§3), each written once.</summary>
internal static class KeyRules
{
    /// <summary>product.md and §3: at most 30 keys per account (master and each sub-account).</summary>
    public const int MaxKeysPerAccount = 30;

    public static void EnsureRoomForAnotherKey(SandboxAccount account)
    {
        // Counted per account (UNCONFIRMED, §3: per master including subs?). Error code UNCONFIRMED (§8): -4001.
        if (account.Keys.Count >= MaxKeysPerAccount)
        {
            throw BinanceErrors.InvalidOperation();
        }
    }

    /// <summary>
    /// Checks that a key of this type on this account may hold these permissions. Throws the error
    /// the API would answer; the seed loader reuses the same checks.
    /// </summary>
    public static void EnsurePermissionsAllowed(SandboxAccount account, KeyType type, bool ipRestricted, IReadOnlyCollection<Permission> permissions)
    {
        // §2.3 v2: FIX permissions only for keys with an Ed25519 public key, else -9000.
        if (type != KeyType.Ed25519 && (permissions.Contains(Permission.FixApiTrading) || permissions.Contains(Permission.FixApiReading)))
        {
            throw BinanceErrors.UnsupportedOperation();
        }
        // product.md: futures and margin permissions need the account to have them enabled first.
        // UNCONFIRMED error code: -1002 "not authorized" is the closest §5 message.
        if (permissions.Contains(Permission.Futures) && !account.FuturesEnabled)
        {
            throw BinanceErrors.NotAuthorized();
        }
        if (permissions.Contains(Permission.MarginLoanRepayTransfer) && !account.MarginEnabled)
        {
            throw BinanceErrors.NotAuthorized();
        }
        // product.md / §2.2: withdrawals only with an IP restriction, always.
        if (permissions.Contains(Permission.Withdrawals) && !ipRestricted)
        {
            throw BinanceErrors.NotAuthorized();
        }
    }

    /// <summary>
    /// product.md, Default Security Controls: while on, an HMAC key with unrestricted IP access and
    /// any permission beyond reading is deleted by Binance. Returns true when the key was deleted.
    /// Applied to broker sub-account keys too (UNCONFIRMED; product.md says "its sub-accounts").
    /// </summary>
    public static bool ApplyDefaultSecurityControls(SandboxWorld world, SandboxAccount account, SandboxKey key)
    {
        if (!ViolatesDefaultSecurityControls(world.DefaultSecurityControls, key.Type, key.IpRestricted, key.Permissions))
        {
            return false;
        }
        account.Keys.Remove(key);
        return true;
    }

    public static bool ViolatesDefaultSecurityControls(bool controlsOn, KeyType type, bool ipRestricted, IEnumerable<Permission> permissions) =>
        controlsOn && type == KeyType.Hmac && !ipRestricted && permissions.Any(p => p != Permission.Reading);

    /// <summary>
    /// Called after a key lost its IP restriction. Withdrawals require one, so the permission goes
    /// (UNCONFIRMED what Binance does here; dropping the permission is the safe reading).
    /// </summary>
    public static void OnIpRestrictionRemoved(SandboxKey key) => key.Set(Permission.Withdrawals, false);
}

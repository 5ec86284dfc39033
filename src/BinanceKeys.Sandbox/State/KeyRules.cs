using System.Collections.Generic;
using System.Linq;
using BinanceKeys.Sandbox.Http;

namespace BinanceKeys.Sandbox.State;

/// <summary>Binance's rules for keys (docs/binance.md §2, §3, §9), each written once.</summary>
internal static class KeyRules
{
    /// <summary>docs/binance.md §3, §9: at most 30 keys per account (master and each sub-account).</summary>
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
        // docs/binance.md §9: futures and margin permissions need the account to have them enabled first.
        // UNCONFIRMED error code: -1002 "not authorized" is the closest §5 message.
        if (permissions.Contains(Permission.Futures) && !account.FuturesEnabled)
        {
            throw BinanceErrors.NotAuthorized();
        }
        if (permissions.Contains(Permission.MarginLoanRepayTransfer) && !account.MarginEnabled)
        {
            throw BinanceErrors.NotAuthorized();
        }
        // docs/binance.md §9 and §2.2: withdrawals only with an IP restriction, always.
        if (permissions.Contains(Permission.Withdrawals) && !ipRestricted)
        {
            throw BinanceErrors.NotAuthorized();
        }
    }

    /// <summary>
    /// docs/binance.md §9, Default Security Controls: while on, an HMAC key with unrestricted IP access may hold no
    /// permission beyond reading. Run after every change to a key, with the key's state from before the change
    /// (null for a create). What happens to a key that breaks the rule is the seed's choice, since Binance's help
    /// pages read both ways (docs/sandbox.md, <c>behaviour.securityControlsViolation</c>): the change is refused and
    /// undone; or it answers 200 and the key is deleted at once; or it answers 200 and a later sweep deletes the key.
    /// Applied to broker sub-account keys too (an assumption: "every key of the master account and its sub-accounts").
    /// </summary>
    public static void EnforceDefaultSecurityControls(EndpointCall call, SandboxAccount account, SandboxKey key, KeySnapshot? before)
    {
        var world = call.World;
        if (!ViolatesDefaultSecurityControls(world.DefaultSecurityControls, key.Type, key.IpRestricted, key.Permissions))
        {
            key.SweepAt = null;
            return;
        }
        switch (world.Behaviour.SecurityControlsViolation)
        {
            case SecurityControlsViolation.Refuse:
                if (before is null)
                {
                    account.Keys.Remove(key);
                }
                else
                {
                    before.Restore(key);
                }
                throw BinanceErrors.NotAuthorized();
            case SecurityControlsViolation.DeleteLater:
                key.SweepAt ??= call.WorldTime + (long)call.Clock.Scaled(world.Behaviour.SweepAfter.TotalMilliseconds);
                break;
            default:
                account.Keys.Remove(key);
                break;
        }
    }

    /// <summary>
    /// Time-driven rules, run before and after every request: the Default Security Controls sweep (a marked key that
    /// still breaks the rule is deleted; one that was fixed meanwhile is kept), and docs/binance.md §9's trading expiry:
    /// on a key without an IP whitelist, spot and margin trading lapses a fixed time (30 days, scaled) after it was
    /// enabled or after the key lost its whitelist; a whitelisted key's trading never lapses.
    /// </summary>
    public static void Tick(SandboxWorld world, long now, double scaledTradingLifetimeMs)
    {
        foreach (var (account, key) in world.AllKeys.ToList())
        {
            if (key.SweepAt is { } sweep && sweep <= now)
            {
                key.SweepAt = null;
                if (ViolatesDefaultSecurityControls(world.DefaultSecurityControls, key.Type, key.IpRestricted, key.Permissions))
                {
                    account.Keys.Remove(key);
                    continue;
                }
            }
            if (key.TradingExpiresAt is { } expiry && expiry <= now)
            {
                key.Set(Permission.SpotAndMarginTrading, false);
                key.TradingExpiresAt = null;
            }
            if (key.Has(Permission.SpotAndMarginTrading) && !key.IpRestricted)
            {
                key.TradingExpiresAt ??= now + (long)scaledTradingLifetimeMs;
            }
            else
            {
                key.TradingExpiresAt = null;
            }
        }
    }

    public static bool ViolatesDefaultSecurityControls(bool controlsOn, KeyType type, bool ipRestricted, IEnumerable<Permission> permissions) =>
        controlsOn && type == KeyType.Hmac && !ipRestricted && permissions.Any(p => p != Permission.Reading);

    /// <summary>
    /// Called after a key lost its IP restriction. Withdrawals require one, so the permission goes
    /// (UNCONFIRMED what Binance does here; dropping the permission is the safe reading).
    /// </summary>
    public static void OnIpRestrictionRemoved(SandboxKey key) => key.Set(Permission.Withdrawals, false);
}

/// <summary>A key's mutable state, taken before a change so that a refused change can be undone.</summary>
internal sealed record KeySnapshot(
    IReadOnlyList<Permission> Permissions,
    IReadOnlyList<string> IpList,
    string? ThirdPartyName,
    long UpdateTime,
    long? TradingExpiresAt,
    long? SweepAt)
{
    public static KeySnapshot Take(SandboxKey key) =>
        new(key.Permissions.ToList(), key.IpList.ToList(), key.ThirdPartyName, key.UpdateTime, key.TradingExpiresAt, key.SweepAt);

    public void Restore(SandboxKey key)
    {
        key.Permissions.Clear();
        key.Permissions.UnionWith(Permissions);
        key.IpList.Clear();
        key.IpList.AddRange(IpList);
        key.ThirdPartyName = ThirdPartyName;
        key.UpdateTime = UpdateTime;
        key.TradingExpiresAt = TradingExpiresAt;
        key.SweepAt = SweepAt;
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using BinanceKeys.Keys;
using BinanceKeys.Policy;

namespace BinanceKeys.State.Planning
{
    /// <summary>
    /// Checks that every action of a saved plan is what the desired-state file declares, so that a plan file edited by
    /// hand (or by someone who should not) cannot make an apply do what the file does not say: a create, replace or update
    /// must carry the file's own values, and a delete must be one the file allows (prune on, key not declared) or one that
    /// finishes an interrupted create or replace.
    /// </summary>
    internal static class PlanConsistency
    {
        public static void Check(KeyPlan plan, DesiredState state, Func<KeyPlanAction, bool> isSettlingDelete)
        {
            var problems = new List<string>();
            foreach (var action in plan.Actions)
            {
                string? problem = Problem(action, state, isSettlingDelete);
                if (problem != null) problems.Add($"action {action.Order} ({action.Kind} {action.Target}): {problem}");
            }
            if (problems.Count > 0)
            {
                throw new KeyOperationException(KeyOperationError.StalePlan,
                    "The plan does not match the desired-state file it names, so nothing was sent: " + string.Join("; ", problems.Take(5)) +
                    (problems.Count > 5 ? $"; and {problems.Count - 5} more" : string.Empty) + ". Make a new plan.");
            }
        }

        private static string? Problem(KeyPlanAction action, DesiredState state, Func<KeyPlanAction, bool> isSettlingDelete)
        {
            var account = state.Accounts.FirstOrDefault(a => string.Equals(a.Name, action.Account, StringComparison.OrdinalIgnoreCase));
            if (account is null) return "the file has no such account";
            if (account.Kind != action.AccountKind || !string.Equals(account.Email, action.Email, StringComparison.OrdinalIgnoreCase) || account.BrokerSubAccountId != action.BrokerSubAccountId)
            {
                return "the account is not the one the file declares";
            }
            var key = account.Keys.FirstOrDefault(k => string.Equals(k.Label, action.Label, StringComparison.OrdinalIgnoreCase));
            if (action.Kind == KeyPlanActionKind.Delete)
            {
                if (isSettlingDelete(action)) return null;
                if (!account.Prune) return "the file does not prune this account";
                return key is null ? null : "the file declares this key";
            }
            if (key is null) return "the file declares no key with this label";
            var wanted = key.PermissionSet;
            wanted.Add(ApiKeyPermission.Reading);
            if (action.Type != key.Type) return "the key type differs from the file";
            if (action.DesiredIpAccess != key.IpAccess) return "the IP access differs from the file";
            var ips = key.IpAccess == IpAccessMode.TrustedIps ? key.IpWhitelist.Select(e => e.Value.Trim()) : Enumerable.Empty<string>();
            if (!new HashSet<string>(ips, StringComparer.OrdinalIgnoreCase).SetEquals(action.DesiredIpAddress)) return "the IP whitelist differs from the file";
            // An update keeps FIX flags as they are (they cannot be changed); everything else it sets must be declared.
            bool Allowed(ApiKeyPermission p) => wanted.Contains(p) || (action.Kind == KeyPlanActionKind.UpdatePermissions && (p == ApiKeyPermission.FixApiTrading || p == ApiKeyPermission.FixApiReading));
            if (action.DesiredPermission.Any(p => !Allowed(p))) return "a permission is not in the file";
            if (action.Kind == KeyPlanActionKind.Create || action.Kind == KeyPlanActionKind.Replace)
            {
                if (!string.Equals(action.Secret, key.Type == ApiKeyType.Hmac ? key.Secret : null, StringComparison.Ordinal)) return "the secret's store differs from the file";
                string? fingerprint = FingerprintOf(key.PublicKeyPem);
                if (!string.Equals(fingerprint, action.PublicKeyFingerprint, StringComparison.Ordinal) || !string.Equals(FingerprintOf(action.PublicKeyPem), fingerprint, StringComparison.Ordinal))
                {
                    return "the public key differs from the file";
                }
            }
            return null;
        }

        private static string? FingerprintOf(string? pem)
        {
            if (pem is null) return null;
            try
            {
                return Crypto.PrivateKeyPem.Read(pem, null, "the public key").PublicKey.Fingerprint;
            }
            catch (Crypto.KeyFileException)
            {
                return "unreadable";
            }
        }
    }
}

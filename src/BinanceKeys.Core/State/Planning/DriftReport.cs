using System;
using System.Collections.Generic;
using System.Linq;
using BinanceKeys.Policy;

namespace BinanceKeys.State.Planning
{
    /// <summary>
    /// What differs between a desired-state file and Binance, read off the plan that would converge them (so that a drift
    /// check and a plan never disagree): Missing, Changed (one entry per property), Undeclared (drift), and Unmanaged and
    /// Unverifiable entries, which are information only.
    /// </summary>
    public sealed class DriftReport
    {
        private DriftReport(KeyPlan plan, IReadOnlyList<KeyStateDrift> entries)
        {
            Plan = plan;
            Entries = entries;
        }

        /// <summary>The plan the report was read from.</summary>
        public KeyPlan Plan { get; }

        /// <summary>Every entry, drift first and then information, in the plan's account order.</summary>
        public IReadOnlyList<KeyStateDrift> Entries { get; }

        /// <summary>Whether Binance matches the file (no entry counts as drift).</summary>
        public bool InDesiredState => !Entries.Any(e => e.IsDrift);

        /// <summary>Reads the drift off <paramref name="plan"/>.</summary>
        public static DriftReport From(KeyPlan plan)
        {
            if (plan is null) throw new ArgumentNullException(nameof(plan));
            var entries = new List<KeyStateDrift>();
            // A manual step that comes with a create or replace is part of making the new key: the key is what is missing.
            var made = new HashSet<string>(plan.Actions.Where(a => a.Kind == KeyPlanActionKind.Create || a.Kind == KeyPlanActionKind.Replace).Select(TargetOf), StringComparer.OrdinalIgnoreCase);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            void Add(KeyStateDrift entry)
            {
                // One entry per key and property: an update and a manual step can both concern the permissions.
                if (seen.Add(entry.Kind + "|" + entry.Account + "|" + entry.Label + "|" + entry.ApiKey + "|" + entry.Property)) entries.Add(entry);
            }

            foreach (var action in plan.Actions)
            {
                switch (action.Kind)
                {
                    case KeyPlanActionKind.Create:
                        Add(Missing(action));
                        break;
                    case KeyPlanActionKind.UpdatePermissions:
                    case KeyPlanActionKind.UpdateIpWhitelist:
                    case KeyPlanActionKind.Replace:
                        foreach (var change in action.Changes) Add(Changed(action, change, action.Reason));
                        break;
                    case KeyPlanActionKind.Delete:
                        Add(new KeyStateDrift
                        {
                            Account = action.Account,
                            Label = action.Label,
                            ApiKey = action.ApiKey,
                            Kind = KeyStateDriftKind.Undeclared,
                            Desired = "(not declared)",
                            Actual = DescribeKey(action.ApiKey, action.BeforePermission, action.BeforeIpRestricted, action.BeforeIpAddress),
                            Reason = action.Reason ?? "prune is on, so the plan deletes it",
                        });
                        break;
                    case KeyPlanActionKind.Manual:
                        if (made.Contains(TargetOf(action))) break;
                        if (action.AccountKind != AccountKind.Own && action.ApiKey is null)
                        {
                            // A key only the web UI can create (a third-party IP restriction): declared, not on Binance.
                            var missing = Missing(action);
                            missing.Reason = action.Reason;
                            Add(missing);
                            break;
                        }
                        if (action.Changes.Length == 0)
                        {
                            Add(new KeyStateDrift
                            {
                                Account = action.Account,
                                Label = action.Label,
                                ApiKey = action.ApiKey,
                                Kind = KeyStateDriftKind.Unverifiable,
                                Desired = string.Join(" ", action.Steps),
                                Actual = "(only the web UI shows it)",
                                ActualSource = ValueSource.Unknown,
                                Reason = action.Reason,
                            });
                            break;
                        }
                        foreach (var change in action.Changes)
                        {
                            Add(change.BeforeSource == ValueSource.Unknown
                                ? new KeyStateDrift
                                {
                                    Account = action.Account,
                                    Label = action.Label,
                                    ApiKey = action.ApiKey,
                                    Kind = KeyStateDriftKind.Unverifiable,
                                    Property = change.Property,
                                    Desired = change.After,
                                    Actual = change.Before,
                                    ActualSource = ValueSource.Unknown,
                                    Reason = action.Reason ?? "Binance's API cannot report it: check it in the web UI.",
                                }
                                : Changed(action, change, "only the web UI can change it: " + string.Join(" ", action.Steps)));
                        }
                        break;
                }
            }

            foreach (var key in plan.Undeclared)
            {
                Add(new KeyStateDrift
                {
                    Account = key.Account,
                    Label = key.Label ?? key.ApiKey,
                    ApiKey = key.ApiKey,
                    // A masked key in an account with prune on should not be there, and nothing but the web UI can remove it.
                    Kind = key.Status == UndeclaredKeyStatus.WebUiOnly ? KeyStateDriftKind.Undeclared : KeyStateDriftKind.Unmanaged,
                    Desired = "(not declared)",
                    Actual = DescribeKey(key.ApiKey, key.Permission, key.IpRestricted, key.IpAddress),
                    ActualSource = key.IpSource == ValueSource.Cache ? ValueSource.Cache : ValueSource.Live,
                    Reason = key.Status switch
                    {
                        UndeclaredKeyStatus.WebUiOnly => "prune is on, but Binance lists the key only masked and the module did not create it: delete it in the web UI",
                        UndeclaredKeyStatus.ConnectedKey => "it is the key this session is connected with, which prune never deletes",
                        _ => "prune is off, so it stays",
                    },
                });
            }

            // Drift first, then information; within each, the plan's account order.
            var accountOrder = plan.Accounts.Select((a, i) => (a.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.OrdinalIgnoreCase);
            int Position(KeyStateDrift e) => accountOrder.TryGetValue(e.Account, out int i) ? i : int.MaxValue;
            var ordered = entries.Select((e, i) => (e, i)).OrderBy(p => p.e.IsDrift ? 0 : 1).ThenBy(p => Position(p.e)).ThenBy(p => p.i).Select(p => p.e).ToList();
            return new DriftReport(plan, ordered);
        }

        private static KeyStateDrift Missing(KeyPlanAction action) => new KeyStateDrift
        {
            Account = action.Account,
            Label = action.Label,
            Kind = KeyStateDriftKind.Missing,
            Desired = (action.Type is null ? "key" : ContractNames.Of(action.Type.Value) + " key") + " with permissions " + Names(action.DesiredPermission) + ", " +
                (action.DesiredIpAccess == IpAccessMode.TrustedIps ? "ipWhitelist [" + string.Join(", ", action.DesiredIpAddress) + "]" : "IP access " + ContractNames.Of(action.DesiredIpAccess)),
            Actual = "(none)",
        };

        private static KeyStateDrift Changed(KeyPlanAction action, KeyPropertyChange change, string? reason) => new KeyStateDrift
        {
            Account = action.Account,
            Label = action.Label,
            ApiKey = action.ApiKey,
            Kind = KeyStateDriftKind.Changed,
            Property = change.Property,
            Desired = change.After,
            Actual = change.Before,
            ActualSource = change.BeforeSource,
            Reason = reason,
        };

        private static string DescribeKey(string? apiKey, IEnumerable<ApiKeyPermission>? permissions, bool? ipRestricted, IEnumerable<string>? ips) =>
            (apiKey ?? "a key") + " with permissions " + (permissions is null ? "(unknown)" : Names(permissions)) + ", " +
            (ipRestricted is null ? "IP whitelist not read" : ipRestricted.Value ? "ipWhitelist [" + string.Join(", ", ips ?? Array.Empty<string>()) + "]" : "no IP restriction");

        private static string Names(IEnumerable<ApiKeyPermission> permissions) =>
            "[" + string.Join(", ", permissions.Distinct().OrderBy(p => p).Select(PermissionCatalog.NameOf)) + "]";

        private static string TargetOf(KeyPlanAction action) => action.Account + "|" + action.Label;
    }
}

using System.Collections.Generic;
using System.Linq;
using BinanceKeys.Sandbox.State;

namespace BinanceKeys.Sandbox.Admin;

/// <summary>
/// One moment a key had a permission beyond reading and no IP restriction: recorded when it starts (the request that
/// made it so), with the permissions it had then.
/// </summary>
internal sealed record KeyViolation(
    long Time,
    string Method,
    string Path,
    string Account,
    string ApiKey,
    string Label,
    string Type,
    IReadOnlyList<string> Permissions);

/// <summary>
/// The audit behind <c>GET /admin/violations</c>: after every Binance-API request, every key of the world is checked,
/// and each key that holds more than reading while unrestricted is recorded once per episode (again if its
/// permissions change, or after it was fixed and broke again). Fault campaigns use it to prove that no key passed
/// through an unsafe state, however briefly. Not thread-safe: used under the sandbox lock.
/// </summary>
internal sealed class KeyAudit
{
    // Bounded like the request log: a long-running sandbox cannot grow without limit.
    private const int Capacity = 10_000;

    private readonly List<KeyViolation> _violations = new();
    private readonly Dictionary<string, string> _open = new(System.StringComparer.Ordinal);

    public IReadOnlyList<KeyViolation> Violations => _violations.ToList();

    public void Check(SandboxWorld world, long time, string method, string path)
    {
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var account in world.AllAccounts)
        {
            foreach (var key in account.Keys)
            {
                if (key.IpRestricted || key.Permissions.All(p => p == Permission.Reading))
                {
                    continue;
                }
                var permissions = ContractNames.Of(key.Permissions.OrderBy(p => p));
                var signature = string.Join(",", permissions);
                seen.Add(key.ApiKey);
                if (_open.TryGetValue(key.ApiKey, out var open) && open == signature)
                {
                    continue;
                }
                _open[key.ApiKey] = signature;
                if (_violations.Count < Capacity)
                {
                    _violations.Add(new KeyViolation(time, method, path, account.SubAccountId ?? account.Email, key.ApiKey, key.Label, ContractNames.Of(key.Type), permissions));
                }
            }
        }
        foreach (var closed in _open.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _open.Remove(closed);
        }
    }

    public void Clear()
    {
        _violations.Clear();
        _open.Clear();
    }
}

using System;
using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using BinanceKeys.Secrets;

namespace BinanceKeys.Commands.Infrastructure
{
    /// <summary>
    /// The entry names of the local vaults this session has unlocked, for tab completion: each runspace keeps its own,
    /// in memory only, and a name list is offered only while the vault file is still the version it was read from.
    /// Completion therefore needs no passphrase and derives no key, and shows a session no name it could not already
    /// list itself.
    /// </summary>
    internal static class VaultNameCache
    {
        private static readonly ConditionalWeakTable<Runspace, ConcurrentDictionary<string, VaultNameIndex>> Sessions =
            new ConditionalWeakTable<Runspace, ConcurrentDictionary<string, VaultNameIndex>>();

        /// <summary>Keeps the names of <paramref name="vault"/> for <paramref name="runspace"/> as the vault reads and writes them.</summary>
        public static void Follow(Runspace? runspace, LocalVault vault)
        {
            if (runspace is null) return;
            var indexes = Sessions.GetValue(runspace, _ => new ConcurrentDictionary<string, VaultNameIndex>(PathComparer));
            vault.Indexed += index => indexes[index.Path] = index;
        }

        /// <summary>The names of the vault at <paramref name="path"/> if this runspace read them from the file as it is now.</summary>
        public static VaultNameIndex? Current(Runspace? runspace, string path)
        {
            if (runspace is null || !Sessions.TryGetValue(runspace, out var indexes)) return null;
            return indexes.TryGetValue(path, out var index) && index.IsCurrent() ? index : null;
        }

        private static StringComparer PathComparer =>
            System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
                ? StringComparer.OrdinalIgnoreCase
                : StringComparer.Ordinal;
    }
}

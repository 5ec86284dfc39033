using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using BinanceKeys.Keys;

namespace BinanceKeys.Commands.Infrastructure
{
    /// <summary>
    /// The current connection of each PowerShell runspace: two sessions (or two parallel jobs) in one process
    /// never share credentials, and a closed runspace's connection goes away with it.
    /// </summary>
    internal static class ConnectionStore
    {
        private static readonly ConditionalWeakTable<Runspace, Holder> Connections = new ConditionalWeakTable<Runspace, Holder>();

        public static BinanceConnection? Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                return runspace != null && Connections.TryGetValue(runspace, out var holder) ? holder.Connection : null;
            }
        }

        /// <summary>Sets the connection of the current runspace, disposing the one it replaces.</summary>
        public static void Set(BinanceConnection? connection)
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace is null) return;
            var holder = Connections.GetValue(runspace, _ => new Holder());
            var previous = holder.Connection;
            holder.Connection = connection;
            if (previous != null && !ReferenceEquals(previous, connection)) previous.Dispose();
        }

        private sealed class Holder
        {
            public BinanceConnection? Connection { get; set; }
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace BinanceKeys.Commands.Infrastructure
{
    /// <summary>
    /// The module's own assembly load context (PowerShell 7 only): resolves names to bin/dependencies before
    /// anything already loaded in PowerShell's shared context, except assemblies that ship beside the .NET
    /// runtime itself (the framework, and PowerShell when it is self-contained), which keep one identity.
    /// </summary>
    /// <remarks>
    /// A release build also ships ReadyToRun images of the same assemblies in bin/dependencies/ready/RID/
    /// (precompiled for .NET 10 on that platform, so the first command skips most JIT work); they are preferred
    /// on a matching platform, and the IL copies serve every other one. BINANCEKEYS_NO_READYTORUN=1 loads the IL
    /// copies everywhere (to compare, or to rule the images out).
    /// </remarks>
    internal sealed class IsolatedLoadContext : AssemblyLoadContext
    {
        private readonly string folder;
        private readonly string? readyFolder;
        private readonly HashSet<string> platformAssemblies;

        public IsolatedLoadContext(string folder)
        {
            this.folder = folder;
            string ready = Path.Combine(folder, "ready", CurrentRuntimeIdentifier());
            bool disabled = Environment.GetEnvironmentVariable("BINANCEKEYS_NO_READYTORUN") == "1";
            readyFolder = !disabled && Directory.Exists(ready) ? ready : null;
            platformAssemblies = ReadPlatformAssemblyNames();
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name is null || platformAssemblies.Contains(assemblyName.Name)) return null;
            // Anything not shipped in bin/dependencies (BinanceKeys.Model among them) falls back to the
            // default context, so that the types scripts see have one identity.
            return LoadShipped(assemblyName.Name);
        }

        /// <summary>The named assembly from bin/dependencies (its ReadyToRun image when there is one), or null.</summary>
        public Assembly? LoadShipped(string simpleName)
        {
            string candidate = Path.Combine(folder, simpleName + ".dll");
            if (!File.Exists(candidate)) return null;
            string? precompiled = readyFolder is null ? null : Path.Combine(readyFolder, simpleName + ".dll");
            return LoadFromAssemblyPath(precompiled != null && File.Exists(precompiled) ? precompiled : candidate);
        }

        // The runtime identifiers the release build precompiles for (linux-x64, win-x64, osx-arm64, ...).
        private static string CurrentRuntimeIdentifier()
        {
            string os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
                : "linux";
            return os + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        }

        private static HashSet<string> ReadPlatformAssemblyNames()
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            string? runtimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location);
            if (runtimeFolder is null || !Directory.Exists(runtimeFolder)) return names;
            foreach (string path in Directory.EnumerateFiles(runtimeFolder, "*.dll"))
            {
                names.Add(Path.GetFileNameWithoutExtension(path));
            }
            return names;
        }
    }
}

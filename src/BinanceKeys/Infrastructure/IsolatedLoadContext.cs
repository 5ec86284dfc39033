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
        private readonly string? runtimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location);
        private readonly Dictionary<string, Assembly> loaded = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

        public IsolatedLoadContext(string folder)
        {
            this.folder = folder;
            string ready = Path.Combine(folder, "ready", CurrentRuntimeIdentifier());
            bool disabled = Environment.GetEnvironmentVariable("BINANCEKEYS_NO_READYTORUN") == "1";
            readyFolder = !disabled && Directory.Exists(ready) ? ready : null;
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name is null || IsPlatformAssembly(assemblyName.Name)) return null;
            // Anything not shipped in bin/dependencies (BinanceKeys.Model among them) falls back to the
            // default context, so that the types scripts see have one identity.
            return LoadShipped(assemblyName.Name);
        }

        /// <summary>The named assembly from bin/dependencies (its ReadyToRun image when there is one), or null.</summary>
        /// <remarks>Safe on any thread: the module's start-up warm-up asks for the core on a pool thread.</remarks>
        public Assembly? LoadShipped(string simpleName)
        {
            lock (loaded)
            {
                if (loaded.TryGetValue(simpleName, out Assembly? known)) return known;
                Assembly? assembly = LoadFromFolder(simpleName);
                if (assembly != null) loaded.Add(simpleName, assembly);
                return assembly;
            }
        }

        // An assembly that ships beside the runtime (the framework; PowerShell's own when it is self-contained) keeps the
        // one identity everybody shares. A file check, once per reference: the runtime keeps what this context answered.
        private bool IsPlatformAssembly(string simpleName) =>
            runtimeFolder != null && File.Exists(Path.Combine(runtimeFolder, simpleName + ".dll"));

        private Assembly? LoadFromFolder(string simpleName)
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
    }
}

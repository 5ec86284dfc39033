using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace BinanceKeys.Commands.Infrastructure
{
    /// <summary>
    /// The module's own assembly load context (PowerShell 7 only): resolves names to bin/dependencies before
    /// anything already loaded in PowerShell's shared context, except assemblies that ship beside the .NET
    /// runtime itself (the framework, and PowerShell when it is self-contained), which keep one identity.
    /// </summary>
    internal sealed class IsolatedLoadContext : AssemblyLoadContext
    {
        private readonly string folder;
        private readonly HashSet<string> platformAssemblies;

        public IsolatedLoadContext(string folder)
        {
            this.folder = folder;
            platformAssemblies = ReadPlatformAssemblyNames();
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name is null || platformAssemblies.Contains(assemblyName.Name)) return null;
            string candidate = Path.Combine(folder, assemblyName.Name + ".dll");
            // Anything not shipped in bin/dependencies (BinanceKeys.Model among them) falls back to the
            // default context, so that the types scripts see have one identity.
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
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

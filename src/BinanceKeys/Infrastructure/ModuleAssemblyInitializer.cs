using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace BinanceKeys.Commands.Infrastructure
{
    /// <summary>
    /// Keeps the module's third-party assemblies (BouncyCastle, YamlDotNet, ...) out of PowerShell's shared
    /// load context, so that another module's copy of them can neither break this one nor be broken by it
    /// (docs/design.md §2).
    /// </summary>
    /// <remarks>
    /// Layout: bin/BinanceKeys.dll (these cmdlets) and bin/BinanceKeys.Model.dll (the types scripts see) load
    /// into the default context; bin/dependencies/ holds BinanceKeys.Core.dll and everything it needs.
    /// On PowerShell 7 the default context cannot find BinanceKeys.Core, so the request reaches the handler
    /// below, which loads it into <see cref="IsolatedLoadContext"/>; from there every dependency of the core
    /// resolves to bin/dependencies first. On Windows PowerShell 5.1 (no load contexts) the same handler loads
    /// the files with Assembly.LoadFrom, as powershell.exe itself would.
    /// </remarks>
    public sealed class ModuleAssemblyInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private const string CoreAssemblyName = "BinanceKeys.Core";

        private static readonly Assembly ModuleAssembly = typeof(ModuleAssemblyInitializer).Assembly;
        private static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(ModuleAssembly.Location) ?? ".", "dependencies");
        private static readonly object Gate = new object();
        private static object? isolatedContext;
        private static bool registered;

        /// <summary>Called by PowerShell when the module is imported, before any cmdlet runs.</summary>
        public void OnImport() => Register();

        /// <summary>Called by PowerShell when the module is removed.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            lock (Gate)
            {
                if (!registered) return;
                AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;
                registered = false;
            }
        }

        internal static void Register()
        {
            lock (Gate)
            {
                if (registered) return;
                if (IsCoreClr()) isolatedContext ??= CreateIsolatedContext(DependencyFolder);
                AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;
                registered = true;
            }
        }

        private static bool IsCoreClr() =>
            typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext") != null;

        // Kept apart so that Windows PowerShell never JIT-compiles a reference to AssemblyLoadContext.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static object CreateIsolatedContext(string folder) => new IsolatedLoadContext(folder);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Assembly? LoadIsolated(string name) => ((IsolatedLoadContext)isolatedContext!).LoadShipped(name);

        private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
        {
            var requested = new AssemblyName(args.Name);
            if (requested.Name is null) return null;
            string candidate = Path.Combine(DependencyFolder, requested.Name + ".dll");

            if (isolatedContext != null)
            {
                // PowerShell 7: only the bridge into the isolated context is answered here; the core's own
                // dependencies are resolved by IsolatedLoadContext.Load and never reach this event.
                if (!string.Equals(requested.Name, CoreAssemblyName, StringComparison.Ordinal)) return null;
                return LoadIsolated(requested.Name);
            }

            // Windows PowerShell 5.1: answer requests from this module's own assemblies (or, when the runtime
            // does not say who asked, any request) for a file that ships in bin/dependencies.
            if (args.RequestingAssembly != null && !IsOwnAssembly(args.RequestingAssembly)) return null;
            return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
        }

        private static bool IsOwnAssembly(Assembly assembly)
        {
            if (assembly == ModuleAssembly) return true;
            string? location = string.IsNullOrEmpty(assembly.Location) ? null : Path.GetDirectoryName(assembly.Location);
            return location != null && string.Equals(
                Path.GetFullPath(location).TrimEnd(Path.DirectorySeparatorChar),
                Path.GetFullPath(DependencyFolder).TrimEnd(Path.DirectorySeparatorChar),
                StringComparison.OrdinalIgnoreCase);
        }
    }
}

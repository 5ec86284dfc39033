using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

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
        private const string BouncyCastleAssemblyName = "BouncyCastle.Cryptography";

        /// <summary>The core's start-up warm-up (<c>BinanceKeys.Keys.Credentials.Prepare</c>), found by name; a test pins it.</summary>
        internal const string WarmUpType = "BinanceKeys.Keys.Credentials";
        internal const string WarmUpMethod = "Prepare";

        /// <summary>Set to 1, the module does not warm up its first signature on import (to measure, or to rule it out).</summary>
        internal const string NoWarmUpVariable = "BINANCEKEYS_NO_WARMUP";

        private static readonly Assembly ModuleAssembly = typeof(ModuleAssemblyInitializer).Assembly;
        private static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(ModuleAssembly.Location) ?? ".", "dependencies");
        private static readonly object Gate = new object();
        private static object? isolatedContext;
        private static bool registered;
        private static Task? warmUp;
        private static Exception? warmUpFailure;

        /// <summary>The start-up warm-up, started by the process's first import (null with BINANCEKEYS_NO_WARMUP=1).</summary>
        internal static Task? WarmUpTask => warmUp;

        /// <summary>What the warm-up threw, if it failed (tests read it; nothing else reports it).</summary>
        internal static Exception? WarmUpFailure => warmUpFailure;

        /// <summary>Called by PowerShell when the module is imported, before any cmdlet runs.</summary>
        public void OnImport()
        {
            Register();
            StartWarmUp();
        }

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

        // A session's first signature loads the core and BouncyCastle and builds BouncyCastle's Ed25519 tables: about
        // 15 ms of work that nothing a user types changes. A pool thread does it with a throwaway key while PowerShell
        // finishes the import (matching the export lists, registering the cmdlets) and binds the first command, once per
        // process. Failures stay here: whatever failed fails again, and is reported, in the command that needs it.
        private static void StartWarmUp()
        {
            lock (Gate)
            {
                if (warmUp != null || Environment.GetEnvironmentVariable(NoWarmUpVariable) == "1") return;
                warmUp = Task.Run(() =>
                {
                    try
                    {
                        WarmUp();
                    }
                    catch (Exception e)
                    {
                        warmUpFailure = e;
                    }
                });
            }
        }

        private static void WarmUp()
        {
            if (isolatedContext is null)
            {
                PrepareCore();
                return;
            }
            // PowerShell 7: the core and BouncyCastle are loaded by path into the isolated context, and the core is called
            // by name. Resolving them by reference instead (through this assembly's reference, or the context's Load)
            // would have the runtime check the answer's name with an invariant-culture comparison, and ICU would build
            // its collator on this thread while the import, which needs the same collator, waits for it.
            Assembly core = LoadIsolated(CoreAssemblyName) ?? throw new FileNotFoundException("The module's core assembly is missing.", CoreAssemblyName);
            LoadIsolated(BouncyCastleAssemblyName);
            core.GetType(WarmUpType, throwOnError: true)!.GetMethod(WarmUpMethod, Type.EmptyTypes)!.Invoke(null, null);
        }

        // Windows PowerShell 5.1 has no load contexts; the reference resolves through ResolveDependency.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void PrepareCore() => BinanceKeys.Keys.Credentials.Prepare();

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

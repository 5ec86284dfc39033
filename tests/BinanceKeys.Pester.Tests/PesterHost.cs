using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace BinanceKeys.Pester.Tests
{
    /// <summary>
    /// A full PowerShell 7.6 (Microsoft.PowerShell.SDK) with Pester imported from the NuGet package copied beside
    /// these tests. Each use gets a fresh runspace: one per Pester test file, as `Invoke-Pester` in a new pwsh would.
    /// </summary>
    internal static class PesterHost
    {
        static PesterHost()
        {
            // No PowerShell here or in the shells the tests start reaches for the internet (telemetry, update check):
            // the build machines have none, and the tests must not depend on how fast that fails.
            foreach (var (name, value) in new[] { ("POWERSHELL_TELEMETRY_OPTOUT", "1"), ("POWERSHELL_UPDATECHECK", "Off") })
            {
                if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) Environment.SetEnvironmentVariable(name, value);
            }
        }

        public static string RepositoryRoot { get; } = FindRepositoryRoot();

        /// <summary>The Pester journeys: tests/pester, and the examples that documentation points users to.</summary>
        public static IReadOnlyList<string> TestFiles() =>
            new[] { Path.Combine("tests", "pester"), Path.Combine("examples", "testing") }
                .Select(folder => Path.Combine(RepositoryRoot, folder))
                .Where(Directory.Exists)
                .SelectMany(folder => Directory.EnumerateFiles(folder, "*.Tests.ps1"))
                .OrderBy(path => path, StringComparer.Ordinal)
                .ToList();

        /// <summary>Where each file's JUnit XML goes: BINANCEKEYS_PESTER_RESULTS, else TestResults/pester in the repository.</summary>
        public static string ResultFolder =>
            Environment.GetEnvironmentVariable("BINANCEKEYS_PESTER_RESULTS") is { Length: > 0 } folder
                ? Path.GetFullPath(folder)
                : Path.Combine(RepositoryRoot, "TestResults", "pester");

        public static string Relative(string path) => Path.GetRelativePath(RepositoryRoot, path).Replace('\\', '/');

        /// <summary>A new runspace with pwsh's built-in modules and Pester imported; dispose it.</summary>
        public static PowerShell CreateSession()
        {
            string psHome = Path.GetDirectoryName(typeof(PSObject).Assembly.Location)!;
            var modules = new[] { "Microsoft.PowerShell.Utility", "Microsoft.PowerShell.Management", "Microsoft.PowerShell.Security" }
                .Select(name => Path.Combine(psHome, "Modules", name, name + ".psd1"))
                .Append(Path.Combine(AppContext.BaseDirectory, "Modules", "Pester", "Pester.psd1"))
                .ToArray();
            foreach (string module in modules)
            {
                if (!File.Exists(module)) throw new FileNotFoundException("A module the Pester journeys need is missing (restore and build the test project).", module);
            }
            var state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(modules);
            state.ThrowOnRunspaceOpenError = true;
            var runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            runspace.SessionStateProxy.Path.SetLocation(RepositoryRoot);
            var shell = PowerShell.Create();
            shell.Runspace = runspace;
            return shell;
        }

        private static string FindRepositoryRoot()
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder != null && !File.Exists(Path.Combine(folder.FullName, "BinanceKeys.psd1"))) folder = folder.Parent;
            return folder?.FullName ?? throw new InvalidOperationException("BinanceKeys.psd1 not found above " + AppContext.BaseDirectory);
        }
    }
}

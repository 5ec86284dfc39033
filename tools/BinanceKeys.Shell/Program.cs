using System;
using System.IO;
using System.Management.Automation.Runspaces;
using Microsoft.PowerShell;

namespace BinanceKeys.Shell
{
    /// <summary>
    /// PowerShell 7.6 (the SDK's own console host, the one pwsh runs) with this repository's BinanceKeys.psd1
    /// imported: the same command line as pwsh (-File, -Command, -NoProfile, -NoExit, an interactive prompt),
    /// for machines that have the .NET SDK but no pwsh.
    /// </summary>
    internal static class Program
    {
        // Set to 1 to start without importing BinanceKeys: the import benchmark compares against that bare shell.
        internal const string NoImportVariable = "BINANCEKEYS_SHELL_NO_IMPORT";

        private const string Banner = "PowerShell {0} with BinanceKeys (tools/BinanceKeys.Shell). Get-Help about_BinanceKeys to begin.";

        private const string Help = "BinanceKeys.Shell takes pwsh's parameters (pwsh -?); BinanceKeys from this repository is already imported.\n"
            + "Set " + NoImportVariable + "=1 to start without it.";

        private static int Main(string[] args)
        {
            // This shell sends nothing anywhere by itself: PowerShell's telemetry and its update check stay off unless
            // the user set them. Both reach out to the internet, and on a machine without it (a locked-down CI
            // runner) they have been seen to hold pwsh up (PowerShell/PowerShell#15290, habitat-sh/habitat#8233).
            DefaultEnvironment("POWERSHELL_TELEMETRY_OPTOUT", "1");
            DefaultEnvironment("POWERSHELL_UPDATECHECK", "Off");
            var state = InitialSessionState.CreateDefault2();
            state.Commands.Add(new SessionStateFunctionEntry(LineEditor.FunctionName, LineEditor.FunctionBody));
            if (Environment.GetEnvironmentVariable(NoImportVariable) != "1")
            {
                state.ImportPSModule(new[] { FindManifest() });
            }
            string version = typeof(System.Management.Automation.PSObject).Assembly.GetName().Version?.ToString(3) ?? "7";
            return ConsoleShell.Start(state, string.Format(System.Globalization.CultureInfo.InvariantCulture, Banner, version), Help, args);
        }

        private static void DefaultEnvironment(string name, string value)
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) Environment.SetEnvironmentVariable(name, value);
        }

        // The module of the repository this shell was built in (its output sits under tools/BinanceKeys.Shell/bin),
        // else the one above the current folder.
        private static string FindManifest()
        {
            foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            {
                for (var folder = new DirectoryInfo(start); folder != null; folder = folder.Parent)
                {
                    string candidate = Path.Combine(folder.FullName, "BinanceKeys.psd1");
                    if (File.Exists(candidate)) return candidate;
                }
            }
            throw new FileNotFoundException("BinanceKeys.psd1 was not found above " + AppContext.BaseDirectory + " nor above the current folder.");
        }
    }
}

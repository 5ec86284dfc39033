using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace BinanceKeys.Shell
{
    /// <summary>Runs a PowerShell script or command with the repository's BinanceKeys.psd1 imported.</summary>
    internal static class Program
    {
        private const string Usage = "usage: BinanceKeys.Shell (-File SCRIPT.ps1 [ARGUMENT ...] | -Command \"...\")";

        private static int Main(string[] args)
        {
            if (args.Length < 2 || (args[0] != "-File" && args[0] != "-Command"))
            {
                Console.Error.WriteLine(Usage);
                return 2;
            }

            string manifest = FindManifest();
            var host = new ConsoleHost();
            var state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(new[] { manifest });
            state.ThrowOnRunspaceOpenError = true;
            using var runspace = RunspaceFactory.CreateRunspace(host, state);
            runspace.Open();
            runspace.SessionStateProxy.Path.SetLocation(Directory.GetCurrentDirectory());
            using var shell = PowerShell.Create();
            shell.Runspace = runspace;

            if (args[0] == "-File")
            {
                shell.AddCommand(Path.GetFullPath(args[1]));
                foreach (string argument in args.Skip(2)) shell.AddArgument(argument);
            }
            else
            {
                shell.AddScript(string.Join(" ", args.Skip(1)));
            }
            shell.AddCommand("Out-Default");
            shell.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);

            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                shell.BeginStop(null, null);
            };
            try
            {
                shell.Invoke();
            }
            catch (RuntimeException e)
            {
                // A terminating error ($ErrorActionPreference = 'Stop', or a parse error): say what and where.
                var record = e.ErrorRecord;
                string message = record?.Exception?.Message ?? e.Message;
                string position = record?.InvocationInfo?.PositionMessage ?? string.Empty;
                Console.Error.WriteLine(string.IsNullOrEmpty(position) ? message : message + Environment.NewLine + position);
                return 1;
            }
            return shell.HadErrors || host.ExitCode != 0 ? Math.Max(1, host.ExitCode) : 0;
        }

        private static string FindManifest()
        {
            foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var folder = new DirectoryInfo(start); folder != null; folder = folder.Parent)
                {
                    string candidate = Path.Combine(folder.FullName, "BinanceKeys.psd1");
                    if (File.Exists(candidate)) return candidate;
                }
            }
            throw new FileNotFoundException("BinanceKeys.psd1 was not found above the current folder; run from the repository.");
        }
    }
}

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Xunit;

namespace BinanceKeys.Pester.Tests
{
    /// <summary>
    /// Loading of the precompiled (ReadyToRun) images a release ships in bin/dependencies/ready/RID: preferred on a
    /// matching platform, ignored with BINANCEKEYS_NO_READYTORUN=1, and never without the IL copy beside them.
    /// </summary>
    public sealed class ReadyToRunLoadingTests : IDisposable
    {
        private readonly string folder = Directory.CreateTempSubdirectory("bk-ready-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        [Theory]
        [InlineData(false, "ready")]
        [InlineData(true, "dependencies")]
        public void TheImageForThisPlatformIsLoadedUnlessDisabled(bool disabled, string expectedFolder)
        {
            string module = CopyModuleWithReadyFolder();
            string core = RunAndReportCoreLocation(module, disabled);
            string rid = (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win" : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx" : "linux")
                + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            string expected = expectedFolder == "ready"
                ? Path.Combine(module, "bin", "dependencies", "ready", rid, "BinanceKeys.Core.dll")
                : Path.Combine(module, "bin", "dependencies", "BinanceKeys.Core.dll");
            Assert.Equal(expected, core);
        }

        [Fact]
        public void AnImageForAnotherPlatformIsIgnored()
        {
            string module = CopyModuleWithReadyFolder();
            string ready = Path.Combine(module, "bin", "dependencies", "ready");
            foreach (string platform in Directory.GetDirectories(ready)) Directory.Move(platform, Path.Combine(ready, "plan9-mips"));
            Assert.Equal(Path.Combine(module, "bin", "dependencies", "BinanceKeys.Core.dll"), RunAndReportCoreLocation(module, disabled: false));
        }

        // A copy of the laid-out module whose ready/RID folder holds copies of the IL assemblies (valid images of the
        // same assemblies; what matters here is which file is loaded).
        private string CopyModuleWithReadyFolder()
        {
            string module = Path.Combine(folder, "BinanceKeys");
            foreach (string file in new[] { "BinanceKeys.psd1" }) CopyFile(Path.Combine(PesterHost.RepositoryRoot, file), Path.Combine(module, file));
            foreach (string sub in new[] { "bin", "module", "en-US" })
            {
                string source = Path.Combine(PesterHost.RepositoryRoot, sub);
                foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
                {
                    string relative = Path.GetRelativePath(source, file);
                    if (relative.StartsWith("dependencies" + Path.DirectorySeparatorChar + "ready", StringComparison.Ordinal)) continue;
                    CopyFile(file, Path.Combine(module, sub, relative));
                }
            }
            string rid = (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win" : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx" : "linux")
                + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            foreach (string dll in Directory.EnumerateFiles(Path.Combine(module, "bin", "dependencies"), "*.dll"))
            {
                CopyFile(dll, Path.Combine(module, "bin", "dependencies", "ready", rid, Path.GetFileName(dll)));
            }
            return module;
        }

        private static void CopyFile(string source, string target)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target, overwrite: true);
        }

        private static string RunAndReportCoreLocation(string module, bool disabled)
        {
            string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[]
            {
                Path.Combine(PesterHost.RepositoryRoot, "tools", "BinanceKeys.Shell", "bin", configuration, "net10.0", "BinanceKeys.Shell.dll"),
                "-NoProfile", "-NonInteractive", "-Command",
                $"$ErrorActionPreference = 'Stop'; Import-Module '{Path.Combine(module, "BinanceKeys.psd1")}'; " +
                "$null = Test-BinanceApiKeyPolicy -Path '" + Path.Combine(PesterHost.RepositoryRoot, "examples", "fund-desks.yaml") + "'; " +
                "[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'BinanceKeys.Core' } | ForEach-Object Location",
            })
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["BINANCEKEYS_SHELL_NO_IMPORT"] = "1";
            start.Environment["NO_COLOR"] = "1";
            if (disabled) start.Environment["BINANCEKEYS_NO_READYTORUN"] = "1";
            else start.Environment.Remove("BINANCEKEYS_NO_READYTORUN");
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(6)), "the shell did not finish");
            Assert.True(process.ExitCode == 0, output.Result + error.Result);
            return output.Result.Split('\n').Select(l => l.Trim()).Last(l => l.Length > 0);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// The quick start in this process. The desired-state walkthrough at its end sets the vault variables for its own
    /// vault while it runs (and puts them back), so it runs apart from the tests that read them.
    /// </summary>
    [Collection("Environment")]
    public sealed class QuickStartInProcessTests
    {
        [Fact]
        public void QuickStartRunsToTheEnd()
        {
            string folder = Directory.CreateTempSubdirectory("bk-quickstart-").FullName;
            try
            {
                string? vault = Environment.GetEnvironmentVariable("BINANCEKEYS_VAULT");
                string? passphrase = Environment.GetEnvironmentVariable("BINANCEKEYS_VAULT_PASSPHRASE");
                var result = ModuleHost.Run($"& '{Path.Combine(ModuleHost.RepositoryRoot, "examples", "quickstart.ps1")}' -KeyFolder '{folder}'");
                Assert.Null(result.Terminating);
                Assert.Empty(result.Errors);
                var lines = result.Output.Select(o => o.ToString()).ToList();
                Assert.Contains("   same public key: True", lines);
                Assert.Contains("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", lines);
                Assert.Contains("   keys left in desk-a: 0", lines);
                Assert.True(File.Exists(Path.Combine(folder, "bot.pem")));
                // The walkthrough works in a vault of its own and gives the session's settings back.
                Assert.Equal(vault, Environment.GetEnvironmentVariable("BINANCEKEYS_VAULT"));
                Assert.Equal(passphrase, Environment.GetEnvironmentVariable("BINANCEKEYS_VAULT_PASSPHRASE"));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>The scripts users run from the README keep working, in-process and through tools/BinanceKeys.Shell.</summary>
    public sealed class RepositoryScriptTests
    {
        [Theory]
        [InlineData("build.ps1")]
        [InlineData("examples/quickstart.ps1")]
        public void ScriptsParse(string path)
        {
            Parser.ParseFile(Path.Combine(ModuleHost.RepositoryRoot, path), out _, out ParseError[] errors);
            Assert.Empty(errors);
        }

        /// <summary>The README's first command: `dotnet run --project tools/BinanceKeys.Shell --no-build -- -File examples/quickstart.ps1`.</summary>
        [Fact]
        public void TheReadmeCommandRunsTheQuickStartInTheShell()
        {
            string folder = Directory.CreateTempSubdirectory("bk-quickstart-shell-").FullName;
            try
            {
                var run = Shell.Run(new[] { "-File", "examples/quickstart.ps1", "-KeyFolder", folder });
                Assert.True(run.ExitCode == 0, run.ToString());
                Assert.Contains("   same public key: True", run.Lines);
                Assert.Contains("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", run.Lines);
                Assert.Contains("   keys left in desk-a: 0", run.Lines);
                Assert.Equal(string.Empty, run.Error);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        // Expected codes from pwsh's documented rules (about_Pwsh): -File exits with the script's `exit N`, 1 on a
        // terminating error, else 0; -Command exits with `exit N`, else 0 when the last command succeeded ($?) and 1
        // when it failed.
        [Theory]
        [InlineData("-Command", "exit 3", 3)]
        [InlineData("-Command", "Write-Error 'failed on purpose'", 1)]
        [InlineData("-Command", "Write-Error 'first fails'; 'then this succeeds'", 0)]
        [InlineData("-Command", "Get-BinanceKeyPair -Path ./no-such-key.pem", 1)]
        [InlineData("-Command", "$ErrorActionPreference = 'Stop'; Get-BinanceKeyPair -Path ./no-such-key.pem; exit 0", 1)]
        [InlineData("-Command", "'fine'", 0)]
        [InlineData("-File", "exit 5", 5)]
        [InlineData("-File", "throw 'stopped on purpose'", 1)]
        [InlineData("-File", "$ErrorActionPreference = 'Stop'; Get-BinanceKeyPair -Path ./no-such-key.pem; 'not reached'", 1)]
        [InlineData("-File", "Write-Error 'a non-terminating error'", 0)]
        [InlineData("-File", "'fine'", 0)]
        public void ExitCodesFollowPwsh(string mode, string script, int expected)
        {
            string folder = Directory.CreateTempSubdirectory("bk-exit-").FullName;
            try
            {
                string[] arguments;
                if (mode == "-File")
                {
                    string path = Path.Combine(folder, "script.ps1");
                    File.WriteAllText(path, script);
                    arguments = new[] { "-NoProfile", "-File", path };
                }
                else
                {
                    arguments = new[] { "-NoProfile", "-Command", script };
                }
                var run = Shell.Run(arguments, workingDirectory: folder);
                Assert.True(expected == run.ExitCode, $"expected exit code {expected}: {run}");
                Assert.DoesNotContain("not reached", run.Output);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        [Fact]
        public void TheShellIsAFullPowerShellWithTheModuleImported()
        {
            var run = Shell.Run(new[] { "-NoProfile", "-Command",
                "$PSVersionTable.PSVersion.ToString(); (Get-Module BinanceKeys).ModuleBase; @(Get-Command -Module BinanceKeys).Count; " +
                "Join-Path a b; (ConvertTo-SecureString x -AsPlainText -Force).GetType().Name; (Get-Command Select-Object, Start-Transcript, Invoke-RestMethod).Count" });
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.StartsWith("7.6.", run.Lines[0]);
            Assert.Equal(ModuleHost.RepositoryRoot.TrimEnd(System.IO.Path.DirectorySeparatorChar), run.Lines[1]);
            Assert.Equal(Manifest.ExportedCommandCount().ToString(), run.Lines[2]);
            Assert.Equal(Path.Combine("a", "b"), run.Lines[3]);
            Assert.Equal("SecureString", run.Lines[4]);
            Assert.Equal("3", run.Lines[5]);
        }

        /// <summary>With no -File/-Command and stdin redirected, the prompt reads commands line by line, as pwsh does.</summary>
        [Fact]
        public void ThePromptRunsCommandsFromRedirectedStandardInput()
        {
            var run = Shell.Run(new[] { "-NoProfile", "-NoLogo" }, standardInput:
                "Get-Command -Module BinanceKeys | ForEach-Object Name\n" +
                "Get-Help about_BinanceKeys | Select-Object -First 1 | ForEach-Object { 'about: ' + ($_ -split \"`n\" | Where-Object { $_ -match 'SHORT DESCRIPTION' }) }\n" +
                "exit 4\n");
            Assert.True(run.ExitCode == 4, run.ToString());
            // Each command's output follows the prompt that read it ("PS /path> " before its first line).
            var names = run.Lines.Select(line => Regex.Replace(line, "^PS [^>]*> ", string.Empty)).ToList();
            Assert.Contains("New-BinanceApiKey", names);
            Assert.Contains("Test-BinanceApiKeyPolicy", names);
            Assert.Equal(Manifest.ExportedCommandCount(), names.Count(name => Regex.IsMatch(name, "^[A-Z][a-z]+-(Binance|ApiKey)[A-Za-z]+$")));
            Assert.Contains(run.Lines, line => line.EndsWith("> about: SHORT DESCRIPTION"));
        }

        /// <summary>
        /// The interactive prompt in a pseudo-terminal, as a person types at it: Tab completes commands, parameters
        /// and the module's own values (permissions), and completed commands run.
        /// </summary>
        [Fact]
        public void ThePromptCompletesWithTabInATerminal()
        {
            // Python's pty module gives the shell a real terminal; the script types, waits for the screen, and prints
            // everything the shell wrote.
            const string driver = @"
import os, pty, sys, time, select
pid, fd = pty.fork()
if pid == 0:
    os.environ['TERM'] = 'xterm'
    os.execvp(sys.argv[1], sys.argv[1:])
seen = b''
def read_until(marker, timeout=90):
    global seen
    end = time.time() + timeout
    while marker.encode() not in seen:
        if time.time() > end:
            sys.stdout.write(seen.decode('utf-8', 'replace')); sys.exit('timed out waiting for ' + marker)
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try: chunk = os.read(fd, 65536)
            except OSError: break
            if not chunk: break
            seen += chunk
            # Answer the terminal's cursor-position query (.NET asks it) as a real terminal would.
            if b'\x1b[6n' in chunk: os.write(fd, b'\x1b[1;1R')
def type_keys(text):
    for ch in text:
        os.write(fd, ch.encode()); time.sleep(0.02)
read_until('PS ')
type_keys('Get-Command New-BinanceApiK\t'); read_until('New-BinanceApiKey')
type_keys(' -Syntax\r'); read_until('-Permission')
type_keys('New-BinanceApiKey -Email x@example.com -Label l -Permission spotAnd\t'); read_until('SpotAndMarginTrading')
os.write(fd, b'\x1b'); time.sleep(0.3)
type_keys('exit 0\r')
os.waitpid(pid, 0)
sys.stdout.write(seen.decode('utf-8', 'replace'))
";
            string script = Path.Combine(Directory.CreateTempSubdirectory("bk-pty-").FullName, "drive.py");
            File.WriteAllText(script, driver);
            try
            {
                var arguments = new List<string> { script, "dotnet", Shell.Path, "-NoProfile" };
                var run = Shell.RunProcess("python3", arguments, ModuleHost.RepositoryRoot, null);
                Assert.True(run.ExitCode == 0, run.ToString());
                string screen = Regex.Replace(run.Output, "\x1b\\[[0-9;?]*[A-Za-z]", string.Empty);
                Assert.Contains("Get-Command New-BinanceApiKey", screen);
                Assert.Contains("-Permission SpotAndMarginTrading", screen);
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(script)!, recursive: true);
            }
        }
    }

    /// <summary>The manifest's export lists, read as data (not through the module).</summary>
    internal static class Manifest
    {
        public static int ExportedCommandCount()
        {
            string text = File.ReadAllText(ModuleHost.ManifestPath);
            string cmdlets = Regex.Match(text, @"CmdletsToExport\s*=\s*@\(([^)]*)\)").Groups[1].Value;
            return Regex.Matches(cmdlets, "'[A-Za-z]+-[A-Za-z]+'").Count + Regex.Matches(Regex.Match(text, @"AliasesToExport\s*=\s*@\(([^)]*)\)").Groups[1].Value, "'[A-Za-z-]+'").Count;
        }
    }

    /// <summary>tools/BinanceKeys.Shell run as a process: pwsh's stand-in on machines without pwsh.</summary>
    internal static class Shell
    {
        public static string Path
        {
            get
            {
                string configuration = AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}") ? "Release" : "Debug";
                string dll = System.IO.Path.Combine(ModuleHost.RepositoryRoot, "tools", "BinanceKeys.Shell", "bin", configuration, "net10.0", "BinanceKeys.Shell.dll");
                if (!File.Exists(dll)) throw new FileNotFoundException("The shell is not built (dotnet build builds it before these tests).", dll);
                return dll;
            }
        }

        /// <param name="environment">Variables to set for the shell; a null value removes one the tests inherited.</param>
        public static ProcessRun Run(IEnumerable<string> arguments, string? workingDirectory = null, string? standardInput = null,
            IReadOnlyDictionary<string, string?>? environment = null) =>
            RunProcess("dotnet", new[] { Path }.Concat(arguments), workingDirectory ?? ModuleHost.RepositoryRoot, standardInput, environment);

        public static ProcessRun RunProcess(string fileName, IEnumerable<string> arguments, string workingDirectory, string? standardInput,
            IReadOnlyDictionary<string, string?>? environment = null)
        {
            var start = new ProcessStartInfo(fileName)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            foreach (string argument in arguments) start.ArgumentList.Add(argument);
            // Plain text, as a CI log gets it.
            start.Environment["NO_COLOR"] = "1";
            foreach (var variable in environment ?? new Dictionary<string, string?>())
            {
                if (variable.Value is null) start.Environment.Remove(variable.Key);
                else start.Environment[variable.Key] = variable.Value;
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start " + fileName);
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (standardInput != null) process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish in 3 minutes: {output.Result}{error.Result}");
            }
            return new ProcessRun(process.ExitCode, output.Result, error.Result);
        }
    }

    /// <summary>What a process printed and how it ended.</summary>
    internal sealed class ProcessRun
    {
        public ProcessRun(int exitCode, string output, string error)
        {
            ExitCode = exitCode;
            Output = output;
            Error = error;
            Lines = output.Split('\n').Select(line => line.TrimEnd('\r')).ToList();
        }

        public int ExitCode { get; }
        public string Output { get; }
        public string Error { get; }
        public List<string> Lines { get; }

        public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }
}

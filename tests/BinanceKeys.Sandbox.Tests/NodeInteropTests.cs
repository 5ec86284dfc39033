using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using BinanceKeys.Sandbox.Seed;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>
/// Clients nobody here wrote, against the sandbox as a process: ccxt and Binance's official wallet SDK
/// (<c>@binance/wallet</c>), at the exact versions of tests/interop-node/package-lock.json, driven by node
/// (tests/interop-node/interop.mjs; docs/binance.md §6). A missing node or missing packages fail the test
/// (.ci/run installs both); they are never a silent pass.
/// </summary>
public sealed class NodeInteropTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData("lenient")]
    [InlineData("strict")]
    public async Task CcxtAndTheOfficialWalletSdk_TalkToTheSandbox(string reservedCharacters)
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "interop-node");
        foreach (var package in new[] { "ccxt", Path.Combine("@binance", "wallet") })
        {
            Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", package)),
                $"{package} is not installed in {folder}: run `npm ci` there (.ci/run does).");
        }
        var nodeVersion = Run("node", ["--version"], folder, null, TimeSpan.FromSeconds(30));
        Assert.True(nodeVersion.ExitCode == 0, "node is not installed (.ci/run installs Debian's nodejs): " + nodeVersion.Output);
        Assert.True(int.TryParse(nodeVersion.Output.Trim().TrimStart('v').Split('.')[0], out var major) && major >= 18,
            $"ccxt and @binance/wallet need node 18 or later; found {nodeVersion.Output.Trim()}.");

        // The demo world, plus a sub-account whose email needs percent-encoding, under the reading asked for.
        var seed = Path.Combine(Path.GetTempPath(), $"binancekeys-interop-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(seed, DemoWorld.Yaml.Replace("brokerSubAccounts:", "  - { email: desk+plus@example.com, keys: [] }\nbrokerSubAccounts:", StringComparison.Ordinal)
            + $"\n  reservedCharacters: {reservedCharacters}\n");
        try
        {
            using var sandbox = StartSandbox(seed, out var baseAddress);
            try
            {
                var env = new (string, string)[]
                {
                    ("SANDBOX_URL", baseAddress),
                    ("API_KEY", DemoWorld.AdminApiKey),
                    ("API_SECRET", DemoWorld.AdminSecretKey),
                    ("RESERVED", reservedCharacters),
                };
                var run = await Task.Run(() => Run("node", ["interop.mjs"], folder, env, Patience));
                Assert.True(run.ExitCode == 0, "interop.mjs failed:\n" + run.Output);
                Assert.Contains("11 passed, 0 failed", run.Output, StringComparison.Ordinal);
                Assert.DoesNotContain("FAIL ", run.Output, StringComparison.Ordinal);
            }
            finally
            {
                sandbox.Kill(entireProcessTree: true);
                sandbox.WaitForExit(10_000);
            }
        }
        finally
        {
            File.Delete(seed);
        }
    }

    private static Process StartSandbox(string seed, out string baseAddress)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BinanceKeys.Sandbox.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:0");
        info.ArgumentList.Add("--seed");
        info.ArgumentList.Add(seed);
        var process = Process.Start(info) ?? throw new InvalidOperationException("The sandbox did not start.");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        var ready = Task.Run(() =>
        {
            for (var line = process.StandardOutput.ReadLine(); line is not null; line = process.StandardOutput.ReadLine())
            {
                var at = line.IndexOf("http://", StringComparison.Ordinal);
                if (line.Contains("listening on", StringComparison.Ordinal) && at >= 0)
                {
                    return line[at..].Split(' ')[0].TrimEnd('/');
                }
            }
            return null;
        });
        if (!ready.Wait(TimeSpan.FromSeconds(60)) || ready.Result is null)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The sandbox did not start: " + errors);
        }
        _ = Task.Run(() => process.StandardOutput.ReadToEnd()); // keep draining, so the sandbox never blocks on a full pipe
        baseAddress = ready.Result;
        return process;
    }

    private static (int ExitCode, string Output) Run(string file, string[] arguments, string folder, (string Name, string Value)[]? environment, TimeSpan patience)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? [])
        {
            info.Environment[name] = value;
        }
        Process? process;
        try
        {
            process = Process.Start(info);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{file} could not be started: {e.Message}");
        }
        using (process)
        {
            if (process is null)
            {
                return (-1, $"{file} could not be started.");
            }
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(patience))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{file} did not finish within {patience}:\n{output.Result}{error.Result}");
            }
            return (process.ExitCode, output.Result + error.Result);
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "BinanceKeys.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (BinanceKeys.sln) is not above " + AppContext.BaseDirectory);
    }
}

using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>The command line: refusals exit non-zero with a clear message; a loopback start listens.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--urls http://0.0.0.0:0", "loopback")]
    [InlineData("--urls http://127.0.0.1:0 --time-scale zero", "Unknown or incomplete argument '--time-scale'")]
    [InlineData("--colour blue", "Unknown or incomplete argument '--colour'")]
    [InlineData("--urls http://127.0.0.1:0 --seed /nonexistent/world.yaml", "cannot read the seed file")]
    public async Task RefusalsExitWithCode2(string arguments, string expected)
    {
        using var process = Start(arguments);
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoopbackStartListens()
    {
        using var process = Start("--urls http://127.0.0.1:0 --time-scale 0.01");
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.StartsWith("BinanceKeys sandbox listening on http://127.0.0.1:", line, StringComparison.Ordinal);
            Assert.Contains("time scale 0.01", line, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private static Process Start(string arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "BinanceKeys.Sandbox.dll");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var info = new ProcessStartInfo(host, $"\"{dll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
    }
}

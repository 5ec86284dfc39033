using System;
using System.Globalization;
using System.Threading.Tasks;
using BinanceKeys.Sandbox;
using BinanceKeys.Sandbox.Seed;

// dotnet run --project src/BinanceKeys.Sandbox -- --urls http://127.0.0.1:5080 [--seed FILE] [--time-scale X]
var options = new SandboxOptions { Urls = "http://127.0.0.1:5080", ConsoleHost = true };
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--urls" when value is not null:
            options.Urls = value;
            i++;
            break;
        case "--seed" when value is not null:
            options.SeedPath = value;
            i++;
            break;
        case "--time-scale" when value is not null && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) && scale > 0:
            options.TimeScale = scale;
            i++;
            break;
        default:
            await Console.Error.WriteLineAsync($"Unknown or incomplete argument '{args[i]}'. Usage: --urls http://127.0.0.1:PORT [--seed FILE] [--time-scale X]");
            return 2;
    }
}

try
{
    await using var server = await SandboxServer.StartAsync(options);
    Console.WriteLine($"BinanceKeys sandbox listening on {server.BaseAddress} (time scale {options.TimeScale.ToString(CultureInfo.InvariantCulture)}). Ctrl+C stops it.");
    await server.WaitForShutdownAsync();
    return 0;
}
catch (Exception e) when (e is ArgumentException or SeedException)
{
    await Console.Error.WriteLineAsync("error: " + e.Message);
    return 2;
}
catch (System.IO.IOException e)
{
    await Console.Error.WriteLineAsync("error: cannot listen: " + e.Message);
    return 3;
}

using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Sandbox.Http;
using BinanceKeys.Sandbox.Limits;
using BinanceKeys.Sandbox.Seed;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BinanceKeys.Sandbox;

/// <summary>A running sandbox, in process: start it, call <see cref="BaseAddress"/>, dispose it.</summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxServer(WebApplication app, Uri baseAddress, SandboxEngine engine)
    {
        _app = app;
        BaseAddress = baseAddress;
        Engine = engine;
    }

    /// <summary>The first bound address, with the real port when 0 was asked for (for example http://127.0.0.1:41234/).</summary>
    public Uri BaseAddress { get; }

    internal SandboxEngine Engine { get; }

    /// <summary>
    /// Validates the options (loopback only, seed, time scale), builds the world and starts listening.
    /// Throws <see cref="ArgumentException"/> for a non-loopback address and <see cref="SeedException"/> for a bad seed.
    /// </summary>
    public static async Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        LoopbackGuard.EnsureLoopback(options.Urls);
        var seed = options.SeedPath is not null ? WorldSeed.Load(options.SeedPath)
            : options.SeedYaml is not null ? WorldSeed.Parse(options.SeedYaml, "seed text")
            : WorldSeed.Demo();
        var engine = new SandboxEngine(seed, new SandboxClock(options.TimeProvider ?? throw new ArgumentException("The options need a TimeProvider."), options.TimeScale));

        var builder = WebApplication.CreateSlimBuilder();
        // Everything comes from SandboxOptions: no appsettings or ASPNETCORE_* variables, which could
        // otherwise add Kestrel endpoints beside the checked ones.
        ((IConfigurationBuilder)builder.Configuration).Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        if (options.ConsoleHost)
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        }
        else
        {
            // In a test process the host must not take over Ctrl+C and SIGTERM.
            builder.Services.AddSingleton<IHostLifetime, InProcessLifetime>();
        }
        builder.WebHost.UseUrls(options.Urls);
        // Binance answers only what the sandbox writes: no server header, no HTTPS redirection.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        var app = builder.Build();
        var pipeline = new RequestPipeline(engine);
        app.Run(pipeline.HandleAsync);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        try
        {
            // Belt and braces: check what Kestrel really bound.
            LoopbackGuard.EnsureLoopback(string.Join(';', addresses));
        }
        catch (ArgumentException)
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new SandboxServer(app, new Uri(addresses[0]), engine);
    }

    /// <summary>Completes when the host stops (Ctrl+C on the command line).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>A host lifetime that leaves process signals alone: stopping is the owner's call (DisposeAsync).</summary>
internal sealed class InProcessLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

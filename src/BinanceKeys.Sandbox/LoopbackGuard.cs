using System;
using System.Net;

namespace BinanceKeys.Sandbox;

/// <summary>docs/sandbox.md: the sandbox is loopback only; any other bind address is refused.</summary>
internal static class LoopbackGuard
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first URL that is not plain http on a loopback host.</summary>
    public static void EnsureLoopback(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // "http://*:80" and "http://+:80" don't parse as URIs; they mean every address, so they fail here too.
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || !IsLoopbackHost(uri.Host))
            {
                throw new ArgumentException($"Refusing to listen on '{url}': the sandbox binds loopback addresses only (http://127.0.0.1:PORT, http://localhost:PORT or http://[::1]:PORT).");
            }
        }
    }

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}

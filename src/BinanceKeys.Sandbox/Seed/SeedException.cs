using System;

namespace BinanceKeys.Sandbox.Seed;

/// <summary>A seed file that cannot be loaded; the message names the file and the line or YAML path.</summary>
public sealed class SeedException : Exception
{
    public SeedException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

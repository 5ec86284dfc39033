using System.Collections.Generic;

namespace BinanceKeys.Sandbox.Seed;

// The YAML shape of a seed file (docs/sandbox.md). Unknown fields are rejected by the loader.

/// <summary>Root of a seed file.</summary>
internal sealed class SeedDocument
{
    public SeedMaster? Master { get; set; }

    public List<SeedSubAccount> SubAccounts { get; set; } = new();

    public List<SeedBrokerSubAccount> BrokerSubAccounts { get; set; } = new();
}

/// <summary>The master account of a seed file.</summary>
internal sealed class SeedMaster
{
    public string? Email { get; set; }

    public bool DefaultSecurityControls { get; set; } = true;

    public bool FuturesEnabled { get; set; } = true;

    public bool MarginEnabled { get; set; } = true;

    public List<SeedKey> Keys { get; set; } = new();
}

/// <summary>A sub-account of a seed file.</summary>
internal sealed class SeedSubAccount
{
    public string? Email { get; set; }

    public bool FuturesEnabled { get; set; }

    public bool MarginEnabled { get; set; }

    public string Remark { get; set; } = "";

    public bool IsFreeze { get; set; }

    public List<SeedKey> Keys { get; set; } = new();
}

/// <summary>A broker (Binance Link) sub-account of a seed file.</summary>
internal sealed class SeedBrokerSubAccount
{
    public string? SubAccountId { get; set; }

    public string? Email { get; set; }

    public string Tag { get; set; } = "";

    public bool FuturesEnabled { get; set; }

    public bool MarginEnabled { get; set; }

    public List<SeedKey> Keys { get; set; } = new();
}

/// <summary>A key of a seed file.</summary>
internal sealed class SeedKey
{
    public string? Label { get; set; }

    public string? Type { get; set; }

    public string? ApiKey { get; set; }

    public string? SecretKey { get; set; }

    public string? PublicKey { get; set; }

    public List<string> Permissions { get; set; } = new();

    public List<string> IpWhitelist { get; set; } = new();
}

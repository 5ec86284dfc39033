using System.Collections.Generic;

namespace BinanceKeys.Sandbox.Seed;

// The YAML shape of a seed file (docs/sandbox.md). Unknown fields are rejected by the loader.

/// <summary>Root of a seed file.</summary>
internal sealed class SeedDocument
{
    public SeedMaster? Master { get; set; }

    public List<SeedSubAccount> SubAccounts { get; set; } = new();

    public List<SeedBrokerSubAccount> BrokerSubAccounts { get; set; } = new();

    public SeedBehaviour Behaviour { get; set; } = new();
}

/// <summary>
/// The <c>behaviour:</c> block: where Binance's behaviour is not documented, which plausible reading the sandbox
/// plays (docs/sandbox.md "Seed options"; docs/binance.md marks each such fact as an assumption).
/// </summary>
internal sealed class SeedBehaviour
{
    /// <summary>docs/binance.md §1.2: raw RFC 3986 reserved ASCII in a signed payload; <c>lenient</c> or <c>strict</c>.</summary>
    public string ReservedCharacters { get; set; } = "lenient";

    /// <summary>docs/binance.md §5: the /sapi answer to an IP off the whitelist or a missing permission.</summary>
    public string SapiRejection { get; set; } = "unauthorized";

    /// <summary>docs/binance.md §9: what a change that breaks Default Security Controls does.</summary>
    public string SecurityControlsViolation { get; set; } = "deleteAtOnce";

    /// <summary>With <c>deleteLater</c>: (scaled) seconds until the sweep deletes the key.</summary>
    public double SweepAfterSeconds { get; set; } = 60;

    /// <summary>docs/binance.md §2.3: a key query whose <c>subAccountApiKey</c> matches nothing.</summary>
    public string UnmatchedKeyFilter { get; set; } = "invalidKeyId";

    /// <summary>docs/binance.md §9: days until spot and margin trading expires on a key without an IP whitelist (scaled).</summary>
    public double TradingPermissionDays { get; set; } = 30;

    /// <summary>docs/binance.md §2.3 status 3: third parties by name and the IPs a key restricted to them accepts.</summary>
    public Dictionary<string, List<string>> ThirdParties { get; set; } = new();
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

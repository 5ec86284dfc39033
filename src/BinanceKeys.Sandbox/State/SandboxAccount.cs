using System.Collections.Generic;

namespace BinanceKeys.Sandbox.State;

/// <summary>Which kind of account a key lives on.</summary>
internal enum AccountKind
{
    Master,
    SubAccount,
    BrokerSubAccount,
}

/// <summary>An account (master, sub-account or broker sub-account) and its keys.</summary>
internal sealed class SandboxAccount
{
    public SandboxAccount(AccountKind kind, long userId, string email, long createTime)
    {
        Kind = kind;
        UserId = userId;
        Email = email;
        CreateTime = createTime;
    }

    public AccountKind Kind { get; }

    public long UserId { get; }

    public string Email { get; }

    public long CreateTime { get; }

    /// <summary>Broker sub-accounts only: the id Binance Link addresses them by (§2.6).</summary>
    public string? SubAccountId { get; init; }

    public string Tag { get; init; } = "";

    public string Remark { get; init; } = "";

    public bool IsFreeze { get; init; }

    public bool FuturesEnabled { get; init; }

    public bool MarginEnabled { get; init; }

    public List<SandboxKey> Keys { get; } = new();
}

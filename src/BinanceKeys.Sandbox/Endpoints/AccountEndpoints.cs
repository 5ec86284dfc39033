using System.Collections.Generic;
using System.Text.Json.Serialization;
using BinanceKeys.Sandbox.Http;
using BinanceKeys.Sandbox.State;

namespace BinanceKeys.Sandbox.Endpoints;

/// <summary>docs/binance.md §2.1 (general) and §2.2 (the calling account's own key, read-only).</summary>
internal static class AccountEndpoints
{
    private static readonly string[] NoParameters = [];

    public static IEnumerable<Endpoint> All() =>
    [
        // §2.1
        new("GET", "/api/v3/time", Access.Public, 1, 0, false, NoParameters, call => new ServerTimeResponse(call.ServerTime)),
        new("GET", "/api/v3/ping", Access.Public, 1, 0, false, NoParameters, _ => new EmptyResponse()),
        new("GET", "/sapi/v1/system/status", Access.Public, 1, 0, false, NoParameters, _ => new SystemStatusResponse(0, "normal")),
        // §2.1: the one signed /api endpoint served, so that /api's own answers (-2015, -1102, 429 then 418) can be met.
        new("GET", "/api/v3/account", Access.AnyKey, 20, 0, false, ["omitZeroBalances"], SpotAccount),
        // §2.2
        new("GET", "/sapi/v1/account/apiRestrictions", Access.AnyKey, 1, 0, false, NoParameters, call => ApiRestrictions(call.CallingKey)),
        new("GET", "/sapi/v1/account/info", Access.AnyKey, 1, 0, false, NoParameters, call => AccountInfo(call.Caller)),
        new("GET", "/sapi/v1/account/status", Access.AnyKey, 1, 0, false, NoParameters, _ => new AccountStatusResponse("Normal")),
        new("GET", "/sapi/v1/account/apiTradingStatus", Access.AnyKey, 1, 0, false, NoParameters, call => TradingStatus(call.ServerTime)),
    ];

    private static ApiRestrictionsResponse ApiRestrictions(SandboxKey key) => new(
        key.IpRestricted,
        key.CreateTime,
        EnableReading: true,
        key.Has(Permission.Withdrawals),
        key.Has(Permission.InternalTransfer),
        key.Has(Permission.MarginLoanRepayTransfer),
        key.Has(Permission.Futures),
        key.Has(Permission.UniversalTransfer),
        key.Has(Permission.EuropeanOptions),
        key.Has(Permission.FixApiTrading),
        key.Has(Permission.FixApiReading),
        key.Has(Permission.SpotAndMarginTrading),
        key.Has(Permission.PortfolioMarginTrading),
        key.TradingExpiresAt);

    private static SpotAccountResponse SpotAccount(EndpointCall call)
    {
        var key = call.CallingKey;
        var balances = call.OptionalBool("omitZeroBalances") == true ? [] : new List<SpotBalance> { new("USDT", "0.00000000", "0.00000000") };
        return new SpotAccountResponse(
            10, 10, 0, 0,
            new CommissionRates("0.00100000", "0.00100000", "0.00000000", "0.00000000"),
            key.Has(Permission.SpotAndMarginTrading),
            key.Has(Permission.Withdrawals),
            CanDeposit: true,
            Brokered: false,
            RequireSelfTradePrevention: false,
            PreventSor: false,
            call.ServerTime,
            "SPOT",
            balances,
            ["SPOT"],
            call.Caller.UserId);
    }

    private static AccountInfoResponse AccountInfo(SandboxAccount account) =>
        new(0, account.MarginEnabled, account.FuturesEnabled, false, false);

    private static TradingStatusResponse TradingStatus(long now) =>
        new(new TradingStatusData(false, 0, new TriggerCondition(150, 150, 300), now));
}

/// <summary>§2.1 <c>GET /api/v3/time</c>.</summary>
internal sealed record ServerTimeResponse(long ServerTime);

/// <summary><c>{}</c>: ping and the delete endpoints.</summary>
internal sealed record EmptyResponse;

/// <summary>§2.1 <c>GET /api/v3/account</c> (USER_DATA, weight 20).</summary>
internal sealed record SpotAccountResponse(
    int MakerCommission,
    int TakerCommission,
    int BuyerCommission,
    int SellerCommission,
    CommissionRates CommissionRates,
    bool CanTrade,
    bool CanWithdraw,
    bool CanDeposit,
    bool Brokered,
    bool RequireSelfTradePrevention,
    bool PreventSor,
    long UpdateTime,
    string AccountType,
    IReadOnlyList<SpotBalance> Balances,
    IReadOnlyList<string> Permissions,
    long Uid);

/// <summary>The commission rates of <see cref="SpotAccountResponse"/>, decimals as strings.</summary>
internal sealed record CommissionRates(string Maker, string Taker, string Buyer, string Seller);

/// <summary>One balance of <see cref="SpotAccountResponse"/>.</summary>
internal sealed record SpotBalance(string Asset, string Free, string Locked);

/// <summary>§2.1 <c>GET /sapi/v1/system/status</c>.</summary>
internal sealed record SystemStatusResponse(int Status, string Msg);

/// <summary>
/// §2.2 <c>GET /sapi/v1/account/apiRestrictions</c>: the thirteen fields of Binance's current SDK models, plus
/// <c>tradingAuthorityExpirationTime</c> (§9, Binance's own earlier examples) while the key's trading has an expiry.
/// </summary>
internal sealed record ApiRestrictionsResponse(
    bool IpRestrict,
    long CreateTime,
    bool EnableReading,
    bool EnableWithdrawals,
    bool EnableInternalTransfer,
    bool EnableMargin,
    bool EnableFutures,
    bool PermitsUniversalTransfer,
    bool EnableVanillaOptions,
    bool EnableFixApiTrade,
    bool EnableFixReadOnly,
    bool EnableSpotAndMarginTrading,
    bool EnablePortfolioMarginTrading,
    long? TradingAuthorityExpirationTime);

/// <summary>§2.2 <c>GET /sapi/v1/account/info</c>.</summary>
internal sealed record AccountInfoResponse(
    int VipLevel,
    bool IsMarginEnabled,
    bool IsFutureEnabled,
    bool IsOptionsEnabled,
    bool IsPortfolioMarginRetailEnabled);

/// <summary>§2.2 <c>GET /sapi/v1/account/status</c>.</summary>
internal sealed record AccountStatusResponse(string Data);

/// <summary>§2.2 <c>GET /sapi/v1/account/apiTradingStatus</c>.</summary>
internal sealed record TradingStatusResponse(TradingStatusData Data);

/// <summary>The <c>data</c> object of <see cref="TradingStatusResponse"/>.</summary>
internal sealed record TradingStatusData(bool IsLocked, long PlannedRecoverTime, TriggerCondition TriggerCondition, long UpdateTime);

/// <summary>The trigger thresholds, upper-case as Binance names them.</summary>
internal sealed record TriggerCondition(
    [property: JsonPropertyName("GCR")] int Gcr,
    [property: JsonPropertyName("IFER")] int Ifer,
    [property: JsonPropertyName("UFR")] int Ufr);

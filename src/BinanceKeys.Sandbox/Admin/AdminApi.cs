using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using BinanceKeys.Sandbox.Http;
using BinanceKeys.Sandbox.State;
using Microsoft.AspNetCore.Http;

namespace BinanceKeys.Sandbox.Admin;

/// <summary>
/// The unsigned test API under <c>/admin/</c> (docs/sandbox.md): state, reset, faults, clock, request log.
/// It shows secrets on purpose: it is a test tool, reachable from loopback only.
/// </summary>
internal sealed class AdminApi
{
    private readonly SandboxEngine _engine;

    public AdminApi(SandboxEngine engine) => _engine = engine;

    public async Task HandleAsync(HttpContext context, string path, IPAddress remote)
    {
        if (!IPAddress.IsLoopback(remote))
        {
            await Reply(context, 403, new AdminMessage("The admin API answers loopback clients only.")).ConfigureAwait(false);
            return;
        }
        try
        {
            var method = context.Request.Method;
            object? answer = (method, path) switch
            {
                ("GET", "/admin/state") => _engine.Locked(() => Snapshot(_engine.World)),
                ("POST", "/admin/reset") => Reset(),
                ("GET", "/admin/faults") => _engine.Locked(() => _engine.Faults.Pending),
                ("POST", "/admin/faults") => AddFault(await ReadAsync<FaultSpec>(context).ConfigureAwait(false)),
                ("DELETE", "/admin/faults") => _engine.Locked(() =>
                {
                    _engine.Faults.Clear();
                    return new AdminMessage("faults cleared");
                }),
                ("GET", "/admin/clock") => _engine.Locked(() => new ClockSetting(_engine.Clock.ServerTimeOffsetMs)),
                ("POST", "/admin/clock") => SetClock(await ReadAsync<ClockSetting>(context).ConfigureAwait(false)),
                ("GET", "/admin/violations") => _engine.Locked(() => _engine.Audit.Violations),
                ("DELETE", "/admin/violations") => _engine.Locked(() =>
                {
                    _engine.Audit.Clear();
                    return new AdminMessage("violations cleared");
                }),
                ("GET", "/admin/requests") => _engine.Locked(() => _engine.Log.Entries),
                ("DELETE", "/admin/requests") => _engine.Locked(() =>
                {
                    _engine.Log.Clear();
                    return new AdminMessage("request log cleared");
                }),
                _ => null,
            };
            if (answer is null)
            {
                context.Response.StatusCode = 404;
                return;
            }
            await Reply(context, 200, answer).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            await Reply(context, 400, new AdminMessage(e.Message)).ConfigureAwait(false);
        }
    }

    private AdminMessage Reset()
    {
        _engine.Reset();
        return new AdminMessage("reset to " + _engine.Seed.Source);
    }

    private PendingFault AddFault(FaultSpec spec) => _engine.Locked(() => _engine.Faults.Add(spec));

    private ClockSetting SetClock(ClockSetting setting) => _engine.Locked(() =>
    {
        _engine.Clock.ServerTimeOffsetMs = setting.OffsetMs;
        return setting;
    });

    private AdminState Snapshot(SandboxWorld world) => new(
        world.DefaultSecurityControls,
        _engine.Clock.ServerTimeOffsetMs,
        _engine.Clock.TimeScale,
        world.AllAccounts.Select(a => new AdminAccount(
            a.Kind,
            a.UserId,
            a.Email,
            a.SubAccountId,
            a.FuturesEnabled,
            a.MarginEnabled,
            a.Keys.Select(k => new AdminKey(
                k.Label,
                ContractNames.Of(k.Type),
                k.ApiKey,
                k.SecretKey,
                k.PublicKey?.Pem,
                ContractNames.Of(k.Permissions),
                k.IpRestricted,
                k.IpList.ToList(),
                k.CreateTime,
                k.ThirdPartyName,
                k.TradingExpiresAt,
                k.SweepAt)).ToList())).ToList());

    private static async Task<T> ReadAsync<T>(HttpContext context)
    {
        var value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, SandboxJson.Options, context.RequestAborted).ConfigureAwait(false);
        return value ?? throw new ArgumentException("A JSON body is required.");
    }

    private static Task Reply(HttpContext context, int status, object body) =>
        RequestPipeline.WriteAsync(context, new Outcome(status, body, new Dictionary<string, string>()));
}

/// <summary>A plain admin answer.</summary>
internal sealed record AdminMessage(string Message);

/// <summary>Body of <c>POST /admin/clock</c>: the server-time offset in ms (positive: the server is ahead).</summary>
internal sealed record ClockSetting(long OffsetMs);

/// <summary><c>GET /admin/state</c>: everything the sandbox holds.</summary>
internal sealed record AdminState(bool DefaultSecurityControls, long ServerTimeOffsetMs, double TimeScale, IReadOnlyList<AdminAccount> Accounts);

/// <summary>An account in <see cref="AdminState"/>.</summary>
internal sealed record AdminAccount(AccountKind Kind, long UserId, string Email, string? SubAccountId, bool FuturesEnabled, bool MarginEnabled, IReadOnlyList<AdminKey> Keys);

/// <summary>A key in <see cref="AdminState"/>, secrets included.</summary>
internal sealed record AdminKey(
    string Label,
    string Type,
    string ApiKey,
    string? SecretKey,
    string? PublicKey,
    IReadOnlyList<string> Permissions,
    bool IpRestricted,
    IReadOnlyList<string> IpWhitelist,
    long CreateTime,
    string? ThirdParty,
    long? TradingAuthorityExpirationTime,
    long? SweepAt);

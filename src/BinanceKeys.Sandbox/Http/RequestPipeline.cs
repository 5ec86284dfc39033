using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Sandbox.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BinanceKeys.Sandbox.Http;

/// <summary>The HTTP side: raw query and body, injected faults, the engine, the answer and the request log.</summary>
internal sealed class RequestPipeline
{
    private readonly SandboxEngine _engine;
    private readonly AdminApi _admin;

    public RequestPipeline(SandboxEngine engine)
    {
        _engine = engine;
        _admin = new AdminApi(engine);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        var remote = RemoteAddress(context);
        if (path.StartsWith("/admin/", StringComparison.Ordinal))
        {
            await _admin.HandleAsync(context, path, remote).ConfigureAwait(false);
            return;
        }

        var parameters = await ReadParametersAsync(context).ConfigureAwait(false);
        var endpoint = _engine.Find(method, path);
        if (endpoint is null)
        {
            // Binance answers unknown paths with a bare 404.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            Record(method, path, parameters, 404, null, []);
            return;
        }

        var faults = _engine.Locked(() => _engine.Faults.Take(method, path));
        var kinds = faults.Select(f => f.Kind).ToList();
        // docs/binance.md §4: a timeout's execution status is unknown. A client that gives up cannot stop Binance
        // from executing what it already received, so the delay is not cut short by the client going away: the
        // request is still processed (and logged) afterwards. Only the sandbox's own shutdown ends it.
        var stopping = context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        foreach (var delay in faults.Where(f => f.Kind == FaultKind.Delay))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay.DelayMs), _engine.Clock.Time, stopping).ConfigureAwait(false);
        }

        Outcome outcome;
        var apiKey = ApiKeyHeader(context);
        var burst = faults.FirstOrDefault(f => f.Kind == FaultKind.RateLimit);
        var before = faults.FirstOrDefault(f => f.Kind == FaultKind.ErrorBeforeChange);
        if (burst is not null)
        {
            _engine.NoteInjectedRateLimit(endpoint, remote.ToString(), burst.RetryAfterSeconds * 1000.0);
            outcome = SandboxEngine.ErrorOutcome(BinanceErrors.TooMuchWeight(SandboxEngine.SapiUidLimit, burst.RetryAfterSeconds * 1000.0), _engine.UsageHeaders(endpoint, remote.ToString(), apiKey));
        }
        else if (before is not null)
        {
            outcome = SandboxEngine.ErrorOutcome(BinanceErrors.UnknownError(before.Status), _engine.UsageHeaders(endpoint, remote.ToString(), apiKey));
        }
        else
        {
            var skew = faults.Where(f => f.Kind == FaultKind.ClockSkew).Sum(f => f.OffsetMs);
            outcome = _engine.Execute(endpoint, parameters, apiKey, remote.ToString(), skew);
            var after = faults.FirstOrDefault(f => f.Kind == FaultKind.ErrorAfterChange);
            if (after is not null)
            {
                outcome = SandboxEngine.ErrorOutcome(BinanceErrors.UnknownError(after.Status), new Dictionary<string, string>(outcome.Headers));
            }
            if (faults.Any(f => f.Kind == FaultKind.DropAfterChange))
            {
                Record(method, path, parameters, 0, null, kinds);
                context.Abort();
                return;
            }
        }

        Record(method, path, parameters, outcome.Status, (outcome.Body as ErrorBody)?.Code, kinds);
        await WriteAsync(context, outcome).ConfigureAwait(false);
    }

    public static async Task WriteAsync(HttpContext context, Outcome outcome)
    {
        context.Response.StatusCode = outcome.Status;
        foreach (var (name, value) in outcome.Headers)
        {
            context.Response.Headers[name] = value;
        }
        if (outcome.Body is not null)
        {
            context.Response.ContentType = "application/json;charset=UTF-8";
            await JsonSerializer.SerializeAsync(context.Response.Body, outcome.Body, outcome.Body.GetType(), SandboxJson.Options, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>IPv4-mapped IPv6 addresses are shown as IPv4, since whitelists hold IPv4 only.</summary>
    public static IPAddress RemoteAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    private static string? ApiKeyHeader(HttpContext context) =>
        context.Request.Headers.TryGetValue("X-MBX-APIKEY", out var values) ? values.ToString() : null;

    /// <summary>
    /// The raw query as sent (not re-encoded by the server) and a form body, if any. docs/binance.md §1.1: a GET's
    /// parameters come from the query string only; a body sent with a GET is not read (so not signed either).
    /// </summary>
    private static async Task<RequestParameters> ReadParametersAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawQuery = question < 0 ? "" : rawTarget[(question + 1)..];

        var body = "";
        var readsBody = !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method);
        if (readsBody && context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }
        return RequestParameters.Parse(rawQuery, body);
    }

    private void Record(string method, string path, RequestParameters parameters, int status, int? code, IReadOnlyList<FaultKind> faults)
    {
        var entry = new RequestLogEntry(_engine.Clock.NowMs, method, path, parameters.AllNames, status, code, faults);
        _engine.Locked(() =>
        {
            _engine.Log.Add(entry);
            return true;
        });
    }
}

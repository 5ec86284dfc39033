using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;
using BinanceKeys.Crypto;
using BinanceKeys.Tests.Time;

namespace BinanceKeys.Client.Tests;

/// <summary>
/// The client against every real answer of the ten points of issue 11 (docs/binance.md §1, §2, §4, §5, §9), and
/// against each reading the sandbox offers where Binance's answer is not documented (docs/sandbox.md "Seed options").
/// Each test starts its own sandbox with the seed option it needs.
/// </summary>
public sealed class FidelityClientTests
{
    private const string DeskA = "desk-a@example.com";
    private const string DeskC = "desk-c@example.com";
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<BinanceApiException> FailsAsync(Func<Task> call, BinanceErrorKind kind, int? code)
    {
        var error = await Assert.ThrowsAsync<BinanceApiException>(call);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(code, error.Code);
        return error;
    }

    // ---- 1. §1.2: percent-encoded before signed, under both readings of raw reserved ASCII -------------------------

    public static TheoryData<string, string> SignersUnderBothReadings => new()
    {
        { "strict", "hmac" }, { "strict", "ed25519" }, { "strict", "rsa" },
        { "lenient", "hmac" }, { "lenient", "ed25519" }, { "lenient", "rsa" },
    };

    [Theory]
    [MemberData(nameof(SignersUnderBothReadings))]
    public async Task EveryReservedAndNonAsciiCharacter_IsSignedEncoded_SoBothReadingsAccept(string reservedCharacters, string signer)
    {
        await using var sandbox = await ClientSandbox.StartAsync(yaml: ClientWorld.With("reservedCharacters: " + reservedCharacters));
        using var client = signer switch
        {
            "hmac" => sandbox.Admin(),
            "ed25519" => sandbox.Keyed(ClientWorld.Ed25519ApiKey, ClientWorld.Ed25519Key),
            _ => sandbox.Keyed(ClientWorld.RsaApiKey, ClientWorld.RsaKey),
        };
        // '@' and '+' in a GET query; '@ + , / = space' and non-ASCII in a POST body, and a PEM with newlines.
        Assert.Single(await client.GetSubAccountsAsync(ClientWorld.PlusEmail, None));
        using var key = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
        using var created = await client.CreateSubAccountApiKeyAsync(ClientWorld.PlusEmail, "a/b c,d=e+f@g ü１２３", IpRestrictionStatus.TrustedIps,
            new[] { "127.0.0.1", "10.0.0.9" }, null, new SubAccountPermissions { CanTrade = true }, key.PublicKey.Pem, None);
        Assert.Equal("a/b c,d=e+f@g ü１２３", created.Key.ApiName);
        Assert.DoesNotContain(await sandbox.RequestsAsync(), r => r.Code == -1022);
    }

    // ---- 2. §5: an unknown or deleted key, the caller's or the one named ---------------------------------------------

    [Fact]
    public async Task DeletedCallingKey_IsInvalidApiKeyIpOrPermission_AndADeletedTargetKeyIsNotFound()
    {
        await using var sandbox = await ClientSandbox.StartAsync();
        using var admin = sandbox.Admin();
        using var created = await admin.CreateSubAccountApiKeyAsync(DeskC, "short-lived", IpRestrictionStatus.TrustedIps, new[] { "127.0.0.1" }, null, new SubAccountPermissions(), null, None);
        using var own = sandbox.Hmac(created.Key.ApiKey, new string(created.TakeSecret()!));
        Assert.True((await own.GetApiRestrictionsAsync(None)).IpRestrict);
        await admin.DeleteSubAccountApiKeyAsync(DeskC, created.Key.ApiKey, None);

        // The deleted key's own calls: -2008 about the caller.
        var caller = await FailsAsync(() => own.GetApiRestrictionsAsync(None), BinanceErrorKind.InvalidApiKeyIpOrPermission, -2008);
        Assert.Equal(HttpStatusCode.BadRequest, caller.Status);
        // The master's calls about the deleted key: the same -2008, settled as "no such key".
        await FailsAsync(() => admin.DeleteSubAccountApiKeyAsync(DeskC, created.Key.ApiKey, None), BinanceErrorKind.NotFound, -2008);
        await FailsAsync(() => admin.GetSubAccountIpRestrictionAsync(DeskC, created.Key.ApiKey, None), BinanceErrorKind.NotFound, -2008);
        await FailsAsync(() => admin.ModifySubAccountApiKeyPermissionAsync(DeskC, created.Key.ApiKey, new SubAccountPermissions(), None), BinanceErrorKind.NotFound, -2008);
        Assert.Empty(await admin.QuerySubAccountApiKeysAsync(DeskC, created.Key.ApiKey, None));

        // A caller whose own key is unknown, asking about a key: the caller is the problem, not the key.
        using var nobody = sandbox.Hmac(ClientWorld.Pad("NobodyHasThisKey"), ClientWorld.AdminSecret);
        await FailsAsync(() => nobody.DeleteSubAccountApiKeyAsync(DeskA, ClientWorld.DeskAKey, None), BinanceErrorKind.InvalidApiKeyIpOrPermission, -2008);
        await FailsAsync(() => nobody.QuerySubAccountApiKeysAsync(DeskA, ClientWorld.DeskAKey, None), BinanceErrorKind.InvalidApiKeyIpOrPermission, -2008);
        Assert.Single(await sandbox.KeysAsync(DeskA));
    }

    // ---- 3. §5: IP off the whitelist, permission missing, under every reading ----------------------------------------

    [Theory]
    [InlineData("unauthorized", -1002, HttpStatusCode.Unauthorized)]
    [InlineData("rejected", -2015, HttpStatusCode.BadRequest)]
    [InlineData("messageOnly", null, HttpStatusCode.Unauthorized)]
    public async Task IpOrPermissionRefusal_IsInvalidApiKeyIpOrPermission_UnderEveryReading(string option, int? code, HttpStatusCode status)
    {
        await using var sandbox = await ClientSandbox.StartAsync(yaml: ClientWorld.With("sapiRejection: " + option));
        using var farAway = sandbox.Hmac(ClientWorld.FarAwayKey, ClientWorld.FarAwaySecret);
        var ip = await FailsAsync(() => farAway.GetApiRestrictionsAsync(None), BinanceErrorKind.InvalidApiKeyIpOrPermission, code);
        Assert.Equal(status, ip.Status);
        Assert.Contains("whitelist", ip.Message, StringComparison.Ordinal); // the hint says what to check

        using var reader = sandbox.Hmac(ClientWorld.ReaderKey, ClientWorld.ReaderSecret);
        await FailsAsync(() => reader.CreateSubAccountApiKeyAsync(DeskC, "x", IpRestrictionStatus.TrustedIps, new[] { "127.0.0.1" }, null, new SubAccountPermissions(), null, None),
            BinanceErrorKind.InvalidApiKeyIpOrPermission, code);
        // A refusal is not retried: one POST, refused.
        Assert.Single(await sandbox.RequestsAsync(), r => r.Method == "POST");
        Assert.Empty(await sandbox.KeysAsync(DeskC));
    }

    // ---- 4. §5: a missing signature ---------------------------------------------------------------------------------

    [Fact]
    public async Task MissingSignature_IsRefusedAndClassified()
    {
        await using var sandbox = await ClientSandbox.StartAsync();
        using var client = sandbox.Admin();
        var timestamp = new[] { new KeyValuePair<string, string>("timestamp", sandbox.Clock.NowMs.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        var sapi = await FailsAsync(() => client.InvokeAsync(BinanceEndpoint.Custom(HttpMethod.Get, "/sapi/v1/account/apiRestrictions", signed: false), timestamp, None),
            BinanceErrorKind.InvalidApiKeyIpOrPermission, -1002);
        Assert.Equal(HttpStatusCode.Unauthorized, sapi.Status);
        var api = await FailsAsync(() => client.InvokeAsync(BinanceEndpoint.Custom(HttpMethod.Get, "/api/v3/account", signed: false), timestamp, None),
            BinanceErrorKind.InvalidParameter, -1102);
        Assert.Equal(HttpStatusCode.BadRequest, api.Status);
    }

    // ---- 5. §9: Default Security Controls, both readings and the sweep ---------------------------------------------

    [Fact]
    public async Task SecurityControls_Refuse_IsUnauthorizedAndMakesNoKey()
    {
        await using var sandbox = await ClientSandbox.StartAsync(yaml: ClientWorld.With("securityControlsViolation: refuse"));
        using var admin = sandbox.Admin();
        await FailsAsync(() => admin.CreateSubAccountApiKeyAsync(DeskC, "trader", IpRestrictionStatus.Unrestricted, null, null, new SubAccountPermissions { CanTrade = true }, null, None),
            BinanceErrorKind.Unauthorized, -1002);
        Assert.Empty(await admin.QuerySubAccountApiKeysAsync(DeskC, null, None));

        using var reader = await admin.CreateSubAccountApiKeyAsync(DeskC, "reader", IpRestrictionStatus.Unrestricted, null, null, new SubAccountPermissions(), null, None);
        await FailsAsync(() => admin.ModifySubAccountApiKeyPermissionAsync(DeskC, reader.Key.ApiKey, new SubAccountPermissions { CanTrade = true }, None), BinanceErrorKind.Unauthorized, -1002);
        Assert.False(Assert.Single(await admin.QuerySubAccountApiKeysAsync(DeskC, reader.Key.ApiKey, None)).CanTrade);
    }

    [Fact]
    public async Task SecurityControls_DeleteAtOnce_AnswersButTheKeyIsGone()
    {
        await using var sandbox = await ClientSandbox.StartAsync(yaml: ClientWorld.With("securityControlsViolation: deleteAtOnce"));
        using var admin = sandbox.Admin();
        using var created = await admin.CreateSubAccountApiKeyAsync(DeskC, "trader", IpRestrictionStatus.Unrestricted, null, null, new SubAccountPermissions { CanTrade = true }, null, None);
        Assert.True(created.HasSecret);
        Assert.Empty(await admin.QuerySubAccountApiKeysAsync(DeskC, created.Key.ApiKey, None));
        await FailsAsync(() => admin.GetSubAccountIpRestrictionAsync(DeskC, created.Key.ApiKey, None), BinanceErrorKind.NotFound, -2008);
    }

    [Fact]
    public async Task SecurityControls_DeleteLater_TheKeyWorksUntilTheSweepThenEveryCallSaysSo()
    {
        await using var sandbox = await ClientSandbox.StartAsync(yaml: ClientWorld.With("securityControlsViolation: deleteLater", "sweepAfterSeconds: 60"));
        using var admin = sandbox.Admin();
        using var created = await admin.CreateSubAccountApiKeyAsync(DeskC, "trader", IpRestrictionStatus.Unrestricted, null, null, new SubAccountPermissions { CanTrade = true }, null, None);
        using var own = sandbox.Hmac(created.Key.ApiKey, new string(created.TakeSecret()!));
        Assert.True((await own.GetApiRestrictionsAsync(None)).EnableSpotAndMarginTrading);
        Assert.Single(await admin.QuerySubAccountApiKeysAsync(DeskC, created.Key.ApiKey, None));

        sandbox.Clock.AdvanceBy(TimeSpan.FromSeconds(60));
        await FailsAsync(() => own.GetApiRestrictionsAsync(None), BinanceErrorKind.InvalidApiKeyIpOrPermission, -2008);
        Assert.Empty(await admin.QuerySubAccountApiKeysAsync(DeskC, created.Key.ApiKey, None));
        await FailsAsync(() => admin.DeleteSubAccountApiKeyAsync(DeskC, created.Key.ApiKey, None), BinanceErrorKind.NotFound, -2008);
    }

    // ---- 6. §9: trading expiry on an unrestricted key ----------------------------------------------------------------

    [Fact]
    public async Task TradingAuthorityExpirationTime_IsReadAndDisappearsWhenTradingLapses()
    {
        await using var sandbox = await ClientSandbox.StartAsync();
        using var ops = sandbox.Keyed(ClientWorld.Ed25519ApiKey, ClientWorld.Ed25519Key); // trading, no whitelist
        var running = await ops.GetApiRestrictionsAsync(None);
        Assert.True(running.EnableSpotAndMarginTrading);
        Assert.Equal(TestClock.Epoch.AddDays(30), running.TradingAuthorityExpirationTime);

        using var admin = sandbox.Admin();
        Assert.Null((await admin.GetApiRestrictionsAsync(None)).TradingAuthorityExpirationTime); // whitelisted

        sandbox.Clock.AdvanceBy(TimeSpan.FromDays(30));
        var lapsed = await ops.GetApiRestrictionsAsync(None);
        Assert.False(lapsed.EnableSpotAndMarginTrading);
        Assert.Null(lapsed.TradingAuthorityExpirationTime);
    }

    // ---- 7. §4: usage headers, and a 418 ban ---------------------------------------------------------------------------

    [Fact]
    public async Task LegacyUsedWeightHeaderAlone_StillPacesTheApiBudget()
    {
        var clock = new TestClock();
        clock.AdvanceBy(TimeSpan.FromSeconds(30));
        var handler = new HeaderStub("""{"serverTime":1}""", ("x-mbx-used-weight", "6000"));
        var options = new BinanceClientOptions { Endpoint = new Uri("http://127.0.0.1:9/"), Handler = handler, TimeProvider = clock, Timeout = TimeSpan.FromDays(1) };
        using var client = new BinanceClient(new BinanceTransport(options, null, null));
        await client.GetServerTimeAsync(None);
        // The minute's budget is spent by the legacy header's count: the next /api call waits for the next minute.
        var next = client.GetServerTimeAsync(None);
        var wait = await clock.WaitForTimerAsync();
        Assert.InRange(wait, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(32));
        Assert.False(next.IsCompleted);
        Assert.Equal(1, handler.Requests);
        clock.AdvanceBy(wait);
        await next;
        Assert.Equal(2, handler.Requests);
    }

    [Fact]
    public async Task IpBan_IsBanned_AndNothingMoreGoesToApiUntilItEnds()
    {
        await using var sandbox = await ClientSandbox.StartAsync();
        // Someone on this IP ignored a 429 on /api: the IP is banned for 2 minutes (docs/binance.md §4).
        await sandbox.AddFaultAsync(new { kind = "rateLimit", method = "GET", path = "/api/v3/time", retryAfterSeconds = 30 });
        using (var raw = new HttpClient { BaseAddress = sandbox.BaseAddress })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, (await raw.GetAsync("/api/v3/time")).StatusCode);
            Assert.Equal((HttpStatusCode)418, (await raw.GetAsync("/api/v3/time")).StatusCode);
        }
        using var client = sandbox.Admin();
        var ban = await FailsAsync(() => client.GetServerTimeAsync(None), BinanceErrorKind.Banned, -1003);
        Assert.Equal(TimeSpan.FromSeconds(120), ban.RetryAfter);
        var sent = (await sandbox.RequestsAsync()).Count(r => r.Path.StartsWith("/api/", StringComparison.Ordinal));

        // The next /api call is not sent at all (it would lengthen the ban); /sapi calls go on.
        var again = await FailsAsync(() => client.GetServerTimeAsync(None), BinanceErrorKind.Banned, null);
        Assert.Equal(TimeSpan.FromSeconds(120), again.RetryAfter);
        Assert.Equal(sent, (await sandbox.RequestsAsync()).Count(r => r.Path.StartsWith("/api/", StringComparison.Ordinal)));

        sandbox.Clock.AdvanceBy(TimeSpan.FromSeconds(120));
        Assert.Equal(sandbox.Clock.GetUtcNow(), await client.GetServerTimeAsync(None));
    }

    // ---- 8. §1.1: a GET's parameters travel in the query string only ---------------------------------------------------

    [Fact]
    public async Task SignedGet_SendsEverythingInTheQueryAndNoBody()
    {
        await using var sandbox = await ClientSandbox.StartAsync();
        var recorder = new RecordingHandler(new SocketsHttpHandler());
        using var client = sandbox.Admin(o => o.Handler = recorder);
        Assert.Single(await client.GetSubAccountsAsync(ClientWorld.PlusEmail, None));
        var gets = recorder.Requests.Where(r => r.Method == HttpMethod.Get).ToList();
        Assert.NotEmpty(gets);
        Assert.All(gets, r => Assert.Null(r.Body));
        Assert.Contains(gets, r => r.Query.Contains("email=desk%2Bplus%40example.com", StringComparison.Ordinal) && r.Query.Contains("&signature=", StringComparison.Ordinal));
    }

    // ---- 9. §2.3: status 3, and an unmatched key filter under both readings ----------------------------------------

    [Fact]
    public async Task ThirdPartyRestriction_Status3_IsARestrictedKey()
    {
        await using var sandbox = await ClientSandbox.StartAsync();
        using var admin = sandbox.Admin();
        using var created = await admin.CreateSubAccountApiKeyAsync(DeskC, "partner", IpRestrictionStatus.ThirdParty, null, ClientWorld.ThirdParty,
            new SubAccountPermissions { CanTrade = true }, null, None);
        Assert.NotNull(created.IpRestriction);
        Assert.True(created.IpRestriction!.IpRestrict);
        Assert.Equal(3, created.IpRestriction.Status);
        Assert.Equal(new[] { ClientWorld.ThirdPartyIp }, created.IpRestriction.IpList);
        var read = await admin.GetSubAccountIpRestrictionAsync(DeskC, created.Key.ApiKey, None);
        Assert.True(read.IpRestrict);
        Assert.Equal(new[] { ClientWorld.ThirdPartyIp }, read.IpList);

        await FailsAsync(() => admin.CreateSubAccountApiKeyAsync(DeskC, "x", IpRestrictionStatus.ThirdParty, null, "Nobody", new SubAccountPermissions(), null, None),
            BinanceErrorKind.InvalidParameter, -1130);
    }

    [Theory]
    [InlineData("invalidKeyId")]
    [InlineData("emptyPage")]
    public async Task UnmatchedKeyFilter_IsAnEmptyListUnderBothReadings(string option)
    {
        await using var sandbox = await ClientSandbox.StartAsync(yaml: ClientWorld.With("unmatchedKeyFilter: " + option));
        using var admin = sandbox.Admin();
        var nobody = ClientWorld.Pad("NoSuchKey");
        Assert.Empty(await admin.QuerySubAccountApiKeysAsync(DeskA, nobody, None));
        Assert.Empty(await admin.QueryBrokerApiKeysAsync("1001", nobody, None));
        Assert.Single(await admin.QuerySubAccountApiKeysAsync(DeskA, ClientWorld.DeskAKey, None));
        await FailsAsync(() => admin.DeleteSubAccountApiKeyAsync(DeskA, nobody, None), BinanceErrorKind.NotFound, -2008);
    }

    // ---- 10. §2.2: apiRestrictions field by field ---------------------------------------------------------------------

    [Fact]
    public async Task ApiRestrictions_EveryFieldIsRead()
    {
        await using var sandbox = await ClientSandbox.StartAsync();
        using var ops = sandbox.Keyed(ClientWorld.Ed25519ApiKey, ClientWorld.Ed25519Key); // spotAndMarginTrading + fixApiTrading, no whitelist
        var r = await ops.GetApiRestrictionsAsync(None);
        Assert.Equal(
            (false, true, false, false, false, false, false, false, true, false, true, false),
            (r.IpRestrict, r.EnableReading, r.EnableWithdrawals, r.EnableInternalTransfer, r.EnableMargin, r.EnableFutures, r.PermitsUniversalTransfer,
             r.EnableVanillaOptions, r.EnableFixApiTrade, r.EnableFixReadOnly, r.EnableSpotAndMarginTrading, r.EnablePortfolioMarginTrading));
        Assert.Equal(TestClock.Epoch, r.CreateTime);
        Assert.Equal(TestClock.Epoch.AddDays(30), r.TradingAuthorityExpirationTime);
    }

    /// <summary>Answers every request with one body and the given headers, and counts them.</summary>
    private sealed class HeaderStub : HttpMessageHandler
    {
        private readonly string body;
        private readonly (string Name, string Value)[] headers;
        private int requests;

        public HeaderStub(string body, params (string Name, string Value)[] headers)
        {
            this.body = body;
            this.headers = headers;
        }

        public int Requests => Volatile.Read(ref requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref requests);
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
            return Task.FromResult(response);
        }
    }

    /// <summary>Passes requests on and keeps their method, query and body text.</summary>
    private sealed class RecordingHandler : DelegatingHandler
    {
        public RecordingHandler(HttpMessageHandler inner)
            : base(inner)
        {
        }

        public List<(HttpMethod Method, string Query, string? Body)> Requests { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (Requests) Requests.Add((request.Method, request.RequestUri!.Query, body));
            return await base.SendAsync(request, cancellationToken);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;
using Newtonsoft.Json.Linq;

namespace BinanceKeys.Client.Tests;

/// <summary>docs/binance.md §2.3, §2.4, §5: the shapes Binance really sends, parsed tolerantly.</summary>
public sealed class BinanceJsonTests
{
    private static JToken Parse(string json) => BinanceJson.TryParse(json)!;

    [Fact]
    public void Rows_AndList_AreBothAccepted()
    {
        Assert.Equal(2, BinanceJson.Objects(Parse("""{"total":2,"rows":[{"a":1},{"a":2}]}"""), "rows", "list").Count);
        Assert.Equal(2, BinanceJson.Objects(Parse("""{"total":2,"list":[{"a":1},{"a":2}]}"""), "rows", "list").Count);
        Assert.Single(BinanceJson.Objects(Parse("""[{"a":1}]"""), "rows"));
        Assert.Empty(BinanceJson.Objects(Parse("""{"total":0}"""), "rows", "list"));
        Assert.Empty(BinanceJson.Objects(Parse("""{"rows":null}"""), "rows", "list"));
    }

    [Fact]
    public void ApiKey_AndLowercaseApikey_AreBothAccepted()
    {
        Assert.Equal("K1", BinanceJson.String(Parse("""{"apiKey":"K1"}"""), "apiKey", "apikey"));
        Assert.Equal("K2", BinanceJson.String(Parse("""{"apikey":"K2"}"""), "apiKey", "apikey"));
        Assert.Equal("K3", BinanceJson.String(Parse("""{"APIKEY":"K3"}"""), "apiKey"));
    }

    [Theory]
    [InlineData("""{"ipRestrict":"true"}""", true)]
    [InlineData("""{"ipRestrict":true}""", true)]
    [InlineData("""{"ipRestrict":"false"}""", false)]
    [InlineData("""{"ipRestrict":false}""", false)]
    [InlineData("""{"ipRestrict":"TRUE"}""", true)]
    [InlineData("""{"ipRestrict":1}""", true)]
    [InlineData("""{"ipRestrict":"0"}""", false)]
    public void IpRestrict_AsStringOrBoolean(string json, bool expected) => Assert.Equal(expected, BinanceJson.Bool(Parse(json), "ipRestrict"));

    [Theory]
    [InlineData("""{"ipRestrict":"maybe"}""")]
    [InlineData("""{"ipRestrict":null}""")]
    [InlineData("""{}""")]
    public void IpRestrict_Unknown_IsNull(string json) => Assert.Null(BinanceJson.Bool(Parse(json), "ipRestrict"));

    [Fact]
    public void NumbersAsStrings()
    {
        var body = Parse("""{"status":"2","updateTime":"1636371437000","subaccountId":1,"vipLevel":"x","big":"99999999999"}""");
        Assert.Equal(2, BinanceJson.Int32(body, "status"));
        Assert.Equal(1636371437000L, BinanceJson.Int64(body, "updateTime"));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1636371437000), BinanceJson.Time(body, "updateTime"));
        Assert.Equal("1", BinanceJson.String(body, "subaccountId"));
        Assert.Null(BinanceJson.Int32(body, "vipLevel"));
        Assert.Null(BinanceJson.Int32(body, "big"));
        Assert.Equal(99999999999L, BinanceJson.Int64(body, "big"));
    }

    [Fact]
    public void MicrosecondTimes_AreRecognised() =>
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1636371437000), BinanceJson.Time(Parse("""{"t":1636371437000123}"""), "t"));

    [Fact]
    public void IpLists_AsArrayOrCommaText()
    {
        Assert.Equal(new[] { "1.1.1.1", "2.2.2.2" }, BinanceJson.Strings(Parse("""{"ipList":["1.1.1.1","2.2.2.2"]}"""), "ipList"));
        Assert.Equal(new[] { "1.1.1.1", "2.2.2.2" }, BinanceJson.Strings(Parse("""{"ipList":"1.1.1.1, 2.2.2.2"}"""), "ipList"));
        Assert.Empty(BinanceJson.Strings(Parse("""{"ipList":null}"""), "ipList"));
    }

    [Theory]
    [InlineData("<html><body><h1>502 Bad Gateway</h1></body></html>")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Service Unavailable")]
    public void NonJsonBodies_AreNull(string text) => Assert.Null(BinanceJson.TryParse(text));
}

/// <summary>Error bodies through the whole transport, from a stub handler: shapes the sandbox does not send.</summary>
public sealed class ErrorBodyTests
{
    private static async Task<BinanceApiException> FailsWith(HttpStatusCode status, string body, string mediaType = "application/json")
    {
        var options = new BinanceClientOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9/"),
            Handler = new StubHandler(status, body, mediaType),
            RetryDelay = TimeSpan.FromMilliseconds(1),
        };
        using var client = new BinanceClient(new BinanceTransport(options, null, null));
        return await Assert.ThrowsAsync<BinanceApiException>(() => client.GetSystemStatusAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SuccessFalseWithoutCode_IsAnError()
    {
        var error = await FailsWith(HttpStatusCode.OK, """{"msg":"Sub-account function is not enabled.","success":false}""");
        Assert.Null(error.Code);
        Assert.Equal("Sub-account function is not enabled.", error.BinanceMessage);
    }

    [Fact]
    public async Task SuccessFalseAsText_IsAnError()
    {
        var error = await FailsWith(HttpStatusCode.OK, """{"msg":"Not enabled.","success":"false"}""");
        Assert.Equal("Not enabled.", error.BinanceMessage);
    }

    [Fact]
    public async Task SuccessFieldThatIsNotABoolean_IsNotAnError()
    {
        var options = new BinanceClientOptions { Endpoint = new Uri("http://127.0.0.1:9/"), Handler = new StubHandler(HttpStatusCode.OK, """{"status":0,"msg":"normal","success":"yes please"}""", "application/json") };
        using var client = new BinanceClient(new BinanceTransport(options, null, null));
        Assert.True((await client.GetSystemStatusAsync(CancellationToken.None)).Normal);
    }

    [Theory]
    [InlineData("https://proxy.example.com/binance")]
    [InlineData("https://proxy.example.com/binance/")]
    public async Task AnEndpointWithAPath_KeepsItsPath(string endpoint)
    {
        var handler = new StubHandler(HttpStatusCode.OK, """{"status":0,"msg":"normal"}""", "application/json");
        var options = new BinanceClientOptions { Endpoint = new Uri(endpoint), Handler = handler };
        using var client = new BinanceClient(new BinanceTransport(options, null, null));
        await client.GetSystemStatusAsync(CancellationToken.None);
        Assert.Equal("https://proxy.example.com/binance/sapi/v1/system/status", handler.LastUri!.ToString());
    }

    [Fact]
    public async Task MessageWithoutCode_OnAnErrorStatus()
    {
        var error = await FailsWith(HttpStatusCode.Unauthorized, """{"msg":"You are not authorized to execute this request."}""");
        Assert.Equal(BinanceErrorKind.InvalidApiKeyIpOrPermission, error.Kind);
        Assert.Equal("You are not authorized to execute this request.", error.BinanceMessage);
    }

    [Fact]
    public async Task CodeAndMessage_AreKept()
    {
        var error = await FailsWith(HttpStatusCode.BadRequest, """{"code":-1002,"msg":"You are not authorized to execute this request."}""");
        Assert.Equal(BinanceErrorKind.Unauthorized, error.Kind);
        Assert.Equal(-1002, error.Code);
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
    }

    [Fact]
    public async Task CodeAsText_IsRead()
    {
        var error = await FailsWith(HttpStatusCode.BadRequest, """{"code":"-4006","msg":"Support main account only."}""");
        Assert.Equal(BinanceErrorKind.Unauthorized, error.Kind);
        Assert.Equal(-4006, error.Code);
    }

    [Fact]
    public async Task HtmlErrorPage_IsDescribedNeverShown()
    {
        // A proxy's page may hold anything, the request's own parameters included: the message says what answered
        // (status and size), never what it said.
        string page = "<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1>CANARY-signature=abc" + new string('x', 5000) + "</body></html>";
        var error = await FailsWith(HttpStatusCode.Forbidden, page, "text/html");
        Assert.Equal(BinanceErrorKind.InvalidApiKeyIpOrPermission, error.Kind);
        Assert.Null(error.Code);
        Assert.Equal($"HTTP 403 Forbidden, with an answer that is not Binance's JSON ({page.Length} characters, not shown).", error.BinanceMessage);
        Assert.DoesNotContain("CANARY", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BinancesMessage_IsKeptButBoundedAndPrintable()
    {
        string msg = "Timestamp for this request is outside of the recvWindow.\u001b[31m\r\nForged line" + new string('y', 400);
        var error = await FailsWith(HttpStatusCode.BadRequest, "{\"code\":-1021,\"msg\":\"" + msg + "\"}");
        Assert.Equal(-1021, error.Code);
        Assert.StartsWith("Timestamp for this request is outside of the recvWindow. [31m  Forged line", error.BinanceMessage, StringComparison.Ordinal);
        Assert.Equal(203, error.BinanceMessage.Length);
        Assert.DoesNotContain(error.BinanceMessage, c => char.IsControl(c));
    }

    [Fact]
    public async Task HtmlGatewayError_OnARead_IsUnknownAndRetried()
    {
        var handler = new StubHandler(HttpStatusCode.BadGateway, "<html><body>502 Bad Gateway</body></html>", "text/html");
        var options = new BinanceClientOptions { Endpoint = new Uri("http://127.0.0.1:9/"), Handler = handler, RetryDelay = TimeSpan.FromMilliseconds(1) };
        using var client = new BinanceClient(new BinanceTransport(options, null, null));
        var error = await Assert.ThrowsAsync<BinanceApiException>(() => client.GetSystemStatusAsync(CancellationToken.None));
        Assert.Equal(BinanceErrorKind.ServerStateUnknown, error.Kind);
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task BannedWith418_IsBanned()
    {
        var error = await FailsWith((HttpStatusCode)418, """{"code":-1003,"msg":"Way too much request weight used; IP banned until 1700000000000."}""");
        Assert.Equal(BinanceErrorKind.Banned, error.Kind);
    }

    [Fact]
    public async Task EmptySuccessBody_IsAnEmptyObject()
    {
        var options = new BinanceClientOptions { Endpoint = new Uri("http://127.0.0.1:9/"), Handler = new StubHandler(HttpStatusCode.OK, "", "application/json") };
        using var client = new BinanceClient(new BinanceTransport(options, null, null));
        var body = await client.InvokeAsync(BinanceEndpoints.SystemStatus, Array.Empty<KeyValuePair<string, string>>(), CancellationToken.None);
        Assert.Empty((JObject)body);
    }

    [Fact]
    public async Task HtmlWithStatus200_OnAWrite_IsUnknownNotDone()
    {
        var handler = new StubHandler(HttpStatusCode.OK, "<html><body>Please log in to the guest network</body></html>", "text/html");
        var options = new BinanceClientOptions { Endpoint = new Uri("http://127.0.0.1:9/"), Handler = handler, RetryDelay = TimeSpan.FromMilliseconds(1) };
        using var client = new BinanceClient(new BinanceTransport(options, null, null));
        var delete = BinanceEndpoint.Custom(HttpMethod.Delete, "/sapi/v1/unsigned/thing", signed: false);
        var error = await Assert.ThrowsAsync<BinanceApiException>(() => client.InvokeAsync(delete, Array.Empty<KeyValuePair<string, string>>(), CancellationToken.None));
        Assert.Equal(BinanceErrorKind.ServerStateUnknown, error.Kind);
        Assert.Equal(1, handler.Calls);
    }

    private sealed class StubHandler : HttpMessageHandler
    {
        private readonly HttpStatusCode status;
        private readonly string body;
        private readonly string mediaType;

        public StubHandler(HttpStatusCode status, string body, string mediaType)
        {
            this.status = status;
            this.body = body;
            this.mediaType = mediaType;
        }

        public int Calls { get; private set; }

        public Uri? LastUri { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            LastUri = request.RequestUri;
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) });
        }
    }
}

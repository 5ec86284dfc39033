using System.Globalization;
using System.Net;
using System.Threading.Tasks;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>docs/binance.md §4: UID weight 3000 of 180,000 per minute per endpoint, with a scaled minute.</summary>
public sealed class RateLimitTests
{
    private const string IpRestriction = "/sapi/v1/sub-account/subAccountApi/ipRestriction";

    [Fact]
    public async Task SixtyOneCallsToOneEndpointHit429AndTheWindowReopens()
    {
        // On the test clock, which stands still: all 61 calls fall in one window, whatever the machine's load.
        await using var sandbox = await TestSandbox.StartAsync();
        (string, string) email = ("email", "desk-a@example.com"), key = ("subAccountApiKey", TestWorld.SubAccountKey);

        Reply? limited = null;
        var lastUsed = 0;
        for (var i = 0; i < 61 && limited is null; i++)
        {
            var reply = await sandbox.Master.GetAsync(IpRestriction, email, key);
            if (reply.Status == HttpStatusCode.TooManyRequests)
            {
                limited = reply;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, reply.Status);
                lastUsed = int.Parse(reply.Header("X-SAPI-USED-UID-WEIGHT-1M"), CultureInfo.InvariantCulture);
                Assert.Equal(0, lastUsed % 3000);
            }
        }
        Assert.NotNull(limited);
        Assert.Equal(180_000, lastUsed);
        Assert.Equal(-1003, limited.Code);
        Assert.StartsWith("Too much request weight used; current limit is 180000 request weight per 1 MINUTE.", limited.Msg, System.StringComparison.Ordinal);
        Assert.Equal("180000", limited.Header("X-SAPI-USED-UID-WEIGHT-1M"));
        var waitMs = int.Parse(limited.Header("X-SANDBOX-RETRY-AFTER-MS"), CultureInfo.InvariantCulture);
        Assert.Equal(60_000, waitMs); // the clock stands at the start of a minute (TestClock.Epoch)
        // Retry-After is the scaled wait in whole seconds, rounded up.
        Assert.Equal(((waitMs + 999) / 1000).ToString(CultureInfo.InvariantCulture), limited.Header("Retry-After"));

        // Each endpoint has its own budget (§4).
        var other = await sandbox.Master.GetAsync("/sapi/v1/sub-account/subAccountApi", email);
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.Equal("3000", other.Header("X-SAPI-USED-UID-WEIGHT-1M"));

        sandbox.Clock.AdvanceBy(System.TimeSpan.FromMilliseconds(waitMs - 1));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await sandbox.Master.GetAsync(IpRestriction, email, key)).Status);
        sandbox.Clock.AdvanceBy(System.TimeSpan.FromMilliseconds(1));
        var reopened = await sandbox.Master.GetAsync(IpRestriction, email, key);
        Assert.Equal(HttpStatusCode.OK, reopened.Status);
        Assert.Equal("3000", reopened.Header("X-SAPI-USED-UID-WEIGHT-1M"));
    }

    [Fact]
    public async Task IpWeightedEndpointsCountPerEndpoint()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.Master.GetAsync("/sapi/v1/sub-account/status");
        var second = await sandbox.Master.GetAsync("/sapi/v1/sub-account/status");
        Assert.Equal("20", second.Header("X-SAPI-USED-IP-WEIGHT-1M"));
        Assert.False(second.Message.Headers.Contains("X-SAPI-USED-UID-WEIGHT-1M")); // §4: an IP-limited endpoint reports only its IP weight
        var list = await sandbox.Master.GetAsync("/sapi/v1/sub-account/list");
        Assert.Equal("1", list.Header("X-SAPI-USED-IP-WEIGHT-1M"));
    }
}

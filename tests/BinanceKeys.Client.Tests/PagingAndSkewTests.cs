using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;

namespace BinanceKeys.Client.Tests;

/// <summary>Worlds that need their own sandbox: many sub-accounts, and a server clock away from the local one.</summary>
public sealed class PagingAndSkewTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task GetSubAccounts_ReadsEveryPage()
    {
        var yaml = new StringBuilder(ClientWorld.Yaml.Substring(0, ClientWorld.Yaml.IndexOf("subAccounts:", StringComparison.Ordinal)));
        yaml.Append("subAccounts:\n");
        for (int i = 1; i <= 401; i++)
        {
            yaml.Append($"  - {{ email: sub-{i:000}@example.com, futuresEnabled: {(i % 2 == 0 ? "true" : "false")}, keys: [] }}\n");
        }
        await using var sandbox = await ClientSandbox.StartAsync(0.01, yaml.ToString());
        using var client = sandbox.Admin();

        var accounts = await client.GetSubAccountsAsync(null, None);

        Assert.Equal(401, accounts.Count);
        Assert.Equal(401, accounts.Select(a => a.Email).Distinct().Count());
        Assert.Equal("sub-401@example.com", accounts[^1].Email);
        Assert.True(accounts[1].IsFutureEnabled);
        Assert.False(accounts[0].IsFutureEnabled);
        Assert.Equal(3, (await sandbox.RequestsAsync()).Count(r => r.Path == "/sapi/v1/sub-account/list"));
    }

    [Fact]
    public async Task Pacing_WithTheServerClockAway_EarnsNo429()
    {
        // The client paces on the server's clock as learnt from /api/v3/time, here 30.3 s (half a scaled window plus
        // whole windows) from the local one; the usage headers keep its count right wherever the server's windows fall.
        await using var sandbox = await ClientSandbox.StartAsync(0.01);
        await sandbox.SetClockAsync(30_300); // half a (600 ms) window, plus whole minutes of skew
        using var client = sandbox.Admin();
        for (int i = 0; i < 75; i++)
        {
            await client.GetSubAccountIpRestrictionAsync("desk-a@example.com", ClientWorld.DeskAKey, None);
        }
        var log = await sandbox.RequestsAsync();
        Assert.DoesNotContain(log, r => r.Status == 429);
    }
}

using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>GET /admin/violations: every moment a key held more than reading with no IP restriction.</summary>
public sealed class KeyAuditTests
{
    private const string Keys = "/sapi/v1/sub-account/subAccountApi";
    private const string IpV2 = "/sapi/v2/sub-account/subAccountApi/ipRestriction";
    private const string Permission = "/sapi/v1/sub-account/subAccountApiPermission";

    // The test world's master holds unrestricted keys with trading of its own (seeded): only desk-c's are looked at.
    private static async Task<System.Text.Json.JsonElement[]> DeskCViolationsAsync(TestSandbox sandbox) =>
        (await sandbox.AdminAsync(HttpMethod.Get, "/admin/violations")).EnumerateArray().Where(v => v.GetProperty("account").GetString() == "desk-c@example.com").ToArray();

    [Fact]
    public async Task EachUnsafeEpisodeIsRecordedOnceWithTheRequestThatStartedIt()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        // Ed25519: Default Security Controls leave it alone, so the unsafe state lasts until it is fixed.
        var created = await sandbox.Master.PostAsync(Keys,
            ("email", "desk-c@example.com"), ("apiName", "ed"), ("status", "1"), ("publicKey", TestWorld.NewEd25519PublicPem()), ("canTrade", "true"));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        string apiKey = created.Json.GetProperty("apiKey").GetString()!;
        await sandbox.Master.GetAsync(Keys, ("email", "desk-c@example.com")); // still unsafe: the same episode

        var violations = await DeskCViolationsAsync(sandbox);
        var first = Assert.Single(violations);
        Assert.Equal((apiKey, "ed", "ed25519", "desk-c@example.com", "POST", Keys),
            (first.GetProperty("apiKey").GetString(), first.GetProperty("label").GetString(), first.GetProperty("type").GetString(),
             first.GetProperty("account").GetString(), first.GetProperty("method").GetString(), first.GetProperty("path").GetString()));
        Assert.Equal(["reading", "spotAndMarginTrading"], first.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()!));

        // Restricted: the episode ends. Reading only and unrestricted again: safe, nothing new.
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.PostAsync(IpV2, ("email", "desk-c@example.com"), ("subAccountApiKey", apiKey), ("status", "2"), ("ipAddress", "1.2.3.4"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.PostAsync(Permission, ("email", "desk-c@example.com"), ("subAccountApiKey", apiKey),
            ("canTrade", "false"), ("canMarginLoanRepay", "false"), ("canFuturesTrade", "false"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.PostAsync(IpV2, ("email", "desk-c@example.com"), ("subAccountApiKey", apiKey), ("status", "1"))).Status);
        Assert.Single((await DeskCViolationsAsync(sandbox)));

        // Granted while unrestricted: a second episode, named by the permission call.
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.PostAsync(Permission, ("email", "desk-c@example.com"), ("subAccountApiKey", apiKey),
            ("canTrade", "true"), ("canMarginLoanRepay", "false"), ("canFuturesTrade", "false"))).Status);
        violations = await DeskCViolationsAsync(sandbox);
        Assert.Equal(2, violations.Length);
        Assert.Equal(Permission, violations[1].GetProperty("path").GetString());
        Assert.Equal(["reading", "spotAndMarginTrading"], violations[1].GetProperty("permissions").EnumerateArray().Select(p => p.GetString()!).OrderBy(p => p));

        await sandbox.AdminAsync(HttpMethod.Delete, "/admin/violations");
        Assert.Empty((await DeskCViolationsAsync(sandbox)));
    }

    [Fact]
    public async Task RestrictedKeysAndReadingOnlyKeysAreNoViolationAndResetClearsTheAudit()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "hmac"), ("status", "2"), ("ipAddress", "1.2.3.4"), ("canTrade", "true"));
        await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "reader"), ("status", "1"));
        Assert.Equal(2, (await sandbox.KeysAsync("desk-c@example.com")).Length);
        Assert.Empty((await DeskCViolationsAsync(sandbox)));

        await sandbox.Master.PostAsync(Keys,
            ("email", "desk-c@example.com"), ("apiName", "ed"), ("status", "1"), ("publicKey", TestWorld.NewEd25519PublicPem()), ("canTrade", "true"));
        Assert.Single((await DeskCViolationsAsync(sandbox)));
        await sandbox.AdminAsync(HttpMethod.Post, "/admin/reset");
        Assert.Empty((await DeskCViolationsAsync(sandbox)));
    }
}

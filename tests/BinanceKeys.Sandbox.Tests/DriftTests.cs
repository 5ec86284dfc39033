using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using BinanceKeys.Sandbox.Endpoints;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>
/// Guards against drift between the sandbox and the project's Binance reference: every answer the sandbox gives is
/// compared with the answer example of docs/binance.md for its endpoint (read from the file itself), field names
/// and JSON types included. An endpoint without an example, or an example without a way to make the sandbox give
/// that answer, fails too.
/// </summary>
public sealed class DriftTests : IClassFixture<DriftTests.SharedSandbox>
{
    private readonly SharedSandbox shared;

    public DriftTests(SharedSandbox shared) => this.shared = shared;

    private const string DeskA = "desk-a@example.com";
    private const string Keys = "/sapi/v1/sub-account/subAccountApi";
    private const string Broker = "/sapi/v1/broker/subAccountApi";

    /// <summary>How to make the sandbox give each answer (several where optional fields come and go).</summary>
    private static readonly Dictionary<string, Func<TestSandbox, Task<Reply[]>>> Recipes = new(StringComparer.Ordinal)
    {
        ["GET /api/v3/time"] = async s => [await s.Master.SendRawAsync(HttpMethod.Get, "/api/v3/time", "", null)],
        ["GET /api/v3/ping"] = async s => [await s.Master.SendRawAsync(HttpMethod.Get, "/api/v3/ping", "", null)],
        ["GET /api/v3/account"] = async s => [await s.Master.GetAsync("/api/v3/account")],
        ["GET /sapi/v1/system/status"] = async s => [await s.Master.SendRawAsync(HttpMethod.Get, "/sapi/v1/system/status", "", null)],
        ["GET /sapi/v1/account/apiRestrictions"] = async s =>
        [
            await s.Master.GetAsync("/sapi/v1/account/apiRestrictions"),
            await s.Ed25519(TestWorld.Ed25519ApiKey, TestWorld.Ed25519Key).GetAsync("/sapi/v1/account/apiRestrictions"), // expiry running
        ],
        ["GET /sapi/v1/account/info"] = async s => [await s.Master.GetAsync("/sapi/v1/account/info")],
        ["GET /sapi/v1/account/status"] = async s => [await s.Master.GetAsync("/sapi/v1/account/status")],
        ["GET /sapi/v1/account/apiTradingStatus"] = async s => [await s.Master.GetAsync("/sapi/v1/account/apiTradingStatus")],
        ["GET /sapi/v1/sub-account/list"] = async s => [await s.Master.GetAsync("/sapi/v1/sub-account/list", ("limit", "200"))],
        ["GET /sapi/v1/sub-account/status"] = async s => [await s.Master.GetAsync("/sapi/v1/sub-account/status")],
        ["POST /sapi/v1/sub-account/subAccountApi"] = async s =>
        [
            await s.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "hmac"), ("status", "2"), ("ipAddress", "1.2.3.4"), ("canTrade", "true")),
            await s.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "ed"), ("status", "1"), ("publicKey", TestWorld.NewEd25519PublicPem())),
        ],
        ["POST /sapi/v2/sub-account/subAccountApi"] = async s =>
        [
            await s.Master.PostAsync("/sapi/v2/sub-account/subAccountApi", ("email", "desk-b@example.com"), ("apiName", "fix"), ("status", "2"), ("ipAddress", "1.2.3.4"),
                ("canFixApiTrading", "true"), ("publicKey", TestWorld.NewEd25519PublicPem())),
            await s.Master.PostAsync("/sapi/v2/sub-account/subAccountApi", ("email", "desk-b@example.com"), ("apiName", "rsa"), ("status", "1"), ("publicKey", TestWorld.RsaPublicPem)),
            await s.Master.PostAsync("/sapi/v2/sub-account/subAccountApi", ("email", "desk-b@example.com"), ("apiName", "hmac"), ("status", "2"), ("ipAddress", "1.2.3.4")),
        ],
        ["DELETE /sapi/v1/sub-account/subAccountApi"] = async s =>
        {
            var apiKey = await CreateAsync(s);
            return [await s.Master.DeleteAsync(Keys, ("email", "desk-c@example.com"), ("subAccountApiKey", apiKey))];
        },
        ["GET /sapi/v1/sub-account/subAccountApi"] = async s => [await s.Master.GetAsync(Keys, ("email", DeskA))],
        ["POST /sapi/v1/sub-account/subAccountApiPermission"] = async s =>
            [await s.Master.PostAsync("/sapi/v1/sub-account/subAccountApiPermission", ("email", DeskA), ("subAccountApiKey", TestWorld.SubAccountKey), ("canTrade", "true"), ("canFuturesTrade", "true"))],
        ["GET /sapi/v1/sub-account/subAccountApi/ipRestriction"] = async s =>
            [await s.Master.GetAsync(Keys + "/ipRestriction", ("email", DeskA), ("subAccountApiKey", TestWorld.SubAccountKey))],
        ["POST /sapi/v2/sub-account/subAccountApi/ipRestriction"] = async s =>
        [
            await s.Master.PostAsync("/sapi/v2/sub-account/subAccountApi/ipRestriction", ("email", DeskA), ("subAccountApiKey", TestWorld.SubAccountKey), ("status", "2"), ("ipAddress", "10.0.0.7,10.0.0.8")),
            await s.Master.PostAsync("/sapi/v2/sub-account/subAccountApi/ipRestriction", ("email", DeskA), ("subAccountApiKey", TestWorld.SubAccountKey), ("status", "2")),
        ],
        ["DELETE /sapi/v1/sub-account/subAccountApi/ipRestriction/ipList"] = async s =>
        {
            await s.Master.PostAsync("/sapi/v2/sub-account/subAccountApi/ipRestriction", ("email", DeskA), ("subAccountApiKey", TestWorld.SubAccountKey), ("status", "2"), ("ipAddress", "10.0.0.7"));
            return [await s.Master.DeleteAsync(Keys + "/ipRestriction/ipList", ("email", DeskA), ("subAccountApiKey", TestWorld.SubAccountKey), ("ipAddress", "10.0.0.7"))];
        },
        ["GET /sapi/v1/broker/subAccount"] = async s => [await s.Master.GetAsync("/sapi/v1/broker/subAccount")],
        ["POST /sapi/v1/broker/subAccountApi"] = async s =>
        [
            await s.Master.PostAsync(Broker, ("subAccountId", "1001"), ("canTrade", "false")),
            await s.Master.PostAsync(Broker, ("subAccountId", "1002"), ("canTrade", "true"), ("publicKey", TestWorld.NewEd25519PublicPem())),
        ],
        ["DELETE /sapi/v1/broker/subAccountApi"] = async s =>
        {
            var apiKey = await CreateBrokerKeyAsync(s);
            return [await s.Master.DeleteAsync(Broker, ("subAccountId", "1001"), ("subAccountApiKey", apiKey))];
        },
        ["GET /sapi/v1/broker/subAccountApi"] = async s =>
        {
            await CreateBrokerKeyAsync(s);
            return [await s.Master.GetAsync(Broker, ("subAccountId", "1001"))];
        },
        ["POST /sapi/v1/broker/subAccountApi/permission"] = async s =>
        {
            var apiKey = await CreateBrokerKeyAsync(s);
            return [await s.Master.PostAsync(Broker + "/permission", ("subAccountId", "1001"), ("subAccountApiKey", apiKey), ("canTrade", "true"), ("marginTrade", "true"), ("futuresTrade", "false"))];
        },
        ["POST /sapi/v1/broker/subAccountApi/permission/universalTransfer"] = async s =>
        {
            var apiKey = await CreateBrokerKeyAsync(s);
            return [await s.Master.PostAsync(Broker + "/permission/universalTransfer", ("subAccountId", "1001"), ("subAccountApiKey", apiKey), ("canUniversalTransfer", "true"))];
        },
        ["POST /sapi/v1/broker/subAccountApi/permission/vanillaOptions"] = async s =>
        {
            var apiKey = await CreateBrokerKeyAsync(s);
            return [await s.Master.PostAsync(Broker + "/permission/vanillaOptions", ("subAccountId", "1001"), ("subAccountApiKey", apiKey), ("canVanillaOptions", "true"))];
        },
        ["GET /sapi/v1/broker/subAccountApi/ipRestriction"] = async s =>
        {
            var apiKey = await CreateBrokerKeyAsync(s);
            return [await s.Master.GetAsync(Broker + "/ipRestriction", ("subAccountId", "1001"), ("subAccountApiKey", apiKey))];
        },
        ["POST /sapi/v2/broker/subAccountApi/ipRestriction"] = async s =>
        {
            var apiKey = await CreateBrokerKeyAsync(s);
            return
            [
                await s.Master.PostAsync("/sapi/v2/broker/subAccountApi/ipRestriction", ("subAccountId", "1001"), ("subAccountApiKey", apiKey), ("status", "2"), ("ipAddress", "10.0.0.7")),
                await s.Master.PostAsync("/sapi/v2/broker/subAccountApi/ipRestriction", ("subAccountId", "1001"), ("subAccountApiKey", apiKey), ("status", "1")),
            ];
        },
        ["DELETE /sapi/v1/broker/subAccountApi/ipRestriction/ipList"] = async s =>
        {
            var apiKey = await CreateBrokerKeyAsync(s);
            return [await s.Master.DeleteAsync(Broker + "/ipRestriction/ipList", ("subAccountId", "1001"), ("subAccountApiKey", apiKey), ("ipAddress", "10.0.0.7"))];
        },
        ["error"] = async s => [await s.Hmac(TestWorld.FarAwayKey, TestWorld.FarAwaySecret).GetAsync("/api/v3/account")],
    };

    public static TheoryData<string> ExampleKeys => new(ReferenceExamples.All.Select(e => e.Key).Where(k => k != "error-message-only"));

    [Fact]
    public void EveryEndpointTheSandboxServes_HasAnExampleInTheReference()
    {
        var served = AccountEndpoints.All().Concat(SubAccountEndpoints.All()).Concat(BrokerEndpoints.All()).Select(e => $"{e.Method} {e.Path}").ToList();
        var documented = ReferenceExamples.All.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(served, e => !documented.Contains(e));
        Assert.Equal(served.Count, served.Distinct().Count());
        // And every example is an endpoint the sandbox serves, or an error shape.
        Assert.DoesNotContain(documented, k => !served.Contains(k) && !k.StartsWith("error", StringComparison.Ordinal));
        Assert.Equal(documented.Count, ReferenceExamples.All.Count); // one example per key
    }

    [Theory]
    [MemberData(nameof(ExampleKeys))]
    public async Task EveryAnswer_MatchesTheReferenceExample(string key)
    {
        var example = ReferenceExamples.All.Single(e => e.Key == key);
        Assert.True(Recipes.TryGetValue(key, out var recipe), $"docs/binance.md line {example.Line}: no recipe makes the sandbox answer '{key}'.");
        // One sandbox for every case, back to its seed before each (a reset also clears the broker's 1/second throttle).
        var sandbox = shared.Sandbox;
        await sandbox.AdminAsync(HttpMethod.Post, "/admin/reset");
        foreach (var reply in await recipe(sandbox))
        {
            Assert.True(key.StartsWith("error", StringComparison.Ordinal) || reply.Status == HttpStatusCode.OK, $"{key}: {(int)reply.Status} {reply.Json}");
            var differences = ReferenceExamples.Differences(example.Json, reply.Json, example.Optional);
            Assert.True(differences.Count == 0, $"{key} differs from docs/binance.md line {example.Line}: {string.Join("; ", differences)}\nanswer: {reply.Json}");
        }
    }

    [Fact]
    public async Task TheMessageOnlyError_MatchesTheReferenceExample()
    {
        var example = ReferenceExamples.All.Single(e => e.Key == "error-message-only");
        await using var sandbox = await TestSandbox.StartAsync(yaml: TestWorld.With("sapiRejection: messageOnly"));
        var reply = await sandbox.Hmac(TestWorld.FarAwayKey, TestWorld.FarAwaySecret).GetAsync("/sapi/v1/account/apiRestrictions");
        Assert.Empty(ReferenceExamples.Differences(example.Json, reply.Json, example.Optional));
    }

    [Fact]
    public void TheComparison_FindsEachKindOfDifference()
    {
        // The comparison itself must be able to fail: a missing field, an extra one, and a changed type.
        var example = System.Text.Json.JsonDocument.Parse("""{"a":1,"b":"x","c":[{"d":true}],"o":1}""").RootElement;
        var actual = System.Text.Json.JsonDocument.Parse("""{"a":"1","c":[{"d":true,"e":2}],"z":null}""").RootElement;
        var differences = ReferenceExamples.Differences(example, actual, new HashSet<string> { "o" });
        Assert.Equal(new[] { "a: string where the reference has number", "b: missing", "c.e: not in the reference", "z: not in the reference" }, differences.Order());
    }

    /// <summary>The sandbox the cases share.</summary>
    public sealed class SharedSandbox : IAsyncLifetime
    {
        public TestSandbox Sandbox { get; private set; } = null!;

        public async Task InitializeAsync() => Sandbox = await TestSandbox.StartAsync();

        public async Task DisposeAsync() => await Sandbox.DisposeAsync();
    }

    private static async Task<string> CreateAsync(TestSandbox sandbox) =>
        (await sandbox.Master.PostAsync(Keys, ("email", "desk-c@example.com"), ("apiName", "temp"), ("status", "2"), ("ipAddress", "1.2.3.4"))).Json.GetProperty("apiKey").GetString()!;

    private static async Task<string> CreateBrokerKeyAsync(TestSandbox sandbox)
    {
        var apiKey = (await sandbox.Master.PostAsync(Broker, ("subAccountId", "1001"), ("canTrade", "false"))).Json.GetProperty("apiKey").GetString()!;
        await sandbox.Master.PostAsync("/sapi/v2/broker/subAccountApi/ipRestriction", ("subAccountId", "1001"), ("subAccountApiKey", apiKey), ("status", "2"), ("ipAddress", "10.0.0.7,10.0.0.8"));
        return apiKey;
    }
}

using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using BinanceKeys.Sandbox.Seed;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>Starting the sandbox: loopback only, the demo world, seed files and their errors.</summary>
public sealed class ServerTests
{
    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:5080")]
    [InlineData("http://+:5080")]
    [InlineData("http://192.0.2.1:0")]
    [InlineData("http://example.com:0")]
    [InlineData("https://127.0.0.1:0")]
    [InlineData("http://127.0.0.1:0;http://10.0.0.1:0")]
    public async Task NonLoopbackAddressesAreRefused(string urls)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => SandboxServer.StartAsync(new SandboxOptions { Urls = urls }));
        Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoWorldAndItsDocumentedKey()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        Assert.Equal("127.0.0.1", server.BaseAddress.Host);
        Assert.NotEqual(0, server.BaseAddress.Port);
        using var client = TestClient.Hmac(server.BaseAddress, DemoWorld.AdminApiKey, DemoWorld.AdminSecretKey);
        var list = await client.GetAsync("/sapi/v1/sub-account/list", ("limit", "10"));
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal(3, list.Json.GetProperty("subAccounts").GetArrayLength());
        var brokers = await client.GetAsync("/sapi/v1/broker/subAccount");
        Assert.Equal("1001", brokers.Json[0].GetProperty("subaccountId").GetString());
        Assert.Equal(64, DemoWorld.AdminApiKey.Length);
        Assert.Equal(64, DemoWorld.AdminSecretKey.Length);
        // docs/sandbox.md prints the demo key: keep the two in step.
        var docs = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "sandbox.md"));
        Assert.Contains(DemoWorld.AdminApiKey, docs, StringComparison.Ordinal);
        Assert.Contains(DemoWorld.AdminSecretKey, docs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedFileFromDisk()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sandbox-seed-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, TestWorld.Yaml);
        try
        {
            await using var server = await SandboxServer.StartAsync(new SandboxOptions { SeedPath = path });
            using var client = TestClient.Hmac(server.BaseAddress, TestWorld.AdminKey, TestWorld.AdminSecret);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/sapi/v1/account/status")).Status);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void UnknownSeedFieldsAreReportedWithTheirLine()
    {
        const string yaml = "master:\n  email: m@example.com\n  colour: blue\n";
        var error = Assert.Throws<SeedException>(() => WorldSeed.Parse(yaml, "world.yaml"));
        Assert.StartsWith("world.yaml(3,", error.Message, StringComparison.Ordinal);
        Assert.Contains("colour", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("master: { email: m@example.com, keys: [ { label: a, type: dsa } ] }", "master.keys[0].type")]
    [InlineData("master: { email: m@example.com, keys: [ { label: a, type: hmac, permissions: [trade] } ] }", "master.keys[0].permissions")]
    [InlineData("master: { email: m@example.com, keys: [ { label: a, type: hmac, permissions: [spotAndMarginTrading] } ] }", "master.keys[0] is an HMAC key without an IP whitelist")]
    [InlineData("master: { email: m@example.com, keys: [ { label: a, type: hmac, permissions: [withdrawals] } ] }", "master.keys[0].permissions")]
    [InlineData("master: { email: m@example.com, keys: [ { label: a, type: hmac, apiKey: short } ] }", "master.keys[0].apiKey")]
    [InlineData("master: { email: m@example.com, keys: [ { label: a, type: ed25519 } ] }", "master.keys[0].publicKey")]
    [InlineData("master: { email: m@example.com }\nsubAccounts: [ { email: s@example.com, futuresEnabled: false, keys: [ { label: a, type: hmac, permissions: [futures], ipWhitelist: [1.2.3.4] } ] } ]", "subAccounts[0].keys[0].permissions")]
    [InlineData("master: { email: m@example.com, keys: [ { label: a, type: hmac, ipWhitelist: [::1] } ] }", "master.keys[0].ipWhitelist")]
    [InlineData("subAccounts: []", "master is required")]
    public void SeedRuleViolationsNameTheYamlPath(string yaml, string expected)
    {
        var error = Assert.Throws<SeedException>(() => WorldSeed.Parse(yaml, "world.yaml"));
        Assert.Contains("world.yaml: " + expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminApiAnswersLoopbackOnlyAndUnknownAdminPathsAre404()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/admin/nothing")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/admin/state")).StatusCode);
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BinanceKeys.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new DirectoryNotFoundException("BinanceKeys.sln not found above the test binaries.");
    }
}

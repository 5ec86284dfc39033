using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// A create that takes several calls (broker keys: the create takes no IP list, docs/binance.md §2.6) never passes
    /// through a state with more than reading and no IP restriction, and a failure on the way is undone; when the undo
    /// fails too, the error says exactly what is left.
    /// </summary>
    public sealed class SafeCreateTests : IClassFixture<SandboxProcess>, IDisposable
    {
        private const string Connect = "Connect-BinanceAccount -Endpoint $endpoint -ApiKey $apiKey -Secret $secret | Out-Null; ";
        private const string CreateBrokerKey =
            "$k = New-BinanceKeyPair -Name b -Path . -NoEncryption; " +
            "New-BinanceApiKey -BrokerSubAccountId 1001 -Label bot -KeyPair $k -Permission spotAndMarginTrading,futures -IpAddress 5.5.5.5,6.6.6.6";

        private readonly SandboxProcess sandbox;
        private readonly string folder = Directory.CreateTempSubdirectory("bk-safe-create-").FullName;

        public SafeCreateTests(SandboxProcess sandbox)
        {
            this.sandbox = sandbox;
            sandbox.Reset();
        }

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private ScriptResult Run(string script) => ModuleHost.Run(Connect + script, new Dictionary<string, object?>
        {
            ["endpoint"] = sandbox.BaseAddress,
            ["apiKey"] = SandboxProcess.DemoApiKey,
            ["secret"] = ModuleHost.Secure(SandboxProcess.DemoSecret),
        }, folder);

        // The broker writes in the order they reached the sandbox (path, status).
        private List<(string Method, string Path, int Status)> BrokerWrites() => sandbox.Requests()
            .Select(r => ((string)r!["method"]!, (string)r["path"]!, (int)r["status"]!))
            .Where(r => r.Item1 != "GET" && r.Item2.Contains("/broker/", StringComparison.Ordinal))
            .ToList();

        private static string[] Permissions(JsonNode key) => key["permissions"]!.AsArray().Select(n => (string)n!).ToArray();

        [Fact]
        public void ABrokerKeyIsCreatedWithReadingOnlyThenRestrictedThenGranted()
        {
            var result = Run(CreateBrokerKey);

            Assert.Empty(result.Errors);
            var writes = BrokerWrites().Select(w => w.Method + " " + w.Path).ToList();
            Assert.Equal(new[]
            {
                "POST /sapi/v1/broker/subAccountApi",
                "POST /sapi/v2/broker/subAccountApi/ipRestriction",
                "POST /sapi/v1/broker/subAccountApi/permission",
            }, writes);
            var key = Assert.Single(sandbox.KeysOf("1001"));
            Assert.Equal(new[] { "5.5.5.5", "6.6.6.6" }, key!["ipWhitelist"]!.AsArray().Select(n => (string?)n).OrderBy(a => a));
            Assert.Contains("spotAndMarginTrading", Permissions(key));
            Assert.Contains("futures", Permissions(key));
        }

        [Fact]
        public void ABrokerKeyWithoutAnIpListIsGrantedOnlyAfterTheCreate()
        {
            var result = Run("$k = New-BinanceKeyPair -Name b -Path . -NoEncryption; New-BinanceApiKey -BrokerSubAccountId 1001 -Label bot -KeyPair $k -Permission futures");

            Assert.Empty(result.Errors);
            Assert.Equal(new[] { "POST /sapi/v1/broker/subAccountApi", "POST /sapi/v1/broker/subAccountApi/permission" },
                BrokerWrites().Select(w => w.Method + " " + w.Path));
        }

        [Fact]
        public void AFailedRestrictionDeletesTheNewKeyBeforeAnythingIsGranted()
        {
            sandbox.AddFault(new { kind = "errorBeforeChange", method = "POST", path = "/sapi/v2/broker/subAccountApi/ipRestriction", count = 1, status = 503 });

            var result = Run(CreateBrokerKey);

            Assert.Equal("ApiKeyVerificationFailed,BinanceKeys.Commands.NewBinanceApiKeyCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains("deleted again, so nothing is left", result.Error!.Exception.Message);
            Assert.Empty(sandbox.KeysOf("1001"));
            var writes = BrokerWrites().Select(w => w.Method + " " + w.Path).ToList();
            Assert.DoesNotContain("POST /sapi/v1/broker/subAccountApi/permission", writes);
            Assert.Equal("DELETE /sapi/v1/broker/subAccountApi", writes.Last());
        }

        [Fact]
        public void AFailedGrantDeletesTheNewKey()
        {
            sandbox.AddFault(new { kind = "errorBeforeChange", method = "POST", path = "/sapi/v1/broker/subAccountApi/permission", count = 1, status = 503 });

            var result = Run(CreateBrokerKey);

            Assert.Equal("ApiKeyVerificationFailed,BinanceKeys.Commands.NewBinanceApiKeyCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Empty(sandbox.KeysOf("1001"));
        }

        [Fact]
        public void WhenTheUndoFailsTooTheErrorSaysExactlyWhatIsLeftAndItIsReadingOnlyAndRestricted()
        {
            sandbox.AddFault(new { kind = "errorBeforeChange", method = "POST", path = "/sapi/v1/broker/subAccountApi/permission", count = 1, status = 503 });
            sandbox.AddFault(new { kind = "errorBeforeChange", method = "DELETE", path = "/sapi/v1/broker/subAccountApi", count = 5, status = 503 });

            var result = Run(CreateBrokerKey);

            Assert.Equal("ApiKeyOutcomeUnknown,BinanceKeys.Commands.NewBinanceApiKeyCommand", result.Error?.FullyQualifiedErrorId);
            var key = Assert.Single(sandbox.KeysOf("1001"));
            string message = result.Error!.Exception.Message;
            Assert.Contains((string)key!["apiKey"]!, message);
            Assert.Contains("restricted to 5.5.5.5,6.6.6.6", message);
            Assert.Equal(new[] { "5.5.5.5", "6.6.6.6" }, key["ipWhitelist"]!.AsArray().Select(n => (string?)n).OrderBy(a => a));
            Assert.DoesNotContain("spotAndMarginTrading", Permissions(key));
            Assert.DoesNotContain("futures", Permissions(key));
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// Issue 9, item 2, through PowerShell against the sandbox: a path that names another host sends nothing anywhere,
    /// and a key-creating call cannot slip past the guard with an unusual spelling.
    /// </summary>
    public sealed class InvokeRestMethodPathTests : IClassFixture<SandboxProcess>
    {
        private const string Connect = "Connect-BinanceAccount -Endpoint $endpoint -ApiKey $apiKey -Secret $secret | Out-Null; ";
        private readonly SandboxProcess sandbox;

        public InvokeRestMethodPathTests(SandboxProcess sandbox)
        {
            this.sandbox = sandbox;
            sandbox.Reset();
        }

        private ScriptResult Run(string script) => ModuleHost.Run(Connect + script, new Dictionary<string, object?>
        {
            ["endpoint"] = sandbox.BaseAddress,
            ["apiKey"] = SandboxProcess.DemoApiKey,
            ["secret"] = ModuleHost.Secure(SandboxProcess.DemoSecret),
        });

        [Fact]
        public void APathNamingAnotherHost_SendsNothingThere()
        {
            // The reproduction, with a listener standing in for the other host: it must see no connection.
            var other = new TcpListener(IPAddress.Loopback, 0);
            other.Start();
            try
            {
                int port = ((IPEndPoint)other.LocalEndpoint).Port;
                foreach (string path in new[] { $"/http://127.0.0.1:{port}/api/v3/account", $"//127.0.0.1:{port}/api/v3/account", $"/api/v3/../../http://127.0.0.1:{port}/x" })
                {
                    int before = sandbox.Requests().Count;
                    var result = Run($"Invoke-BinanceRestMethod GET '{path}'");
                    Assert.Equal("ApiKeyInvalidArgument,BinanceKeys.Commands.InvokeBinanceRestMethodCommand", result.Error?.FullyQualifiedErrorId);
                    Assert.Contains("/api/... or /sapi/...", result.Error!.Exception.Message);
                    Assert.Empty(result.Output);
                    Assert.False(other.Pending(), $"{path} reached the other host");
                    // Connect's own calls only: the refused call reached the sandbox neither.
                    Assert.DoesNotContain(sandbox.Requests().Skip(before), r => ((string?)r!["path"])!.Contains("account", StringComparison.Ordinal) && !((string?)r["path"])!.Contains("apiRestrictions", StringComparison.Ordinal));
                }
            }
            finally
            {
                other.Stop();
            }
        }

        [Theory]
        [InlineData("//sapi/v1/sub-account/subAccountApi")] // the reproduction: it printed the one-time secret
        [InlineData("/sapi//v1/sub-account/subAccountApi")]
        [InlineData("/sapi/v1/sub-account/subAccountApi/")]
        [InlineData("/sapi/v1/sub-account/./subAccountApi")]
        [InlineData("/sapi/v1/sub-account/subAccountApi?x=1")]
        [InlineData("/sapi/v1/sub-account%2FsubAccountApi")]
        public void AKeyCreatingCall_CannotBeSpelledPastTheGuard(string path)
        {
            var result = Run($"Invoke-BinanceRestMethod POST '{path}' -Parameter @{{ email = 'desk-b@example.com'; apiName = 'raw'; status = 1 }}");
            Assert.Equal("ApiKeyInvalidArgument,BinanceKeys.Commands.InvokeBinanceRestMethodCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Empty(result.Output);
            Assert.Empty(sandbox.KeysOf("desk-b@example.com"));
            Assert.DoesNotContain(sandbox.Requests(), r => (string?)r!["method"] == "POST");
        }

        [Fact]
        public void APathOfTheGrammar_StillWorks()
        {
            var result = Run("Invoke-BinanceRestMethod GET /api/v3/time -Unsigned");
            Assert.Empty(result.Errors);
            Assert.IsType<long>(Assert.Single(result.Output).Properties["serverTime"].Value);
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>Tab completion of sub-account emails, broker ids and secret names (docs/design.md §4).</summary>
    public sealed class CompleterTests : IClassFixture<SandboxProcess>
    {
        private readonly SandboxProcess sandbox;

        public CompleterTests(SandboxProcess sandbox)
        {
            this.sandbox = sandbox;
            sandbox.Reset();
        }

        private static List<string> Complete(System.Management.Automation.PowerShell shell, string input) =>
            CommandCompletion.CompleteInput(input, input.Length, null, shell).CompletionMatches.Select(m => m.CompletionText).ToList();

        [Fact]
        public void EmailsAndBrokerIdsCompleteFromTheConnectedAccount()
        {
            using var shell = ModuleHost.CreateSession();
            Assert.Empty(Complete(shell, "Get-BinanceApiKey -Email desk-")); // no connection, no suggestions, no error

            var connected = ModuleHost.Run(shell, "Connect-BinanceAccount -Endpoint $endpoint -ApiKey $key -Secret $secret | Out-Null",
                new Dictionary<string, object?> { ["endpoint"] = sandbox.BaseAddress, ["key"] = SandboxProcess.DemoApiKey, ["secret"] = ModuleHost.Secure(SandboxProcess.DemoSecret) });
            Assert.Empty(connected.Errors);

            Assert.Equal(new[] { "desk-a@example.com", "desk-b@example.com", "desk-c@example.com" }, Complete(shell, "Get-BinanceApiKey -Email DESK-"));
            Assert.Equal(new[] { "desk-b@example.com" }, Complete(shell, "New-BinanceApiKey -Label x -Email desk-b"));
            Assert.Equal(new[] { "1001" }, Complete(shell, "Remove-BinanceApiKey -ApiKey k -BrokerSubAccountId 10"));
        }

        [Fact]
        public void ASlowOrFailingReadGivesNoSuggestions_AndHoldsThePromptFiveSecondsAtMost()
        {
            using var shell = ModuleHost.CreateSession();
            var connected = ModuleHost.Run(shell, "Connect-BinanceAccount -Endpoint $endpoint -ApiKey $key -Secret $secret | Out-Null",
                new Dictionary<string, object?> { ["endpoint"] = sandbox.BaseAddress, ["key"] = SandboxProcess.DemoApiKey, ["secret"] = ModuleHost.Secure(SandboxProcess.DemoSecret) });
            Assert.Empty(connected.Errors);

            // Binance answers the key query only after 20 s: the completer gives up at 5 s, with nothing and no error.
            sandbox.AddFault(new { kind = "delay", method = "GET", path = "/sapi/v1/sub-account/subAccountApi", count = 1, delayMs = 20_000 });
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.Empty(Complete(shell, "Get-BinanceApiKey -Email desk-a@example.com -Label "));
            Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(15));

            // A failing read (Binance answers 5xx to the client's three attempts) gives nothing either, and is not kept:
            // the next Tab reads again.
            sandbox.AddFault(new { kind = "errorBeforeChange", method = "GET", path = "/sapi/v1/sub-account/list", count = 3, status = 503 });
            Assert.Empty(Complete(shell, "Get-BinanceApiKey -Email desk-"));
            Assert.Equal(new[] { "desk-a@example.com" }, Complete(shell, "Get-BinanceApiKey -Email desk-a"));
        }
    }
}

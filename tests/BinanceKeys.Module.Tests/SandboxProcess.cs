using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// The sandbox (src/BinanceKeys.Sandbox) started as a separate process on a free loopback port, with its admin
    /// API for assertions. One per test class; <see cref="Reset"/> before each test.
    /// </summary>
    public sealed class SandboxProcess : IDisposable
    {
        // The demo master key of docs/sandbox.md (sandbox-only; public on purpose).
        public const string DemoApiKey = "SandboxDemoAdminApiKeyu8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdoc";
        public const string DemoSecret = "SandboxDemoAdminSecretJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7DxtpY";

        private readonly Process process;
        private readonly HttpClient admin;

        public SandboxProcess()
            : this(null)
        {
        }

        private SandboxProcess(string? seedFile)
        {
            string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            string dll = Path.Combine(ModuleHost.RepositoryRoot, "src", "BinanceKeys.Sandbox", "bin", configuration, "net10.0", "BinanceKeys.Sandbox.dll");
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(dll);
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add("http://127.0.0.1:0");
            if (seedFile != null)
            {
                start.ArgumentList.Add("--seed");
                start.ArgumentList.Add(seedFile);
            }
            process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start the sandbox.");
            var errors = new StringBuilder();
            process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
            process.BeginErrorReadLine();

            var ready = Task.Run(() =>
            {
                for (string? line = process.StandardOutput.ReadLine(); line != null; line = process.StandardOutput.ReadLine())
                {
                    int at = line.IndexOf("http://", StringComparison.Ordinal);
                    if (line.Contains("listening on") && at >= 0) return line.Substring(at).Split(' ')[0].TrimEnd('/');
                }
                return null;
            });
            if (!ready.Wait(TimeSpan.FromSeconds(60)) || ready.Result is null)
            {
                Dispose();
                throw new InvalidOperationException("The sandbox did not start: " + errors);
            }
            BaseAddress = ready.Result!;
            // Keep draining stdout so that the sandbox never blocks on a full pipe.
            Task.Run(() => { while (process.StandardOutput.ReadLine() != null) { } });
            admin = new HttpClient { BaseAddress = new Uri(BaseAddress + "/") };
        }

        /// <summary>A sandbox started with a seed file (docs/sandbox.md) instead of the demo world.</summary>
        public static SandboxProcess WithSeed(string seedFile) => new SandboxProcess(seedFile);

        public string BaseAddress { get; }

        public void Reset() => Send(HttpMethod.Post, "admin/reset", null);

        public JsonNode State() => JsonNode.Parse(Send(HttpMethod.Get, "admin/state", null))!;

        public JsonArray Requests() => JsonNode.Parse(Send(HttpMethod.Get, "admin/requests", null))!.AsArray();

        /// <summary>Key-creating requests the sandbox received (POST to a sub-account or broker <c>.../subAccountApi</c>).</summary>
        public int CreateRequests() => Requests().Count(r => (string?)r!["method"] == "POST" && ((string?)r["path"])!.EndsWith("/subAccountApi", StringComparison.Ordinal));

        public void AddFault(object fault) => Send(HttpMethod.Post, "admin/faults", JsonSerializer.Serialize(fault));

        /// <summary>The keys of one account in the admin state (by email, or broker sub-account id).</summary>
        public JsonArray KeysOf(string emailOrSubAccountId)
        {
            foreach (var account in State()["accounts"]!.AsArray())
            {
                if ((string?)account!["email"] == emailOrSubAccountId || (string?)account["subAccountId"] == emailOrSubAccountId)
                {
                    return account["keys"]!.AsArray();
                }
            }
            throw new InvalidOperationException("No account " + emailOrSubAccountId + " in the sandbox state.");
        }

        private string Send(HttpMethod method, string path, string? json)
        {
            using var request = new HttpRequestMessage(method, path);
            if (json != null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = admin.Send(request);
            string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"admin {method} {path}: {(int)response.StatusCode} {body}");
            return body;
        }

        public void Dispose()
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }
            admin?.Dispose();
            process.Dispose();
        }
    }
}

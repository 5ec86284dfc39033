using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>One key of a desired-state file, as the tests declare it and check it against the sandbox.</summary>
    internal sealed record DeclaredKey(string Label, string Type, string[] Permissions, string[] Ips, string? PublicKeyFile = null, string? Secret = null);

    /// <summary>One account of a desired-state file.</summary>
    internal sealed record DeclaredAccount(string Name, string? Email, string? BrokerId, bool Prune, params DeclaredKey[] Keys)
    {
        /// <summary>The account's id in the sandbox's admin state (email or broker sub-account id).</summary>
        public string SandboxId => Email ?? BrokerId!;
    }

    /// <summary>
    /// What the plan/apply tests share: a temporary folder with its own vault and local state, desired-state files
    /// written from <see cref="DeclaredAccount"/>s, Ed25519 public keys made with BouncyCastle (not the module), the
    /// sandbox's admin API (faults, request log, key audit), and checks of the sandbox's state against what was declared.
    /// </summary>
    internal sealed class PlanApplyWorkspace : IDisposable
    {
        public const string Passphrase = "plan apply pass phrase";
        private const string Connect = "Connect-BinanceAccount -Endpoint $endpoint -ApiKey $apiKey -Secret $secret -TimeoutSec $timeout | Out-Null; ";

        private readonly HttpClient admin;

        public PlanApplyWorkspace(SandboxProcess sandbox, string prefix)
        {
            Sandbox = sandbox;
            Folder = Directory.CreateTempSubdirectory(prefix).FullName;
            Vault = Path.Combine(Folder, "vault", "vault.bkv");
            admin = new HttpClient { BaseAddress = new Uri(sandbox.BaseAddress + "/") };
        }

        public SandboxProcess Sandbox { get; }

        public string Folder { get; }

        public string Vault { get; }

        public string DesiredPath => Path.Combine(Folder, "desired.yaml");

        public string PlanPath => Path.Combine(Folder, "plan.json");

        /// <summary>Seconds one HTTP request may take (Connect-BinanceAccount -TimeoutSec).</summary>
        public int TimeoutSec { get; set; } = 30;

        /// <summary>The local state folder of the module for the sandbox's endpoint (beside the vault).</summary>
        public string StateFolder => Path.Combine(Folder, "vault", "state");

        public Dictionary<string, object?> Variables() => new Dictionary<string, object?>
        {
            ["endpoint"] = Sandbox.BaseAddress,
            ["apiKey"] = SandboxProcess.DemoApiKey,
            ["secret"] = ModuleHost.Secure(SandboxProcess.DemoSecret),
            ["vault"] = Vault,
            ["p"] = ModuleHost.Secure(Passphrase),
            ["desired"] = DesiredPath,
            ["planPath"] = PlanPath,
            ["timeout"] = TimeoutSec,
        };

        private PowerShell? session;
        private bool ownsSession;

        /// <summary>
        /// From now on scripts run in one session (<paramref name="shared"/>, or a new one), connected afresh: a fault
        /// campaign runs many scripts per case, and importing the module for each would dominate its time.
        /// </summary>
        public void UseOneSession(PowerShell? shared = null)
        {
            ownsSession = shared is null;
            session = shared ?? ModuleHost.CreateSession();
            var connected = ModuleHost.Run(session, Connect, Variables(), Folder);
            Assert.True(connected.Terminating is null && connected.Errors.Count == 0, "connect failed: " + connected.Terminating);
        }

        /// <summary>Runs a script connected to the sandbox (in a fresh session, or the one of <see cref="UseOneSession"/>).</summary>
        public ScriptResult Run(string script) => session != null ? ModuleHost.Run(session, script, Variables(), Folder) : ModuleHost.Run(Connect + script, Variables(), Folder);

        // A script that needs no connection.
        private ScriptResult RunUnconnected(string script, Dictionary<string, object?> variables) =>
            session != null ? ModuleHost.Run(session, script, variables, Folder) : ModuleHost.Run(script, variables, Folder);

        /// <summary>Runs a script in <paramref name="shell"/> (connect it first with <see cref="ConnectScript"/>).</summary>
        public ScriptResult Run(PowerShell shell, string script) => ModuleHost.Run(shell, script, Variables(), Folder);

        public static string ConnectScript => Connect;

        /// <summary>Apply the desired file unattended.</summary>
        public const string Apply = "Invoke-BinanceKeyPlan -Path $desired -VaultPath $vault -VaultPassphrase $p -Force";

        /// <summary>Plan the desired file.</summary>
        public const string Plan = "Get-BinanceKeyPlan -Path $desired -VaultPath $vault";

        // ---- files --------------------------------------------------------------------------------------------

        /// <summary>Writes a new Ed25519 public key (SPKI PEM) to NAME.pub.pem in the folder and returns the file name.</summary>
        public string NewPublicKey(string name)
        {
            var generator = new Ed25519KeyPairGenerator();
            generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
            var pair = generator.GenerateKeyPair();
            byte[] spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetEncoded();
            string file = name + ".pub.pem";
            File.WriteAllText(Path.Combine(Folder, file), "-----BEGIN PUBLIC KEY-----\n" + Convert.ToBase64String(spki) + "\n-----END PUBLIC KEY-----\n");
            return file;
        }

        /// <summary>Writes the desired-state file.</summary>
        public void Write(params DeclaredAccount[] accounts) => File.WriteAllText(DesiredPath, Yaml(accounts));

        public static string Yaml(IEnumerable<DeclaredAccount> accounts)
        {
            var text = new StringBuilder("version: 1\naccounts:\n");
            foreach (var account in accounts)
            {
                text.Append("  - name: ").Append(account.Name).Append('\n');
                if (account.Email != null) text.Append("    email: ").Append(account.Email).Append('\n');
                if (account.BrokerId != null) text.Append("    brokerSubAccountId: '").Append(account.BrokerId).Append("'\n");
                text.Append("    prune: ").Append(account.Prune ? "true" : "false").Append('\n');
                text.Append("    keys:").Append(account.Keys.Length == 0 ? " []\n" : "\n");
                foreach (var key in account.Keys)
                {
                    text.Append("      - label: ").Append(key.Label).Append('\n');
                    text.Append("        type: ").Append(key.Type).Append('\n');
                    if (key.PublicKeyFile != null) text.Append("        publicKey: ").Append(key.PublicKeyFile).Append('\n');
                    if (key.Secret != null) text.Append("        secret: ").Append(key.Secret).Append('\n');
                    text.Append("        permissions: [").Append(string.Join(", ", key.Permissions)).Append("]\n");
                    if (key.Ips.Length > 0) text.Append("        ipWhitelist: [").Append(string.Join(", ", key.Ips)).Append("]\n");
                }
            }
            return text.ToString();
        }

        // ---- sandbox admin ------------------------------------------------------------------------------------

        public JsonArray Requests() => Sandbox.Requests();

        /// <summary>Requests that change something (every POST and DELETE to Binance's API).</summary>
        public static List<JsonNode> Writes(IEnumerable<JsonNode?> requests) =>
            requests.Where(r => (string?)r!["method"] != "GET").Select(r => r!).ToList();

        /// <summary>Calls per "METHOD path" (the way CallEstimate names endpoints) among <paramref name="requests"/>.</summary>
        public static Dictionary<string, int> PerEndpoint(IEnumerable<JsonNode?> requests) =>
            requests.GroupBy(r => (string)r!["method"]! + " " + (string)r!["path"]!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        public JsonArray PendingFaults() => JsonNode.Parse(Get("admin/faults"))!.AsArray();

        public JsonArray Violations() => JsonNode.Parse(Get("admin/violations"))!.AsArray();

        private string Get(string path)
        {
            using var response = admin.GetAsync(path).GetAwaiter().GetResult();
            string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            Assert.True(response.IsSuccessStatusCode, $"admin GET {path}: {(int)response.StatusCode} {body}");
            return body;
        }

        /// <summary>Waits (bounded) until <paramref name="condition"/> holds; polls the sandbox, never sleeps a fixed time.</summary>
        public static void WaitUntil(Func<bool> condition, string what, int seconds = 60)
        {
            var deadline = DateTime.UtcNow.AddSeconds(seconds);
            while (!condition())
            {
                Assert.True(DateTime.UtcNow < deadline, "Timed out waiting until " + what);
                System.Threading.Thread.Sleep(50);
            }
        }

        // ---- checks -------------------------------------------------------------------------------------------

        /// <summary>The keys of an account in the sandbox.</summary>
        public List<JsonNode> KeysOf(DeclaredAccount account) => Sandbox.KeysOf(account.SandboxId).Select(k => k!).ToList();

        public static string[] Strings(JsonNode? array) => array!.AsArray().Select(n => (string)n!).ToArray();

        /// <summary>
        /// Binance equals the file: every declared key exists exactly once with its type, permissions (reading implied)
        /// and IP whitelist, and (unless <paramref name="extraAllowed"/> says otherwise) nothing else when pruning.
        /// </summary>
        public void AssertLiveEquals(IEnumerable<DeclaredAccount> accounts, Func<JsonNode, bool>? extraAllowed = null)
        {
            foreach (var account in accounts)
            {
                var live = KeysOf(account);
                foreach (var key in account.Keys)
                {
                    var matching = live.Where(k => account.BrokerId != null ? BrokerLabel(k) == key.Label : string.Equals((string?)k["label"], key.Label, StringComparison.OrdinalIgnoreCase)).ToList();
                    var found = Assert.Single(matching);
                    Assert.Equal(key.Type, (string?)found["type"]);
                    Assert.Equal(key.Permissions.Append("reading").OrderBy(p => p, StringComparer.Ordinal), Strings(found["permissions"]).OrderBy(p => p, StringComparer.Ordinal));
                    Assert.Equal(key.Ips.OrderBy(a => a, StringComparer.Ordinal), Strings(found["ipWhitelist"]).OrderBy(a => a, StringComparer.Ordinal));
                    Assert.Equal(key.Ips.Length > 0, (bool)found["ipRestricted"]!);
                }
                if (account.Prune)
                {
                    var undeclared = live.Where(k => !account.Keys.Any(d => account.BrokerId != null ? BrokerLabel(k) == d.Label : string.Equals((string?)k["label"], d.Label, StringComparison.OrdinalIgnoreCase)))
                        .Where(k => extraAllowed is null || !extraAllowed(k)).ToList();
                    Assert.True(undeclared.Count == 0, $"{account.Name} keeps undeclared keys: {string.Join(", ", undeclared.Select(k => (string?)k["label"]))}");
                }
            }
        }

        // Broker keys have no label on Binance: the module's record of what it created tells which is which.
        private string? BrokerLabel(JsonNode key)
        {
            string apiKey = (string)key["apiKey"]!;
            foreach (string file in Directory.Exists(StateFolder) ? Directory.GetFiles(StateFolder, "records.jsonl", SearchOption.AllDirectories) : Array.Empty<string>())
            {
                string? label = null;
                foreach (string line in File.ReadAllLines(file).Where(l => l.Trim().Length > 0))
                {
                    JsonNode? node;
                    try { node = JsonNode.Parse(line); } catch (System.Text.Json.JsonException) { continue; }
                    var record = node?["Record"];
                    if ((string?)record?["ApiKey"] != apiKey) continue;
                    label = (string?)node!["Op"] == "delete" ? null : (string?)record!["Label"];
                }
                if (label != null) return label;
            }
            return null;
        }

        /// <summary>Every HMAC key of the accounts has its secret in the vault, under an entry that names it.</summary>
        public void AssertEveryHmacSecretIsInTheVault(IEnumerable<DeclaredAccount> accounts, Func<JsonNode, bool>? exempt = null)
        {
            var hmac = accounts.SelectMany(KeysOf).Where(k => (string?)k["type"] == "hmac" && (exempt is null || !exempt(k))).ToList();
            if (hmac.Count == 0) return;
            var listed = RunUnconnected("Get-BinanceSecret -VaultPath $vault -VaultPassphrase $p | ForEach-Object { $_.Name + '=' + $_.ApiKey }", Variables());
            Assert.Null(listed.Terminating);
            var entries = listed.Output.Select(o => o.ToString()!.Split('=', 2)).ToDictionary(p => p[1], p => p[0], StringComparer.Ordinal);
            foreach (var key in hmac)
            {
                string apiKey = (string)key["apiKey"]!;
                Assert.True(entries.TryGetValue(apiKey, out string? name), $"The HMAC key {apiKey} ('{(string?)key["label"]}') has no vault entry.");
                var secret = RunUnconnected("Get-BinanceSecret -Name $name -AsPlainText -VaultPath $vault -VaultPassphrase $p",
                    new Dictionary<string, object?>(Variables()) { ["name"] = name });
                Assert.Equal((string?)key["secretKey"], Assert.Single(secret.Output).ToString());
            }
        }

        /// <summary>No key was ever unrestricted with more than reading, except those <paramref name="allowed"/> names.</summary>
        public void AssertNoViolations(Func<JsonNode, bool>? allowed = null)
        {
            var violations = Violations().Where(v => allowed is null || !allowed(v!)).ToList();
            Assert.True(violations.Count == 0, "Keys held more than reading with no IP restriction: " + string.Join("; ", violations.Select(v => v!.ToJsonString())));
        }

        public void Dispose()
        {
            if (session != null && ownsSession)
            {
                session.Runspace.Dispose();
                session.Dispose();
            }
            admin.Dispose();
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>One PowerShell session with the module imported, shared by the cases of a test class (each connects afresh).</summary>
    public sealed class SharedSession : IDisposable
    {
        private readonly Lazy<PowerShell> shell = new Lazy<PowerShell>(() => ModuleHost.CreateSession());

        public PowerShell Shell => shell.Value;

        public void Dispose()
        {
            if (!shell.IsValueCreated) return;
            shell.Value.Runspace.Dispose();
            shell.Value.Dispose();
        }
    }
}

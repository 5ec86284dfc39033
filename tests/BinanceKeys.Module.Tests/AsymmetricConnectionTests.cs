using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>Connecting with Ed25519 and RSA keys: every signature type through the cmdlets, against a seeded sandbox.</summary>
    public sealed class AsymmetricConnectionTests : IDisposable
    {
        private readonly string folder = Directory.CreateTempSubdirectory("bk-asym-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        [Fact]
        public void Ed25519AndRsaKeysConnectAndSign()
        {
            var passphrase = ModuleHost.Secure("key pass");
            var made = ModuleHost.Run("New-BinanceKeyPair -Name ops -Path . -Passphrase $p; New-BinanceKeyPair -Name rsa -Path . -Algorithm RSA -Passphrase $p",
                new Dictionary<string, object?> { ["p"] = passphrase }, folder);
            Assert.Empty(made.Errors);
            string Indent(string pem) => string.Join("\n", pem.TrimEnd('\n').Split('\n').Select(line => "          " + line));
            string seed = $@"master:
  email: master@example.com
  defaultSecurityControls: true
  keys:
    - label: ops
      type: ed25519
      apiKey: OpsEd25519ApiKeyOpsEd25519ApiKeyOpsEd25519ApiKeyOpsEd25519ApiKey
      publicKey: |
{Indent(File.ReadAllText(Path.Combine(folder, "ops.pub.pem")))}
      permissions: [spotAndMarginTrading]
      ipWhitelist: [127.0.0.1]
    - label: rsa
      type: rsa
      apiKey: OpsRsaApiKeyOpsRsaApiKeyOpsRsaApiKeyOpsRsaApiKeyOpsRsaApiKey1234
      publicKey: |
{Indent(File.ReadAllText(Path.Combine(folder, "rsa.pub.pem")))}
      permissions: []
subAccounts:
  - {{ email: desk-a@example.com, futuresEnabled: true, marginEnabled: false, keys: [] }}
";
            string seedFile = Path.Combine(folder, "seed.yaml");
            File.WriteAllText(seedFile, seed);
            using var sandbox = SandboxProcess.WithSeed(seedFile);

            var result = ModuleHost.Run(
                "Connect-BinanceAccount -Endpoint $endpoint -ApiKey OpsEd25519ApiKeyOpsEd25519ApiKeyOpsEd25519ApiKeyOpsEd25519ApiKey -PrivateKeyPath ./ops.pem -Passphrase $p; " +
                "Get-BinanceSubAccount | ForEach-Object Email; " +
                "$rsa = Get-BinanceKeyPair ./rsa.pem -Passphrase $p; " +
                "Connect-BinanceAccount -Endpoint $endpoint -ApiKey OpsRsaApiKeyOpsRsaApiKeyOpsRsaApiKeyOpsRsaApiKeyOpsRsaApiKey1234 -KeyPair $rsa -Passphrase $p; " +
                "Get-BinanceApiKey",
                new Dictionary<string, object?> { ["p"] = passphrase, ["endpoint"] = sandbox.BaseAddress }, folder);

            Assert.Empty(result.Errors);
            Assert.Equal("Ed25519", result.Output[0].Properties["KeyType"].Value.ToString());
            Assert.Equal("desk-a@example.com", result.Output[1].ToString());
            Assert.Equal("Rsa", result.Output[2].Properties["KeyType"].Value.ToString());
            Assert.Equal("Unrestricted", result.Output[3].Properties["IpAccess"].Value.ToString());
            Assert.Equal(new[] { "Reading" }, ((Array)result.Output[3].Properties["Permission"].Value).Cast<object>().Select(o => o.ToString()));
        }
    }
}

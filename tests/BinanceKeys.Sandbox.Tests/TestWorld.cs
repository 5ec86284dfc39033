using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>The seed most tests run against; its keys are test-only strings.</summary>
public static class TestWorld
{
    public static readonly string AdminKey = Pad("TestAdminApiKey");
    public static readonly string AdminSecret = Pad("TestAdminSecret");
    public static readonly string ReadOnlyKey = Pad("TestReadOnlyApiKey");
    public static readonly string ReadOnlySecret = Pad("TestReadOnlySecret");
    public static readonly string FarAwayKey = Pad("TestFarAwayApiKey");
    public static readonly string FarAwaySecret = Pad("TestFarAwaySecret");
    public static readonly string SecondLoopbackKey = Pad("TestLoopback2ApiKey");
    public static readonly string SecondLoopbackSecret = Pad("TestLoopback2Secret");
    public static readonly string Ed25519ApiKey = Pad("TestEd25519ApiKey");
    public static readonly string RsaApiKey = Pad("TestRsaApiKey");
    public static readonly string SubAccountKey = Pad("TestDeskAApiKey");
    public static readonly string SubAccountSecret = Pad("TestDeskASecret");

    /// <summary>docs/binance.md §1.7.3: the published Ed25519 test key (illustrative only).</summary>
    public const string Ed25519PrivateKeyPkcs8 = "MC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u";

    /// <summary>docs/binance.md §1.7.3: its public key, derived there with <c>openssl pkey -pubout</c>.</summary>
    public const string Ed25519PublicKeySpki = "MCowBQYDK2VwAyEAGUIKv9dSpWXBViXp2m6vAIb8QMFJYBgyFEQsFJlqgA0=";

    public static readonly RSA RsaKey = RSA.Create(2048);

    public static readonly string RsaPublicPem = RsaKey.ExportSubjectPublicKeyInfoPem();

    /// <summary>The raw 32-byte private key is the last OCTET STRING of the PKCS#8 v1 structure.</summary>
    public static Ed25519PrivateKeyParameters Ed25519Key => new(Convert.FromBase64String(Ed25519PrivateKeyPkcs8)[^32..]);

    public static string Ed25519PublicPem => "-----BEGIN PUBLIC KEY-----\n" + Ed25519PublicKeySpki + "\n-----END PUBLIC KEY-----";

    /// <summary>A fresh Ed25519 public key in PEM, for creating keys.</summary>
    public static string NewEd25519PublicPem()
    {
        var key = new Ed25519PrivateKeyParameters(new Org.BouncyCastle.Security.SecureRandom());
        var spki = Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.GeneratePublicKey()).GetDerEncoded();
        return "-----BEGIN PUBLIC KEY-----\n" + Convert.ToBase64String(spki) + "\n-----END PUBLIC KEY-----";
    }

    /// <summary>Test keys: a readable prefix padded with zeros to Binance's 64 alphanumerics.</summary>
    public static string Pad(string prefix) => prefix + new string('0', 64 - prefix.Length);

    /// <summary>The test world with a <c>behaviour:</c> block (docs/sandbox.md "Seed options"), e.g. "sapiRejection: rejected".</summary>
    public static string With(params string[] behaviour) =>
        Yaml + "behaviour:\n" + string.Concat(behaviour.Select(line => "  " + line + "\n"));

    public static string Yaml
    {
        get
        {
            var builder = new StringBuilder();
            builder.Append($$"""
                master:
                  email: master@example.com
                  defaultSecurityControls: true
                  keys:
                    - { label: admin, type: hmac, apiKey: {{AdminKey}}, secretKey: {{AdminSecret}}, permissions: [spotAndMarginTrading], ipWhitelist: [127.0.0.1] }
                    - { label: reader, type: hmac, apiKey: {{ReadOnlyKey}}, secretKey: {{ReadOnlySecret}}, permissions: [], ipWhitelist: [127.0.0.1] }
                    - { label: far-away, type: hmac, apiKey: {{FarAwayKey}}, secretKey: {{FarAwaySecret}}, permissions: [spotAndMarginTrading], ipWhitelist: [10.0.0.1] }
                    - { label: loopback-2, type: hmac, apiKey: {{SecondLoopbackKey}}, secretKey: {{SecondLoopbackSecret}}, permissions: [spotAndMarginTrading], ipWhitelist: [127.0.0.2] }
                    - label: ops
                      type: ed25519
                      apiKey: {{Ed25519ApiKey}}
                      publicKey: "{{Ed25519PublicPem.Replace("\n", "\\n", StringComparison.Ordinal)}}"
                      permissions: [spotAndMarginTrading, fixApiTrading]
                    - label: rsa-ops
                      type: rsa
                      apiKey: {{RsaApiKey}}
                      publicKey: "{{RsaPublicPem.Replace("\n", "\\n", StringComparison.Ordinal)}}"
                      permissions: [spotAndMarginTrading]
                subAccounts:
                  - email: desk-a@example.com
                    futuresEnabled: true
                    marginEnabled: false
                    keys:
                      - { label: desk-a-bot, type: hmac, apiKey: {{SubAccountKey}}, secretKey: {{SubAccountSecret}}, permissions: [spotAndMarginTrading], ipWhitelist: [127.0.0.1] }
                  - { email: desk-b@example.com, futuresEnabled: false, marginEnabled: true, keys: [] }
                  - { email: desk-c@example.com, futuresEnabled: false, marginEnabled: false, remark: plain, keys: [] }
                  - { email: desk+plus@example.com, keys: [] }
                  - email: full@example.com
                    keys:

                """);
            foreach (var i in Enumerable.Range(1, 29))
            {
                builder.Append($"      - {{ label: k{i}, type: hmac, permissions: [] }}\n");
            }
            builder.Append("""
                brokerSubAccounts:
                  - { subAccountId: "1001", futuresEnabled: true, marginEnabled: true, keys: [] }
                  - { subAccountId: "1002", keys: [] }

                """);
            return builder.ToString();
        }
    }
}

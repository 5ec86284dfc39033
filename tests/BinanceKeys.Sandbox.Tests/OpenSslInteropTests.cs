using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>
/// Signatures made by OpenSSL, a tool nobody here wrote, are accepted by the sandbox: a shared
/// misunderstanding between the sandbox and the test client cannot pass these.
/// </summary>
public sealed class OpenSslInteropTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sandbox-openssl-").FullName;

    [Fact]
    public async Task HmacFromOpenSsl()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = TestClient.Custom(sandbox.BaseAddress, TestWorld.AdminKey, payload =>
        {
            // "HMAC-SHA2-256(stdin)= <hex>": the hex is the last word.
            var output = Encoding.ASCII.GetString(OpenSsl(payload, "dgst", "-sha256", "-hmac", TestWorld.AdminSecret));
            return output.Trim().Split(' ').Last();
        });
        var reply = await client.GetAsync("/sapi/v1/sub-account/list", ("email", "desk+plus@example.com"));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Ed25519FromOpenSsl()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var key = Write("ed25519.pem", "-----BEGIN PRIVATE KEY-----\n" + TestWorld.Ed25519PrivateKeyPkcs8 + "\n-----END PRIVATE KEY-----\n");
        using var client = TestClient.Custom(sandbox.BaseAddress, TestWorld.Ed25519ApiKey, payload =>
            Convert.ToBase64String(OpenSsl(payload, "pkeyutl", "-sign", "-inkey", key, "-rawin", "-in", WriteBytes("payload.bin", payload))));
        var reply = await client.PostAsync("/sapi/v1/sub-account/subAccountApi",
            ("email", "desk+plus@example.com"), ("apiName", "ünï ✓ @+,/="), ("status", "2"), ("ipAddress", "1.2.3.4"));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task RsaKeyMadeByOpenSslIsCreatedThroughV2AndSigns()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var key = Path.Combine(_directory, "rsa.pem");
        OpenSsl([], "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key);
        var publicPem = Encoding.ASCII.GetString(OpenSsl([], "pkey", "-in", key, "-pubout"));

        var created = await sandbox.Master.PostAsync("/sapi/v2/sub-account/subAccountApi",
            ("email", "desk-c@example.com"), ("apiName", "openssl-rsa"), ("status", "1"), ("publicKey", publicPem));
        Assert.Equal(HttpStatusCode.OK, created.Status);

        // A sub-account key may read its own restrictions (§2.2).
        using var client = TestClient.Custom(sandbox.BaseAddress, created.Json.GetProperty("apiKey").GetString()!, payload =>
            Convert.ToBase64String(OpenSsl([], "dgst", "-sha256", "-sign", key, WriteBytes("payload.bin", payload))));
        var reply = await client.GetAsync("/sapi/v1/account/apiRestrictions");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.False(reply.Json.GetProperty("ipRestrict").GetBoolean());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text) => WriteBytes(name, Encoding.ASCII.GetBytes(text));

    private string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] OpenSsl(byte[] input, params string[] arguments)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("openssl did not start.");
        process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"openssl {arguments[0]} failed: {error}");
        return output.ToArray();
    }
}

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
        using var client = sandbox.Custom(TestWorld.AdminKey, payload =>
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
        using var client = sandbox.Custom(TestWorld.Ed25519ApiKey, payload =>
            Convert.ToBase64String(OpenSsl(null, "pkeyutl", "-sign", "-inkey", key, "-rawin", "-in", WriteBytes("payload.bin", payload))));
        var reply = await client.PostAsync("/sapi/v1/sub-account/subAccountApi",
            ("email", "desk+plus@example.com"), ("apiName", "ünï ✓ @+,/="), ("status", "2"), ("ipAddress", "1.2.3.4"));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Ed25519FromOpenSsl_PayloadLargerThanAPipeBuffer()
    {
        // A payload larger than a pipe's buffer (64 KiB) made the old helper fail every time, not just by chance: it
        // wrote the payload to the stdin of an openssl that reads -in FILE, exits without reading, and breaks the pipe.
        await using var sandbox = await TestSandbox.StartAsync();
        var key = Write("ed25519.pem", "-----BEGIN PRIVATE KEY-----\n" + TestWorld.Ed25519PrivateKeyPkcs8 + "\n-----END PRIVATE KEY-----\n");
        using var client = sandbox.Custom(TestWorld.Ed25519ApiKey, payload =>
            Convert.ToBase64String(OpenSsl(null, "pkeyutl", "-sign", "-inkey", key, "-rawin", "-in", WriteBytes("payload.bin", payload))));
        var reply = await client.PostAsync("/sapi/v1/sub-account/subAccountApi",
            ("email", "desk-c@example.com"), ("apiName", new string('x', 200_000)), ("status", "2"), ("ipAddress", "1.2.3.4"));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task RsaKeyMadeByOpenSslIsCreatedThroughV2AndSigns()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var key = Path.Combine(_directory, "rsa.pem");
        OpenSsl(null, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key);
        var publicPem = Encoding.ASCII.GetString(OpenSsl(null, "pkey", "-in", key, "-pubout"));

        var created = await sandbox.Master.PostAsync("/sapi/v2/sub-account/subAccountApi",
            ("email", "desk-c@example.com"), ("apiName", "openssl-rsa"), ("status", "1"), ("publicKey", publicPem));
        Assert.Equal(HttpStatusCode.OK, created.Status);

        // A sub-account key may read its own restrictions (§2.2).
        using var client = sandbox.Custom(created.Json.GetProperty("apiKey").GetString()!, payload =>
            Convert.ToBase64String(OpenSsl(null, "dgst", "-sha256", "-sign", key, WriteBytes("payload.bin", payload))));
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

    /// <summary>
    /// Runs openssl. <paramref name="standardInput"/> is written to its stdin only when the command reads stdin;
    /// a command that reads <c>-in FILE</c> gets no stdin pipe at all, since it may exit before reading a pipe
    /// and a write to it would then fail with "Broken pipe" (the old flake of <see cref="Ed25519FromOpenSsl"/>).
    /// Output and error are read concurrently, so neither pipe can fill up and stall the other.
    /// </summary>
    internal static byte[] OpenSsl(byte[]? standardInput, params string[] arguments)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = standardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("openssl did not start.");
        var error = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        if (standardInput is not null)
        {
            process.StandardInput.BaseStream.Write(standardInput);
            process.StandardInput.Close();
        }
        copy.GetAwaiter().GetResult();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"openssl {arguments[0]} failed: {error.GetAwaiter().GetResult()}");
        return output.ToArray();
    }
}

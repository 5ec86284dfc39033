using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using BinanceKeys.Sandbox.Signing;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>docs/binance.md §1: the sandbox's own verifier against published vectors, and signing over HTTP.</summary>
public sealed class SignatureTests
{
    private const string VectorSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    [Theory]
    // docs/binance.md §1.7.1, copied exactly.
    [InlineData("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
        "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71")]
    [InlineData("symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
        "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3")]
    [InlineData("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
        "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77")]
    public void HmacVectorsOfTheSpecVerify(string payload, string signature)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        Assert.True(SignatureVerifier.VerifyHmac(VectorSecret, bytes, signature));
        Assert.True(SignatureVerifier.VerifyHmac(VectorSecret, bytes, signature.ToUpperInvariant())); // §1.1: hex is case-insensitive.
        Assert.False(SignatureVerifier.VerifyHmac(VectorSecret, bytes, (signature[0] == '0' ? "1" : "0") + signature[1..]));
        Assert.False(SignatureVerifier.VerifyHmac(VectorSecret, Encoding.UTF8.GetBytes(payload + "&"), signature));
    }

    [Fact]
    public void MixedQueryAndBodyVectorVerifiesThroughTheParameterParser()
    {
        // §1.7.1 "Example 3": the sandbox must build the payload query+body with no '&' between them.
        var parameters = Http.RequestParameters.Parse(
            "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC",
            "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77");
        Assert.True(SignatureVerifier.VerifyHmac(VectorSecret, parameters.SignedPayload, parameters.Signature!));
    }

    [Fact]
    public void Ed25519VectorOfTheSpecVerifies()
    {
        // §1.7.3: FIX Logon payload (SOH-separated) with the published key and signature.
        var payload = Encoding.ASCII.GetBytes("A\u0001EXAMPLE\u0001SPOT\u00011\u000120240627-11:17:25.223");
        var publicKey = PublicKeyMaterial.TryParse(TestWorld.Ed25519PublicKeySpki)!;
        const string signature = "4MHXelVVcpkdwuLbl6n73HQUXUf1dse2PCgT1DYqW9w8AVZ1RACFGM+5UdlGPrQHrgtS3CvsRURC1oj73j8gCA==";
        Assert.True(SignatureVerifier.VerifyEd25519(publicKey, payload, signature));
        Assert.False(SignatureVerifier.VerifyEd25519(publicKey, payload[1..], signature));
        // And the test client's key derives the published public key.
        Assert.Equal(TestWorld.Ed25519PublicKeySpki, Convert.ToBase64String(
            Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(TestWorld.Ed25519Key.GeneratePublicKey()).GetDerEncoded()));
    }

    [Fact]
    public async Task EachKeyTypeSignsAcceptedRequests()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var ed25519 = sandbox.Ed25519(TestWorld.Ed25519ApiKey, TestWorld.Ed25519Key);
        using var rsa = sandbox.Rsa(TestWorld.RsaApiKey, TestWorld.RsaKey);
        foreach (var client in new[] { sandbox.Master, ed25519, rsa })
        {
            var reply = await client.GetAsync("/sapi/v1/account/apiRestrictions");
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            Assert.True(reply.Json.GetProperty("enableSpotAndMarginTrading").GetBoolean());
        }
        Assert.True((await ed25519.GetAsync("/sapi/v1/account/apiRestrictions")).Json.GetProperty("enableFixApiTrade").GetBoolean());
    }

    [Fact]
    public async Task UppercaseHmacSignatureIsAccepted()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Master.TamperSignature = s => s.ToUpperInvariant();
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Master.GetAsync("/sapi/v1/account/status")).Status);
    }

    [Fact]
    public async Task BadSignaturesAreRejectedWith1022()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Master.TamperSignature = s => "1" + s[1..] == s ? "2" + s[1..] : "1" + s[1..];
        var hmac = await sandbox.Master.GetAsync("/sapi/v1/account/status");
        Assert.Equal((HttpStatusCode.BadRequest, -1022, "Signature for this request is not valid."), (hmac.Status, hmac.Code, hmac.Msg));

        // An Ed25519 signature made with the wrong key.
        using var wrongKey = sandbox.Ed25519(TestWorld.Ed25519ApiKey,
            new Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters(new byte[32]));
        Assert.Equal(-1022, (await wrongKey.GetAsync("/sapi/v1/account/status")).Code);

        // An RSA signature sent without percent-encoding: '+' decodes to a space, so it cannot verify (§1.4).
        using var rsa = sandbox.Rsa(TestWorld.RsaApiKey, TestWorld.RsaKey);
        var query = "timestamp=" + sandbox.Clock.NowMs;
        var signature = Convert.ToBase64String(TestWorld.RsaKey.SignData(Encoding.UTF8.GetBytes(query), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1));
        var raw = await rsa.SendRawAsync(HttpMethod.Get, "/sapi/v1/account/status", query + "&signature=" + signature, null);
        if (signature.Contains('+', StringComparison.Ordinal))
        {
            Assert.Equal(-1022, raw.Code);
        }
        var encoded = await rsa.SendRawAsync(HttpMethod.Get, "/sapi/v1/account/status", query + "&signature=" + Uri.EscapeDataString(signature), null);
        Assert.Equal(HttpStatusCode.OK, encoded.Status);
    }

    [Fact]
    public async Task ApiKeyHeaderProblemsGive2014AndUnknownKeysMinus2015OnApiAndMinus2008OnSapi()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = sandbox.Master;

        client.ApiKey = "";
        var missing = await client.GetAsync("/sapi/v1/account/status");
        Assert.Equal((HttpStatusCode.Unauthorized, -2014, "API-key format invalid."), (missing.Status, missing.Code, missing.Msg));

        client.ApiKey = "short";
        Assert.Equal(-2014, (await client.GetAsync("/sapi/v1/account/status")).Code);

        // docs/binance.md §5: an unknown (or deleted) key is 400 -2008 on /sapi, 401 -2015 on /api.
        client.ApiKey = TestWorld.Pad("Unknown");
        var unknown = await client.GetAsync("/sapi/v1/account/status");
        Assert.Equal((HttpStatusCode.BadRequest, -2008, "Invalid Api-Key ID."), (unknown.Status, unknown.Code, unknown.Msg));
    }

    [Fact]
    public async Task MissingSignatureIsMinus1002WithHttp401OnSapi()
    {
        // docs/binance.md §5: /sapi answers a signed endpoint called without a signature with 401 -1002.
        await using var sandbox = await TestSandbox.StartAsync();
        var reply = await sandbox.Master.SendRawAsync(HttpMethod.Get, "/sapi/v1/account/status", "timestamp=" + sandbox.Clock.NowMs, null);
        Assert.Equal((HttpStatusCode.Unauthorized, -1002, "You are not authorized to execute this request."), (reply.Status, reply.Code, reply.Msg));
    }

    [Fact]
    public async Task NonAsciiAndReservedCharactersAreSignedPercentEncoded()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        const string label = "Bot ✓ ünï 测试 @+,/=";
        var created = await sandbox.Master.PostAsync("/sapi/v1/sub-account/subAccountApi",
            ("email", "desk+plus@example.com"), ("apiName", label), ("status", "2"), ("ipAddress", "1.2.3.4,5.6.7.8"));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal(label, created.Json.GetProperty("apiName").GetString());

        // The same, as a GET with everything in the query.
        var query = await sandbox.Master.GetAsync("/sapi/v1/sub-account/subAccountApi", ("email", "desk+plus@example.com"));
        Assert.Equal(label, query.Json.GetProperty("rows")[0].GetProperty("apiName").GetString());
        Assert.Equal(label, (await sandbox.KeysAsync("desk+plus@example.com"))[0].GetProperty("label").GetString());
    }

    [Fact]
    public async Task AnAmpersandBetweenQueryAndBodyIsNotThePayload()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var query = "email=desk-c%40example.com";
        var body = "apiName=a&status=1&timestamp=" + sandbox.Clock.NowMs;
        string Sign(string payload) => Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(TestWorld.AdminSecret), Encoding.UTF8.GetBytes(payload)));
        var wrong = await sandbox.Master.SendRawAsync(HttpMethod.Post, "/sapi/v1/sub-account/subAccountApi", query, body + "&signature=" + Sign(query + "&" + body));
        Assert.Equal(-1022, wrong.Code);
        var right = await sandbox.Master.SendRawAsync(HttpMethod.Post, "/sapi/v1/sub-account/subAccountApi", query, body + "&signature=" + Sign(query + body));
        Assert.Equal(HttpStatusCode.OK, right.Status);
        // The signature may also travel in the query, before the body's parameters.
        var inQuery = await sandbox.Master.SendRawAsync(HttpMethod.Post, "/sapi/v1/sub-account/subAccountApi", query + "&signature=" + Sign(query + body.Replace("a&", "b&", StringComparison.Ordinal)), body.Replace("a&", "b&", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, inQuery.Status);
    }

    [Fact]
    public async Task SignatureCoversQueryAndBodyAndQueryValueWins()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        // email in the query (the real one) and in the body (a wrong one): the query value wins (§1.1).
        var reply = await sandbox.Master.SendAsync(HttpMethod.Post, "/sapi/v1/sub-account/subAccountApi",
            [("email", "desk-c@example.com"), ("apiName", "split")],
            [("email", "nobody@example.com"), ("status", "2"), ("ipAddress", "1.2.3.4")]);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Single(await sandbox.KeysAsync("desk-c@example.com"));
    }
}

using System;
using BinanceKeys.Sandbox.Signing;
using BinanceKeys.Sandbox.State;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>Uploaded public keys: the accepted forms, and garbage that must be refused, not crash.</summary>
public sealed class PublicKeyParsingTests
{
    [Fact]
    public void PemAndBareBase64AreAccepted()
    {
        Assert.Equal(KeyType.Ed25519, PublicKeyMaterial.TryParse(TestWorld.Ed25519PublicPem)!.Type);
        Assert.Equal(KeyType.Ed25519, PublicKeyMaterial.TryParse(TestWorld.Ed25519PublicKeySpki)!.Type);
        Assert.Equal(KeyType.Rsa, PublicKeyMaterial.TryParse(TestWorld.RsaPublicPem)!.Type);
        Assert.Equal(KeyType.Rsa, PublicKeyMaterial.TryParse(TestWorld.RsaPublicPem.Replace("\n", "\r\n", StringComparison.Ordinal))!.Type);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a key")]
    [InlineData("MCowBQYDK2VwAyEAGUIKv9dSpWXBViXp2m6vAIb8QMFJ")] // truncated
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u\n-----END PRIVATE KEY-----")]
    public void GarbageIsRefused(string text) => Assert.Null(PublicKeyMaterial.TryParse(text));

    [Fact]
    public void RsaKeysOtherThan2048Or4096BitsAreRefused()
    {
        using var small = System.Security.Cryptography.RSA.Create(1024);
        Assert.Null(PublicKeyMaterial.TryParse(small.ExportSubjectPublicKeyInfoPem()));
    }

    [Fact]
    public void RandomBytesNeverThrow()
    {
        var random = new Random(1234);
        for (var i = 0; i < 500; i++)
        {
            var bytes = new byte[random.Next(0, 120)];
            random.NextBytes(bytes);
            if (bytes.Length > 0)
            {
                bytes[0] = 0x30; // an ASN.1 SEQUENCE, to reach the DER parser
            }
            Assert.Null(PublicKeyMaterial.TryParse(Convert.ToBase64String(bytes)));
        }
    }
}

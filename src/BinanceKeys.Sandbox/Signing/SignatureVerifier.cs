using System;
using System.Security.Cryptography;
using System.Text;
using BinanceKeys.Sandbox.State;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace BinanceKeys.Sandbox.Signing;

/// <summary>Verifies a request signature for each key type (docs/binance.md §1.3–§1.5), with the sandbox's own code.</summary>
internal static class SignatureVerifier
{
    public static bool Verify(SandboxKey key, byte[] payload, string signature) => key.Type switch
    {
        KeyType.Hmac => VerifyHmac(key.SecretKey!, payload, signature),
        KeyType.Rsa => VerifyRsa(key.PublicKey!, payload, signature),
        KeyType.Ed25519 => VerifyEd25519(key.PublicKey!, payload, signature),
        _ => false,
    };

    /// <summary>§1.3: HMAC-SHA256 keyed with the secret's UTF-8 bytes, hex; §1.1: hex is case-insensitive.</summary>
    public static bool VerifyHmac(string secretKey, byte[] payload, string signatureHex)
    {
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), payload);
        byte[] given;
        try
        {
            given = Convert.FromHexString(signatureHex);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>§1.4: RSASSA-PKCS1-v1_5 with SHA-256, base64 (case-sensitive).</summary>
    public static bool VerifyRsa(PublicKeyMaterial publicKey, byte[] payload, string signatureBase64)
    {
        if (!TryDecodeBase64(signatureBase64, out var signature))
        {
            return false;
        }
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(publicKey.SubjectPublicKeyInfo, out _);
        return rsa.VerifyData(payload, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>§1.5: pure Ed25519 (RFC 8032, no pre-hash), base64.</summary>
    public static bool VerifyEd25519(PublicKeyMaterial publicKey, byte[] payload, string signatureBase64)
    {
        if (!TryDecodeBase64(signatureBase64, out var signature) || signature.Length != Ed25519.SignatureSize)
        {
            return false;
        }
        return Ed25519.Verify(signature, 0, publicKey.RawEd25519Key, 0, payload, 0, payload.Length);
    }

    private static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var written) && (bytes = bytes[..written]).Length > 0;
    }
}

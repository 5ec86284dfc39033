using System;
using System.Security.Cryptography;
using BinanceKeys.Sandbox.State;
using Org.BouncyCastle.Asn1.EdEC;

namespace BinanceKeys.Sandbox.Signing;

/// <summary>An uploaded public key (SPKI), parsed once: its type, its DER bytes and the PEM text it came as.</summary>
internal sealed class PublicKeyMaterial
{
    private PublicKeyMaterial(KeyType type, byte[] subjectPublicKeyInfo, byte[] rawEd25519Key)
    {
        Type = type;
        SubjectPublicKeyInfo = subjectPublicKeyInfo;
        RawEd25519Key = rawEd25519Key;
    }

    public KeyType Type { get; }

    public byte[] SubjectPublicKeyInfo { get; }

    /// <summary>The 32-byte key for Ed25519; empty for RSA.</summary>
    public byte[] RawEd25519Key { get; }

    public string Pem => PemEncoding.WriteString("PUBLIC KEY", SubjectPublicKeyInfo);

    /// <summary>
    /// Accepts PEM (<c>-----BEGIN PUBLIC KEY-----</c>) or bare base64 SPKI. docs/binance.md §2.3 and §8:
    /// the accepted text format is UNCONFIRMED, so both are taken. RSA must be 2048 or 4096 bits (§1.1).
    /// Returns null when the text is not such a key.
    /// </summary>
    public static PublicKeyMaterial? TryParse(string text)
    {
        try
        {
            var trimmed = text.Trim();
            byte[] der;
            if (trimmed.StartsWith("-----BEGIN", StringComparison.Ordinal))
            {
                var pem = PemEncoding.Find(trimmed);
                if (trimmed[pem.Label] != "PUBLIC KEY")
                {
                    return null;
                }
                der = Convert.FromBase64String(trimmed[pem.Base64Data]);
            }
            else
            {
                der = Convert.FromBase64String(trimmed);
            }

            var info = Org.BouncyCastle.Asn1.X509.SubjectPublicKeyInfo.GetInstance(der);
            if (info.Algorithm.Algorithm.Equals(EdECObjectIdentifiers.id_Ed25519))
            {
                var raw = info.PublicKey.GetOctets();
                return raw.Length == 32 ? new PublicKeyMaterial(KeyType.Ed25519, der, raw) : null;
            }

            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(der, out _);
            return rsa.KeySize is 2048 or 4096 ? new PublicKeyMaterial(KeyType.Rsa, der, Array.Empty<byte>()) : null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or CryptographicException or InvalidOperationException or System.IO.IOException)
        {
            return null;
        }
    }
}

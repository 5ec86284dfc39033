using System.Security.Cryptography;

namespace BinanceKeys.Sandbox.State;

/// <summary>Random API keys and HMAC secrets in Binance's format: 64 ASCII letters and digits.</summary>
internal static class KeyGenerator
{
    public const int Length = 64;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string NewKeyString() => RandomNumberGenerator.GetString(Alphabet, Length);

    public static bool IsWellFormed(string text)
    {
        if (text.Length != Length)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}

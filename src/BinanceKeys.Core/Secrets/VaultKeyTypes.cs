using System;

namespace BinanceKeys.Secrets
{
    /// <summary>The key types an entry may have, as the strings used in files and parameters.</summary>
    /// <remarks>Internal: the PowerShell-visible enum lives in the cmdlet layer, which maps to these strings.</remarks>
    internal static class VaultKeyTypes
    {
        public const string Hmac = "hmac";
        public const string Ed25519 = "ed25519";
        public const string Rsa = "rsa";

        public static string Normalize(string type)
        {
            if (type is null) throw new ArgumentNullException(nameof(type));
            switch (type.Trim().ToLowerInvariant())
            {
                case Hmac: return Hmac;
                case Ed25519: return Ed25519;
                case Rsa: return Rsa;
                default: throw new ArgumentException($"Unknown key type '{type}'. Expected hmac, ed25519 or rsa.", nameof(type));
            }
        }
    }

    /// <summary>Rules for entry names.</summary>
    internal static class VaultNames
    {
        public const int MaxLength = 256;

        public static string Validate(string name)
        {
            if (name is null) throw new ArgumentNullException(nameof(name));
            if (name.Trim().Length == 0) throw new ArgumentException("An entry name cannot be empty.", nameof(name));
            if (name.Length > MaxLength) throw new ArgumentException($"An entry name is at most {MaxLength} characters.", nameof(name));
            if (name.Trim().Length != name.Length) throw new ArgumentException("An entry name cannot start or end with white space.", nameof(name));
            foreach (char c in name)
            {
                if (char.IsControl(c)) throw new ArgumentException("An entry name cannot contain control characters.", nameof(name));
            }
            return name;
        }
    }
}

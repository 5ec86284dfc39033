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

        /// <summary>What is wrong with <paramref name="name"/> as an entry name, or null when it is acceptable.</summary>
        public static string? Problem(string? name)
        {
            if (name is null || name.Trim().Length == 0) return "An entry name cannot be empty.";
            if (name.Length > MaxLength) return $"An entry name is at most {MaxLength} characters.";
            if (name.Trim().Length != name.Length) return "An entry name cannot start or end with white space.";
            foreach (char c in name)
            {
                if (char.IsControl(c)) return "An entry name cannot contain control characters.";
            }
            return null;
        }

        public static string Validate(string name)
        {
            if (name is null) throw new ArgumentNullException(nameof(name));
            string? problem = Problem(name);
            if (problem != null) throw new ArgumentException(problem, nameof(name));
            return name;
        }
    }
}

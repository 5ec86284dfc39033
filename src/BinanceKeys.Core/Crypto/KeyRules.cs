using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace BinanceKeys.Crypto
{
    /// <summary>Which asymmetric keys Binance accepts (docs/binance.md §1.1, §1.4, §1.5; §9).</summary>
    internal static class KeyRules
    {
        /// <summary>RSA sizes Binance accepts: "RSA keys are 2048 or 4096 bits" (docs/binance.md §1.1, §9).</summary>
        public static readonly int[] RsaKeySizes = { 2048, 4096 };

        public const int Ed25519KeySize = 256;

        /// <summary>Classifies a key, or throws a <see cref="KeyFileException"/> naming what is wrong with it.</summary>
        public static (KeyAlgorithm Algorithm, int KeySize) Classify(AsymmetricKeyParameter key, string? path)
        {
            switch (key)
            {
                case Ed25519PrivateKeyParameters _:
                case Ed25519PublicKeyParameters _:
                    return (KeyAlgorithm.Ed25519, Ed25519KeySize);
                case RsaKeyParameters rsa:
                    int bits = rsa.Modulus.BitLength;
                    if (System.Array.IndexOf(RsaKeySizes, bits) < 0)
                    {
                        throw new KeyFileException(KeyFileError.UnsupportedKeySize, path,
                            $"{Describe(path)} is a {bits}-bit RSA key; Binance accepts RSA keys of 2048 or 4096 bits only.");
                    }
                    return (KeyAlgorithm.RSA, bits);
                default:
                    throw new KeyFileException(KeyFileError.UnsupportedKeyType, path,
                        $"{Describe(path)} holds a {Name(key)} key; Binance accepts Ed25519 and RSA (2048 or 4096 bits) keys only.");
            }
        }

        public static string Describe(string? path) => path is null ? "The key" : $"'{path}'";

        private static string Name(AsymmetricKeyParameter key) => key switch
        {
            ECKeyParameters _ => "EC (ECDSA)",
            DsaKeyParameters _ => "DSA",
            Ed448PrivateKeyParameters _ or Ed448PublicKeyParameters _ => "Ed448",
            X25519PrivateKeyParameters _ or X25519PublicKeyParameters _ => "X25519",
            X448PrivateKeyParameters _ or X448PublicKeyParameters _ => "X448",
            _ => key.GetType().Name.Replace("KeyParameters", string.Empty),
        };
    }
}

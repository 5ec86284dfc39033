namespace BinanceKeys.Secrets
{
    /// <summary>scrypt cost parameters, stored in every vault header so that they can be raised later.</summary>
    internal sealed class ScryptParameters
    {
        /// <summary>
        /// N = 2^17, r = 8, p = 1: 128 MiB and 0.55 to 0.85 s per derivation on the build machines (BouncyCastle 2.7, .NET 10).
        /// </summary>
        public static readonly ScryptParameters Production = new ScryptParameters(17, 8, 1);

        // Bounds accepted when reading a header. The header checksum is not keyed, so whoever can write the file
        // could otherwise make us allocate gigabytes; 2^22 x r 8 is 4 GiB, so cap memory (128 * r * N) at 1 GiB.
        public const int MinLog2N = 10;
        public const int MaxLog2N = 22;
        public const int MaxR = 32;
        public const int MaxP = 16;
        public const long MaxMemoryBytes = 1L << 30;

        public ScryptParameters(int log2N, int r, int p)
        {
            Log2N = log2N;
            R = r;
            P = p;
        }

        /// <summary>log2 of the CPU/memory cost N.</summary>
        public int Log2N { get; }

        /// <summary>Block size.</summary>
        public int R { get; }

        /// <summary>Parallelism.</summary>
        public int P { get; }

        public int N => 1 << Log2N;

        public bool IsWithinBounds =>
            Log2N >= MinLog2N && Log2N <= MaxLog2N
            && R >= 1 && R <= MaxR
            && P >= 1 && P <= MaxP
            && 128L * R * N <= MaxMemoryBytes;

        public bool SameAs(ScryptParameters other) => Log2N == other.Log2N && R == other.R && P == other.P;

        public override string ToString() => $"scrypt N=2^{Log2N} r={R} p={P}";
    }
}

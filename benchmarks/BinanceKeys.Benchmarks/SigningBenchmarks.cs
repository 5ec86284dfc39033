using System.Collections.Generic;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using BinanceKeys.Crypto;
using BinanceKeys.Signing;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace BinanceKeys.Benchmarks
{
    /// <summary>
    /// The signing paths the module chose, against their alternatives (figures in README.md, "Benchmarks"): RSA through the BCL
    /// versus BouncyCastle, Ed25519 through BouncyCastle's raw API versus its ISigner, HMAC with a reused instance,
    /// and building a signed payload. A typical sub-account key payload of about 120 bytes.
    /// </summary>
    [MemoryDiagnoser]
    public class SigningBenchmarks
    {
        private const string Payload = "email=desk-a%40example.com&apiName=mm-bot&status=2&canTrade=true&ipAddress=203.0.113.7%2C203.0.113.8&timestamp=1700000000000";
        private readonly byte[] payloadBytes = Encoding.UTF8.GetBytes(Payload);
        private HmacRequestSigner hmac = null!;
        private KeyRequestSigner ed25519 = null!;
        private KeyRequestSigner rsa = null!;
        private Ed25519PrivateKeyParameters bouncyEd25519 = null!;
        private RsaPrivateCrtKeyParameters bouncyRsa = null!;
        private KeyValuePair<string, string>[] body = null!;

        [GlobalSetup]
        public void Setup()
        {
            hmac = HmacRequestSigner.FromSecret("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j".ToCharArray());
            var edKey = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
            ed25519 = new KeyRequestSigner(edKey);
            var rsaKey = KeyGenerator.Generate(KeyAlgorithm.RSA, 2048);
            rsa = new KeyRequestSigner(rsaKey);
            bouncyEd25519 = (Ed25519PrivateKeyParameters)PrivateKeyFactory.CreateKey(Convert(System.Text.Encoding.ASCII.GetString(PrivateKeyPem.WriteUnencrypted(edKey))));
            bouncyRsa = (RsaPrivateCrtKeyParameters)PrivateKeyFactory.CreateKey(Convert(System.Text.Encoding.ASCII.GetString(PrivateKeyPem.WriteUnencrypted(rsaKey))));
            body = new[]
            {
                new KeyValuePair<string, string>("email", "desk-a@example.com"),
                new KeyValuePair<string, string>("apiName", "mm-bot"),
                new KeyValuePair<string, string>("status", "2"),
                new KeyValuePair<string, string>("canTrade", "true"),
                new KeyValuePair<string, string>("ipAddress", "203.0.113.7,203.0.113.8"),
            };
        }

        private static byte[] Convert(string pem) =>
            System.Convert.FromBase64String(pem.Replace("-----BEGIN PRIVATE KEY-----", "").Replace("-----END PRIVATE KEY-----", "").Replace("\n", ""));

        [Benchmark(Description = "HMAC-SHA256, reused instance (module)")]
        public string Hmac() => hmac.Sign(Payload);

        [Benchmark(Description = "Ed25519, BouncyCastle raw Sign (module)")]
        public string Ed25519() => ed25519.Sign(Payload);

        [Benchmark(Description = "Ed25519, BouncyCastle ISigner (alternative)")]
        public byte[] Ed25519ThroughISigner()
        {
            var signer = SignerUtilities.GetSigner("Ed25519");
            signer.Init(true, bouncyEd25519);
            signer.BlockUpdate(payloadBytes, 0, payloadBytes.Length);
            return signer.GenerateSignature();
        }

        [Benchmark(Description = "RSA-2048 PKCS#1 SHA-256, BCL (module)")]
        public string Rsa() => rsa.Sign(Payload);

        [Benchmark(Description = "RSA-2048 PKCS#1 SHA-256, BouncyCastle (alternative)")]
        public byte[] RsaThroughBouncyCastle()
        {
            var signer = SignerUtilities.GetSigner("SHA256WITHRSA");
            signer.Init(true, bouncyRsa);
            signer.BlockUpdate(payloadBytes, 0, payloadBytes.Length);
            return signer.GenerateSignature();
        }

        [Benchmark(Description = "Signed form body, Ed25519 (percent-encode + sign)")]
        public SignedRequestContent SignedBody() =>
            RequestPayload.Sign(new KeyValuePair<string, string>[0], body, 1700000000000, 5000m, ed25519, parametersInBody: true);
    }

    internal static class Program
    {
        private static int Main(string[] args)
        {
            // `quick [keys...]`: a rough timing of the desired-state steps while developing (DesiredStateBenchmarks);
            // `plan-apply`: the plan/apply scale harness (docs/performance.md); anything else: BenchmarkDotNet.
            if (args.Length > 0 && args[0] == "quick")
            {
                OfflineSteps.Quick(args[1..]);
                return 0;
            }
            if (args.Length > 0 && args[0] == "plan-apply") return PlanApplyAtScale.RunAsync(args[1..]).GetAwaiter().GetResult();
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return 0;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Text;
using BinanceKeys.Crypto;
using BinanceKeys.Signing;
using Xunit;

namespace BinanceKeys.Tests.Signing
{
    /// <summary>The published vectors of docs/binance.md §1.7, reproduced exactly.</summary>
    public sealed class SignatureVectorTests
    {
        // docs/binance.md §1.7.1
        private const string VectorSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

        // docs/binance.md §1.7.3 (Binance: illustrative only, not for real use)
        private const string FixEd25519PrivateKey =
            "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u\n-----END PRIVATE KEY-----\n";

        private static HmacRequestSigner VectorSigner() => HmacRequestSigner.FromSecret(VectorSecret.ToCharArray());

        private static KeyValuePair<string, string> P(string name, string value) => new KeyValuePair<string, string>(name, value);

        [Theory]
        [InlineData("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
            "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71")]
        [InlineData("symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
            "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3")]
        [InlineData("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
            "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77")]
        public void HmacRestVectors(string payload, string expected)
        {
            using var signer = VectorSigner();
            Assert.Equal(expected, signer.Sign(payload));
        }

        [Theory]
        [InlineData("apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT",
            "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24")]
        [InlineData("apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&price=0.10000000&quantity=1.00000000&recvWindow=5000&side=BUY&symbol=１２３４５６&timeInForce=GTC&timestamp=1645423376532&type=LIMIT",
            "b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd")]
        public void HmacWebSocketVectorsSignRawUtf8(string payload, string expected)
        {
            using var signer = VectorSigner();
            Assert.Equal(expected, signer.Sign(payload));
        }

        [Fact]
        public void PayloadBuilderReproducesTheQueryOnlyVector()
        {
            using var signer = VectorSigner();
            var query = new[] { P("symbol", "LTCBTC"), P("side", "BUY"), P("type", "LIMIT"), P("timeInForce", "GTC"), P("quantity", "1"), P("price", "0.1") };

            var content = RequestPayload.Sign(query, Array.Empty<KeyValuePair<string, string>>(), 1499827319559, 5000m, signer, parametersInBody: false);

            Assert.Equal("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
                + "&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", content.QueryString);
            Assert.Equal(string.Empty, content.Body);
        }

        [Fact]
        public void PayloadBuilderPercentEncodesNonAsciiBeforeSigning()
        {
            using var signer = VectorSigner();
            var query = new[] { P("symbol", "１２３４５６"), P("side", "BUY"), P("type", "LIMIT"), P("timeInForce", "GTC"), P("quantity", "1"), P("price", "0.1") };

            var content = RequestPayload.Sign(query, Array.Empty<KeyValuePair<string, string>>(), 1499827319559, 5000m, signer, parametersInBody: false);

            Assert.StartsWith("symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY", content.QueryString);
            Assert.EndsWith("&signature=e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3", content.QueryString);
        }

        [Fact]
        public void PayloadBuilderConcatenatesQueryAndBodyWithoutSeparator()
        {
            using var signer = VectorSigner();
            var query = new[] { P("symbol", "LTCBTC"), P("side", "BUY"), P("type", "LIMIT"), P("timeInForce", "GTC") };
            var body = new[] { P("quantity", "1"), P("price", "0.1") };

            var content = RequestPayload.Sign(query, body, 1499827319559, 5000m, signer, parametersInBody: true);

            Assert.Equal("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC", content.QueryString);
            Assert.Equal("quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
                + "&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77", content.Body);
        }

        [Fact]
        public void Ed25519FixVectorFromBinanceDocs()
        {
            var contents = PrivateKeyPem.Read(FixEd25519PrivateKey, null, "fix-example");
            using var signer = new KeyRequestSigner(contents.PrivateKey!);
            string payload = string.Join("\u0001", "A", "EXAMPLE", "SPOT", "1", "20240627-11:17:25.223");

            Assert.Equal("4MHXelVVcpkdwuLbl6n73HQUXUf1dse2PCgT1DYqW9w8AVZ1RACFGM+5UdlGPrQHrgtS3CvsRURC1oj73j8gCA==", signer.Sign(payload));
            Assert.Equal(SignatureType.Ed25519, signer.Type);
        }

        [Fact]
        public void Ed25519FixVectorDerivesThePublishedPublicKey()
        {
            var contents = PrivateKeyPem.Read(FixEd25519PrivateKey, null, "fix-example");
            Assert.Equal("MCowBQYDK2VwAyEAGUIKv9dSpWXBViXp2m6vAIb8QMFJYBgyFEQsFJlqgA0=", Convert.ToBase64String(contents.PublicKey.SubjectPublicKeyInfo));
            Assert.Equal("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGUIKv9dSpWXBViXp2m6vAIb8QMFJYBgyFEQsFJlqgA0=\n-----END PUBLIC KEY-----\n", contents.PublicKey.Pem);
        }

        [Fact]
        public void Ed25519SignaturesAre88Base64CharactersAndVerify()
        {
            using var key = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
            using var signer = new KeyRequestSigner(key);
            string signature = signer.Sign("timestamp=1");
            Assert.Equal(88, signature.Length); // docs/binance.md §1.1 signature sizes
            Assert.True(key.PublicKey.Verify(Encoding.UTF8.GetBytes("timestamp=1"), Convert.FromBase64String(signature)));
            Assert.False(key.PublicKey.Verify(Encoding.UTF8.GetBytes("timestamp=2"), Convert.FromBase64String(signature)));
        }

        [Fact]
        public void RsaSignatureSizesMatchBinance()
        {
            using var key = KeyGenerator.Generate(KeyAlgorithm.RSA, 2048);
            using var signer = new KeyRequestSigner(key);
            string signature = signer.Sign("timestamp=1");
            Assert.Equal(344, signature.Length); // docs/binance.md §1.1: RSA-2048 344
            Assert.Equal(SignatureType.Rsa, signer.Type);
            Assert.True(key.PublicKey.Verify(Encoding.UTF8.GetBytes("timestamp=1"), Convert.FromBase64String(signature)));
        }

        [Fact]
        public void HmacSignatureIs64LowercaseHex()
        {
            using var signer = VectorSigner();
            Assert.Matches("^[0-9a-f]{64}$", signer.Sign("anything"));
        }
    }
}

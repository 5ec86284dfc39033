using System.Collections.Generic;
using BinanceKeys.Signing;
using Xunit;

namespace BinanceKeys.Tests.Signing
{
    public sealed class PercentEncodingTests
    {
        [Theory]
        [InlineData("AZaz09-_.~", "AZaz09-_.~")]
        [InlineData("desk+eu@example.com", "desk%2Beu%40example.com")]
        [InlineData("203.0.113.7,203.0.113.8", "203.0.113.7%2C203.0.113.8")]
        [InlineData("a b", "a%20b")]
        [InlineData("MCowBQYDK2VwAyEA+/=", "MCowBQYDK2VwAyEA%2B%2F%3D")]
        [InlineData("line1\nline2", "line1%0Aline2")]
        [InlineData("!'()*", "%21%27%28%29%2A")]
        [InlineData("１", "%EF%BC%91")]
        [InlineData("€", "%E2%82%AC")]
        [InlineData("😀", "%F0%9F%98%80")]
        [InlineData("", "")]
        public void EncodesExactlyTheRfc3986ReservedAndNonAsciiBytes(string value, string expected)
        {
            Assert.Equal(expected, PercentEncoding.Encode(value));
        }

        [Fact]
        public void EncodesNamesAndValuesAndJoinsWithAmpersand()
        {
            var parameters = new[]
            {
                new KeyValuePair<string, string>("email", "a+b@example.com"),
                new KeyValuePair<string, string>("ipAddress", "1.2.3.4,5.6.7.8"),
                new KeyValuePair<string, string>("empty", ""),
            };
            Assert.Equal("email=a%2Bb%40example.com&ipAddress=1.2.3.4%2C5.6.7.8&empty=", RequestPayload.Encode(parameters));
        }

        [Theory]
        [InlineData("5000", 5000)]
        [InlineData("6000.346", 6000.346)]
        [InlineData("60000", 60000)]
        [InlineData("0.001", 0.001)]
        public void FormatsReceiveWindowWithUpToThreeDecimals(string expected, double milliseconds)
        {
            Assert.Equal(expected, RequestPayload.FormatReceiveWindow((decimal)milliseconds));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(60000.001)]
        [InlineData(1.0001)]
        public void RejectsReceiveWindowOutsideBinanceLimits(double milliseconds)
        {
            Assert.Throws<System.ArgumentOutOfRangeException>(() => RequestPayload.FormatReceiveWindow((decimal)milliseconds));
        }

        [Fact]
        public void SignsTheExactBytesSentWhenValuesNeedEncoding()
        {
            using var signer = HmacRequestSigner.FromSecret("secret".ToCharArray());
            var body = new[] { new KeyValuePair<string, string>("email", "desk+eu@example.com"), new KeyValuePair<string, string>("publicKey", "-----BEGIN PUBLIC KEY-----\nMCow+/=\n") };

            var content = RequestPayload.Sign(new KeyValuePair<string, string>[0], body, 1700000000000, null, signer, parametersInBody: true);

            string signed = content.Body.Substring(0, content.Body.IndexOf("&signature=", System.StringComparison.Ordinal));
            Assert.Equal("email=desk%2Beu%40example.com&publicKey=-----BEGIN%20PUBLIC%20KEY-----%0AMCow%2B%2F%3D%0A&timestamp=1700000000000", signed);
            // The expected signature from the BCL's HMAC, not from the signer under test.
            using var hmac = new System.Security.Cryptography.HMACSHA256(System.Text.Encoding.UTF8.GetBytes("secret"));
            string expected = System.Convert.ToHexString(hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes(signed))).ToLowerInvariant();
            Assert.EndsWith("&signature=" + expected, content.Body);
            Assert.Equal(string.Empty, content.QueryString);
        }

        [Fact]
        public void PercentEncodesBase64SignaturesWhereTheyAreSent()
        {
            using var key = BinanceKeys.Crypto.KeyGenerator.Generate(KeyAlgorithm.Ed25519);
            using var signer = new KeyRequestSigner(key);
            // Try payloads until the base64 signature holds a character that needs encoding.
            for (int i = 0; i < 200; i++)
            {
                var content = RequestPayload.Sign(new[] { new KeyValuePair<string, string>("n", i.ToString()) }, new KeyValuePair<string, string>[0], 1, null, signer, false);
                string sent = content.QueryString.Substring(content.QueryString.IndexOf("&signature=", System.StringComparison.Ordinal) + "&signature=".Length);
                // Decoded by the BCL, checked by BouncyCastle's own Ed25519 verifier: no module code decides the expectation.
                string raw = System.Uri.UnescapeDataString(sent);
                if (raw.IndexOfAny(new[] { '+', '/', '=' }) < 0) continue;
                Assert.Equal(System.Uri.EscapeDataString(raw), sent);
                Assert.DoesNotContain("+", sent);
                Assert.DoesNotContain("/", sent);
                var verifier = new Org.BouncyCastle.Crypto.Signers.Ed25519Signer();
                verifier.Init(false, Org.BouncyCastle.Security.PublicKeyFactory.CreateKey(key.PublicKey.SubjectPublicKeyInfo));
                byte[] message = System.Text.Encoding.ASCII.GetBytes("n=" + i + "&timestamp=1");
                verifier.BlockUpdate(message, 0, message.Length);
                Assert.True(verifier.VerifySignature(System.Convert.FromBase64String(raw)), "the signature sent does not verify");
                return;
            }
            Assert.Fail("no signature needed encoding");
        }
    }
}

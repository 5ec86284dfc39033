using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using BinanceKeys.Tests.Interop;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    public sealed class SignatureCmdletTests : IDisposable
    {
        private const string VectorSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
        private const string VectorPayload = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
        private readonly string folder = Directory.CreateTempSubdirectory("bk-sign-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private static Dictionary<string, object?> Vars() => new Dictionary<string, object?>
        {
            ["secret"] = ModuleHost.Secure(VectorSecret),
            ["p"] = ModuleHost.Secure("pass phrase"),
        };

        [Fact]
        public void HmacReproducesBinancesVector()
        {
            var result = ModuleHost.Run($"New-BinanceSignature -Secret $secret -Payload '{VectorPayload}'", Vars());
            Assert.Equal("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", result.Single<string>());
        }

        [Fact]
        public void HmacSignsEveryPayloadFromThePipeline()
        {
            var result = ModuleHost.Run(
                "'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559', " +
                "'symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559' | New-BinanceSignature -Secret $secret",
                Vars());
            Assert.Equal(new[] { "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77", "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3" },
                result.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void Ed25519VectorThroughPrivateKeyPath()
        {
            File.WriteAllText(Path.Combine(folder, "fix.pem"), "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u\n-----END PRIVATE KEY-----\n");
            var result = ModuleHost.Run("New-BinanceSignature -PrivateKeyPath ./fix.pem -Payload \"A`u{1}EXAMPLE`u{1}SPOT`u{1}1`u{1}20240627-11:17:25.223\"", Vars(), folder);
            Assert.Equal("4MHXelVVcpkdwuLbl6n73HQUXUf1dse2PCgT1DYqW9w8AVZ1RACFGM+5UdlGPrQHrgtS3CvsRURC1oj73j8gCA==", result.Single<string>());
        }

        [Theory]
        [InlineData("Ed25519", "")]
        [InlineData("RSA", "-KeySize 2048")]
        public void SignaturesFromTheReadmeFlowVerifyWithOpenSsl(string algorithm, string size)
        {
            // The "done when": New-BinanceKeyPair with a passphrase, OpenSSL opens the key, and a signature
            // made with New-BinanceSignature verifies with OpenSSL.
            const string payload = "email=desk%2Beu%40example.com&apiName=mm-bot&timestamp=1700000000000";
            var result = ModuleHost.Run(
                $"$k = New-BinanceKeyPair -Name bot -Path ./keys -Algorithm {algorithm} {size} -Passphrase $p; New-BinanceSignature -PrivateKeyPath ./keys/bot.pem -Passphrase $p -Payload '{payload}'",
                Vars(), folder);
            Assert.Null(result.Terminating);
            Assert.Empty(result.Errors);
            string signature = result.Single<string>();

            string keys = Path.Combine(folder, "keys");
            File.WriteAllText(Path.Combine(folder, "pass.txt"), "pass phrase\n");
            ExternalTool.OpenSsl($"pkey -in \"{keys}/bot.pem\" -passin file:\"{folder}/pass.txt\" -pubout -out \"{folder}/openssl.pub.pem\"");
            Assert.Equal(File.ReadAllText(Path.Combine(keys, "bot.pub.pem")), File.ReadAllText(Path.Combine(folder, "openssl.pub.pem")));

            File.WriteAllBytes(Path.Combine(folder, "payload.bin"), Encoding.UTF8.GetBytes(payload));
            File.WriteAllBytes(Path.Combine(folder, "sig.bin"), Convert.FromBase64String(signature));
            string verdict = algorithm == "Ed25519"
                ? ExternalTool.OpenSsl($"pkeyutl -verify -pubin -inkey \"{keys}/bot.pub.pem\" -rawin -in \"{folder}/payload.bin\" -sigfile \"{folder}/sig.bin\"")
                : ExternalTool.OpenSsl($"dgst -sha256 -verify \"{keys}/bot.pub.pem\" -signature \"{folder}/sig.bin\" \"{folder}/payload.bin\"");
            Assert.Contains("Verified", verdict, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void KeyPairFromThePipelineSigns()
        {
            var result = ModuleHost.Run("New-BinanceKeyPair -Name a -Path . -NoEncryption | New-BinanceSignature -Payload 'timestamp=1'", Vars(), folder);
            Assert.Equal(88, result.Single<string>().Length);
        }

        [Fact]
        public void KeyPairReadFromThePublicKeyCannotSign()
        {
            var result = ModuleHost.Run("New-BinanceKeyPair -Name a -Path . -NoEncryption | Out-Null; Get-BinanceKeyPair ./a.pub.pem | New-BinanceSignature -Payload 'timestamp=1' -ErrorAction SilentlyContinue", Vars(), folder);
            Assert.Empty(result.Output);
            Assert.Equal("KeyPairInvalidArgument,BinanceKeys.Commands.NewBinanceSignatureCommand", result.Error!.FullyQualifiedErrorId);
        }

        [Fact]
        public void EncryptedKeyWithoutPassphraseIsAnError()
        {
            var result = ModuleHost.Run("New-BinanceKeyPair -Name a -Path . -Passphrase $p | Out-Null; New-BinanceSignature -PrivateKeyPath ./a.pem -Payload 'x' -ErrorAction SilentlyContinue", Vars(), folder);
            Assert.Empty(result.Output);
            Assert.Equal("KeyPairPassphraseRequired,BinanceKeys.Commands.NewBinanceSignatureCommand", result.Error!.FullyQualifiedErrorId);
        }

        [Fact]
        public void SigningChangesNothingSoThereIsNoWhatIf()
        {
            var command = (CommandInfo)ModuleHost.Run("Get-Command New-BinanceSignature").Output.Single().BaseObject;
            Assert.DoesNotContain("WhatIf", command.Parameters.Keys);
            Assert.DoesNotContain("Confirm", command.Parameters.Keys);
            // $WhatIfPreference (set by a caller's -WhatIf) does not stop a computation that changes nothing.
            var result = ModuleHost.Run($"$WhatIfPreference = $true; New-BinanceSignature -Secret $secret -Payload '{VectorPayload}'", Vars());
            Assert.Equal("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", result.Single<string>());
        }

        [Fact]
        public void EmptySecretIsRejected()
        {
            var result = ModuleHost.Run("New-BinanceSignature -Secret $empty -Payload 'x' -ErrorAction SilentlyContinue",
                new Dictionary<string, object?> { ["empty"] = new System.Security.SecureString() });
            Assert.Empty(result.Output);
            Assert.Equal("ParameterArgumentValidationError,BinanceKeys.Commands.NewBinanceSignatureCommand", result.Error!.FullyQualifiedErrorId);
        }
    }
}

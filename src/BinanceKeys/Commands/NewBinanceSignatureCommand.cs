using System;
using System.Management.Automation;
using System.Security;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Crypto;
using BinanceKeys.Keys;
using BinanceKeys.Signing;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// New-BinanceSignature: signs a request payload exactly as Binance verifies it (binance-api.md §1): HMAC-SHA256
    /// hex with an API secret, or Ed25519 / RSA-SHA256 base64 with a private key. The result is not percent-encoded.
    /// </summary>
    /// <remarks>
    /// No ShouldProcess: signing computes a value in memory and changes nothing outside the session (the design test's
    /// documented exception for a New verb).
    /// </remarks>
    [Cmdlet(VerbsCommon.New, "BinanceSignature", DefaultParameterSetName = KeyPairSet)]
    [OutputType(typeof(string))]
    public sealed class NewBinanceSignatureCommand : BinanceCmdlet
    {
        private const string SecretSet = "Secret";
        private const string PrivateKeyPathSet = "PrivateKeyPath";
        private const string KeyPairSet = "KeyPair";

        private IRequestSigner? signer;
        private KeyPairInfo? signerKeyPair;

        /// <summary>The exact payload to sign: the percent-encoded query string followed by the body (binance-api.md §1.2).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = SecretSet, ValueFromPipeline = true)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PrivateKeyPathSet, ValueFromPipeline = true)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = KeyPairSet)]
        [AllowEmptyString]
        public string Payload { get; set; } = string.Empty;

        /// <summary>The HMAC API secret.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
        [ValidateNotEmptySecureString]
        public SecureString? Secret { get; set; }

        /// <summary>A PEM private key file (Ed25519 or RSA).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PrivateKeyPathSet)]
        [ValidateNotNullOrEmpty]
        public string PrivateKeyPath { get; set; } = string.Empty;

        /// <summary>A key pair from Get-BinanceKeyPair or New-BinanceKeyPair.</summary>
        [Parameter(Mandatory = true, ParameterSetName = KeyPairSet, ValueFromPipeline = true)]
        public KeyPairInfo? KeyPair { get; set; }

        /// <summary>The passphrase of an encrypted private key (with -PrivateKeyPath, or a -KeyPair that was read without it).</summary>
        [Parameter(ParameterSetName = PrivateKeyPathSet)]
        [Parameter(ParameterSetName = KeyPairSet)]
        [ValidateNotEmptySecureString]
        public SecureString? Passphrase { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IRequestSigner current;
            try
            {
                current = CurrentSigner();
            }
            catch (KeyFileException e)
            {
                ThrowTerminating(e, e.Path);
                return;
            }

            WriteVerbose($"Signing {Payload.Length} characters with {current.Type}.");
            WriteObject(current.Sign(Payload));
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            signer?.Dispose();
            base.EndProcessing();
        }

        // One signer for the whole pipeline (HMAC instance reuse, one passphrase derivation), renewed only when a
        // different key pair arrives through the pipeline.
        private IRequestSigner CurrentSigner()
        {
            if (ParameterSetName == KeyPairSet && !ReferenceEquals(KeyPair, signerKeyPair))
            {
                signer?.Dispose();
                signer = null;
            }
            return signer ??= CreateSigner();
        }

        private IRequestSigner CreateSigner()
        {
            switch (ParameterSetName)
            {
                case SecretSet:
                    return WithChars(Secret, Credentials.FromSecret);
                case PrivateKeyPathSet:
                    string path = ResolveUserPath(PrivateKeyPath);
                    return WithChars(Passphrase, passphrase => Credentials.FromKeyFile(path, passphrase));
                default:
                    signerKeyPair = KeyPair;
                    return WithChars(Passphrase, passphrase => Credentials.FromKeyPair(KeyPair!, passphrase));
            }
        }
    }
}

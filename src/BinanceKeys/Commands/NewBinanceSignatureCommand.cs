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
    /// New-BinanceSignature: signs a request payload exactly as Binance verifies it (docs/binance.md §1): HMAC-SHA256
    /// hex with an API secret, or Ed25519 / RSA-SHA256 base64 with a private key. The result is not percent-encoded.
    /// </summary>
    /// <remarks>
    /// No ShouldProcess: signing computes a value in memory and changes nothing outside the session (the design test's
    /// documented exception for a New verb).
    /// </remarks>
    [Cmdlet(VerbsCommon.New, "BinanceSignature", DefaultParameterSetName = KeyPairSet)]
    [OutputType(typeof(string))]
    public sealed class NewBinanceSignatureCommand : BinanceCmdlet, IDisposable
    {
        private const string SecretSet = "Secret";
        private const string PrivateKeyPathSet = "PrivateKeyPath";
        private const string KeyPairSet = "KeyPair";

        private IRequestSigner? signer;
        private KeyPairInfo? signerKeyPair;

        /// <summary>The exact payload to sign: the percent-encoded query string followed by the body (docs/binance.md §1.2).</summary>
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

        /// <summary>The passphrase of an encrypted private key file (-PrivateKeyPath, or the file of a -KeyPair).</summary>
        [Parameter(ParameterSetName = PrivateKeyPathSet)]
        [Parameter(ParameterSetName = KeyPairSet)]
        [ValidateNotEmptySecureString]
        public SecureString? Passphrase { get; set; }

        /// <summary>The local vault that holds a -KeyPair's private key (default: the vault it was stored in).</summary>
        [Parameter(ParameterSetName = KeyPairSet)]
        [ValidateNotNullOrEmpty]
        public string? VaultPath { get; set; }

        /// <summary>The local vault's passphrase (default: BINANCEKEYS_VAULT_PASSPHRASE).</summary>
        [Parameter(ParameterSetName = KeyPairSet)]
        [ValidateNotEmptySecureString]
        public SecureString? VaultPassphrase { get; set; }

        /// <summary>A SecretManagement vault that holds a -KeyPair's private key (default: the vault it was stored in).</summary>
        [Parameter(ParameterSetName = KeyPairSet)]
        [ValidateNotNullOrEmpty]
        public string? Vault { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IRequestSigner current;
            try
            {
                current = CurrentSigner();
            }
            catch (Exception e) when (IsExpected(e))
            {
                // The key cannot be loaded: no payload of this pipeline can be signed.
                ThrowTerminating(e, (e as KeyFileException)?.Path);
                return;
            }

            WriteVerbose($"Signing {Payload.Length} characters with {current.Type}.");
            WriteObject(current.Sign(Payload));
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            DisposeSigner();
            base.EndProcessing();
        }

        /// <summary>Clears the loaded key also when the pipeline stops or fails (PowerShell disposes the cmdlet).</summary>
        public void Dispose() => DisposeSigner();

        private void DisposeSigner()
        {
            signer?.Dispose();
            signer = null;
            signerKeyPair = null;
        }

        // One signer for the whole pipeline (HMAC instance reuse, one passphrase derivation), loaded when first needed,
        // renewed only when a different key pair arrives through the pipeline, and disposed when the command ends.
        private IRequestSigner CurrentSigner()
        {
            if (ParameterSetName == KeyPairSet && !ReferenceEquals(KeyPair, signerKeyPair)) DisposeSigner();
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
                    var created = KeyPairSigner(KeyPair!, Passphrase, Vault, VaultPath, VaultPassphrase);
                    signerKeyPair = KeyPair;
                    return created;
            }
        }
    }
}

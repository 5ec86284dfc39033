using System;
using System.Collections.Generic;
using System.Management.Automation;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Keys;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// New-BinanceApiKey: creates a key for a sub-account (-Email) or broker sub-account (-BrokerSubAccountId).
    /// With -PublicKeyPath or -KeyPair it is an Ed25519/RSA key; otherwise an HMAC key whose one-time secret is
    /// written, owner-only, to -SecretPath before the cmdlet returns (and the key is deleted again if that fails).
    /// The policy engine runs first: an Error finding stops it before anything is sent.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "BinanceApiKey", SupportsShouldProcess = true, DefaultParameterSetName = SubAccountSet)]
    [OutputType(typeof(ApiKeyInfo))]
    public sealed class NewBinanceApiKeyCommand : BinanceCmdlet
    {
        private const string SubAccountSet = "SubAccount";
        private const string BrokerSet = "Broker";

        /// <summary>The sub-account to create the key in.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SubAccountSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? Email { get; set; }

        /// <summary>The broker sub-account to create the key in.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BrokerSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? BrokerSubAccountId { get; set; }

        /// <summary>The key's label (Binance's apiName), unique in the account.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Label { get; set; } = string.Empty;

        /// <summary>The public key file (SPKI PEM) of an Ed25519 or RSA key pair.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PublicKeyPath { get; set; }

        /// <summary>A key pair from New-BinanceKeyPair or Get-BinanceKeyPair, whose public key is uploaded.</summary>
        [Parameter]
        public KeyPairInfo? KeyPair { get; set; }

        /// <summary>Permissions beyond reading.</summary>
        [Parameter]
        public ApiKeyPermission[] Permission { get; set; } = new ApiKeyPermission[0];

        /// <summary>Trusted IP addresses; without them the key is unrestricted.</summary>
        [Parameter]
        [ValidateNotNull]
        public string[] IpAddress { get; set; } = new string[0];

        /// <summary>Where to write an HMAC key's one-time secret (owner-only; the file must not exist).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SecretPath { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var account = ParameterSetName == BrokerSet ? AccountReference.Broker(BrokerSubAccountId!) : AccountReference.SubAccount(Email!);
            string? publicKey;
            try
            {
                publicKey = PublicKeyPem();
            }
            catch (Exception e) when (IsExpected(e))
            {
                WriteNonTerminating(e, Label);
                return;
            }
            string? secretPath = SecretPath is null ? null : ResolveUserPath(SecretPath);
            if (publicKey is null && secretPath != null && System.IO.File.Exists(secretPath))
            {
                // Checked before anything is sent: a secret must never be created with nowhere to go.
                WriteNonTerminating(new KeyOperationException(KeyOperationError.InvalidArgument,
                    $"The secret file '{secretPath}' already exists; choose a new -SecretPath so that no secret is overwritten."), secretPath);
                return;
            }
            if (publicKey != null && secretPath != null)
            {
                WriteWarning("-SecretPath is ignored: an Ed25519/RSA key has no secret from Binance; its private key stays where it is.");
            }

            string kind = publicKey is null ? "HMAC" : "public-key";
            if (!ShouldProcess($"{account.Name}", $"Create {kind} API key '{Label}'")) return;

            var request = new NewKeyRequest
            {
                Account = account,
                Label = Label,
                PublicKeyPem = publicKey,
                Permissions = new HashSet<ApiKeyPermission>(Permission),
                IpAddress = IpAddress,
                SecretDestination = secretPath is null ? null : "file:" + secretPath,
            };
            ISecretSink? sink = publicKey is null && secretPath != null ? new FileSecretSink(secretPath) : null;
            try
            {
                WriteObject(Run((log, token) => KeyService(log).CreateKeyAsync(request, sink, token)));
            }
            catch (Exception e) when (IsExpected(e))
            {
                WriteNonTerminating(e, Label);
            }
        }

        private string? PublicKeyPem()
        {
            if (KeyPair != null && PublicKeyPath != null)
            {
                throw new ArgumentException("Give either -PublicKeyPath or -KeyPair, not both.");
            }
            if (KeyPair != null) return KeyPair.PublicKeyPem;
            if (PublicKeyPath is null) return null;
            var contents = Crypto.PrivateKeyPem.ReadFile(ResolveUserPath(PublicKeyPath), null);
            // Only the public half is ever sent, even when a private key file was given.
            return contents.PublicKey.Pem;
        }
    }
}

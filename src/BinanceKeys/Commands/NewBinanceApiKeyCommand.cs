using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Keys;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// New-BinanceApiKey: creates a key for a sub-account (-Email) or broker sub-account (-BrokerSubAccountId).
    /// With -PublicKeyPath or -KeyPair it is an Ed25519/RSA key; otherwise an HMAC key whose one-time secret goes to
    /// the secret store (the local vault, or a SecretManagement vault with -Vault) under -SecretName or
    /// "account/label", or to the owner-only file -SecretPath, before anything else (and the key is deleted again
    /// if that fails).
    /// The policy engine runs first: an Error finding stops it before anything is sent.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "BinanceApiKey", SupportsShouldProcess = true, DefaultParameterSetName = SubAccountSet)]
    [OutputType(typeof(ApiKeyInfo))]
    public sealed class NewBinanceApiKeyCommand : SecretStoreCmdlet
    {
        private const string SubAccountSet = "SubAccount";
        private const string BrokerSet = "Broker";

        /// <summary>The sub-account to create the key in.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SubAccountSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.SubAccountCompleter))]
        public string? Email { get; set; }

        /// <summary>The broker sub-account to create the key in.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BrokerSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.SubAccountCompleter))]
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

        /// <summary>Writes an HMAC key's one-time secret to this file (owner-only; it must not exist) instead of the vault.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SecretPath { get; set; }

        /// <summary>The vault entry for an HMAC key's secret (default: ACCOUNT/LABEL, e.g. desk-a@example.com/reporting).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.SecretNameCompleter))]
        public string? SecretName { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            AccountReference account;
            string? publicKey;
            try
            {
                account = ParameterSetName == BrokerSet
                    ? AccountOf(() => AccountReference.Broker(BrokerSubAccountId!))
                    : AccountOf(() => AccountReference.SubAccount(Email!));
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
            Secrets.ISecretStore? store = null;
            try
            {
                ISecretSink? sink = null;
                if (publicKey is null)
                {
                    if (secretPath != null)
                    {
                        sink = new FileSecretSink(secretPath);
                    }
                    else
                    {
                        // Opened (and the name checked) before anything is sent: a one-time secret must never arrive
                        // with nowhere to go.
                        // The name (given, or made from the account and label) is checked before anything is sent.
                        string name = Secrets.VaultEntryInfo.RequireValidName(SecretName ?? Secrets.SecretNames.ForKey(account, Label));
                        store = OpenStore(create: true);
                        if (store.Contains(name))
                        {
                            throw new Secrets.VaultException(Secrets.VaultErrorReason.EntryExists,
                                $"{store.Description} already has an entry '{name}'; choose another -SecretName, or remove the old entry first.", null, name);
                        }
                        sink = new Secrets.SecretStoreSink(store, name);
                        request.SecretDestination = sink.Destination;
                    }
                }
                var created = Run((log, token) => KeyService(log, VaultPath).CreateKeyAsync(request, sink, token));
                WriteObject(KnownKeyTypes.Complete(ConnectionStore.Current, created));
            }
            catch (Exception e) when (IsExpected(e))
            {
                WriteNonTerminating(e, Label);
            }
            finally
            {
                store?.Dispose();
            }
        }

        private string? PublicKeyPem()
        {
            if (KeyPair != null && PublicKeyPath != null)
            {
                throw new KeyOperationException(KeyOperationError.InvalidArgument, "Give either -PublicKeyPath or -KeyPair, not both.");
            }
            if (KeyPair != null) return KeyPair.PublicKeyPem;
            if (PublicKeyPath is null) return null;
            var contents = Crypto.PrivateKeyPem.ReadFile(ResolveUserPath(PublicKeyPath), null);
            // Only the public half is ever sent, even when a private key file was given; that key is let go at once.
            contents.PrivateKey?.Dispose();
            return contents.PublicKey.Pem;
        }
    }
}

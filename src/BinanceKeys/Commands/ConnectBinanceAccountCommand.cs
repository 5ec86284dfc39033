using System;
using System.Management.Automation;
using System.Security;
using BinanceKeys.Binance;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Crypto;
using BinanceKeys.Keys;
using BinanceKeys.Signing;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// Connect-BinanceAccount: checks credentials with a real signed call and keeps the connection for this
    /// session. Credentials come from parameters, or for pipelines from BINANCE_API_KEY with BINANCE_API_SECRET or
    /// BINANCE_PRIVATE_KEY_PATH (+ BINANCE_PRIVATE_KEY_PASSPHRASE).
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "BinanceAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = EnvironmentSet)]
    [OutputType(typeof(BinanceConnectionInfo))]
    public sealed class ConnectBinanceAccountCommand : BinanceCmdlet
    {
        private const string EnvironmentSet = "Environment";
        private const string SecretSet = "Secret";
        private const string PrivateKeyPathSet = "PrivateKeyPath";
        private const string KeyPairSet = "KeyPair";
        private const string SecretNameSet = "SecretName";

        /// <summary>The REST base address: https://api.binance.com, or http://127.0.0.1:PORT for the sandbox.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri Endpoint { get; set; } = BinanceClientOptions.DefaultEndpoint;

        /// <summary>The API key (public identifier).</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = PrivateKeyPathSet)]
        [Parameter(Mandatory = true, ParameterSetName = KeyPairSet)]
        [Parameter(ParameterSetName = SecretNameSet)]
        [ValidateNotNullOrEmpty]
        public string ApiKey { get; set; } = string.Empty;

        /// <summary>A credential stored with Set-BinanceSecret (or by New-BinanceApiKey / New-BinanceKeyPair -StoreInVault).</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecretNameSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.SecretNameCompleter))]
        public string? SecretName { get; set; }

        /// <summary>The local vault file (default: BINANCEKEYS_VAULT, or the per-user vault; for -KeyPair, the vault it was stored in).</summary>
        [Parameter(ParameterSetName = SecretNameSet)]
        [Parameter(ParameterSetName = KeyPairSet)]
        [ValidateNotNullOrEmpty]
        public string? VaultPath { get; set; }

        /// <summary>The local vault's passphrase (default: BINANCEKEYS_VAULT_PASSPHRASE).</summary>
        [Parameter(ParameterSetName = SecretNameSet)]
        [Parameter(ParameterSetName = KeyPairSet)]
        [ValidateNotEmptySecureString]
        public SecureString? VaultPassphrase { get; set; }

        /// <summary>A SecretManagement vault to read the credential (or a -KeyPair's private key) from instead of the local vault.</summary>
        [Parameter(ParameterSetName = SecretNameSet)]
        [Parameter(ParameterSetName = KeyPairSet)]
        [ValidateNotNullOrEmpty]
        public string? Vault { get; set; }

        /// <summary>The HMAC API secret.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
        [ValidateNotEmptySecureString]
        public SecureString? Secret { get; set; }

        /// <summary>The private key file of an Ed25519 or RSA API key.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PrivateKeyPathSet)]
        [ValidateNotNullOrEmpty]
        public string PrivateKeyPath { get; set; } = string.Empty;

        /// <summary>The passphrase of an encrypted private key.</summary>
        [Parameter(ParameterSetName = PrivateKeyPathSet)]
        [Parameter(ParameterSetName = KeyPairSet)]
        [ValidateNotEmptySecureString]
        public SecureString? Passphrase { get; set; }

        /// <summary>A key pair from New-BinanceKeyPair or Get-BinanceKeyPair; its private key is loaded from its file (with -Passphrase) or vault entry.</summary>
        [Parameter(Mandatory = true, ParameterSetName = KeyPairSet)]
        public KeyPairInfo? KeyPair { get; set; }

        /// <summary>recvWindow in milliseconds (default 5000, at most 60000).</summary>
        [Parameter]
        [ValidateRange(1, 60000)]
        public int ReceiveWindow { get; set; } = 5000;

        /// <summary>Seconds one HTTP request may take (default 30).</summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = 30;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            try
            {
                EndpointPolicy.Validate(Endpoint);
            }
            catch (ArgumentException e)
            {
                ThrowTerminating(e, Endpoint);
            }
            if (!ShouldProcess(Endpoint.ToString(), "Connect to Binance")) return;

            Credential credential;
            try
            {
                credential = ReadCredentials();
            }
            catch (Exception e) when (IsExpected(e))
            {
                ThrowTerminating(e, Endpoint);
                return;
            }

            var options = new BinanceClientOptions
            {
                Endpoint = Endpoint,
                ReceiveWindow = ReceiveWindow,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
            };
            BinanceConnection connection;
            try
            {
                connection = Run((log, token) =>
                {
                    options.Log = log;
                    return BinanceConnection.ConnectAsync(options, credential.ApiKey, credential.Signer, credential.Source, token);
                });
            }
            catch (Exception e)
            {
                // The key (or secret) loaded for a connection that did not come about is let go at once, not at GC.
                credential.Signer.Dispose();
                if (!IsExpected(e)) throw;
                ThrowTerminating(e, Endpoint);
                return;
            }
            ConnectionStore.Set(connection);
            WriteObject(connection.Info);
        }

        private Credential ReadCredentials()
        {
            switch (ParameterSetName)
            {
                case SecretSet:
                    return new Credential(ApiKey, WithChars(Secret, Credentials.FromSecret), "parameters");
                case PrivateKeyPathSet:
                    string path = ResolveUserPath(PrivateKeyPath);
                    return new Credential(ApiKey, WithChars(Passphrase, passphrase => Credentials.FromKeyFile(path, passphrase)), "parameters");
                case KeyPairSet:
                    return new Credential(ApiKey, KeyPairSigner(KeyPair!, Passphrase, Vault, VaultPath, VaultPassphrase), "parameters");
                case SecretNameSet:
                    using (var store = OpenSecretStore(Vault, VaultPath, VaultPassphrase, create: false))
                    using (var entry = store.Get(SecretName!))
                    {
                        string? apiKey = MyInvocation.BoundParameters.ContainsKey(nameof(ApiKey)) ? ApiKey : null;
                        return Credentials.FromEntry(entry, apiKey, $"{store.Description} entry '{SecretName}'");
                    }
                default:
                    return Credentials.FromEnvironment(Environment.GetEnvironmentVariable, ResolveUserPath);
            }
        }
    }
}

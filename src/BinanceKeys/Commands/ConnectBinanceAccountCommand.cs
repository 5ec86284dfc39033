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

        /// <summary>The local vault file (default: BINANCEKEYS_VAULT, or the per-user vault).</summary>
        [Parameter(ParameterSetName = SecretNameSet)]
        [ValidateNotNullOrEmpty]
        public string? VaultPath { get; set; }

        /// <summary>The local vault's passphrase (default: BINANCEKEYS_VAULT_PASSPHRASE).</summary>
        [Parameter(ParameterSetName = SecretNameSet)]
        public SecureString? VaultPassphrase { get; set; }

        /// <summary>A SecretManagement vault to read the credential from instead of the local vault.</summary>
        [Parameter(ParameterSetName = SecretNameSet)]
        [ValidateNotNullOrEmpty]
        public string? Vault { get; set; }

        /// <summary>The HMAC API secret.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
        public SecureString? Secret { get; set; }

        /// <summary>The private key file of an Ed25519 or RSA API key.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PrivateKeyPathSet)]
        [ValidateNotNullOrEmpty]
        public string PrivateKeyPath { get; set; } = string.Empty;

        /// <summary>The passphrase of an encrypted private key.</summary>
        [Parameter(ParameterSetName = PrivateKeyPathSet)]
        [Parameter(ParameterSetName = KeyPairSet)]
        public SecureString? Passphrase { get; set; }

        /// <summary>A key pair from Get-BinanceKeyPair that holds its private key.</summary>
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

            string apiKey;
            IRequestSigner signer;
            string source;
            try
            {
                (apiKey, signer, source) = ReadCredentials();
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
            try
            {
                BinanceConnection connection = Run((log, token) =>
                {
                    options.Log = log;
                    return BinanceConnection.ConnectAsync(options, apiKey, signer, source, token);
                });
                ConnectionStore.Set(connection);
                WriteObject(connection.Info);
            }
            catch (Exception e) when (IsExpected(e))
            {
                ThrowTerminating(e, Endpoint);
            }
        }

        private (string ApiKey, IRequestSigner Signer, string Source) ReadCredentials()
        {
            switch (ParameterSetName)
            {
                case SecretSet:
                    return (ApiKey, WithChars(Secret, secret => Hmac(secret)), "parameters");
                case PrivateKeyPathSet:
                    string path = ResolveUserPath(PrivateKeyPath);
                    return (ApiKey, WithChars(Passphrase, passphrase => FromFile(path, passphrase)), "parameters");
                case KeyPairSet:
                    if (KeyPair!.SigningKey is SigningKey loaded) return (ApiKey, new KeyRequestSigner(loaded), "parameters");
                    if (KeyPair.PrivateKeyPath is null)
                    {
                        throw new KeyFileException(KeyFileError.InvalidArgument, KeyPair.PublicKeyPath, $"The key pair '{KeyPair.Name}' holds only a public key; connect with its private key.");
                    }
                    string keyPath = KeyPair.PrivateKeyPath;
                    return (ApiKey, WithChars(Passphrase, passphrase => FromFile(keyPath, passphrase)), "parameters");
                case SecretNameSet:
                    return FromStore();
                default:
                    return FromEnvironment();
            }
        }

        // The stored entry holds the HMAC secret or the private key; its metadata holds the API key.
        private (string, IRequestSigner, string) FromStore()
        {
            using var store = OpenSecretStore(Vault, VaultPath, VaultPassphrase, create: false);
            using var entry = store.Get(SecretName!);
            string apiKey = MyInvocation.BoundParameters.ContainsKey(nameof(ApiKey)) ? ApiKey : entry.Info.ApiKey
                ?? throw new KeyOperationException(KeyOperationError.InvalidArgument, $"The stored credential '{SecretName}' records no API key; give it with -ApiKey.");
            char[] secret = entry.GetSecretChars();
            try
            {
                IRequestSigner signer = entry.Info.Type == "hmac"
                    ? Hmac(secret)
                    : new KeyRequestSigner(PrivateKeyPem.Read(new string(secret), null, $"stored credential '{SecretName}'").PrivateKey
                        ?? throw new KeyOperationException(KeyOperationError.InvalidArgument, $"The stored credential '{SecretName}' is not a private key."), ownsKey: true);
                return (apiKey, signer, $"{store.Description} entry '{SecretName}'");
            }
            finally
            {
                SecureStrings.Clear(secret);
            }
        }

        // For pipelines: the credentials come from the job's secret variables, never from the command line.
        private static (string, IRequestSigner, string) FromEnvironment()
        {
            string? apiKey = Environment.GetEnvironmentVariable("BINANCE_API_KEY");
            string? secret = Environment.GetEnvironmentVariable("BINANCE_API_SECRET");
            string? keyPath = Environment.GetEnvironmentVariable("BINANCE_PRIVATE_KEY_PATH");
            if (string.IsNullOrEmpty(apiKey) || (string.IsNullOrEmpty(secret) && string.IsNullOrEmpty(keyPath)))
            {
                throw new KeyOperationException(KeyOperationError.InvalidArgument,
                    "No credentials: give -ApiKey with -Secret, -PrivateKeyPath or -KeyPair, or set BINANCE_API_KEY and BINANCE_API_SECRET (HMAC) or BINANCE_PRIVATE_KEY_PATH (Ed25519/RSA, with BINANCE_PRIVATE_KEY_PASSPHRASE if encrypted).");
            }
            if (!string.IsNullOrEmpty(secret))
            {
                char[] chars = secret!.ToCharArray();
                try
                {
                    return (apiKey!, Hmac(chars), "environment (BINANCE_API_KEY, BINANCE_API_SECRET)");
                }
                finally
                {
                    SecureStrings.Clear(chars);
                }
            }
            char[]? passphrase = Environment.GetEnvironmentVariable("BINANCE_PRIVATE_KEY_PASSPHRASE")?.ToCharArray();
            try
            {
                return (apiKey!, FromFile(keyPath!, passphrase), "environment (BINANCE_API_KEY, BINANCE_PRIVATE_KEY_PATH)");
            }
            finally
            {
                SecureStrings.Clear(passphrase);
            }
        }

        private static IRequestSigner Hmac(char[]? secret)
        {
            if (secret is null || secret.Length == 0) throw new KeyOperationException(KeyOperationError.InvalidArgument, "The API secret is empty.");
            return HmacRequestSigner.FromSecret(secret);
        }

        private static IRequestSigner FromFile(string path, char[]? passphrase)
        {
            var contents = PrivateKeyPem.ReadFile(path, passphrase);
            if (contents.PrivateKey is null)
            {
                throw new KeyFileException(KeyFileError.InvalidArgument, path, $"'{path}' holds a public key; connecting needs the private key.");
            }
            return new KeyRequestSigner(contents.PrivateKey, ownsKey: true);
        }
    }
}

using System;
using System.Management.Automation;
using System.Security;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Crypto;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// New-BinanceKeyPair: generates an Ed25519 (default) or RSA key pair for a self-generated Binance API key and
    /// writes NAME.pem (PKCS#8, encrypted with the passphrase) and NAME.pub.pem (SPKI, what Binance takes).
    /// </summary>
    [Cmdlet(VerbsCommon.New, "BinanceKeyPair", SupportsShouldProcess = true, DefaultParameterSetName = EncryptedSet)]
    [OutputType(typeof(KeyPairInfo))]
    public sealed class NewBinanceKeyPairCommand : BinanceCmdlet, IDisposable
    {
        private Secrets.ISecretStore? store;

        private const string EncryptedSet = "Encrypted";
        private const string UnencryptedSet = "Unencrypted";
        private const string VaultSet = "Vault";

        /// <summary>The key pair's name: the files are NAME.pem and NAME.pub.pem.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The folder to write to; created (owner-only) if missing.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Ed25519 (recommended by Binance) or RSA.</summary>
        [Parameter]
        public KeyAlgorithm Algorithm { get; set; } = KeyAlgorithm.Ed25519;

        /// <summary>RSA key size: 2048 (default) or 4096. Not used with Ed25519.</summary>
        [Parameter]
        [ValidateSet("2048", "4096")]
        public int KeySize { get; set; }

        /// <summary>The passphrase that encrypts the private key (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC).</summary>
        [Parameter(Mandatory = true, ParameterSetName = EncryptedSet)]
        [ValidateNotEmptySecureString("To write the private key unencrypted, use -NoEncryption instead.")]
        public SecureString? Passphrase { get; set; }

        /// <summary>Writes the private key unencrypted. Only for keys that a secret store protects otherwise.</summary>
        [Parameter(Mandatory = true, ParameterSetName = UnencryptedSet)]
        public SwitchParameter NoEncryption { get; set; }

        /// <summary>Keeps the private key in the secret store (the local vault, or -Vault) instead of a file; only NAME.pub.pem is written.</summary>
        [Parameter(Mandatory = true, ParameterSetName = VaultSet)]
        public SwitchParameter StoreInVault { get; set; }

        /// <summary>The secret-store entry for the private key (default: the key pair's name).</summary>
        [Parameter(ParameterSetName = VaultSet)]
        [ValidateNotNullOrEmpty]
        public string? SecretName { get; set; }

        /// <summary>The local vault file (default: BINANCEKEYS_VAULT, or the per-user vault); created if missing.</summary>
        [Parameter(ParameterSetName = VaultSet)]
        [ValidateNotNullOrEmpty]
        public string? VaultPath { get; set; }

        /// <summary>The local vault's passphrase (default: BINANCEKEYS_VAULT_PASSPHRASE).</summary>
        [Parameter(ParameterSetName = VaultSet)]
        [ValidateNotEmptySecureString]
        public SecureString? VaultPassphrase { get; set; }

        /// <summary>A SecretManagement vault to keep the private key in instead of the local vault.</summary>
        [Parameter(ParameterSetName = VaultSet)]
        [ValidateNotNullOrEmpty]
        public string? Vault { get; set; }

        /// <summary>Replaces existing files (and vault entry) of the same name, without asking. -WhatIf still wins; -Confirm still asks.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            int? keySize = MyInvocation.BoundParameters.ContainsKey(nameof(KeySize)) ? KeySize : (int?)null;
            if (keySize.HasValue && Algorithm == KeyAlgorithm.Ed25519)
            {
                // A wrong invocation, the same for every name in the pipeline: it stops the command.
                ThrowTerminating(new KeyFileException(KeyFileError.InvalidArgument, null,
                    "-KeySize applies to RSA keys only; Ed25519 keys are always 256 bits."), Name);
            }

            // Everything below concerns this one name: a failure is reported for it, and the pipeline goes on.
            try
            {
                KeyPairPaths paths = KeyPairFiles.GetPaths(Name, ResolveUserPath(Path));
                string description = $"{Algorithm}{(Algorithm == KeyAlgorithm.RSA ? " " + (keySize ?? 2048) : string.Empty)} key pair " +
                    $"({(StoreInVault ? "private key in the vault" : NoEncryption ? "unencrypted" : "encrypted")})";
                if (StoreInVault)
                {
                    string entryName = Secrets.VaultEntryInfo.RequireValidName(SecretName ?? Name);
                    if (!ShouldProcess($"{paths.PublicKeyPath}, vault entry '{entryName}'", $"Create {description}", Force)) return;
                    CreateInVault(entryName, keySize);
                    return;
                }
                if (!ShouldProcess($"{paths.PrivateKeyPath}, {paths.PublicKeyPath}", $"Create {description}", Force)) return;

                if (NoEncryption) WriteWarning($"The private key in '{paths.PrivateKeyPath}' is not encrypted: anyone who can read the file can sign as this key.");
                WriteVerbose($"Generating {description} '{Name}'.");
                KeyPairInfo created = WithChars(Passphrase, passphrase =>
                    KeyPairFiles.Create(Name, ResolveUserPath(Path), Algorithm, keySize, passphrase, Force));
                WriteVerbose($"Wrote '{created.PrivateKeyPath}' and '{created.PublicKeyPath}' (owner-only). Public key SHA-256: {created.Fingerprint}.");
                WriteObject(created);
            }
            catch (Exception e) when (IsExpected(e))
            {
                WriteNonTerminating(e, Name);
            }
        }

        /// <summary>Closes the secret store opened for -StoreInVault, also when the pipeline stops.</summary>
        public void Dispose()
        {
            store?.Dispose();
            store = null;
        }

        private void CreateInVault(string entryName, int? keySize)
        {
            // One store for the whole pipeline (one passphrase derivation); not opening it fails every name alike.
            if (store is null)
            {
                try
                {
                    store = OpenSecretStore(Vault, VaultPath, VaultPassphrase, create: true);
                }
                catch (Exception e) when (IsExpected(e))
                {
                    ThrowTerminating(e, Vault ?? VaultPath);
                    return;
                }
            }
            if (store.Contains(entryName) && !Force)
            {
                throw new Secrets.VaultException(Secrets.VaultErrorReason.EntryExists, $"{store.Description} already has an entry '{entryName}'. Use -Force to replace it.", null, entryName);
            }
            var target = store;
            KeyPairInfo created = KeyPairFiles.CreateInStore(Name, ResolveUserPath(Path), Algorithm, keySize, Force, key =>
            {
                using var entry = Keys.Credentials.PrivateKeyEntry(entryName, key, null, null, Name);
                target.Set(entry, Force);
            });
            created.SecretName = entryName;
            created.Vault = store is Secrets.LocalVault local ? local.Path : Vault;
            created.VaultIsSecretManagement = !(store is Secrets.LocalVault);
            WriteVerbose($"Stored the private key in {store.Description} entry '{entryName}' and wrote '{created.PublicKeyPath}'. Public key SHA-256: {created.Fingerprint}.");
            WriteObject(created);
        }
    }
}

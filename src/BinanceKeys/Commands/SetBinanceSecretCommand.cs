using System;
using System.Management.Automation;
using System.Security;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Crypto;
using BinanceKeys.Secrets;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// Set-BinanceSecret: stores an API key's credential in the local vault (or a SecretManagement vault): an HMAC
    /// secret, or a private key read from a PEM file (kept inside the encrypted vault as PKCS#8).
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "BinanceSecret", SupportsShouldProcess = true, DefaultParameterSetName = SecretSet)]
    [OutputType(typeof(BinanceSecretInfo))]
    public sealed class SetBinanceSecretCommand : SecretStoreCmdlet
    {
        private const string SecretSet = "Secret";
        private const string PrivateKeyPathSet = "PrivateKeyPath";

        /// <summary>The entry's name, e.g. prod or desk-a@example.com/reporting.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The API key the credential belongs to.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ApiKey { get; set; } = string.Empty;

        /// <summary>The HMAC API secret.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
        [ValidateNotEmptySecureString]
        public SecureString? Secret { get; set; }

        /// <summary>The private key file of an Ed25519 or RSA API key.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PrivateKeyPathSet)]
        [ValidateNotNullOrEmpty]
        public string? PrivateKeyPath { get; set; }

        /// <summary>The passphrase of an encrypted private key file.</summary>
        [Parameter(ParameterSetName = PrivateKeyPathSet)]
        [ValidateNotEmptySecureString]
        public SecureString? Passphrase { get; set; }

        /// <summary>The account the key belongs to (a sub-account email or broker sub-account id), for the record.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Account { get; set; }

        /// <summary>The key's label, for the record.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Label { get; set; }

        /// <summary>Replaces an existing entry of the same name, without asking. -WhatIf still wins; -Confirm still asks.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (!ShouldProcess(Name, "Store the credential of API key " + ApiKey, Force)) return;
            try
            {
                VaultEntryInfo.RequireValidName(Name);
                using VaultEntry entry = ReadEntry();
                using ISecretStore store = OpenStore(create: true);
                store.Set(entry, Force);
                WriteVerbose($"Stored '{Name}' ({entry.Info.Type}) in {store.Description}.");
                WriteObject(GetBinanceSecretCommand.Describe(entry.Info, store));
            }
            catch (Exception e) when (IsExpected(e))
            {
                WriteNonTerminating(e, Name);
            }
        }

        private VaultEntry ReadEntry()
        {
            if (ParameterSetName == SecretSet)
            {
                // -Secret is mandatory here and never empty (ValidateNotEmptySecureString).
                return WithChars(Secret, secret => new VaultEntry(new VaultEntryInfo(Name, "hmac", ApiKey, Account, Label, DateTime.UtcNow), secret!));
            }
            string path = ResolveUserPath(PrivateKeyPath!);
            var contents = WithChars(Passphrase, passphrase => PrivateKeyPem.ReadFile(path, passphrase));
            if (contents.PrivateKey is null)
            {
                throw new KeyFileException(KeyFileError.InvalidArgument, path, $"'{path}' holds a public key; the vault keeps private keys.");
            }
            using (contents.PrivateKey)
            {
                return Keys.Credentials.PrivateKeyEntry(Name, contents.PrivateKey, ApiKey, Account, Label);
            }
        }
    }
}

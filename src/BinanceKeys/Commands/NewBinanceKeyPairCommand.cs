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
    public sealed class NewBinanceKeyPairCommand : BinanceCmdlet
    {
        private const string EncryptedSet = "Encrypted";
        private const string UnencryptedSet = "Unencrypted";

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
        public SecureString? Passphrase { get; set; }

        /// <summary>Writes the private key unencrypted. Only for keys that a secret store protects otherwise.</summary>
        [Parameter(Mandatory = true, ParameterSetName = UnencryptedSet)]
        public SwitchParameter NoEncryption { get; set; }

        /// <summary>Replaces existing files of the same name.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            int? keySize = MyInvocation.BoundParameters.ContainsKey(nameof(KeySize)) ? KeySize : (int?)null;
            if (keySize.HasValue && Algorithm == KeyAlgorithm.Ed25519)
            {
                ThrowTerminating(new KeyFileException(KeyFileError.InvalidArgument, null,
                    "-KeySize applies to RSA keys only; Ed25519 keys are always 256 bits."), Name);
            }

            KeyPairPaths paths;
            try
            {
                paths = KeyPairFiles.GetPaths(Name, ResolveUserPath(Path));
            }
            catch (KeyFileException e)
            {
                ThrowTerminating(e, Name);
                return;
            }

            string description = $"{Algorithm}{(Algorithm == KeyAlgorithm.RSA ? " " + (keySize ?? 2048) : string.Empty)} key pair " +
                $"({(NoEncryption ? "unencrypted" : "encrypted")})";
            if (!ShouldProcess($"{paths.PrivateKeyPath}, {paths.PublicKeyPath}", $"Create {description}")) return;

            if (NoEncryption) WriteWarning($"The private key in '{paths.PrivateKeyPath}' is not encrypted: anyone who can read the file can sign as this key.");
            WriteVerbose($"Generating {description} '{Name}'.");
            try
            {
                KeyPairInfo created = WithChars(Passphrase, passphrase =>
                    KeyPairFiles.Create(Name, ResolveUserPath(Path), Algorithm, keySize, passphrase, Force));
                WriteVerbose($"Wrote '{created.PrivateKeyPath}' and '{created.PublicKeyPath}' (owner-only). Public key SHA-256: {created.Fingerprint}.");
                WriteObject(created);
            }
            catch (System.Exception e) when (e is KeyFileException || e is System.IO.IOException || e is System.UnauthorizedAccessException)
            {
                ThrowTerminating(e, Name);
            }
        }
    }
}

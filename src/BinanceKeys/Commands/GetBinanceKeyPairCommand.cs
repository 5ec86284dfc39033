using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Security;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Crypto;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// Get-BinanceKeyPair: reads a private key (PKCS#8 plain or encrypted, PKCS#1 RSA) or a public key (SPKI,
    /// PKCS#1) from a PEM file, as made by New-BinanceKeyPair, OpenSSL or Binance's key generator.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BinanceKeyPair", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(KeyPairInfo))]
    public sealed class GetBinanceKeyPairCommand : BinanceCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>The PEM file(s) to read; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = new string[0];

        /// <summary>The PEM file(s) to read, taken literally (no wildcards).</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = new string[0];

        /// <summary>The passphrase of an encrypted private key.</summary>
        [Parameter]
        [ValidateNotEmptySecureString]
        public SecureString? Passphrase { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // Each path and each file is an item of its own: one that cannot be read is reported, and the rest are read.
            foreach (string file in ResolveFiles())
            {
                try
                {
                    KeyPairInfo pair = WithChars(Passphrase, passphrase => KeyPairFiles.Read(file, passphrase));
                    WriteVerbose($"Read {pair.Algorithm} {pair.KeySize} {(pair.HasPrivateKey ? "private" : "public")} key from '{file}'.");
                    WriteObject(pair);
                }
                catch (KeyFileException e)
                {
                    WriteNonTerminating(e, file);
                }
            }
        }

        private Collection<string> ResolveFiles()
        {
            if (ParameterSetName == LiteralPathSet)
            {
                var literal = new Collection<string>();
                foreach (string path in LiteralPath) literal.Add(ResolveUserPath(path));
                return literal;
            }

            var files = new Collection<string>();
            foreach (string path in Path)
            {
                if (!WildcardPattern.ContainsWildcardCharacters(path))
                {
                    files.Add(ResolveUserPath(path));
                    continue;
                }
                Collection<string> matches;
                try
                {
                    matches = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
                }
                catch (ItemNotFoundException)
                {
                    matches = new Collection<string>();
                }
                if (matches.Count == 0)
                {
                    WriteNonTerminating(new KeyFileException(KeyFileError.NotFound, path, $"No key file matches '{path}'."), path);
                }
                foreach (string match in matches) files.Add(match);
            }
            return files;
        }
    }
}

using System;

namespace BinanceKeys.Crypto
{
    /// <summary>Why a key file could not be read or written.</summary>
    public enum KeyFileError
    {
        /// <summary>The file does not exist.</summary>
        NotFound,

        /// <summary>The file is not a PEM key, or its contents are damaged.</summary>
        Corrupt,

        /// <summary>The private key is encrypted and no passphrase was given.</summary>
        PassphraseRequired,

        /// <summary>The passphrase does not decrypt the private key.</summary>
        WrongPassphrase,

        /// <summary>A key Binance does not accept (EC, DSA, Ed448, X25519, OpenSSH format, ...).</summary>
        UnsupportedKeyType,

        /// <summary>An RSA key that is neither 2048 nor 4096 bits.</summary>
        UnsupportedKeySize,

        /// <summary>A file that would be overwritten exists.</summary>
        AlreadyExists,

        /// <summary>An argument such as the key pair's name is not acceptable.</summary>
        InvalidArgument,

        /// <summary>The operating system could not read the file (a folder, an I/O error); not a missing file.</summary>
        ReadFailed,

        /// <summary>The operating system could not write the file or its folder (disk full, read-only file system).</summary>
        WriteFailed,

        /// <summary>The operating system denied access to the file or its folder.</summary>
        AccessDenied,

        /// <summary>The private key found for a key pair is not the one the pair describes (the file or entry was replaced).</summary>
        KeyMismatch,
    }

    /// <summary>A key file that cannot be read or written; the message never contains key material.</summary>
    public sealed class KeyFileException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public KeyFileException(KeyFileError error, string? path, string message, Exception? inner = null)
            : base(message, inner)
        {
            Error = error;
            Path = path;
        }

        /// <summary>What went wrong.</summary>
        public KeyFileError Error { get; }

        /// <summary>The file concerned, when there is one.</summary>
        public string? Path { get; }
    }
}

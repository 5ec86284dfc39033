using System;
using System.IO;
using System.Management.Automation;
using BinanceKeys.Crypto;

namespace BinanceKeys.Commands.Infrastructure
{
    /// <summary>
    /// The one place where core exceptions become PowerShell error records: stable error ids (public contract,
    /// powershell-conventions.md "What to absorb" 7), precise categories, and the file or key as target.
    /// </summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(Exception error, object? target)
        {
            switch (error)
            {
                case KeyFileException keyFile:
                    return new ErrorRecord(keyFile, "KeyPair" + keyFile.Error, Category(keyFile.Error), keyFile.Path ?? target);
                case UnauthorizedAccessException _:
                    return new ErrorRecord(error, "FileAccessDenied", ErrorCategory.PermissionDenied, target);
                case IOException _:
                    return new ErrorRecord(error, "FileWriteFailed", ErrorCategory.WriteError, target);
                case ArgumentException _:
                    return new ErrorRecord(error, "InvalidArgument", ErrorCategory.InvalidArgument, target);
                default:
                    return new ErrorRecord(error, "UnexpectedError", ErrorCategory.NotSpecified, target);
            }
        }

        private static ErrorCategory Category(KeyFileError error) => error switch
        {
            KeyFileError.NotFound => ErrorCategory.ObjectNotFound,
            KeyFileError.Corrupt => ErrorCategory.InvalidData,
            KeyFileError.PassphraseRequired => ErrorCategory.AuthenticationError,
            KeyFileError.WrongPassphrase => ErrorCategory.AuthenticationError,
            KeyFileError.UnsupportedKeyType => ErrorCategory.InvalidType,
            KeyFileError.UnsupportedKeySize => ErrorCategory.InvalidData,
            KeyFileError.AlreadyExists => ErrorCategory.ResourceExists,
            _ => ErrorCategory.InvalidArgument,
        };
    }
}

using System;
using System.IO;
using System.Management.Automation;
using BinanceKeys.Binance;
using BinanceKeys.Crypto;
using BinanceKeys.Keys;
using BinanceKeys.Secrets;

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
                    return new ErrorRecord(keyFile, Id(keyFile.Error), Category(keyFile.Error), keyFile.Path ?? target);
                case BinanceApiException binance:
                    return new ErrorRecord(binance, "Binance" + binance.Kind, Category(binance.Kind), target ?? binance.Endpoint);
                case PolicyViolationException policy:
                    return new ErrorRecord(policy, "PolicyViolation", ErrorCategory.InvalidArgument, target);
                case ManualStepRequiredException manual:
                    return new ErrorRecord(manual, "ManualStepRequired", ErrorCategory.NotImplemented, target);
                case KeyOperationException operation:
                    return new ErrorRecord(operation, "ApiKey" + operation.Error, Category(operation.Error), target);
                case VaultException vault:
                    return new ErrorRecord(vault, "Vault" + vault.Reason, Category(vault.Reason), target ?? vault.EntryName ?? vault.VaultPath);
                case SecretManagementNotInstalledException notInstalled:
                    return new ErrorRecord(notInstalled, "SecretManagementNotInstalled", ErrorCategory.NotInstalled, target);
                case SecretManagementException secretManagement:
                    return new ErrorRecord(secretManagement, "SecretManagementFailed", ErrorCategory.InvalidOperation, target);
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

        private static string Id(KeyFileError error) => error switch
        {
            KeyFileError.NotFound => "KeyPairNotFound",
            KeyFileError.Corrupt => "KeyPairCorrupt",
            KeyFileError.PassphraseRequired => "KeyPairPassphraseRequired",
            KeyFileError.WrongPassphrase => "KeyPairWrongPassphrase",
            KeyFileError.UnsupportedKeyType => "KeyPairUnsupportedKeyType",
            KeyFileError.UnsupportedKeySize => "KeyPairUnsupportedKeySize",
            KeyFileError.AlreadyExists => "KeyPairAlreadyExists",
            KeyFileError.InvalidArgument => "KeyPairInvalidArgument",
            KeyFileError.ReadFailed => "FileReadFailed",
            KeyFileError.WriteFailed => "FileWriteFailed",
            KeyFileError.AccessDenied => "FileAccessDenied",
            KeyFileError.KeyMismatch => "KeyPairMismatch",
            _ => "KeyPairFailed",
        };

        private static ErrorCategory Category(KeyFileError error) => error switch
        {
            KeyFileError.ReadFailed => ErrorCategory.ReadError,
            KeyFileError.WriteFailed => ErrorCategory.WriteError,
            KeyFileError.AccessDenied => ErrorCategory.PermissionDenied,
            KeyFileError.KeyMismatch => ErrorCategory.InvalidData,
            KeyFileError.NotFound => ErrorCategory.ObjectNotFound,
            KeyFileError.Corrupt => ErrorCategory.InvalidData,
            KeyFileError.PassphraseRequired => ErrorCategory.AuthenticationError,
            KeyFileError.WrongPassphrase => ErrorCategory.AuthenticationError,
            KeyFileError.UnsupportedKeyType => ErrorCategory.InvalidType,
            KeyFileError.UnsupportedKeySize => ErrorCategory.InvalidData,
            KeyFileError.AlreadyExists => ErrorCategory.ResourceExists,
            _ => ErrorCategory.InvalidArgument,
        };

        private static ErrorCategory Category(BinanceErrorKind kind) => kind switch
        {
            BinanceErrorKind.InvalidSignature => ErrorCategory.AuthenticationError,
            BinanceErrorKind.InvalidTimestamp => ErrorCategory.ProtocolError,
            BinanceErrorKind.InvalidApiKeyIpOrPermission => ErrorCategory.PermissionDenied,
            BinanceErrorKind.Unauthorized => ErrorCategory.PermissionDenied,
            BinanceErrorKind.RateLimited => ErrorCategory.LimitsExceeded,
            BinanceErrorKind.Banned => ErrorCategory.LimitsExceeded,
            BinanceErrorKind.NotFound => ErrorCategory.ObjectNotFound,
            BinanceErrorKind.InvalidParameter => ErrorCategory.InvalidArgument,
            BinanceErrorKind.ServerStateUnknown => ErrorCategory.ResourceUnavailable,
            BinanceErrorKind.ConnectionFailed => ErrorCategory.ConnectionError,
            _ => ErrorCategory.InvalidOperation,
        };

        private static ErrorCategory Category(KeyOperationError error) => error switch
        {
            KeyOperationError.NotFound => ErrorCategory.ObjectNotFound,
            KeyOperationError.LabelExists => ErrorCategory.ResourceExists,
            KeyOperationError.InvalidArgument => ErrorCategory.InvalidArgument,
            KeyOperationError.SecretNotStored => ErrorCategory.WriteError,
            KeyOperationError.OutcomeUnknown => ErrorCategory.ResourceUnavailable,
            KeyOperationError.VerificationFailed => ErrorCategory.InvalidResult,
            KeyOperationError.NotConnected => ErrorCategory.ConnectionError,
            _ => ErrorCategory.NotSpecified,
        };

        private static ErrorCategory Category(VaultErrorReason reason) => reason switch
        {
            VaultErrorReason.WrongPassphrase => ErrorCategory.AuthenticationError,
            VaultErrorReason.PassphraseRequired => ErrorCategory.AuthenticationError,
            VaultErrorReason.VaultNotFound => ErrorCategory.ObjectNotFound,
            VaultErrorReason.EntryNotFound => ErrorCategory.ObjectNotFound,
            VaultErrorReason.EntryExists => ErrorCategory.ResourceExists,
            VaultErrorReason.Tampered => ErrorCategory.SecurityError,
            VaultErrorReason.NotAVault => ErrorCategory.InvalidData,
            VaultErrorReason.UnsupportedVersion => ErrorCategory.InvalidData,
            VaultErrorReason.Locked => ErrorCategory.ResourceBusy,
            _ => ErrorCategory.NotSpecified,
        };
    }
}

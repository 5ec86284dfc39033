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
    /// The one place where the module's exceptions become PowerShell error records: a stable error id and a precise
    /// category for every kind of failure, and the file or key as target. The ids are a public contract (scripts match
    /// on FullyQualifiedErrorId), so each is written out here, never derived from an enum member's name (renaming a
    /// member must not change an id), and ErrorIdTests pins every one of them.
    /// </summary>
    internal static class ErrorRecords
    {
        /// <summary>The error record for <paramref name="error"/>, with <paramref name="target"/> when the exception names none.</summary>
        public static ErrorRecord From(Exception error, object? target)
        {
            var (id, category, errorTarget) = Describe(error, target);
            return new ErrorRecord(error, id, category, errorTarget);
        }

        /// <summary>The id, category and target of the record for <paramref name="error"/>.</summary>
        internal static (string Id, ErrorCategory Category, object? Target) Describe(Exception error, object? target)
        {
            switch (error)
            {
                case KeyFileException keyFile:
                    var (keyFileId, keyFileCategory) = Map(keyFile.Error);
                    return (keyFileId, keyFileCategory, keyFile.Path ?? target);
                case BinanceApiException binance:
                    var (binanceId, binanceCategory) = Map(binance.Kind);
                    return (binanceId, binanceCategory, target ?? binance.Endpoint);
                case PolicyViolationException _:
                    return ("PolicyViolation", ErrorCategory.InvalidArgument, target);
                case State.DesiredStateException _:
                    // The whole file is validated before anything else: the message names every problem's file, line and path.
                    return ("DesiredStateInvalid", ErrorCategory.InvalidData, target);
                case ManualStepRequiredException _:
                    // Binance's API cannot make this change (own-account keys, web-UI-only permissions): not a gap in
                    // this module (NotImplemented) but an operation that is not valid through the API.
                    return ("ManualStepRequired", ErrorCategory.InvalidOperation, target);
                case KeyOperationException operation:
                    var (operationId, operationCategory) = Map(operation.Error);
                    return (operationId, operationCategory, target);
                case VaultException vault:
                    var (vaultId, vaultCategory) = Map(vault.Reason);
                    return (vaultId, vaultCategory, target ?? vault.EntryName ?? vault.VaultPath);
                case SecretManagementNotInstalledException _:
                    return ("SecretManagementNotInstalled", ErrorCategory.NotInstalled, target);
                case SecretManagementException _:
                    return ("SecretManagementFailed", ErrorCategory.InvalidOperation, target);
                case UnauthorizedAccessException _:
                    return ("FileAccessDenied", ErrorCategory.PermissionDenied, target);
                case IOException _:
                    // The module's own file operations say whether they read or wrote (FileReadFailed, VaultWriteFailed,
                    // ...); an operating-system failure that reaches here unwrapped cannot say which.
                    return ("FileOperationFailed", ErrorCategory.NotSpecified, target);
                case ArgumentException _:
                    // Only for a call a cmdlet catches on purpose because its argument is the user's (an endpoint address).
                    return ("InvalidArgument", ErrorCategory.InvalidArgument, target);
                default:
                    return ("UnexpectedError", ErrorCategory.NotSpecified, target);
            }
        }

        internal static (string Id, ErrorCategory Category) Map(KeyFileError error) => error switch
        {
            KeyFileError.NotFound => ("KeyPairNotFound", ErrorCategory.ObjectNotFound),
            KeyFileError.Corrupt => ("KeyPairCorrupt", ErrorCategory.InvalidData),
            KeyFileError.PassphraseRequired => ("KeyPairPassphraseRequired", ErrorCategory.AuthenticationError),
            KeyFileError.WrongPassphrase => ("KeyPairWrongPassphrase", ErrorCategory.AuthenticationError),
            KeyFileError.UnsupportedKeyType => ("KeyPairUnsupportedKeyType", ErrorCategory.InvalidType),
            KeyFileError.UnsupportedKeySize => ("KeyPairUnsupportedKeySize", ErrorCategory.InvalidData),
            KeyFileError.AlreadyExists => ("KeyPairAlreadyExists", ErrorCategory.ResourceExists),
            KeyFileError.InvalidArgument => ("KeyPairInvalidArgument", ErrorCategory.InvalidArgument),
            KeyFileError.ReadFailed => ("FileReadFailed", ErrorCategory.ReadError),
            KeyFileError.WriteFailed => ("FileWriteFailed", ErrorCategory.WriteError),
            KeyFileError.AccessDenied => ("FileAccessDenied", ErrorCategory.PermissionDenied),
            KeyFileError.KeyMismatch => ("KeyPairMismatch", ErrorCategory.InvalidData),
            _ => ("KeyPairFailed", ErrorCategory.NotSpecified),
        };

        internal static (string Id, ErrorCategory Category) Map(BinanceErrorKind kind) => kind switch
        {
            BinanceErrorKind.InvalidSignature => ("BinanceInvalidSignature", ErrorCategory.AuthenticationError),
            BinanceErrorKind.InvalidTimestamp => ("BinanceInvalidTimestamp", ErrorCategory.ProtocolError),
            BinanceErrorKind.InvalidApiKeyIpOrPermission => ("BinanceInvalidApiKeyIpOrPermission", ErrorCategory.PermissionDenied),
            BinanceErrorKind.Unauthorized => ("BinanceUnauthorized", ErrorCategory.PermissionDenied),
            BinanceErrorKind.RateLimited => ("BinanceRateLimited", ErrorCategory.LimitsExceeded),
            BinanceErrorKind.Banned => ("BinanceBanned", ErrorCategory.LimitsExceeded),
            BinanceErrorKind.NotFound => ("BinanceNotFound", ErrorCategory.ObjectNotFound),
            BinanceErrorKind.InvalidParameter => ("BinanceInvalidParameter", ErrorCategory.InvalidArgument),
            BinanceErrorKind.ServerStateUnknown => ("BinanceServerStateUnknown", ErrorCategory.ResourceUnavailable),
            BinanceErrorKind.Other => ("BinanceOther", ErrorCategory.InvalidOperation),
            BinanceErrorKind.ConnectionFailed => ("BinanceConnectionFailed", ErrorCategory.ConnectionError),
            _ => ("BinanceFailed", ErrorCategory.NotSpecified),
        };

        internal static (string Id, ErrorCategory Category) Map(KeyOperationError error) => error switch
        {
            KeyOperationError.NotFound => ("ApiKeyNotFound", ErrorCategory.ObjectNotFound),
            KeyOperationError.LabelExists => ("ApiKeyLabelExists", ErrorCategory.ResourceExists),
            KeyOperationError.InvalidArgument => ("ApiKeyInvalidArgument", ErrorCategory.InvalidArgument),
            KeyOperationError.SecretNotStored => ("ApiKeySecretNotStored", ErrorCategory.WriteError),
            KeyOperationError.OutcomeUnknown => ("ApiKeyOutcomeUnknown", ErrorCategory.ResourceUnavailable),
            KeyOperationError.VerificationFailed => ("ApiKeyVerificationFailed", ErrorCategory.InvalidResult),
            KeyOperationError.NotConnected => ("ApiKeyNotConnected", ErrorCategory.ConnectionError),
            KeyOperationError.StalePlan => ("ApiKeyStalePlan", ErrorCategory.InvalidData),
            KeyOperationError.ApplyInProgress => ("ApiKeyApplyInProgress", ErrorCategory.ResourceBusy),
            KeyOperationError.ConfirmationRequired => ("ApiKeyConfirmationRequired", ErrorCategory.InvalidOperation),
            _ => ("ApiKeyFailed", ErrorCategory.NotSpecified),
        };

        internal static (string Id, ErrorCategory Category) Map(VaultErrorReason reason) => reason switch
        {
            VaultErrorReason.PassphraseRequired => ("VaultPassphraseRequired", ErrorCategory.AuthenticationError),
            VaultErrorReason.VaultNotFound => ("VaultVaultNotFound", ErrorCategory.ObjectNotFound),
            VaultErrorReason.NotAVault => ("VaultNotAVault", ErrorCategory.InvalidData),
            VaultErrorReason.UnsupportedVersion => ("VaultUnsupportedVersion", ErrorCategory.InvalidData),
            VaultErrorReason.WrongPassphrase => ("VaultWrongPassphrase", ErrorCategory.AuthenticationError),
            VaultErrorReason.Tampered => ("VaultTampered", ErrorCategory.SecurityError),
            VaultErrorReason.Locked => ("VaultLocked", ErrorCategory.ResourceBusy),
            VaultErrorReason.Replaced => ("VaultReplaced", ErrorCategory.InvalidOperation),
            VaultErrorReason.EntryNotFound => ("VaultEntryNotFound", ErrorCategory.ObjectNotFound),
            VaultErrorReason.EntryExists => ("VaultEntryExists", ErrorCategory.ResourceExists),
            VaultErrorReason.ReadFailed => ("VaultReadFailed", ErrorCategory.ReadError),
            VaultErrorReason.WriteFailed => ("VaultWriteFailed", ErrorCategory.WriteError),
            VaultErrorReason.AccessDenied => ("VaultAccessDenied", ErrorCategory.PermissionDenied),
            VaultErrorReason.InvalidName => ("VaultInvalidName", ErrorCategory.InvalidArgument),
            _ => ("VaultFailed", ErrorCategory.NotSpecified),
        };
    }
}

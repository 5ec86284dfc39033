using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// Error ids are a public contract (scripts and CI match on FullyQualifiedErrorId), so every id and category is
    /// written out here by hand and compared with what the module's mapping produces for each kind of exception, every
    /// member of every reason enum included: renaming or adding a member fails here until this table says what it is.
    /// </summary>
    public sealed class ErrorIdTests
    {
        /// <summary>(exception kind, reason member or "", error id, category): the contract.</summary>
        private static readonly (string Kind, string Member, string Id, ErrorCategory Category)[] Pinned =
        {
            ("KeyFileException", "NotFound", "KeyPairNotFound", ErrorCategory.ObjectNotFound),
            ("KeyFileException", "Corrupt", "KeyPairCorrupt", ErrorCategory.InvalidData),
            ("KeyFileException", "PassphraseRequired", "KeyPairPassphraseRequired", ErrorCategory.AuthenticationError),
            ("KeyFileException", "WrongPassphrase", "KeyPairWrongPassphrase", ErrorCategory.AuthenticationError),
            ("KeyFileException", "UnsupportedKeyType", "KeyPairUnsupportedKeyType", ErrorCategory.InvalidType),
            ("KeyFileException", "UnsupportedKeySize", "KeyPairUnsupportedKeySize", ErrorCategory.InvalidData),
            ("KeyFileException", "AlreadyExists", "KeyPairAlreadyExists", ErrorCategory.ResourceExists),
            ("KeyFileException", "InvalidArgument", "KeyPairInvalidArgument", ErrorCategory.InvalidArgument),
            ("KeyFileException", "ReadFailed", "FileReadFailed", ErrorCategory.ReadError),
            ("KeyFileException", "WriteFailed", "FileWriteFailed", ErrorCategory.WriteError),
            ("KeyFileException", "AccessDenied", "FileAccessDenied", ErrorCategory.PermissionDenied),
            ("KeyFileException", "KeyMismatch", "KeyPairMismatch", ErrorCategory.InvalidData),

            ("BinanceApiException", "InvalidSignature", "BinanceInvalidSignature", ErrorCategory.AuthenticationError),
            ("BinanceApiException", "InvalidTimestamp", "BinanceInvalidTimestamp", ErrorCategory.ProtocolError),
            ("BinanceApiException", "InvalidApiKeyIpOrPermission", "BinanceInvalidApiKeyIpOrPermission", ErrorCategory.PermissionDenied),
            ("BinanceApiException", "Unauthorized", "BinanceUnauthorized", ErrorCategory.PermissionDenied),
            ("BinanceApiException", "RateLimited", "BinanceRateLimited", ErrorCategory.LimitsExceeded),
            ("BinanceApiException", "Banned", "BinanceBanned", ErrorCategory.LimitsExceeded),
            ("BinanceApiException", "NotFound", "BinanceNotFound", ErrorCategory.ObjectNotFound),
            ("BinanceApiException", "InvalidParameter", "BinanceInvalidParameter", ErrorCategory.InvalidArgument),
            ("BinanceApiException", "ServerStateUnknown", "BinanceServerStateUnknown", ErrorCategory.ResourceUnavailable),
            ("BinanceApiException", "Other", "BinanceOther", ErrorCategory.InvalidOperation),
            ("BinanceApiException", "ConnectionFailed", "BinanceConnectionFailed", ErrorCategory.ConnectionError),

            ("KeyOperationException", "NotFound", "ApiKeyNotFound", ErrorCategory.ObjectNotFound),
            ("KeyOperationException", "LabelExists", "ApiKeyLabelExists", ErrorCategory.ResourceExists),
            ("KeyOperationException", "InvalidArgument", "ApiKeyInvalidArgument", ErrorCategory.InvalidArgument),
            ("KeyOperationException", "SecretNotStored", "ApiKeySecretNotStored", ErrorCategory.WriteError),
            ("KeyOperationException", "OutcomeUnknown", "ApiKeyOutcomeUnknown", ErrorCategory.ResourceUnavailable),
            ("KeyOperationException", "VerificationFailed", "ApiKeyVerificationFailed", ErrorCategory.InvalidResult),
            ("KeyOperationException", "NotConnected", "ApiKeyNotConnected", ErrorCategory.ConnectionError),
            ("KeyOperationException", "StalePlan", "ApiKeyStalePlan", ErrorCategory.InvalidData),
            ("KeyOperationException", "ApplyInProgress", "ApiKeyApplyInProgress", ErrorCategory.ResourceBusy),
            ("KeyOperationException", "ConfirmationRequired", "ApiKeyConfirmationRequired", ErrorCategory.InvalidOperation),

            ("VaultException", "PassphraseRequired", "VaultPassphraseRequired", ErrorCategory.AuthenticationError),
            ("VaultException", "VaultNotFound", "VaultVaultNotFound", ErrorCategory.ObjectNotFound),
            ("VaultException", "NotAVault", "VaultNotAVault", ErrorCategory.InvalidData),
            ("VaultException", "UnsupportedVersion", "VaultUnsupportedVersion", ErrorCategory.InvalidData),
            ("VaultException", "WrongPassphrase", "VaultWrongPassphrase", ErrorCategory.AuthenticationError),
            ("VaultException", "Tampered", "VaultTampered", ErrorCategory.SecurityError),
            ("VaultException", "Locked", "VaultLocked", ErrorCategory.ResourceBusy),
            ("VaultException", "Replaced", "VaultReplaced", ErrorCategory.InvalidOperation),
            ("VaultException", "EntryNotFound", "VaultEntryNotFound", ErrorCategory.ObjectNotFound),
            ("VaultException", "EntryExists", "VaultEntryExists", ErrorCategory.ResourceExists),
            ("VaultException", "ReadFailed", "VaultReadFailed", ErrorCategory.ReadError),
            ("VaultException", "WriteFailed", "VaultWriteFailed", ErrorCategory.WriteError),
            ("VaultException", "AccessDenied", "VaultAccessDenied", ErrorCategory.PermissionDenied),
            ("VaultException", "InvalidName", "VaultInvalidName", ErrorCategory.InvalidArgument),

            ("PolicyViolationException", "", "PolicyViolation", ErrorCategory.InvalidArgument),
            ("ManualStepRequiredException", "", "ManualStepRequired", ErrorCategory.InvalidOperation),
            ("DesiredStateException", "", "DesiredStateInvalid", ErrorCategory.InvalidData),
            ("SecretManagementNotInstalledException", "", "SecretManagementNotInstalled", ErrorCategory.NotInstalled),
            ("SecretManagementException", "", "SecretManagementFailed", ErrorCategory.InvalidOperation),
            ("UnauthorizedAccessException", "", "FileAccessDenied", ErrorCategory.PermissionDenied),
            ("IOException", "", "FileOperationFailed", ErrorCategory.NotSpecified),
            ("ArgumentException", "", "InvalidArgument", ErrorCategory.InvalidArgument),
        };

        private static readonly Lazy<(Assembly Cmdlets, Assembly Core)> Assemblies = new Lazy<(Assembly, Assembly)>(() =>
        {
            var result = ModuleHost.Run("(Get-Command New-BinanceKeyPair).ImplementingType");
            var cmdlets = ((Type)result.Output.Single().BaseObject).Assembly;
            // The core lives in the module's own load context; its types are reached through the mapping's signatures.
            var mapping = cmdlets.GetType("BinanceKeys.Commands.Infrastructure.ErrorRecords", throwOnError: true)!;
            var core = mapping.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
                .SelectMany(m => m.GetParameters()).Select(p => p.ParameterType).First(t => t.Name == "KeyFileError").Assembly;
            return (cmdlets, core);
        });

        private static Type CoreType(string name) => Assemblies.Value.Core.GetTypes().Single(t => t.Name == name);

        // One error at file:1:1, as the loader reports them.
        private static Exception DesiredStateError()
        {
            object location = Activator.CreateInstance(CoreType("SourceLocation"), "d.yaml", 1, 1, "")!;
            var errorType = CoreType("DesiredStateError");
            var errors = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(errorType))!;
            errors.Add(Activator.CreateInstance(errorType, location, "message"));
            return (Exception)Activator.CreateInstance(CoreType("DesiredStateException"), errors)!;
        }

        private static Type CmdletType(string name) => Assemblies.Value.Cmdlets.GetTypes().Single(t => t.Name == name);

        /// <summary>What the module's mapping produces for an exception: (id, category).</summary>
        private static (string Id, ErrorCategory Category) Mapped(Exception error)
        {
            var mapping = CmdletType("ErrorRecords");
            var record = (ErrorRecord)mapping.GetMethod("From", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!.Invoke(null, new object?[] { error, "target" })!;
            return (record.FullyQualifiedErrorId, record.CategoryInfo.Category);
        }

        private static Exception Create(string kind, string member)
        {
            object Reason(string enumName) => Enum.Parse(CoreType(enumName), member);
            return kind switch
            {
                "KeyFileException" => (Exception)Activator.CreateInstance(CoreType(kind), Reason("KeyFileError"), "k.pem", "message", null)!,
                "BinanceApiException" => (Exception)Activator.CreateInstance(CoreType(kind), Reason("BinanceErrorKind"), -1, "message", null, "GET /x", null)!,
                "KeyOperationException" => (Exception)Activator.CreateInstance(CoreType(kind), Reason("KeyOperationError"), "message", null)!,
                "VaultException" => (Exception)Activator.CreateInstance(CoreType(kind), Reason("VaultErrorReason"), "message", "/v.bkv", "entry", null)!,
                "PolicyViolationException" => (Exception)Activator.CreateInstance(CoreType(kind),
                    Activator.CreateInstance(typeof(List<>).MakeGenericType(CoreType(kind).GetConstructors().First(c => c.GetParameters().Length == 1).GetParameters()[0].ParameterType.GetGenericArguments()[0])))!,
                "ManualStepRequiredException" => (Exception)Activator.CreateInstance(CoreType(kind), "message", new List<string> { "step" })!,
                "DesiredStateException" => DesiredStateError(),
                "SecretManagementNotInstalledException" => (Exception)Activator.CreateInstance(CmdletType(kind), BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, new object[] { "message" }, null)!,
                "SecretManagementException" => (Exception)Activator.CreateInstance(CmdletType(kind), BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, new object[] { "message", new InvalidOperationException() }, null)!,
                "UnauthorizedAccessException" => new UnauthorizedAccessException("message"),
                "IOException" => new IOException("message"),
                "ArgumentException" => new ArgumentException("message"),
                _ => throw new InvalidOperationException("unknown kind " + kind),
            };
        }

        public static IEnumerable<object[]> PinnedRows() => Pinned.Select(p => new object[] { p.Kind, p.Member, p.Id, p.Category });

        [Theory]
        [MemberData(nameof(PinnedRows))]
        public void TheMappingProducesThePinnedIdAndCategory(string kind, string member, string id, ErrorCategory category)
        {
            Assert.Equal((id, category), Mapped(Create(kind, member)));
        }

        [Theory]
        [InlineData("KeyFileException", "KeyFileError")]
        [InlineData("BinanceApiException", "BinanceErrorKind")]
        [InlineData("KeyOperationException", "KeyOperationError")]
        [InlineData("VaultException", "VaultErrorReason")]
        public void EveryReasonOfEveryExceptionIsPinned(string kind, string reasonEnum)
        {
            var members = Enum.GetNames(CoreType(reasonEnum)).OrderBy(n => n, StringComparer.Ordinal).ToList();
            var pinned = Pinned.Where(p => p.Kind == kind).Select(p => p.Member).OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.Equal(members, pinned);
        }

        [Fact]
        public void IdsAreUniquePerExceptionKindAndReadable()
        {
            foreach (var group in Pinned.GroupBy(p => p.Kind)) Assert.Equal(group.Count(), group.Select(p => p.Id).Distinct().Count());
            Assert.All(Pinned, p => Assert.Matches("^[A-Z][A-Za-z]+$", p.Id));
        }

        [Fact]
        public void EveryExpectedExceptionTypeHasAPinnedMapping()
        {
            // What IsExpected lets through becomes a specific record; everything else is a bug and must surface as one.
            var isExpected = CmdletType("BinanceCmdlet").GetMethod("IsExpected", BindingFlags.Static | BindingFlags.NonPublic)!;
            bool Expected(Exception e) => (bool)isExpected.Invoke(null, new object[] { e })!;
            foreach (var kind in Pinned.Select(p => p.Kind).Distinct().Where(k => k != "ArgumentException"))
            {
                string member = Pinned.First(p => p.Kind == kind).Member;
                Assert.True(Expected(Create(kind, member)), kind + " should be an expected failure");
            }
            Assert.False(Expected(new ArgumentException("a bug")));
            Assert.False(Expected(new ArgumentNullException("x")));
            Assert.False(Expected(new InvalidOperationException("a bug")));
            Assert.False(Expected(new ObjectDisposedException("x")));
            Assert.False(Expected(new NullReferenceException()));
        }
    }
}

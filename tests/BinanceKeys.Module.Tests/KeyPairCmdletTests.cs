using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    public sealed class KeyPairCmdletTests : IDisposable
    {
        private const string PassphraseText = "s3cret passphrase ✓";
        private readonly string folder = Directory.CreateTempSubdirectory("bk-cmdlet-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private Dictionary<string, object?> Vars(params (string Name, object? Value)[] extra)
        {
            var variables = new Dictionary<string, object?> { ["p"] = ModuleHost.Secure(PassphraseText) };
            foreach (var (name, value) in extra) variables[name] = value;
            return variables;
        }

        private static void AssertPropertyNames(PSObject item)
        {
            var names = item.Properties.Select(p => p.Name).ToList();
            Assert.Equal(new[] { "Name", "Algorithm", "KeySize", "PublicKeyPem", "Fingerprint", "PrivateKeyPath", "PublicKeyPath", "SecretName", "Vault", "IsEncrypted", "HasPrivateKey" }, names);
        }

        [Fact]
        public void NewWritesAnEncryptedEd25519PairRelativeToTheCurrentLocationAndReturnsItsDescription()
        {
            var result = ModuleHost.Run("New-BinanceKeyPair -Name bot -Path ./keys -Passphrase $p", Vars(), folder);

            Assert.Null(result.Terminating);
            Assert.Empty(result.Errors);
            var pair = Assert.Single(result.Output);
            Assert.Equal("BinanceKeys.KeyPairInfo", pair.TypeNames[0]);
            AssertPropertyNames(pair);
            Assert.Equal("bot", pair.Properties["Name"].Value);
            Assert.Equal("Ed25519", pair.Properties["Algorithm"].Value.ToString());
            Assert.Equal(256, pair.Properties["KeySize"].Value);
            Assert.Equal(true, pair.Properties["IsEncrypted"].Value);
            Assert.Equal(true, pair.Properties["HasPrivateKey"].Value);
            Assert.Matches("^[0-9a-f]{64}$", (string)pair.Properties["Fingerprint"].Value);
            string privatePath = Path.Combine(folder, "keys", "bot.pem");
            string publicPath = Path.Combine(folder, "keys", "bot.pub.pem");
            Assert.Equal(privatePath, pair.Properties["PrivateKeyPath"].Value);
            Assert.Equal(publicPath, pair.Properties["PublicKeyPath"].Value);
            Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", File.ReadAllText(privatePath));
            Assert.Equal(pair.Properties["PublicKeyPem"].Value, File.ReadAllText(publicPath));
            Assert.StartsWith("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA", File.ReadAllText(publicPath));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(privatePath));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(publicPath));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(folder, "keys")));
            }
        }

        [Fact]
        public void NewRsa4096()
        {
            var result = ModuleHost.Run("New-BinanceKeyPair -Name rsa -Path . -Algorithm RSA -KeySize 4096 -NoEncryption", Vars(), folder);
            var pair = Assert.Single(result.Output);
            Assert.Equal("RSA", pair.Properties["Algorithm"].Value.ToString());
            Assert.Equal(4096, pair.Properties["KeySize"].Value);
            Assert.Equal(false, pair.Properties["IsEncrypted"].Value);
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(Path.Combine(folder, "rsa.pem")));
            Assert.Contains(result.Warnings, w => w.Contains("not encrypted"));
        }

        [Fact]
        public void NewRsaDefaultsTo2048()
        {
            var result = ModuleHost.Run("New-BinanceKeyPair -Name rsa -Path . -Algorithm rsa -NoEncryption", Vars(), folder);
            Assert.Equal(2048, Assert.Single(result.Output).Properties["KeySize"].Value);
        }

        [Theory]
        [InlineData("-Algorithm RSA -KeySize 3072", "ParameterArgumentValidationError,BinanceKeys.Commands.NewBinanceKeyPairCommand")]
        [InlineData("-KeySize 4096", "KeyPairInvalidArgument,BinanceKeys.Commands.NewBinanceKeyPairCommand")]
        [InlineData("-Algorithm ECDSA", "CannotConvertArgumentNoMessage,BinanceKeys.Commands.NewBinanceKeyPairCommand")]
        public void NewRejectsKeysBinanceDoesNotAccept(string arguments, string errorId)
        {
            var result = ModuleHost.Run($"New-BinanceKeyPair -Name bad -Path . -NoEncryption {arguments} -ErrorAction SilentlyContinue", Vars(), folder);
            Assert.NotNull(result.Error); // still reported with SilentlyContinue: a terminating error
            Assert.Equal(errorId, result.Error!.FullyQualifiedErrorId);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Fact]
        public void NewRefusesToOverwriteWithoutForceAndWritesNothing()
        {
            File.WriteAllText(Path.Combine(folder, "bot.pem"), "existing private");
            var result = ModuleHost.Run("New-BinanceKeyPair -Name bot -Path . -Passphrase $p", Vars(), folder);

            Assert.Null(result.Terminating); // one name's failure: a non-terminating error
            Assert.Equal("KeyPairAlreadyExists,BinanceKeys.Commands.NewBinanceKeyPairCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, result.Error!.CategoryInfo.Category);
            Assert.Equal(Path.Combine(folder, "bot.pem"), result.Error!.TargetObject);
            Assert.Equal("existing private", File.ReadAllText(Path.Combine(folder, "bot.pem")));
            Assert.False(File.Exists(Path.Combine(folder, "bot.pub.pem")));
        }

        [Fact]
        public void NewWithForceReplacesBothFiles()
        {
            File.WriteAllText(Path.Combine(folder, "bot.pem"), "old");
            File.WriteAllText(Path.Combine(folder, "bot.pub.pem"), "old");
            var result = ModuleHost.Run("New-BinanceKeyPair -Name bot -Path . -Passphrase $p -Force", Vars(), folder);
            Assert.Null(result.Terminating);
            Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", File.ReadAllText(Path.Combine(folder, "bot.pem")));
            Assert.StartsWith("-----BEGIN PUBLIC KEY-----", File.ReadAllText(Path.Combine(folder, "bot.pub.pem")));
        }

        [Fact]
        public void NewWithWhatIfWritesNothingAndSaysWhatItWouldDo()
        {
            var host = new TestHost();
            using var shell = ModuleHost.CreateSession(host);
            var result = ModuleHost.Run(shell, "New-BinanceKeyPair -Name bot -Path ./keys -Passphrase $p -WhatIf; New-BinanceKeyPair -Name bot2 -Path ./keys -NoEncryption -Force -WhatIf", Vars(), folder);

            Assert.Null(result.Terminating);
            Assert.Empty(result.Output);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
            Assert.Contains("What if: Performing the operation \"Create Ed25519 key pair (encrypted)\" on target", host.Text);
            Assert.Contains(Path.Combine(folder, "keys", "bot.pem"), host.Text);
        }

        [Fact]
        public void NewWithConfirmFalseDoesNotPrompt()
        {
            var result = ModuleHost.Run("New-BinanceKeyPair -Name bot -Path . -NoEncryption -Confirm:$false", Vars(), folder);
            Assert.Null(result.Terminating);
            Assert.Single(result.Output);
        }

        [Fact]
        public void NewTakesNamesFromThePipeline()
        {
            var result = ModuleHost.Run("'a','b' | New-BinanceKeyPair -Path . -NoEncryption", Vars(), folder);
            Assert.Equal(new[] { "a", "b" }, result.Output.Select(o => o.Properties["Name"].Value));
            Assert.Equal(4, Directory.GetFiles(folder).Length);
        }

        [Theory]
        [InlineData("../escape")]
        [InlineData("a/b")]
        public void NewRejectsNamesThatAreNotFileNames(string name)
        {
            var result = ModuleHost.Run($"New-BinanceKeyPair -Name '{name}' -Path . -NoEncryption", Vars(), folder);
            Assert.Equal("KeyPairInvalidArgument,BinanceKeys.Commands.NewBinanceKeyPairCommand", result.Error!.FullyQualifiedErrorId);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Fact]
        public void NewWithoutPassphraseOrNoEncryptionPromptsAndSoFailsInANonInteractiveHost()
        {
            var result = ModuleHost.Run("New-BinanceKeyPair -Name bot -Path .", Vars(), folder);
            // PowerShell's prompt for the missing -Passphrase, which fails without a UI: not just any error.
            Assert.Equal("MissingMandatoryParameter,BinanceKeys.Commands.NewBinanceKeyPairCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains("Passphrase", result.Error!.Exception.Message);
            Assert.Empty(result.Output);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Fact]
        public void GetReadsWhatNewWroteAndTheResultSignsWithThePassphraseGivenAgain()
        {
            // The pair object keeps no decrypted key (docs/vault.md, "Private keys in memory"): signing loads it again.
            var result = ModuleHost.Run(
                "$n = New-BinanceKeyPair -Name bot -Path . -Passphrase $p; $g = Get-BinanceKeyPair -Path ./bot.pem -Passphrase $p; $g; $n.Fingerprint; New-BinanceSignature -KeyPair $g -Passphrase $p -Payload 'timestamp=1'",
                Vars(), folder);

            Assert.Null(result.Terminating);
            Assert.Equal(3, result.Output.Count);
            var read = result.Output[0];
            Assert.Equal(result.Output[1].ToString(), read.Properties["Fingerprint"].Value);
            Assert.Equal(true, read.Properties["IsEncrypted"].Value);
            Assert.Equal(true, read.Properties["HasPrivateKey"].Value);
            Assert.Equal(Path.Combine(folder, "bot.pub.pem"), read.Properties["PublicKeyPath"].Value);
            Assert.Equal(88, result.Output[2].ToString()!.Length);
        }

        [Fact]
        public void GetReadsPublicKeysFromThePipelineOfGetChildItemStylePaths()
        {
            var result = ModuleHost.Run("New-BinanceKeyPair -Name a -Path . -NoEncryption | Out-Null; New-BinanceKeyPair -Name b -Path . -NoEncryption | Out-Null; Get-BinanceKeyPair -Path ./*.pub.pem", Vars(), folder);
            Assert.Null(result.Terminating);
            Assert.Equal(new[] { "a", "b" }, result.Output.Select(o => o.Properties["Name"].Value).OrderBy(n => n));
            Assert.All(result.Output, o => Assert.Equal(false, o.Properties["HasPrivateKey"].Value));
        }

        public static TheoryData<string, string, ErrorCategory> GetErrors => new TheoryData<string, string, ErrorCategory>
        {
            { "Get-BinanceKeyPair -Path ./missing.pem", "KeyPairNotFound", ErrorCategory.ObjectNotFound },
            { "Get-BinanceKeyPair -Path ./corrupt.pem", "KeyPairCorrupt", ErrorCategory.InvalidData },
            { "Get-BinanceKeyPair -Path ./enc.pem", "KeyPairPassphraseRequired", ErrorCategory.AuthenticationError },
            { "Get-BinanceKeyPair -Path ./enc.pem -Passphrase $wrong", "KeyPairWrongPassphrase", ErrorCategory.AuthenticationError },
            { "Get-BinanceKeyPair -Path ./ec.pem", "KeyPairUnsupportedKeyType", ErrorCategory.InvalidType },
            { "Get-BinanceKeyPair -Path ./rsa1024.pem", "KeyPairUnsupportedKeySize", ErrorCategory.InvalidData },
        };

        [Theory]
        [MemberData(nameof(GetErrors))]
        public void GetFailuresAreDistinctErrorsAndWriteNothing(string script, string errorId, ErrorCategory category)
        {
            File.WriteAllText(Path.Combine(folder, "corrupt.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
            ModuleHost.Run("New-BinanceKeyPair -Name enc -Path . -Passphrase $p | Out-Null", Vars(), folder);
            File.WriteAllText(Path.Combine(folder, "ec.pem"), EcPrivateKey);
            File.WriteAllText(Path.Combine(folder, "rsa1024.pem"), Rsa1024PrivateKey);
            var before = Snapshot();

            var result = ModuleHost.Run(script, Vars(("wrong", ModuleHost.Secure("wrong"))), folder);

            Assert.Null(result.Terminating); // one file's failure: a non-terminating error
            Assert.Single(result.Errors);
            Assert.Empty(result.Output);
            Assert.Equal(errorId + ",BinanceKeys.Commands.GetBinanceKeyPairCommand", result.Error!.FullyQualifiedErrorId);
            Assert.Equal(category, result.Error.CategoryInfo.Category);
            Assert.EndsWith(".pem", result.Error.TargetObject?.ToString());
            Assert.Equal(before, Snapshot());
        }

        [Fact]
        public void GetGoesOnAfterAFileItCannotRead()
        {
            var result = ModuleHost.Run(
                "New-BinanceKeyPair -Name a -Path . -NoEncryption -WarningAction SilentlyContinue | Out-Null; " +
                "Get-BinanceKeyPair -Path ./missing.pem, ./nothing*.pem, ./a.pub.pem; './gone.pem', './a.pem' | Get-BinanceKeyPair",
                Vars(), folder);
            Assert.Null(result.Terminating);
            Assert.Equal(new[] { "KeyPairNotFound", "KeyPairNotFound", "KeyPairNotFound" }, result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
            Assert.Equal(new[] { false, true }, result.Output.Select(o => (bool)o.Properties["HasPrivateKey"].Value));
        }

        [Fact]
        public void NewGoesOnAfterANameItCannotCreate()
        {
            File.WriteAllText(Path.Combine(folder, "taken.pem"), "keep");
            var result = ModuleHost.Run("'taken', '../bad', 'fresh' | New-BinanceKeyPair -Path . -NoEncryption -WarningAction SilentlyContinue", Vars(), folder);
            Assert.Null(result.Terminating);
            Assert.Equal(new[] { "KeyPairAlreadyExists", "KeyPairInvalidArgument" }, result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
            Assert.Equal("fresh", Assert.Single(result.Output).Properties["Name"].Value);
            Assert.Equal("keep", File.ReadAllText(Path.Combine(folder, "taken.pem")));
        }

        [Fact]
        public void AReadFailureIsAReadErrorNotAWriteError()
        {
            // /proc/self/mem opens but fails every read at offset 0 (EIO): a real operating-system read error on Linux,
            // where these tests run.
            Assert.True(OperatingSystem.IsLinux(), "this test reads /proc/self/mem, which only Linux has");
            var result = ModuleHost.Run("Get-BinanceKeyPair -LiteralPath /proc/self/mem", Vars(), folder);
            var error = Assert.Single(result.Errors);
            Assert.Equal("FileReadFailed,BinanceKeys.Commands.GetBinanceKeyPairCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ReadError, error.CategoryInfo.Category);
            Assert.Equal("/proc/self/mem", error.TargetObject);
        }

        [Fact]
        public void GetWithWildcardMatchingNothingIsNotFound()
        {
            var result = ModuleHost.Run("Get-BinanceKeyPair -Path ./nothing*.pem", Vars(), folder);
            Assert.Equal("KeyPairNotFound,BinanceKeys.Commands.GetBinanceKeyPairCommand", result.Error?.FullyQualifiedErrorId);
        }

        private Dictionary<string, string> Snapshot() =>
            Directory.GetFiles(folder).ToDictionary(f => f, File.ReadAllText);

        // openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 (test data only)
        private const string EcPrivateKey = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgajopKkA/adZIuq84\n094VXL85RhtXd0OnI6FQ3/IssuihRANCAATIqzeDn9GrzwZfR1lcvDIzruORjxFs\n5n6Fewc3jANpozUA2unLwgE6MmBl3u0mDb/7KeXE6T9lDdevj25lLq59\n-----END PRIVATE KEY-----\n";

        // openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 (test data only)
        private const string Rsa1024PrivateKey = "-----BEGIN PRIVATE KEY-----\nMIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAMbjStcbrYYLAiZg\nW8NzRWz1e2I3l1GCnIvO5J1FIjsXj8yRtyk68o7JPL/wgmPBorLYBwNGRBX0dm0J\nD8DHVYT9JsRKWcubA7zbYtUiD/rNkWtA4ldUbikk4t8hkD339rmxmwvegTkO1Ied\nWHqrthXjEn/2TfPcdMNSXQsVcNnfAgMBAAECgYEAmb7/DcaBn4tHAC+hADhNxOsH\nlGdw/DvBlHo9VC4rRg7yxKsoMiE1fJen9KCRy1fW0/YXhbp9y5MNMUC+AsKVIjmk\nUjPp9fBnnRFhzN1RJ7uCLZkN3kOtT1aV34FcAu4AUN6Tr4/PUjuhfJ1FXHNOP5bK\nXSmKkSn0Rpdkc6J9BgECQQDv2SdOJwkBAHaGSgFzZPLSnLAN9o2kkbzMnUhhnB7Z\nGc9Z7x99w93QT5ILoAmBS9uY7eiHg2wmjTe2jbABbM+BAkEA1EgBTEyVDRgi9z8Z\nCRP39Wh7ZGyDjWF/F6L4Olom+Rb9xay4lhDK/mMKqDJf69BLtRts6p+qi0JYxBuz\n7+xZXwJBAI3QmhrtnbdH7MzOKTlvsNuy5a374Bg0S6u4O7nrM5ouVpnYd4hHLXoj\n8jiJcdVPYxJzaQ/nNyU8TnrUIANXsQECQB1yW5O879QgLAGGJC/pMDU/qBY3I0yC\nYMHjnnFhvhRBhzRbkENo0u/Ux06rpjis7UOTKVmmil7E9lFF0oEOlRsCQA0Qox5c\n3+3P7BueYrdqtbT5UtGymGE0XYBxwLihQKboHo2sERKwHDQ6SINjvTgmbPtBE6W7\nst5iOe5JEk3dYV8=\n-----END PRIVATE KEY-----\n";
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// An empty passphrase or secret is refused wherever one is taken, before anything runs: it would otherwise write a
    /// private key unencrypted, silently. Unencrypted is asked for with -NoEncryption only.
    /// </summary>
    public sealed class EmptyPassphraseTests : IDisposable
    {
        private readonly string folder = Directory.CreateTempSubdirectory("bk-empty-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private static Dictionary<string, object?> Empty() => new Dictionary<string, object?> { ["empty"] = new SecureString() };

        /// <summary>Every SecureString parameter of every exported cmdlet, found by reflection (new ones are covered too).</summary>
        public static IEnumerable<object[]> SecureStringParameters()
        {
            var cmdlets = ModuleHost.Run("Get-Command -Module BinanceKeys -CommandType Cmdlet").Output.Select(o => (CmdletInfo)o.BaseObject);
            foreach (var cmdlet in cmdlets)
            {
                foreach (var parameter in cmdlet.Parameters.Values.Where(p => p.ParameterType == typeof(SecureString)))
                {
                    yield return new object[] { cmdlet.Name, parameter.Name };
                }
            }
        }

        [Fact]
        public void ThereAreSecureStringParametersToCheck()
        {
            var found = SecureStringParameters().Select(row => row[0] + " -" + row[1]).ToList();
            Assert.Contains("New-BinanceKeyPair -Passphrase", found);
            Assert.Contains("Get-BinanceSecret -VaultPassphrase", found);
            Assert.Contains("Connect-BinanceAccount -Secret", found);
        }

        [Theory]
        [MemberData(nameof(SecureStringParameters))]
        public void AnEmptyValueIsRefusedAtBinding(string cmdlet, string parameter)
        {
            var result = ModuleHost.Run($"{cmdlet} -{parameter} $empty", Empty(), folder);
            var error = result.Error;
            Assert.NotNull(error);
            Assert.StartsWith("ParameterArgumentValidationError,", error!.FullyQualifiedErrorId);
            Assert.Contains("empty", error.Exception.Message);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Fact]
        public void NewKeyPairWithAnEmptyPassphraseWritesNothing()
        {
            var result = ModuleHost.Run("New-BinanceKeyPair -Name bot -Path ./keys -Passphrase $empty", Empty(), folder);
            Assert.Equal("ParameterArgumentValidationError,BinanceKeys.Commands.NewBinanceKeyPairCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Contains("-NoEncryption", result.Error!.Exception.Message);
            Assert.Empty(result.Output);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Fact]
        public void AnEmptyAnswerToThePassphrasePromptWritesNothing()
        {
            // New-BinanceKeyPair without -Passphrase or -NoEncryption prompts for the mandatory passphrase; Enter gives "".
            var host = new TestHost("No", fieldAnswer: new SecureString());
            using var shell = ModuleHost.CreateSession(host);
            var result = ModuleHost.Run(shell, "New-BinanceKeyPair -Name bot -Path ./keys", null, folder);
            Assert.Contains(host.Prompts, p => p.Contains("Passphrase"));
            Assert.NotNull(result.Error);
            Assert.Contains("empty", result.Error!.Exception.Message);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Fact]
        public void NoEncryptionStillWritesAnUnencryptedKeyWithAWarning()
        {
            var result = ModuleHost.Run("New-BinanceKeyPair -Name bot -Path . -NoEncryption", null, folder);
            Assert.Empty(result.Errors);
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(Path.Combine(folder, "bot.pem")));
            Assert.Contains(result.Warnings, w => w.Contains("not encrypted"));
        }
    }
}

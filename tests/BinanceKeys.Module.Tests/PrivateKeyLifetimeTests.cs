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
    /// A decrypted private key never lives as long as a PowerShell variable: the pair objects the cmdlets return hold
    /// no key material (not even internally), and signing loads the key on use, from the file with its passphrase or from
    /// the vault entry, and checks it is still the pair's key (docs/vault.md, "Private keys in memory").
    /// </summary>
    public sealed class PrivateKeyLifetimeTests : IDisposable
    {
        private readonly string folder = Directory.CreateTempSubdirectory("bk-lifetime-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private static Dictionary<string, object?> Vars() => new Dictionary<string, object?>
        {
            ["p"] = ModuleHost.Secure("lifetime pass phrase"),
            ["vp"] = ModuleHost.Secure("lifetime vault pass phrase"),
        };

        [Theory]
        [InlineData("New-BinanceKeyPair -Name bot -Path . -Passphrase $p")]
        [InlineData("New-BinanceKeyPair -Name bot -Path . -Algorithm RSA -NoEncryption")]
        [InlineData("New-BinanceKeyPair -Name bot -Path . -Passphrase $p | Out-Null; Get-BinanceKeyPair ./bot.pem -Passphrase $p")]
        [InlineData("New-BinanceKeyPair -Name bot -Path ./keys -StoreInVault -VaultPath ./v.bkv -VaultPassphrase $vp")]
        public void PairObjectsHoldNoKeyMaterialAnywhereInTheirObjectGraph(string script)
        {
            var result = ModuleHost.Run(script, Vars(), folder);
            Assert.Empty(result.Errors);
            var pair = Assert.Single(result.Output).BaseObject;
            Assert.Equal("KeyPairInfo", pair.GetType().Name);

            // Everything reachable from the object through its fields, public or not, is a plain value.
            var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
            var pending = new Stack<object>();
            pending.Push(pair);
            while (pending.Count > 0)
            {
                object current = pending.Pop();
                if (!seen.Add(current)) continue;
                foreach (var field in current.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
                {
                    object? value = field.GetValue(current);
                    if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) continue;
                    Assert.Fail($"{current.GetType().Name}.{field.Name} holds a {value.GetType().FullName}; a pair object must hold plain values only");
                }
            }
        }

        [Fact]
        public void SigningWithAnEncryptedPairNeedsItsPassphraseAgain()
        {
            var result = ModuleHost.Run(
                "New-BinanceKeyPair -Name bot -Path . -Passphrase $p | Out-Null; $g = Get-BinanceKeyPair ./bot.pem -Passphrase $p; " +
                "New-BinanceSignature -KeyPair $g -Payload 'timestamp=1' -ErrorAction SilentlyContinue",
                Vars(), folder);
            Assert.Empty(result.Output);
            Assert.Equal("KeyPairPassphraseRequired,BinanceKeys.Commands.NewBinanceSignatureCommand", result.Error?.FullyQualifiedErrorId);
        }

        [Fact]
        public void APairWhoseFileWasReplacedDoesNotSignWithTheOtherKey()
        {
            var result = ModuleHost.Run(
                "$old = New-BinanceKeyPair -Name bot -Path . -NoEncryption -WarningAction SilentlyContinue; " +
                "New-BinanceKeyPair -Name bot -Path . -NoEncryption -Force -WarningAction SilentlyContinue | Out-Null; " +
                "New-BinanceSignature -KeyPair $old -Payload 'timestamp=1'",
                Vars(), folder);
            Assert.Empty(result.Output);
            Assert.Equal("KeyPairMismatch,BinanceKeys.Commands.NewBinanceSignatureCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, result.Error!.CategoryInfo.Category);
            Assert.Contains("replaced", result.Error.Exception.Message);
        }

        [Fact]
        public void AVaultKeptPairSignsFromItsEntryAndNeedsTheVaultPassphrase()
        {
            var result = ModuleHost.Run(
                "$pair = New-BinanceKeyPair -Name bot -Path ./keys -StoreInVault -VaultPath ./v.bkv -VaultPassphrase $vp; " +
                "$pair.SecretName; $pair.Vault; $pair.HasPrivateKey; " +
                "New-BinanceSignature -KeyPair $pair -Payload 'timestamp=1' -VaultPassphrase $vp; " +
                "New-BinanceSignature -KeyPair $pair -Payload 'timestamp=1' -ErrorAction SilentlyContinue",
                Vars(), folder);
            Assert.Equal("bot", result.Output[0].ToString());
            Assert.Equal(Path.Combine(folder, "v.bkv"), result.Output[1].ToString());
            Assert.Equal(true, result.Output[2].BaseObject);
            Assert.Equal(88, result.Output[3].ToString()!.Length);
            Assert.Equal(4, result.Output.Count);
            // Without the vault passphrase (and none in the environment), the key cannot be loaded.
            Assert.Equal("VaultPassphraseRequired,BinanceKeys.Commands.NewBinanceSignatureCommand", result.Error?.FullyQualifiedErrorId);
        }
    }
}

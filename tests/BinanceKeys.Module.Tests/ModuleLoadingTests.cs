using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    public sealed class ModuleLoadingTests
    {
        [Fact]
        public void ImportModuleOfTheRootManifestWorksRightAfterBuild()
        {
            using var shell = System.Management.Automation.PowerShell.Create(System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2());
            shell.AddScript($"Import-Module '{ModuleHost.ManifestPath}' -PassThru | ForEach-Object {{ $_.Name, $_.Version.ToString() }}");
            var output = shell.Invoke();
            Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
            Assert.Equal("BinanceKeys", output[0].ToString());
            Assert.Equal(ManifestVersion(), output[1].ToString());
        }

        [Fact]
        public void TestModuleManifestAcceptsTheManifest()
        {
            var result = ModuleHost.Run($"Test-ModuleManifest -Path '{ModuleHost.ManifestPath}'");
            Assert.Null(result.Terminating);
            Assert.Empty(result.Errors);
            var info = Assert.IsType<PSModuleInfo>(Assert.Single(result.Output).BaseObject);
            Assert.Equal(new[] { "Desktop", "Core" }, info.CompatiblePSEditions);
            Assert.Equal(new Version(5, 1), info.PowerShellVersion);
        }

        [Fact]
        public void AssembliesCarryTheManifestVersion()
        {
            var result = ModuleHost.Run("(Get-Command New-BinanceKeyPair).ImplementingType.Assembly.GetName().Version.ToString(3)");
            Assert.Equal(ManifestVersion(), result.Output.Single().ToString());
        }

        [Fact]
        public void DependenciesLoadIntoTheModulesOwnContextDespiteAnOlderCopyInTheSharedOne()
        {
            // ModuleHost loaded BouncyCastle 2.4 into the default context before any import. Every 2.x release has
            // assembly version 2.0.0.0, so without isolation the module would silently bind to that older copy.
            Assert.StartsWith("2.4.", FileVersionInfo.GetVersionInfo(ModuleHost.ConflictingBouncyCastle.Location).ProductVersion);
            Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(ModuleHost.ConflictingBouncyCastle));
            string folder = Directory.CreateTempSubdirectory("bk-alc-").FullName;
            try
            {
                File.WriteAllText(Path.Combine(folder, "state.yaml"), "version: 1\naccounts:\n  - name: desk\n    email: desk@example.com\n    keys: []\n");
                var result = ModuleHost.Run("New-BinanceKeyPair -Name alc -Path . -NoEncryption; Test-BinanceApiKeyPolicy -Path ./state.yaml -Quiet", location: folder);
                Assert.Null(result.Terminating);
                Assert.Empty(result.Errors);
                Assert.Equal(true, result.Output[1].BaseObject);

                var core = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "BinanceKeys.Core");
                var coreContext = AssemblyLoadContext.GetLoadContext(core)!;
                Assert.NotSame(AssemblyLoadContext.Default, coreContext);
                Assert.Equal(Path.Combine(ModuleHost.RepositoryRoot, "bin", "dependencies", "BinanceKeys.Core.dll"), core.Location);

                var moduleBouncyCastle = coreContext.Assemblies.Single(a => a.GetName().Name == "BouncyCastle.Cryptography");
                Assert.StartsWith("2.7.", FileVersionInfo.GetVersionInfo(moduleBouncyCastle.Location).ProductVersion);
                Assert.NotSame(ModuleHost.ConflictingBouncyCastle, moduleBouncyCastle);

                // The same for YamlDotNet, the repeat offender of docs/design.md §2.
                Assert.Equal(13, ModuleHost.ConflictingYamlDotNet.GetName().Version!.Major);
                Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(ModuleHost.ConflictingYamlDotNet));
                var moduleYaml = coreContext.Assemblies.Single(a => a.GetName().Name == "YamlDotNet");
                Assert.Equal(18, moduleYaml.GetName().Version!.Major);
                Assert.Equal(Path.Combine(ModuleHost.RepositoryRoot, "bin", "dependencies", "YamlDotNet.dll"), moduleYaml.Location);
                Assert.Equal(Path.Combine(ModuleHost.RepositoryRoot, "bin", "dependencies", "BouncyCastle.Cryptography.dll"), moduleBouncyCastle.Location);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        [Fact]
        public void ImportWarmsUpTheFirstSignatureOnAPoolThreadUnlessTurnedOff()
        {
            // The warm-up (docs/performance.md, "Import and first command") runs once per process, so each case needs a
            // process of its own. It must finish without failing (a failure would only cost time, and nobody would see it).
            const string Probe =
                "$flags = [Reflection.BindingFlags]'NonPublic, Static'; " +
                "$initializer = (Get-Module BinanceKeys).ImplementingAssembly.GetType('BinanceKeys.Commands.Infrastructure.ModuleAssemblyInitializer', $true); " +
                "$task = $initializer.GetProperty('WarmUpTask', $flags).GetValue($null); " +
                "if ($null -eq $task) { 'no warm-up' } else { $null = $task.Wait([TimeSpan]::FromMinutes(1)); $task.Status.ToString(); " +
                "'failure: ' + $initializer.GetProperty('WarmUpFailure', $flags).GetValue($null); " +
                "$core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'BinanceKeys.Core' }; " +
                "([Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core).Assemblies | Where-Object { $_.GetName().Name -eq 'BouncyCastle.Cryptography' }).Location }";

            var on = Shell.Run(new[] { "-NoProfile", "-Command", Probe }, environment: new Dictionary<string, string?> { ["BINANCEKEYS_NO_WARMUP"] = null });
            Assert.True(on.ExitCode == 0, on.ToString());
            Assert.Equal("RanToCompletion", on.Lines[0]);
            Assert.Equal("failure: ", on.Lines[1]);
            // BouncyCastle was loaded by the warm-up, into the module's own context, from bin/dependencies.
            Assert.Contains(Path.Combine(ModuleHost.RepositoryRoot, "bin", "dependencies"), on.Lines[2]);

            var off = Shell.Run(new[] { "-NoProfile", "-Command", Probe }, environment: new Dictionary<string, string?> { ["BINANCEKEYS_NO_WARMUP"] = "1" });
            Assert.True(off.ExitCode == 0, off.ToString());
            Assert.Equal("no warm-up", off.Lines[0]);
        }

        [Fact]
        public void ScriptsCanNameTheModulesTypes()
        {
            var result = ModuleHost.Run("[BinanceKeys.KeyPairInfo].FullName; [BinanceKeys.KeyAlgorithm]::Ed25519.ToString()");
            Assert.Null(result.Terminating);
            Assert.Equal(new[] { "BinanceKeys.KeyPairInfo", "Ed25519" }, result.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void TheModelAssemblyIsSharedNotDuplicated()
        {
            ModuleHost.Run("[BinanceKeys.KeyPairInfo] | Out-Null");
            var models = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "BinanceKeys.Model").ToList();
            Assert.Single(models);
            Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(models[0]));
        }

        [Fact]
        public void ManifestNeverLoadsDependenciesThroughNestedModulesOrRequiredAssemblies()
        {
            string manifest = File.ReadAllText(ModuleHost.ManifestPath);
            Assert.DoesNotContain("NestedModules", manifest);
            Assert.DoesNotContain("RequiredAssemblies", manifest);
            Assert.DoesNotContain("'*'", manifest);
            Assert.Contains("RootModule           = 'bin/BinanceKeys.dll'", manifest);
            Assert.False(File.Exists(Path.Combine(ModuleHost.RepositoryRoot, "bin", "BouncyCastle.Cryptography.dll")), "third-party assemblies belong in bin/dependencies");
            Assert.False(File.Exists(Path.Combine(ModuleHost.RepositoryRoot, "bin", "BinanceKeys.Core.dll")), "the core belongs in bin/dependencies");
        }

        internal static string ManifestVersion()
        {
            var match = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(ModuleHost.ManifestPath), @"ModuleVersion\s*=\s*'([0-9.]+)'");
            return match.Groups[1].Value;
        }
    }
}

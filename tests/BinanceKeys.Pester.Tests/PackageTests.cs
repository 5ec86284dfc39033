using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using System.Xml.Linq;
using Xunit;

namespace BinanceKeys.Pester.Tests
{
    /// <summary>
    /// The release package (build.ps1 -Package, through tools/BinanceKeys.Package): built, unpacked into an empty folder
    /// as Install-PSResource would, imported by name in a fresh pwsh whose module path holds nothing else, and used.
    /// </summary>
    public sealed class PackageTests : IDisposable
    {
        private readonly string folder = Directory.CreateTempSubdirectory("bk-package-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        [Fact]
        public void ThePackageHasTheGalleryLayoutAndMetadata()
        {
            string package = BuildPackage();
            Assert.Equal("BinanceKeys." + ManifestVersion() + ".nupkg", Path.GetFileName(package));
            using var zip = ZipFile.OpenRead(package);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            foreach (string expected in new[]
            {
                "BinanceKeys.psd1", "LICENSE", "bin/BinanceKeys.dll", "bin/BinanceKeys.Model.dll", "bin/dependencies/BinanceKeys.Core.dll",
                "bin/dependencies/BouncyCastle.Cryptography.dll", "bin/dependencies/YamlDotNet.dll", "en-US/BinanceKeys.dll-Help.xml",
                "en-US/about_BinanceKeys.help.txt", "en-US/about_BinanceKeys_Rules.help.txt", "module/BinanceKeys.Format.ps1xml",
                "module/schema/binancekeys.schema.json", "BinanceKeys.nuspec", "[Content_Types].xml",
            })
            {
                Assert.Contains(expected, names);
            }
            Assert.DoesNotContain(names, n => n.EndsWith(".pdb", StringComparison.Ordinal));
            // Every view in one format file: each further file would be read on its own at every import.
            Assert.Equal(new[] { "module/BinanceKeys.Format.ps1xml" }, names.Where(n => n.EndsWith(".ps1xml", StringComparison.Ordinal)));
            // Isolated dependencies only under bin/dependencies: nothing third-party beside the cmdlets.
            Assert.Equal(new[] { "bin/BinanceKeys.Model.dll", "bin/BinanceKeys.dll" }, names.Where(n => n.StartsWith("bin/", StringComparison.Ordinal) && n.Count(c => c == '/') == 1).OrderBy(n => n, StringComparer.Ordinal));

            XNamespace ns = "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd";
            using var nuspecStream = zip.GetEntry("BinanceKeys.nuspec")!.Open();
            var metadata = XDocument.Load(nuspecStream).Root!.Element(ns + "metadata")!;
            Assert.Equal("BinanceKeys", metadata.Element(ns + "id")!.Value);
            Assert.Equal(ManifestVersion(), metadata.Element(ns + "version")!.Value);
            Assert.StartsWith("0.1.0: first release.", metadata.Element(ns + "releaseNotes")!.Value);
            Assert.Equal("https://opensource.org/licenses/MIT", metadata.Element(ns + "licenseUrl")!.Value);
            Assert.Null(metadata.Element(ns + "projectUrl")); // the project has no public address: none is made up
            var tags = metadata.Element(ns + "tags")!.Value.Split(' ');
            Assert.Contains("PSModule", tags);
            Assert.Contains("PSEdition_Core", tags);
            Assert.Contains("PSEdition_Desktop", tags);
            Assert.Contains("PSCmdlet_New-BinanceKeyPair", tags);
            Assert.Contains("PSCommand_Set-ApiKeyRestriction", tags);
        }

        [Fact]
        public void ThePackageImportsFromAnEmptyFolderAndEveryAreaWorks()
        {
            string package = BuildPackage();
            string modules = Path.Combine(folder, "modules");
            string moduleFolder = Path.Combine(modules, "BinanceKeys", ManifestVersion());
            using (var zip = ZipFile.OpenRead(package))
            {
                // What Install-PSResource keeps: everything but the package's own OPC parts and nuspec.
                foreach (var entry in zip.Entries)
                {
                    if (entry.FullName.StartsWith("_rels/", StringComparison.Ordinal) || entry.FullName.StartsWith("package/", StringComparison.Ordinal)
                        || entry.FullName == "[Content_Types].xml" || entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal)) continue;
                    string target = Path.Combine(moduleFolder, entry.FullName);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    entry.ExtractToFile(target);
                }
            }

            string script = Path.Combine(folder, "use.ps1");
            File.WriteAllText(script, @"
param([string] $Support, [string] $Work, [string] $RiskyFile)
$ErrorActionPreference = 'Stop'
'before: ' + @(Get-Module BinanceKeys).Count
Import-Module BinanceKeys
$module = Get-Module BinanceKeys
'base: ' + $module.ModuleBase
'commands: ' + @(Get-Command -Module BinanceKeys).Count
# Importing loads the cmdlets and the model only: the core and its dependencies wait for a command that needs them.
'loaded at import: ' + ((@([AppDomain]::CurrentDomain.GetAssemblies().GetName().Name) -match '^(BinanceKeys|BinanceKeys\.Model|BinanceKeys\.Core|BouncyCastle\.Cryptography|YamlDotNet)$' | Sort-Object) -join ',')
'help: ' + (Get-Help New-BinanceKeyPair).Synopsis
'about: ' + ((Get-Help about_BinanceKeys | Out-String) -match 'THE DESIRED-STATE FILE')

# key material
$pair = New-BinanceKeyPair -Name pkg -Path (Join-Path $Work keys) -NoEncryption -WarningAction SilentlyContinue
'keypair: ' + $pair.Algorithm
# The core loads with the first command that needs it, from the package's isolated folder.
'core: ' + ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'BinanceKeys.Core' } | ForEach-Object Location)
$vector = ConvertTo-SecureString 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j' -AsPlainText -Force
'signature: ' + (New-BinanceSignature -Secret $vector -Payload 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559')

# connection and keys, against a sandbox
Import-Module $Support
$sandbox = Start-TestSandbox
try {
    $credential = Get-TestSandboxCredential
    'connected: ' + (Connect-BinanceAccount -Endpoint $sandbox.Endpoint -ApiKey $credential.ApiKey -Secret $credential.Secret).ApiKey
    'subaccounts: ' + @(Get-BinanceSubAccount).Count
    $key = New-BinanceApiKey -Email desk-a@example.com -Label pkg -KeyPair $pair -IpAddress 203.0.113.7
    'key: ' + $key.Type + ' ' + (@(Get-BinanceApiKey -Email desk-a@example.com -Label pkg).Count)
    $key | Remove-BinanceApiKey -Force
    'removed: ' + @(Get-BinanceApiKey -Email desk-a@example.com -Label pkg).Count
}
finally { $sandbox | Stop-TestSandbox }

# policy
'policy: ' + (((Test-BinanceApiKeyPolicy -Path $RiskyFile | Where-Object Severity -EQ 'Error').RuleId | Sort-Object) -join ',')

# secrets
$vaultPassphrase = ConvertTo-SecureString 'package test vault' -AsPlainText -Force
Set-BinanceSecret -Name pkg -ApiKey k1 -Secret (ConvertTo-SecureString 'not-a-real-secret-0123456789' -AsPlainText -Force) -VaultPath (Join-Path $Work v.bkv) -VaultPassphrase $vaultPassphrase
'secret: ' + (Get-BinanceSecret -Name pkg -AsPlainText -VaultPath (Join-Path $Work v.bkv) -VaultPassphrase $vaultPassphrase)
");
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = folder,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[]
            {
                ShellPath(), "-NoProfile", "-NonInteractive", "-File", script,
                Path.Combine(PesterHost.RepositoryRoot, "tests", "pester", "BinanceKeys.TestSupport.psm1"), folder,
                Path.Combine(PesterHost.RepositoryRoot, "examples", "failing", "risky-desk.yaml"),
            })
            {
                start.ArgumentList.Add(argument);
            }
            // A pwsh with nothing on its module path but the unpacked package (and its own $PSHOME/Modules).
            start.Environment["BINANCEKEYS_SHELL_NO_IMPORT"] = "1";
            // "loaded at import" is about the import itself: the start-up warm-up loads the core and BouncyCastle on a
            // pool thread at a moment of its own (ModuleLoadingTests covers it), so it is off here.
            start.Environment["BINANCEKEYS_NO_WARMUP"] = "1";
            start.Environment["PSModulePath"] = modules;
            start.Environment["NO_COLOR"] = "1";
            var (exitCode, output, error) = Run(start);
            Assert.True(exitCode == 0, $"exit code {exitCode}\n{output}\n{error}");
            var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            string Line(string prefix) => lines.SingleOrDefault(l => l.StartsWith(prefix + ": ", StringComparison.Ordinal))?.Substring(prefix.Length + 2)
                ?? throw new Xunit.Sdk.XunitException($"no '{prefix}:' line in\n{output}\n{error}");

            Assert.Equal("0", Line("before"));
            Assert.Equal(moduleFolder, Line("base"));
            Assert.Equal(ExportedCommandCount().ToString(), Line("commands"));
            Assert.Equal("BinanceKeys,BinanceKeys.Model", Line("loaded at import"));
            // From the package's isolated folder (bin/dependencies, or its ready/RID images in a Release package).
            Assert.StartsWith(Path.Combine(moduleFolder, "bin", "dependencies") + Path.DirectorySeparatorChar, Line("core"));
            Assert.EndsWith(Path.DirectorySeparatorChar + "BinanceKeys.Core.dll", Line("core"));
            Assert.StartsWith("Generates", Line("help"));
            Assert.Equal("True", Line("about"));
            Assert.Equal("Ed25519", Line("keypair"));
            Assert.Equal("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", Line("signature"));
            Assert.StartsWith("SandboxDemoAdminApiKey", Line("connected"));
            Assert.Equal("3", Line("subaccounts"));
            Assert.Equal("Ed25519 1", Line("key"));
            Assert.Equal("0", Line("removed"));
            Assert.Equal("BN002,BN004,ORG001,ORG002", Line("policy"));
            Assert.Equal("not-a-real-secret-0123456789", Line("secret"));
        }

        private string BuildPackage()
        {
            string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            string tool = Path.Combine(PesterHost.RepositoryRoot, "tools", "BinanceKeys.Package", "bin", configuration, "net10.0", "BinanceKeys.Package.dll");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (string argument in new[] { tool, "--repository", PesterHost.RepositoryRoot, "--output", Path.Combine(folder, "out") }) start.ArgumentList.Add(argument);
            var (exitCode, output, error) = Run(start);
            Assert.True(exitCode == 0, output + error);
            string package = output.Trim();
            Assert.True(File.Exists(package), package);
            return package;
        }

        private static string ShellPath()
        {
            string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            return Path.Combine(PesterHost.RepositoryRoot, "tools", "BinanceKeys.Shell", "bin", configuration, "net10.0", "BinanceKeys.Shell.dll");
        }

        // The manifest's export lists, read as text: every cmdlet and alias must reach the session.
        private static int ExportedCommandCount()
        {
            string text = File.ReadAllText(Path.Combine(PesterHost.RepositoryRoot, "BinanceKeys.psd1"));
            int Count(string list) => System.Text.RegularExpressions.Regex.Matches(
                System.Text.RegularExpressions.Regex.Match(text, list + @"\s*=\s*@\(([^)]*)\)").Groups[1].Value, "'[A-Za-z-]+'").Count;
            return Count("CmdletsToExport") + Count("AliasesToExport");
        }

        private static string ManifestVersion() =>
            System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(PesterHost.RepositoryRoot, "BinanceKeys.psd1")), @"ModuleVersion\s*=\s*'([0-9.]+)'").Groups[1].Value;

        private static (int ExitCode, string Output, string Error) Run(ProcessStartInfo start)
        {
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            // Generous: the build machines are shared, and a loaded machine makes each pwsh start take seconds.
            if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("did not finish in 8 minutes: " + output.Result + error.Result);
            }
            return (process.ExitCode, output.Result, error.Result);
        }
    }
}

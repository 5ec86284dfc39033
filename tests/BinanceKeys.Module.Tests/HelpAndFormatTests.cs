using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BinanceKeys.Tests.Interop;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>Get-Help and the default views, through the real module (powershell-conventions.md §6.3).</summary>
    public sealed class HelpAndFormatTests
    {
        public static IEnumerable<object[]> ExportedCmdlets() => CmdletDesignTests.ExportedCmdlets();

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void EveryCmdletHasASynopsisParameterDescriptionsAndAnExample(string name)
        {
            var result = ModuleHost.Run($"$h = Get-Help {name} -Full; $h.Synopsis; '---'; $h.parameters.parameter | ForEach-Object {{ $_.name + '=' + ($_.description | ForEach-Object {{ $_.Text }}) }}; '---'; @($h.examples.example).Count");
            var sections = string.Join("\n", result.Output.Select(o => o?.ToString())).Split("---");
            string synopsis = sections[0].Trim();
            Assert.False(string.IsNullOrWhiteSpace(synopsis));
            Assert.DoesNotContain(name + " ", synopsis); // the auto-generated syntax line means no help was found

            var documented = sections[1].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split('=', 2)).ToDictionary(parts => parts[0], parts => parts[1]);
            var command = (CmdletInfo)ModuleHost.Run($"Get-Command {name}").Output.Single().BaseObject;
            foreach (string parameter in command.Parameters.Keys.Except(CommonParameters))
            {
                Assert.True(documented.TryGetValue(parameter, out string? description), $"{name} -{parameter} is not in the help");
                Assert.False(string.IsNullOrWhiteSpace(description), $"{name} -{parameter} has no description");
            }
            foreach (string parameter in documented.Keys) Assert.Contains(parameter, command.Parameters.Keys);
            Assert.True(int.Parse(sections[2].Trim()) >= 1, $"{name} has no example");
        }

        [Fact]
        public void CommittedHelpXmlIsWhatTheGeneratorProduces()
        {
            string generated = ExternalTool.PythonScript(File.ReadAllText(Path.Combine(ModuleHost.RepositoryRoot, "tools", "generate_help.py")),
                Path.Combine(ModuleHost.RepositoryRoot, "module", "help", "cmdlets.json"));
            Assert.Equal(File.ReadAllText(Path.Combine(ModuleHost.RepositoryRoot, "module", "en-US", "BinanceKeys.dll-Help.xml")), generated);
        }

        [Fact]
        public void KeyPairTableViewShowsTheUsefulColumnsAndNoPem()
        {
            string folder = Directory.CreateTempSubdirectory("bk-format-").FullName;
            try
            {
                var host = new CapturingHost();
                using var shell = ModuleHost.CreateSession(host);
                ModuleHost.Run(shell, "New-BinanceKeyPair -Name bot -Path . -NoEncryption | Out-Default", location: folder);
                Assert.Contains("Name", host.Text);
                Assert.Contains("Algorithm", host.Text);
                Assert.Contains("Fingerprint (SHA-256)", host.Text);
                Assert.Contains("Ed25519", host.Text);
                Assert.DoesNotContain("BEGIN", host.Text);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        private static readonly string[] CommonParameters =
        {
            "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
            "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
        };
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BinanceKeys.Tests.Interop;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>Get-Help and the default views, through the real module (docs/design.md §5).</summary>
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

        [Theory]
        [InlineData("BinanceKeys.dll-Help.xml")]
        [InlineData("about_BinanceKeys.help.txt")]
        [InlineData("about_BinanceKeys_Rules.help.txt")]
        public void CommittedHelpIsWhatTheGeneratorProduces(string file)
        {
            string target = Directory.CreateTempSubdirectory("bk-help-").FullName;
            try
            {
                ExternalTool.PythonScript(File.ReadAllText(Path.Combine(ModuleHost.RepositoryRoot, "tools", "generate_help.py")),
                    Path.Combine(ModuleHost.RepositoryRoot, "module", "help"), target);
                Assert.Equal(File.ReadAllText(Path.Combine(target, file)), File.ReadAllText(Path.Combine(ModuleHost.RepositoryRoot, "module", "en-US", file)));
                // What the build lays out beside the manifest, where Get-Help finds it.
                Assert.Equal(File.ReadAllText(Path.Combine(target, file)), File.ReadAllText(Path.Combine(ModuleHost.RepositoryRoot, "en-US", file)));
            }
            finally
            {
                Directory.Delete(target, recursive: true);
            }
        }

        [Fact]
        public void AboutBinanceKeysExplainsTheModelAndListsEveryCommand()
        {
            var result = ModuleHost.Run("Get-Help about_BinanceKeys | Out-String -Width 200; '=====8<====='; Get-Command -Module BinanceKeys -CommandType Cmdlet | ForEach-Object Name");
            Assert.Empty(result.Errors);
            string all = string.Join("\n", result.Output.Select(o => o?.ToString()));
            string[] parts = all.Split("=====8<=====");
            string topic = parts[0];
            foreach (string section in new[] { "SHORT DESCRIPTION", "ACCOUNTS", "KEYS", "RULES", "THE DESIRED-STATE FILE", "THE VAULT", "IN A PIPELINE", "THE SANDBOX", "COMMANDS" })
            {
                Assert.True(System.Text.RegularExpressions.Regex.IsMatch(topic, "(?m)^ *" + System.Text.RegularExpressions.Regex.Escape(section) + " *\r?$"), section + " is not a section of:\n" + topic);
            }
            var cmdlets = parts[1].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.NotEmpty(cmdlets);
            foreach (string cmdlet in cmdlets) Assert.Contains("    " + cmdlet, topic);
        }

        /// <summary>
        /// about_BinanceKeys_Rules against the rule registry itself (read by reflection from the built
        /// BinanceKeys.Core, in a throw-away load context): the same ids, severities and titles, each with a reason and a fix.
        /// </summary>
        [Fact]
        public void AboutRulesListsEveryRuleOfTheRegistryWithItsReasonAndFix()
        {
            var registry = RuleRegistry.Read();
            Assert.True(registry.Count >= 30, "the registry has " + registry.Count + " rules");
            var result = ModuleHost.Run("Get-Help about_BinanceKeys_Rules | Out-String -Width 400");
            Assert.Empty(result.Errors);
            string topic = string.Join("\n", result.Output.Select(o => o?.ToString())).Replace("\r", string.Empty);
            var documented = System.Text.RegularExpressions.Regex.Matches(topic, @"^  ((?:BN|ORG)\d{3}) \((\w+)\): (.+)$", System.Text.RegularExpressions.RegexOptions.Multiline)
                .Select(m => (Id: m.Groups[1].Value, Severity: m.Groups[2].Value, Title: m.Groups[3].Value.Trim())).ToList();
            Assert.Equal(registry.Select(r => r.Id), documented.Select(d => d.Id));
            foreach (var rule in registry)
            {
                var entry = documented.Single(d => d.Id == rule.Id);
                Assert.Equal(rule.Severity, entry.Severity);
                Assert.Equal(rule.Title, entry.Title);
                string block = topic.Substring(topic.IndexOf("  " + rule.Id + " (", StringComparison.Ordinal));
                block = block.Substring(0, block.IndexOf("\n\n", StringComparison.Ordinal));
                Assert.Matches(@"\n    Reason: \S", block);
                Assert.Matches(@"\n    Fix: \S", block);
            }
        }

        [Fact]
        public void KeyPairTableViewShowsTheUsefulColumnsAndNoPem()
        {
            string folder = Directory.CreateTempSubdirectory("bk-format-").FullName;
            try
            {
                var host = new TestHost();
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

    /// <summary>The policy rules of the built module, read by reflection without importing it.</summary>
    internal static class RuleRegistry
    {
        public static IReadOnlyList<(string Id, string Severity, string Title)> Read()
        {
            string dependencies = Path.Combine(ModuleHost.RepositoryRoot, "bin", "dependencies");
            var context = new System.Runtime.Loader.AssemblyLoadContext("rule-registry", isCollectible: true);
            context.Resolving += (c, name) =>
            {
                foreach (string folder in new[] { dependencies, Path.Combine(ModuleHost.RepositoryRoot, "bin") })
                {
                    string candidate = Path.Combine(folder, name.Name + ".dll");
                    if (File.Exists(candidate)) return c.LoadFromAssemblyPath(candidate);
                }
                return null;
            };
            try
            {
                var core = context.LoadFromAssemblyPath(Path.Combine(dependencies, "BinanceKeys.Core.dll"));
                var all = (System.Collections.IEnumerable)core.GetType("BinanceKeys.Policy.PolicyRuleRegistry", throwOnError: true)!
                    .GetField("All")!.GetValue(null)!;
                var rules = new List<(string, string, string)>();
                foreach (object rule in all)
                {
                    string Read(string property) => rule.GetType().GetProperty(property)!.GetValue(rule)!.ToString()!;
                    rules.Add((Read("Id"), Read("Severity"), Read("Title")));
                }
                return rules;
            }
            finally
            {
                context.Unload();
            }
        }
    }
}

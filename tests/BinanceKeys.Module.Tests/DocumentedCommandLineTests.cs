using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// Every command line the documentation shows for this module's cmdlets names parameters the cmdlet has: the
    /// PowerShell blocks of README.md and docs/*.md, every example script, and the help's examples, parsed with
    /// PowerShell's own parser. A renamed or removed parameter fails here instead of in a reader's shell.
    /// </summary>
    public sealed class DocumentedCommandLineTests
    {
        [Fact]
        public void EveryDocumentedParameterExists()
        {
            var parameters = ModuleParameters();
            var wrong = new List<string>();
            int checkedLines = 0;
            foreach (var (source, script) in DocumentedScripts())
            {
                Ast ast = Parser.ParseInput(script, out _, out _);
                foreach (CommandAst command in ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>())
                {
                    string? name = command.GetCommandName();
                    if (name is null || !parameters.TryGetValue(name, out var names)) continue;
                    checkedLines++;
                    foreach (var parameter in command.CommandElements.OfType<CommandParameterAst>())
                    {
                        // PowerShell binds a unique prefix of a parameter name or alias, as users type them.
                        int matches = names.Count(n => n.StartsWith(parameter.ParameterName, StringComparison.OrdinalIgnoreCase));
                        bool exact = names.Contains(parameter.ParameterName, StringComparer.OrdinalIgnoreCase);
                        if (!exact && matches != 1)
                            wrong.Add($"{source}: {name} -{parameter.ParameterName} ({(matches == 0 ? "no such parameter" : "ambiguous")})");
                    }
                }
            }
            Assert.True(checkedLines > 50, $"only {checkedLines} documented command lines were found: the scanner is broken");
            Assert.True(wrong.Count == 0, "Documented parameters the cmdlets do not have:\n" + string.Join("\n", wrong.Distinct()));
        }

        // Parameter names and aliases of every command of the module, common parameters included.
        private static Dictionary<string, HashSet<string>> ModuleParameters()
        {
            var result = ModuleHost.Run("Get-Command -Module BinanceKeys | ForEach-Object { $c = $_; $c.Name + ':' + (@($c.Parameters.Values | ForEach-Object { $_.Name; $_.Aliases }) -join ',') }");
            Assert.Null(result.Terminating);
            return result.Output.Select(o => o.ToString().Split(':', 2)).ToDictionary(
                p => p[0], p => p[1].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        }

        private static IEnumerable<(string Source, string Script)> DocumentedScripts()
        {
            string root = ModuleHost.RepositoryRoot;
            var fence = new Regex(@"^```(?:powershell|pwsh|ps1)\s*\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline);
            foreach (string file in new[] { Path.Combine(root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md")))
            {
                foreach (Match block in fence.Matches(File.ReadAllText(file).Replace("\r\n", "\n")))
                    yield return (Path.GetRelativePath(root, file), block.Groups["code"].Value);
            }
            foreach (string file in Directory.GetFiles(Path.Combine(root, "examples"), "*.ps1", SearchOption.AllDirectories))
                yield return (Path.GetRelativePath(root, file), File.ReadAllText(file));
            var help = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(root, "module", "help", "cmdlets.json")))!.AsArray();
            foreach (var cmdlet in help)
            {
                foreach (var example in cmdlet!["examples"]!.AsArray())
                    yield return ("help of " + (string)cmdlet["name"]!, (string)example![1]!);
            }
        }
    }
}

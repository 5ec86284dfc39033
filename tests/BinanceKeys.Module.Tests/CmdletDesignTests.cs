using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// What PSScriptAnalyzer and the cmdlet design guidelines would check, done by reflection over the cmdlets the
    /// module really exports (docs/design.md §4, §5).
    /// </summary>
    public sealed class CmdletDesignTests
    {
        private static readonly string[] StateChangingVerbs =
            { "New", "Set", "Remove", "Update", "Reset", "Start", "Stop", "Restart", "Add", "Sync", "Grant", "Revoke", "Enable", "Disable", "Invoke", "Connect", "Disconnect", "Export" };

        // Verbs that change nothing and so need no ShouldProcess; anything else exported must support it.
        private static readonly string[] ReadOnlyVerbs = { "Get", "Test", "Find", "Search", "Compare", "Measure", "Resolve", "Show", "Format", "Read", "Select", "Watch", "Trace", "Ping", "Confirm", "Debug", "Wait", "Use", "ConvertFrom", "ConvertTo", "Convert" };

        // Cmdlets whose verb suggests a change but that change nothing outside the session, so that ShouldProcess would
        // only offer a -WhatIf that means nothing. "Operations that read data or establish transient connections do not
        // change the system and generally do not require confirmation"
        // (https://learn.microsoft.com/powershell/scripting/developer/cmdlet/creating-a-cmdlet-that-modifies-the-system).
        private static readonly Dictionary<string, string> NoShouldProcess = new Dictionary<string, string>
        {
            ["New-BinanceSignature"] = "computes a signature in memory: no file, vault, Binance or session state changes",
        };

        private static readonly string[] ReservedParameters =
            { "Confirm", "Debug", "ErrorAction", "ErrorVariable", "OutBuffer", "OutVariable", "WarningAction", "WarningVariable", "WhatIf", "UseTransaction", "Verbose", "InformationAction", "InformationVariable", "PipelineVariable", "ProgressAction" };

        public static IEnumerable<object[]> ExportedCmdlets() =>
            Exported().Select(c => new object[] { c.Name });

        private static List<CmdletInfo> Exported()
        {
            var result = ModuleHost.Run("Get-Command -Module BinanceKeys -CommandType Cmdlet");
            return result.Output.Select(o => (CmdletInfo)o.BaseObject).ToList();
        }

        private static Type Implementing(string name) => Exported().Single(c => c.Name == name).ImplementingType;

        private static HashSet<string> ApprovedVerbs() =>
            new[] { typeof(VerbsCommon), typeof(VerbsCommunications), typeof(VerbsData), typeof(VerbsDiagnostic), typeof(VerbsLifecycle), typeof(VerbsOther), typeof(VerbsSecurity) }
                .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
                .Select(f => (string)f.GetValue(null)!)
                .Where(v => v != "Build" && v != "Deploy") // not in Windows PowerShell 5.1
                .ToHashSet(StringComparer.Ordinal);

        [Fact]
        public void TheModuleExportsCmdlets()
        {
            Assert.Contains(Exported(), c => c.Name == "New-BinanceKeyPair");
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void VerbIsApprovedAndNounIsSingularAndPrefixed(string name)
        {
            var attribute = Implementing(name).GetCustomAttribute<CmdletAttribute>()!;
            Assert.Contains(attribute.VerbName, ApprovedVerbs());
            Assert.StartsWith("Binance", attribute.NounName);
            Assert.Matches("^[A-Z][A-Za-z0-9]+$", attribute.NounName);
            Assert.False(attribute.NounName.EndsWith("s", StringComparison.Ordinal) && !attribute.NounName.EndsWith("ss", StringComparison.Ordinal), "nouns are singular");
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void StateChangingCmdletsSupportShouldProcess(string name)
        {
            var attribute = Implementing(name).GetCustomAttribute<CmdletAttribute>()!;
            if (ReadOnlyVerbs.Contains(attribute.VerbName)) return;
            Assert.Contains(attribute.VerbName, StateChangingVerbs);
            if (NoShouldProcess.ContainsKey(name))
            {
                // The exception list stays honest: an exception that supports ShouldProcess after all is a stale entry.
                Assert.False(attribute.SupportsShouldProcess, $"{name} is listed as changing nothing but supports ShouldProcess");
                return;
            }
            Assert.True(attribute.SupportsShouldProcess, $"{name} changes state and must support -WhatIf/-Confirm");
            if (attribute.VerbName == "Remove") Assert.Equal(ConfirmImpact.High, attribute.ConfirmImpact);
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void DeclaresOutputType(string name)
        {
            Assert.NotEmpty(Implementing(name).GetCustomAttributes<OutputTypeAttribute>());
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void ClassIsSealedAndNamedAfterTheCmdlet(string name)
        {
            var type = Implementing(name);
            Assert.True(type.IsSealed);
            Assert.Equal(name.Replace("-", string.Empty) + "Command", type.Name);
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void ParametersFollowTheGuidelines(string name)
        {
            foreach (var property in Implementing(name).GetProperties().Where(p => p.GetCustomAttributes<ParameterAttribute>().Any()))
            {
                Assert.DoesNotContain(property.Name, ReservedParameters);
                Assert.NotEqual(typeof(bool), property.PropertyType); // SwitchParameter or bool? instead
                Assert.Matches("^[A-Z][A-Za-z0-9]*$", property.Name);
                if (Regex.IsMatch(property.Name, "Passphrase|Password|Secret$", RegexOptions.IgnoreCase) && property.Name != "SecretName" && property.Name != "SecretPath")
                {
                    Assert.Equal(typeof(System.Security.SecureString), property.PropertyType);
                }
            }
        }

        [Fact]
        public void TheNoShouldProcessExceptionsAreExportedCmdlets()
        {
            var exported = Exported().Select(c => c.Name).ToList();
            foreach (string name in NoShouldProcess.Keys) Assert.Contains(name, exported);
        }

        [Fact]
        public void ManifestExportListsEqualTheCmdletsAndAliasesThatExist()
        {
            var result = ModuleHost.Run($"$m = Test-ModuleManifest -Path '{ModuleHost.ManifestPath}'; $m.ExportedCmdlets.Keys; '---'; $m.ExportedAliases.Keys; '---'; $m.ExportedFunctions.Keys; '---'; $m.ExportedVariables.Keys");
            var sections = string.Join("\n", result.Output.Select(o => o.ToString())).Split("---");
            var manifestCmdlets = Lines(sections[0]);
            var manifestAliases = Lines(sections[1]);
            Assert.Empty(Lines(sections[2]));
            Assert.Empty(Lines(sections[3]));

            var assembly = Implementing("New-BinanceKeyPair").Assembly;
            var declared = assembly.GetTypes().Where(t => t.GetCustomAttribute<CmdletAttribute>() != null)
                .Select(t => t.GetCustomAttribute<CmdletAttribute>()!).Select(a => a.VerbName + "-" + a.NounName).OrderBy(n => n).ToList();
            Assert.Equal(declared, manifestCmdlets.OrderBy(n => n).ToList());

            var declaredAliases = assembly.GetTypes().Where(t => t.GetCustomAttribute<CmdletAttribute>() != null)
                .SelectMany(t => t.GetCustomAttributes<AliasAttribute>()).SelectMany(a => a.AliasNames).OrderBy(n => n).ToList();
            Assert.Equal(declaredAliases, manifestAliases.OrderBy(n => n).ToList());
        }

        [Fact]
        public void TheCmdletAssemblyReferencesNoThirdPartyAssembly()
        {
            // Everything third-party lives behind BinanceKeys.Core in the isolated load context; a direct reference
            // from the cmdlet assembly would bind it in PowerShell's shared context instead.
            var references = Implementing("New-BinanceKeyPair").Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
            var allowed = new[] { "netstandard", "System.Management.Automation", "BinanceKeys.Core", "BinanceKeys.Model", "System.Runtime.Loader", "mscorlib" };
            Assert.DoesNotContain(references, r => !allowed.Contains(r) && !r.StartsWith("System.", StringComparison.Ordinal) && !r.StartsWith("Microsoft.Win32", StringComparison.Ordinal));
        }

        private static List<string> Lines(string text) =>
            text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }
}

using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Text;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// Hosts a full PowerShell 7.6 in-process (Microsoft.PowerShell.SDK: the same engine and built-in modules as
    /// pwsh) with the real BinanceKeys.psd1 from the repository root imported, the way a user's session gets it
    /// after `dotnet build`.
    /// </summary>
    internal static class ModuleHost
    {
        static ModuleHost()
        {
            // Another module's older BouncyCastle, loaded into PowerShell's shared context before BinanceKeys is
            // imported: the module must keep using its own copy (docs/design.md §2).
            ConflictingBouncyCastle = typeof(Org.BouncyCastle.Crypto.Digests.Sha256Digest).Assembly;
            _ = new Org.BouncyCastle.Crypto.Digests.Sha256Digest();
            ConflictingYamlDotNet = typeof(YamlDotNet.RepresentationModel.YamlStream).Assembly;
            _ = new YamlDotNet.RepresentationModel.YamlStream();

            // No PowerShell here or in the shells the tests start reaches for the internet (telemetry, update check):
            // the build machines have none, and the tests must not depend on how fast that fails.
            foreach (var (name, value) in new[] { ("POWERSHELL_TELEMETRY_OPTOUT", "1"), ("POWERSHELL_UPDATECHECK", "Off") })
            {
                if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) Environment.SetEnvironmentVariable(name, value);
            }

            // Commands that use the default vault (and the module's state beside it) use one under the temporary folder,
            // never the account's own; tests that need another set their own and put this one back.
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("BINANCEKEYS_VAULT")))
            {
                Environment.SetEnvironmentVariable("BINANCEKEYS_VAULT", Path.Combine(Directory.CreateTempSubdirectory("bk-default-vault-").FullName, "vault.bkv"));
            }
        }

        public static System.Reflection.Assembly ConflictingBouncyCastle { get; }

        public static System.Reflection.Assembly ConflictingYamlDotNet { get; }

        public static string RepositoryRoot { get; } = FindRepositoryRoot();

        public static string ManifestPath => Path.Combine(RepositoryRoot, "BinanceKeys.psd1");

        /// <summary>$PSHOME of the hosted PowerShell: the folder of the SDK's System.Management.Automation.dll.</summary>
        public static string PowerShellHome => Path.GetDirectoryName(typeof(PSObject).Assembly.Location)!;

        /// <summary>
        /// A new session with BinanceKeys imported; dispose it. pwsh's own modules (Join-Path, ConvertTo-SecureString,
        /// Select-Object, Start-Transcript...) load from the SDK's $PSHOME/Modules on first use, as in pwsh, so that
        /// the hundreds of sessions these tests open do not each import all three.
        /// </summary>
        public static PowerShell CreateSession(PSHost? host = null)
        {
            if (!File.Exists(Path.Combine(PowerShellHome, "Modules", "Microsoft.PowerShell.Utility", "Microsoft.PowerShell.Utility.psd1")))
            {
                throw new InvalidOperationException("The SDK's modules are missing from " + PowerShellHome + ": restore Microsoft.PowerShell.SDK.");
            }
            var state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(new[] { ManifestPath });
            state.ThrowOnRunspaceOpenError = true;
            var runspace = host is null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
            runspace.Open();
            var shell = PowerShell.Create();
            shell.Runspace = runspace;
            return shell;
        }

        /// <summary>Runs a script in a fresh session, with variables set and the location at <paramref name="location"/>.</summary>
        public static ScriptResult Run(string script, IDictionary<string, object?>? variables = null, string? location = null)
        {
            using var shell = CreateSession();
            return Run(shell, script, variables, location);
        }

        public static ScriptResult Run(PowerShell shell, string script, IDictionary<string, object?>? variables = null, string? location = null)
        {
            shell.Commands.Clear();
            shell.Streams.ClearStreams();
            if (location != null) shell.Runspace.SessionStateProxy.Path.SetLocation(location);
            if (variables != null)
            {
                foreach (var variable in variables) shell.Runspace.SessionStateProxy.SetVariable(variable.Key, variable.Value);
            }
            shell.AddScript(script);
            Collection<PSObject> output = new Collection<PSObject>();
            Exception? terminating = null;
            try
            {
                output = shell.Invoke();
            }
            catch (RuntimeException e)
            {
                terminating = e;
            }
            return new ScriptResult(output, shell.Streams, terminating);
        }

        public static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        private static string FindRepositoryRoot()
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder != null && !File.Exists(Path.Combine(folder.FullName, "BinanceKeys.psd1")))
            {
                folder = folder.Parent;
            }
            return folder?.FullName ?? throw new InvalidOperationException("BinanceKeys.psd1 not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Everything a script produced: output, every stream, and the terminating error if there was one.</summary>
    internal sealed class ScriptResult
    {
        public ScriptResult(Collection<PSObject> output, PSDataStreams streams, Exception? terminating)
        {
            Output = output;
            Errors = streams.Error.ToList();
            Warnings = streams.Warning.Select(w => w.Message).ToList();
            Verbose = streams.Verbose.Select(v => v.Message).ToList();
            Debug = streams.Debug.Select(d => d.Message).ToList();
            Information = streams.Information.Select(i => i.MessageData?.ToString() ?? string.Empty).ToList();
            Progress = streams.Progress.ToList();
            Terminating = terminating;
        }

        public Collection<PSObject> Output { get; }
        public List<ErrorRecord> Errors { get; }
        public List<string> Warnings { get; }
        public List<string> Verbose { get; }
        public List<string> Debug { get; }
        public List<string> Information { get; }
        public List<ProgressRecord> Progress { get; }
        public Exception? Terminating { get; }

        /// <summary>The error record of the terminating error, or of the first non-terminating one.</summary>
        public ErrorRecord? Error => (Terminating as IContainsErrorRecord)?.ErrorRecord ?? Errors.FirstOrDefault();

        public T Single<T>() => Xunit.Assert.IsType<T>(Xunit.Assert.Single(Output).BaseObject);

        /// <summary>Everything a user or a log could see, as text: for no-leak assertions.</summary>
        public string AllText()
        {
            var text = new StringBuilder();
            foreach (var item in Output)
            {
                text.AppendLine(item?.ToString());
                if (item?.BaseObject is object o && !(o is string))
                {
                    foreach (var property in item.Properties)
                    {
                        object? value;
                        try { value = property.Value; } catch (Exception e) { value = e.Message; }
                        text.Append(property.Name).Append('=').AppendLine(value?.ToString());
                    }
                }
            }
            foreach (var error in Errors.Concat(Error is null ? Array.Empty<ErrorRecord>() : new[] { Error }))
            {
                text.AppendLine(error.ToString()).AppendLine(error.Exception?.ToString()).AppendLine(error.ErrorDetails?.Message)
                    .AppendLine(error.CategoryInfo.ToString()).AppendLine(error.TargetObject?.ToString());
            }
            if (Terminating != null) text.AppendLine(Terminating.ToString());
            foreach (var line in Warnings.Concat(Verbose).Concat(Debug).Concat(Information)) text.AppendLine(line);
            return text.ToString();
        }
    }
}

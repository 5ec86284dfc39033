using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Security;
using BinanceKeys.Crypto;
using BinanceKeys.Secrets;

namespace BinanceKeys.Commands.Infrastructure
{
    /// <summary>
    /// A Microsoft.PowerShell.SecretManagement vault as a secret store: Set-Secret, Get-Secret, Get-SecretInfo and
    /// Remove-Secret, looked up by name at run time (no dependency on the module; a clear error when it is not
    /// installed). Secrets travel as SecureString; the key's metadata goes in the secret's -Metadata.
    /// </summary>
    internal sealed class SecretManagementStore : ISecretStore
    {
        private readonly BinanceCmdlet cmdlet;
        private readonly string vault;

        private SecretManagementStore(BinanceCmdlet cmdlet, string vault)
        {
            this.cmdlet = cmdlet;
            this.vault = vault;
        }

        public string Description => $"SecretManagement vault '{vault}'";

        /// <summary>Checks that SecretManagement is there, then wraps the named vault.</summary>
        public static SecretManagementStore Open(BinanceCmdlet cmdlet, string vault)
        {
            foreach (string command in new[] { "Set-Secret", "Get-Secret", "Get-SecretInfo", "Remove-Secret" })
            {
                if (cmdlet.InvokeCommand.GetCommand(command, CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias) is null)
                {
                    throw new SecretManagementNotInstalledException(
                        $"-Vault '{vault}' needs Microsoft.PowerShell.SecretManagement, whose {command} command was not found. " +
                        "Install it (Install-PSResource Microsoft.PowerShell.SecretManagement) and register a vault, or use the local vault (-VaultPath).");
                }
            }
            return new SecretManagementStore(cmdlet, vault);
        }

        public IReadOnlyList<VaultEntryInfo> List() =>
            Invoke("Get-SecretInfo -Vault $args[0] -ErrorAction Stop", vault).Select(ToInfo).Where(i => i != null).Select(i => i!).ToList();

        public bool Contains(string name) =>
            Invoke("Get-SecretInfo -Name $args[0] -Vault $args[1] -ErrorAction Stop", WildcardPattern.Escape(name), vault).Any();

        public VaultEntry Get(string name)
        {
            var info = Invoke("Get-SecretInfo -Name $args[0] -Vault $args[1] -ErrorAction Stop", WildcardPattern.Escape(name), vault).Select(ToInfo).FirstOrDefault(i => i != null)
                ?? throw new VaultException(VaultErrorReason.EntryNotFound, $"{Description} has no secret named '{name}'.", null, name);
            object? value = Invoke("Get-Secret -Name $args[0] -Vault $args[1] -ErrorAction Stop", name, vault).FirstOrDefault()?.BaseObject;
            char[] secret = value switch
            {
                SecureString secure => SecureStrings.ToChars(secure),
                string text => text.ToCharArray(),
                _ => throw new VaultException(VaultErrorReason.NotAVault, $"The secret '{name}' in {Description} is not a string secret.", null, name),
            };
            try
            {
                if (secret.Length == 0) throw new VaultException(VaultErrorReason.NotAVault, $"The secret '{name}' in {Description} is empty.", null, name);
                return new VaultEntry(info, secret);
            }
            finally
            {
                SecureStrings.Clear(secret);
            }
        }

        public void Set(VaultEntry entry, bool overwrite)
        {
            if (!overwrite && Contains(entry.Name))
            {
                throw new VaultException(VaultErrorReason.EntryExists, $"{Description} already has a secret named '{entry.Name}'.", null, entry.Name);
            }
            var secure = new SecureString();
            char[] chars = entry.GetSecretChars();
            try
            {
                foreach (char c in chars) secure.AppendChar(c);
                secure.MakeReadOnly();
            }
            finally
            {
                SecureStrings.Clear(chars);
            }
            var metadata = new Hashtable
            {
                ["BinanceKeysType"] = entry.Info.Type,
                ["ApiKey"] = entry.Info.ApiKey ?? string.Empty,
                ["Account"] = entry.Info.Account ?? string.Empty,
                ["Label"] = entry.Info.Label ?? string.Empty,
                ["Created"] = entry.Info.Created,
            };
            // Not disposed here: the SecureString now belongs to the vault extension, which may keep the object.
            Invoke("Set-Secret -Name $args[0] -SecureStringSecret $args[1] -Vault $args[2] -Metadata $args[3] -ErrorAction Stop", entry.Name, secure, vault, metadata);
        }

        public void Remove(string name)
        {
            if (!Contains(name)) throw new VaultException(VaultErrorReason.EntryNotFound, $"{Description} has no secret named '{name}'.", null, name);
            Invoke("Remove-Secret -Name $args[0] -Vault $args[1] -ErrorAction Stop", name, vault);
        }

        public void Dispose()
        {
        }

        public override string ToString() => Description;

        private Collection<PSObject> Invoke(string script, params object?[] arguments) =>
            cmdlet.OnPipelineThread(() =>
            {
                try
                {
                    return cmdlet.InvokeCommand.InvokeScript(script, true, System.Management.Automation.Runspaces.PipelineResultTypes.None, null, arguments);
                }
                catch (RuntimeException e)
                {
                    // SecretManagement's own message (vault not registered, locked, ...) with no secret in it.
                    throw new SecretManagementException($"{Description}: {e.Message}", e);
                }
            });

        private VaultEntryInfo? ToInfo(PSObject item)
        {
            string? name = item.Properties["Name"]?.Value?.ToString();
            if (string.IsNullOrEmpty(name)) return null;
            var metadata = item.Properties["Metadata"]?.Value as IDictionary ?? (item.Properties["Metadata"]?.Value as PSObject)?.BaseObject as IDictionary;
            string? Read(string key) => metadata != null && metadata.Contains(key) ? metadata[key]?.ToString() : null;
            string type = Read("BinanceKeysType") ?? "hmac";
            DateTime created = metadata != null && metadata.Contains("Created") && metadata["Created"] is DateTime when ? when : DateTime.MinValue;
            // Another module's secret in the same vault (a name or type this module would not have written) is not a
            // BinanceKeys entry: left out of the listing, never an error for the ones that are.
            if (VaultEntryInfo.NameProblem(name) != null || !(type == "hmac" || type == "ed25519" || type == "rsa")) return null;
            return new VaultEntryInfo(name!, type, Empty(Read("ApiKey")), Empty(Read("Account")), Empty(Read("Label")), created);
        }

        private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>SecretManagement is not installed.</summary>
    internal sealed class SecretManagementNotInstalledException : Exception
    {
        public SecretManagementNotInstalledException(string message)
            : base(message)
        {
        }
    }

    /// <summary>A SecretManagement command failed.</summary>
    internal sealed class SecretManagementException : Exception
    {
        public SecretManagementException(string message, Exception inner)
            : base(message, inner)
        {
        }
    }
}

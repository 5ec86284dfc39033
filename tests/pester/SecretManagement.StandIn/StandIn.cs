// Signatures, parameter sets, output types and error ids follow PowerShell/SecretManagement
// (src/code/SecretManagement.cs, src/code/Utils.cs: SecretInformation, SecretType). The vault behind them is a
// process-wide in-memory store standing in for an extension vault; what an extension decides (a missing secret
// on Remove-Secret) follows Microsoft.PowerShell.SecretStore.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>Supported secret types (Utils.cs).</summary>
    public enum SecretType
    {
        Unknown = 0,
        ByteArray,
        String,
        SecureString,
        PSCredential,
        Hashtable,
    }

    /// <summary>What Get-SecretInfo returns: never the secret itself (Utils.cs).</summary>
    public sealed class SecretInformation
    {
        public SecretInformation(string name, SecretType type, string vaultName, IReadOnlyDictionary<string, object> metadata)
        {
            Name = name;
            Type = type;
            VaultName = vaultName;
            Metadata = metadata ?? new ReadOnlyDictionary<string, object>(new Dictionary<string, object>());
        }

        public string Name { get; }

        public SecretType Type { get; }

        public string VaultName { get; }

        public IReadOnlyDictionary<string, object> Metadata { get; }
    }

    /// <summary>A registered vault (SecretManagement.cs).</summary>
    public sealed class SecretVaultInfo
    {
        internal SecretVaultInfo(StandInVault vault)
        {
            Name = vault.Name;
            ModuleName = vault.ModuleName;
            ModulePath = string.Empty;
            Description = string.Empty;
            VaultParameters = new ReadOnlyDictionary<string, object>(vault.Parameters);
            IsDefault = vault.IsDefault;
        }

        public string Name { get; }

        public string ModuleName { get; }

        public string ModulePath { get; }

        public string Description { get; }

        public IReadOnlyDictionary<string, object> VaultParameters { get; }

        public bool IsDefault { get; }
    }

    internal sealed class StandInVault
    {
        public string Name { get; set; }
        public string ModuleName { get; set; }
        public Dictionary<string, object> Parameters { get; } = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        public bool IsDefault { get; set; }
        public SortedDictionary<string, (object Secret, Hashtable Metadata)> Secrets { get; } =
            new SortedDictionary<string, (object, Hashtable)>(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The registry and the vaults, shared by every runspace of the process as the real registry is per user.</summary>
    internal static class Registry
    {
        public static readonly object Gate = new object();
        public static readonly SortedDictionary<string, StandInVault> Vaults = new SortedDictionary<string, StandInVault>(StringComparer.OrdinalIgnoreCase);

        public static StandInVault Default => Vaults.Values.FirstOrDefault(v => v.IsDefault);
    }

    /// <summary>Base of the secret cmdlets: vault look-up with the real module's error (SecretCmdlet).</summary>
    public abstract class SecretCmdlet : PSCmdlet
    {
        internal StandInVault GetExtensionVault(string name)
        {
            lock (Registry.Gate)
            {
                if (!Registry.Vaults.TryGetValue(name, out StandInVault vault))
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new PSInvalidOperationException(string.Format(CultureInfo.InvariantCulture, "Vault not found in registry: {0}", name)),
                        "GetSecretVaultNotFound", ErrorCategory.ObjectNotFound, this));
                }
                return vault;
            }
        }

        // Utils.CheckForRegisteredVaults.
        internal void CheckForRegisteredVaults()
        {
            lock (Registry.Gate)
            {
                if (Registry.Vaults.Count == 0)
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new PSInvalidOperationException("There are currently no extension vaults registered.\nAt least one vault must be registered before SecretManagement can add or retrieve secrets.\nYou can download SecretManagement extension vault modules from PowerShellGallery.\nhttps://aka.ms/SecretManagementVaults"),
                        "SecretManagementNoVaultsRegistered", ErrorCategory.ObjectNotFound, this));
                }
            }
        }

        internal static SecretType TypeOf(object secret)
        {
            switch (secret)
            {
                case byte[] _: return SecretType.ByteArray;
                case string _: return SecretType.String;
                case SecureString _: return SecretType.SecureString;
                case PSCredential _: return SecretType.PSCredential;
                case Hashtable _: return SecretType.Hashtable;
                default: return SecretType.Unknown;
            }
        }

        internal static SecretInformation Info(StandInVault vault, string name, (object Secret, Hashtable Metadata) entry)
        {
            var metadata = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            if (entry.Metadata != null)
            {
                foreach (DictionaryEntry item in entry.Metadata) metadata[item.Key.ToString()] = item.Value;
            }
            return new SecretInformation(name, TypeOf(entry.Secret), vault.Name, new ReadOnlyDictionary<string, object>(metadata));
        }
    }

    /// <summary>Register-SecretVault (the parameters tests use; the module path is not loaded by the stand-in).</summary>
    [Cmdlet(VerbsLifecycle.Register, "SecretVault", SupportsShouldProcess = true)]
    public sealed class RegisterSecretVaultCommand : PSCmdlet
    {
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        [Parameter(Position = 0, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string ModuleName { get; set; }

        [Parameter]
        public Hashtable VaultParameters { get; set; } = new Hashtable();

        [Parameter]
        public SwitchParameter DefaultVault { get; set; }

        [Parameter]
        public SwitchParameter AllowClobber { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            string name = string.IsNullOrEmpty(Name) ? ModuleName : Name;
            lock (Registry.Gate)
            {
                if (Registry.Vaults.ContainsKey(name) && !AllowClobber)
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new InvalidOperationException("Provided Name for vault is already being used."),
                        "RegisterSecretVaultInvalidVaultName", ErrorCategory.InvalidArgument, this));
                }
                if (!ShouldProcess(name, VerbsLifecycle.Register)) return;
                var vault = new StandInVault { Name = name, ModuleName = ModuleName, IsDefault = DefaultVault || Registry.Vaults.Count == 0 };
                foreach (DictionaryEntry item in VaultParameters) vault.Parameters[item.Key.ToString()] = item.Value;
                if (vault.IsDefault)
                {
                    foreach (var other in Registry.Vaults.Values) other.IsDefault = false;
                }
                Registry.Vaults[name] = vault;
                if (PassThru) WriteObject(new SecretVaultInfo(vault));
            }
        }
    }

    /// <summary>Unregister-SecretVault.</summary>
    [Cmdlet(VerbsLifecycle.Unregister, "SecretVault", SupportsShouldProcess = true)]
    public sealed class UnregisterSecretVaultCommand : PSCmdlet
    {
        [Parameter(Position = 0, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string name in Name)
            {
                if (!ShouldProcess(name, VerbsLifecycle.Unregister)) continue;
                lock (Registry.Gate)
                {
                    if (!Registry.Vaults.Remove(name))
                    {
                        WriteError(new ErrorRecord(
                            new ItemNotFoundException(string.Format(CultureInfo.InvariantCulture, "Unable to find secret vault {0} to unregister it.", name)),
                            "UnregisterSecretVaultObjectNotFound", ErrorCategory.ObjectNotFound, this));
                    }
                }
            }
        }
    }

    /// <summary>Get-SecretVault.</summary>
    [Cmdlet(VerbsCommon.Get, "SecretVault")]
    [OutputType(typeof(SecretVaultInfo))]
    public sealed class GetSecretVaultCommand : SecretCmdlet
    {
        [Parameter(Position = 0)]
        [SupportsWildcards]
        public string[] Name { get; set; }

        protected override void EndProcessing()
        {
            lock (Registry.Gate)
            {
                foreach (string name in Name ?? new[] { "*" })
                {
                    if (WildcardPattern.ContainsWildcardCharacters(name))
                    {
                        var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                        foreach (var vault in Registry.Vaults.Values.Where(v => pattern.IsMatch(v.Name))) WriteObject(new SecretVaultInfo(vault));
                    }
                    else if (Registry.Vaults.TryGetValue(name, out StandInVault vault))
                    {
                        WriteObject(new SecretVaultInfo(vault));
                    }
                    else
                    {
                        WriteError(new ErrorRecord(
                            new ItemNotFoundException(string.Format(CultureInfo.InvariantCulture, "Vault {0} does not exist in registry.", name)),
                            "GetSecretVaultNotFound", ErrorCategory.ObjectNotFound, this));
                    }
                }
            }
        }
    }

    /// <summary>Get-SecretInfo: information about secrets, sorted by name per vault; never the secret.</summary>
    [Cmdlet(VerbsCommon.Get, "SecretInfo")]
    [OutputType(typeof(SecretInformation))]
    public sealed class GetSecretInfoCommand : SecretCmdlet
    {
        [Parameter(Position = 0)]
        [SupportsWildcards]
        public string Name { get; set; }

        [Parameter(Position = 1)]
        public string Vault { get; set; }

        protected override void BeginProcessing() => CheckForRegisteredVaults();

        protected override void EndProcessing()
        {
            var pattern = new WildcardPattern(string.IsNullOrEmpty(Name) ? "*" : Name, WildcardOptions.IgnoreCase);
            IEnumerable<StandInVault> vaults;
            lock (Registry.Gate)
            {
                vaults = string.IsNullOrEmpty(Vault)
                    ? Registry.Vaults.Values.OrderBy(v => v.IsDefault ? 0 : 1).ToList()
                    : new List<StandInVault> { GetExtensionVault(Vault) };
                foreach (var vault in vaults)
                {
                    foreach (var entry in vault.Secrets.Where(e => pattern.IsMatch(e.Key)).ToList()) WriteObject(Info(vault, entry.Key, entry.Value));
                }
            }
        }
    }

    /// <summary>Get-Secret: string and SecureString secrets come back as SecureString unless -AsPlainText.</summary>
    [Cmdlet(VerbsCommon.Get, "Secret", DefaultParameterSetName = NameParameterSet)]
    [OutputType(typeof(object))]
    public sealed class GetSecretCommand : SecretCmdlet
    {
        private const string NameParameterSet = "NameParameterSet";
        private const string InfoParameterSet = "InfoParameterSet";

        [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ParameterSetName = NameParameterSet)]
        public string Name { get; set; }

        [Parameter(Position = 1, ParameterSetName = NameParameterSet)]
        public string Vault { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InfoParameterSet)]
        public SecretInformation InputObject { get; set; }

        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        protected override void BeginProcessing() => CheckForRegisteredVaults();

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InfoParameterSet)
            {
                Name = InputObject.Name;
                Vault = InputObject.VaultName;
            }
            lock (Registry.Gate)
            {
                var vaults = string.IsNullOrEmpty(Vault)
                    ? Registry.Vaults.Values.OrderBy(v => v.IsDefault ? 0 : 1).ToList()
                    : new List<StandInVault> { GetExtensionVault(Vault) };
                foreach (var vault in vaults)
                {
                    if (vault.Secrets.TryGetValue(Name, out var entry))
                    {
                        WriteObject(entry.Secret is Hashtable table ? ConvertHashtable(table) : Convert(entry.Secret));
                        return;
                    }
                }
            }
            WriteError(new ErrorRecord(
                new ItemNotFoundException(string.Format(CultureInfo.InvariantCulture, "The secret {0} was not found.", Name)),
                "GetSecretNotFound", ErrorCategory.ObjectNotFound, this));
        }

        private Hashtable ConvertHashtable(Hashtable table)
        {
            var converted = new Hashtable(table.Count);
            foreach (DictionaryEntry item in table) converted.Add(item.Key, Convert(item.Value));
            return converted;
        }

        private object Convert(object item)
        {
            if (!AsPlainText && item is string text)
            {
                var secure = new SecureString();
                foreach (char c in text) secure.AppendChar(c);
                secure.MakeReadOnly();
                return secure;
            }
            if (AsPlainText && item is SecureString secureString) return new NetworkCredential(string.Empty, secureString).Password;
            return item;
        }
    }

    /// <summary>Set-Secret: SecureStringParameterSet (default), ObjectParameterSet and SecretInfoParameterSet.</summary>
    [Cmdlet(VerbsCommon.Set, "Secret", SupportsShouldProcess = true, DefaultParameterSetName = SecureStringParameterSet)]
    public sealed class SetSecretCommand : SecretCmdlet
    {
        private const string SecureStringParameterSet = "SecureStringParameterSet";
        private const string ObjectParameterSet = "ObjectParameterSet";
        private const string SecretInfoParameterSet = "SecretInfoParameterSet";
        private const string SecretExistsError = "A secret with name {0} already exists in vault {1}.";

        [Parameter(ParameterSetName = ObjectParameterSet, Position = 0, Mandatory = true)]
        [Parameter(ParameterSetName = SecureStringParameterSet, Position = 0, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        [Parameter(Position = 1, Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectParameterSet)]
        public object Secret { get; set; }

        [Parameter(Position = 1, Mandatory = true, ValueFromPipeline = true, ParameterSetName = SecureStringParameterSet)]
        public SecureString SecureStringSecret { get; set; }

        [Parameter(Position = 1, Mandatory = true, ValueFromPipeline = true, ParameterSetName = SecretInfoParameterSet)]
        public SecretInformation SecretInfo { get; set; }

        [Parameter(Position = 2, ParameterSetName = ObjectParameterSet)]
        [Parameter(Position = 2, ParameterSetName = SecureStringParameterSet)]
        [Parameter(ParameterSetName = SecretInfoParameterSet, Mandatory = true)]
        public string Vault { get; set; }

        [Parameter(Position = 3, ParameterSetName = ObjectParameterSet)]
        [Parameter(Position = 3, ParameterSetName = SecureStringParameterSet)]
        public Hashtable Metadata { get; set; }

        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        protected override void BeginProcessing() => CheckForRegisteredVaults();

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(Vault, "Write secret to vault and override any existing secret of the same name")) return;
            lock (Registry.Gate)
            {
                if (ParameterSetName == SecretInfoParameterSet)
                {
                    var source = GetExtensionVault(SecretInfo.VaultName);
                    var target = GetExtensionVault(Vault);
                    if (NoClobber && target.Secrets.ContainsKey(SecretInfo.Name))
                    {
                        WriteError(new ErrorRecord(
                            new PSInvalidOperationException(string.Format(CultureInfo.InvariantCulture, SecretExistsError, SecretInfo.Name, target.Name)),
                            "SetSecretCommandAlreadyExistsWithNoClobber", ErrorCategory.ResourceExists, this));
                        return;
                    }
                    var copied = source.Secrets[SecretInfo.Name];
                    target.Secrets[SecretInfo.Name] = (copied.Secret, copied.Metadata);
                    return;
                }
                object secret = ParameterSetName == SecureStringParameterSet ? SecureStringSecret : (Secret is PSObject wrapped ? wrapped.BaseObject : Secret);
                StandInVault vault = !string.IsNullOrEmpty(Vault) ? GetExtensionVault(Vault) : Registry.Default;
                if (vault is null)
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new PSInvalidOperationException("Unable to set secret because no vault was provided and there is no default vault designated."),
                        "SetSecretCommandFailNoVault", ErrorCategory.InvalidOperation, this));
                }
                if (NoClobber && vault.Secrets.ContainsKey(Name))
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new PSInvalidOperationException(string.Format(CultureInfo.InvariantCulture, SecretExistsError, Name, vault.Name)),
                        "SetSecretCommandAlreadyExistsWithNoClobber", ErrorCategory.ResourceExists, this));
                }
                if (TypeOf(secret) == SecretType.Unknown)
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new PSInvalidOperationException("Invalid secret type. Supported types are byte[], string, SecureString, PSCredential, Hashtable."),
                        "SetSecretInvalidSecretType", ErrorCategory.InvalidArgument, this));
                }
                vault.Secrets[Name] = (secret, Metadata is null ? null : (Hashtable)Metadata.Clone());
            }
        }
    }

    /// <summary>Remove-Secret: -Vault is mandatory, as in the real module.</summary>
    [Cmdlet(VerbsCommon.Remove, "Secret", SupportsShouldProcess = true)]
    public sealed class RemoveSecretCommand : SecretCmdlet
    {
        private const string NameParameterSet = "NameParameterSet";
        private const string InfoParameterSet = "InfoParameterSet";

        [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ParameterSetName = NameParameterSet)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        [Parameter(Position = 1, Mandatory = true, ParameterSetName = NameParameterSet)]
        [ValidateNotNullOrEmpty]
        public string Vault { get; set; }

        [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ParameterSetName = InfoParameterSet)]
        public SecretInformation InputObject { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(Vault, "Remove secret by name from vault")) return;
            if (ParameterSetName == InfoParameterSet)
            {
                Name = InputObject.Name;
                Vault = InputObject.VaultName;
            }
            lock (Registry.Gate)
            {
                var vault = GetExtensionVault(Vault);
                if (!vault.Secrets.Remove(Name))
                {
                    // What the extension reports (Microsoft.PowerShell.SecretStore's wording) for a name it does not hold.
                    WriteError(new ErrorRecord(
                        new ItemNotFoundException(string.Format(CultureInfo.InvariantCulture, "Unable to find secret {0} in vault {1}", Name, vault.Name)),
                        "RemoveSecretNotFound", ErrorCategory.ObjectNotFound, this));
                }
            }
        }
    }

    /// <summary>Test-SecretVault: true when every named vault passes (the stand-in's vaults always do).</summary>
    [Cmdlet(VerbsDiagnostic.Test, "SecretVault")]
    [OutputType(typeof(bool))]
    public sealed class TestSecretVaultCommand : SecretCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        public string[] Name { get; set; }

        protected override void ProcessRecord()
        {
            int count = 0;
            lock (Registry.Gate)
            {
                foreach (string name in Name ?? new[] { "*" })
                {
                    var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                    var matches = Registry.Vaults.Keys.Where(v => pattern.IsMatch(v)).ToList();
                    if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                    {
                        WriteError(new ErrorRecord(
                            new ItemNotFoundException(string.Format(CultureInfo.InvariantCulture, "Vault {0} does not exist in registry.", name)),
                            "TestSecretVaultNotFound", ErrorCategory.ObjectNotFound, this));
                    }
                    foreach (string vault in matches)
                    {
                        count++;
                        WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Vault {0} succeeded validation test", vault));
                    }
                }
            }
            if (count > 0) WriteObject(true);
        }
    }
}

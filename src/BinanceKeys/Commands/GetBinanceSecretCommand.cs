using System;
using System.Management.Automation;
using System.Security;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Crypto;
using BinanceKeys.Secrets;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// Get-BinanceSecret: without -Name, one metadata object per entry (never a secret); with -Name, the secret as a
    /// SecureString, or as plain text only with -AsPlainText.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BinanceSecret", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(BinanceSecretInfo), ParameterSetName = new[] { ListSet })]
    [OutputType(typeof(SecureString), typeof(string), ParameterSetName = new[] { NameSet })]
    public sealed class GetBinanceSecretCommand : SecretStoreCmdlet
    {
        private const string ListSet = "List";
        private const string NameSet = "Name";

        /// <summary>The entry whose secret to return.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.SecretNameCompleter))]
        public string? Name { get; set; }

        /// <summary>Returns the secret as plain text instead of a SecureString. It then shows wherever the string goes.</summary>
        [Parameter(ParameterSetName = NameSet)]
        public SwitchParameter AsPlainText { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            try
            {
                using ISecretStore store = OpenStore(create: false);
                if (Name is null)
                {
                    foreach (var info in store.List()) WriteObject(Describe(info, store));
                    return;
                }
                using VaultEntry entry = store.Get(Name);
                char[] chars = entry.GetSecretChars();
                try
                {
                    if (AsPlainText)
                    {
                        WriteObject(new string(chars));
                        return;
                    }
                    var secure = new SecureString();
                    foreach (char c in chars) secure.AppendChar(c);
                    secure.MakeReadOnly();
                    WriteObject(secure);
                }
                finally
                {
                    SecureStrings.Clear(chars);
                }
            }
            catch (Exception e) when (IsExpected(e))
            {
                WriteNonTerminating(e, Name);
            }
        }

        internal static BinanceSecretInfo Describe(VaultEntryInfo info, ISecretStore store) => new BinanceSecretInfo
        {
            Name = info.Name,
            ApiKey = info.ApiKey,
            Account = info.Account,
            Label = info.Label,
            Type = info.Type,
            Created = info.Created,
            Vault = store is LocalVault local ? local.Path : store.Description,
        };
    }
}

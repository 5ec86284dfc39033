using System;
using System.Collections.Generic;
using System.Management.Automation;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Keys;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// Set-BinanceApiKeyPermission: sets a key's permissions to exactly the given set (reading is implied), after the
    /// policy check; the result is read back and verified. Permissions only the web UI can change come back as steps.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "BinanceApiKeyPermission", SupportsShouldProcess = true)]
    [OutputType(typeof(ApiKeyInfo))]
    public sealed class SetBinanceApiKeyPermissionCommand : ApiKeyTargetCmdlet
    {
        /// <summary>The complete set of permissions the key should have. Not bound from the pipeline on purpose.</summary>
        [Parameter(Mandatory = true)]
        [AllowEmptyCollection]
        public ApiKeyPermission[] Permission { get; set; } = new ApiKeyPermission[0];

        /// <summary>
        /// The key's type, when known: bound from a piped key's Type (keys from New-BinanceApiKey carry it; Binance's
        /// listings do not), else what this session saw. Unknown keys are checked as HMAC keys, the strictest case.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Type")]
        public ApiKeyType? KeyType { get; set; }

        /// <summary>Writes the key as it is after the change.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var wanted = new HashSet<ApiKeyPermission>(Permission);
            try
            {
                var account = TargetAccount;
                if (!ShouldProcess($"API key {ApiKey} ({account.Name})", "Set permissions to " + (wanted.Count == 0 ? "reading only" : string.Join(",", wanted)))) return;
                var type = KnownType(KeyType);
                var key = Run((log, token) => KeyService(log, VaultPath).SetPermissionAsync(account, ApiKey, wanted, type, token));
                if (PassThru) WriteObject(KnownKeyTypes.Complete(ConnectionStore.Current, key, type));
            }
            catch (Exception e) when (IsExpected(e))
            {
                WriteNonTerminating(e, ApiKey);
            }
        }
    }
}

using System.IO;
using System.Linq;
using System.Management.Automation;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Keys;
using BinanceKeys.State.Planning;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// Export-BinanceKeyState: writes the live keys of sub-accounts and broker sub-accounts as a desired-state file that
    /// plans to no change against them, with TODO comments for what Binance cannot report. The file is checked as
    /// Test-BinanceApiKeyPolicy checks it, and its Error findings are written as warnings. It never holds a secret.
    /// </summary>
    [Cmdlet(VerbsData.Export, "BinanceKeyState", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = AccountsSet)]
    [OutputType(typeof(KeyStateExport))]
    public sealed class ExportBinanceKeyStateCommand : DesiredStateCmdlet
    {
        private const string AccountsSet = "Accounts";
        private const string AllSet = "All";

        /// <summary>Sub-accounts to export, by email.</summary>
        [Parameter(ParameterSetName = AccountsSet)]
        [ValidateNotNullOrEmpty]
        public string[] Email { get; set; } = new string[0];

        /// <summary>Broker sub-accounts to export, by id.</summary>
        [Parameter(ParameterSetName = AccountsSet)]
        [ValidateNotNullOrEmpty]
        public string[] BrokerSubAccountId { get; set; } = new string[0];

        /// <summary>Every sub-account and broker sub-account of the master account.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AllSet)]
        public SwitchParameter All { get; set; }

        /// <summary>The desired-state file to write.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string OutFile { get; set; } = string.Empty;

        /// <summary>Replaces an existing file. Never overrides -WhatIf.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string outFile = ResolveUserPath(OutFile);
            if (!All && Email.Length == 0 && BrokerSubAccountId.Length == 0)
            {
                ThrowTerminating(new KeyOperationException(KeyOperationError.InvalidArgument, StateExporter.NoAccountsMessage), outFile);
            }
            if (Directory.Exists(outFile))
            {
                ThrowTerminatingError(new ErrorRecord(new IOException($"'{outFile}' is a folder; -OutFile names the desired-state file to write."), "DesiredStateFileIsFolder", ErrorCategory.InvalidArgument, outFile));
            }
            if (File.Exists(outFile) && !Force)
            {
                // Checked before anything is read: an existing desired-state file is someone's work.
                ThrowTerminatingError(new ErrorRecord(new IOException($"'{outFile}' already exists; nothing was read or written. Add -Force to replace it, or choose another -OutFile."),
                    "DesiredStateFileExists", ErrorCategory.ResourceExists, outFile));
            }
            string accounts = All ? "every sub-account and broker sub-account"
                : string.Join(", ", Email.Concat(BrokerSubAccountId.Select(id => "broker sub-account " + id)));
            if (!ShouldProcess(outFile, $"Write the live keys of {accounts} as a desired-state file", Force)) return;

            var export = Guard(outFile, () =>
            {
                var exporter = new StateExporter(RequireConnection(), OpenLocalState());
                var request = new ExportRequest
                {
                    Emails = Email,
                    BrokerSubAccountIds = BrokerSubAccountId,
                    All = All,
                    OutFile = outFile,
                    SchemaPath = SchemaPath(),
                };
                return Run((log, token) => exporter.ExportAsync(request, Progress(1, "Reading the live keys"), token));
            });
            Guard(outFile, () =>
            {
                string? folder = System.IO.Path.GetDirectoryName(outFile);
                if (folder != null && !Directory.Exists(folder)) Directory.CreateDirectory(folder);
                IO.SecureFile.WriteAllText(outFile, export.Text, overwrite: Force);
                return true;
            });

            var summary = export.Summary;
            WriteVerbose($"Wrote {summary.KeyCount} {(summary.KeyCount == 1 ? "key" : "keys")} of {summary.AccountCount} {(summary.AccountCount == 1 ? "account" : "accounts")} to '{outFile}'" +
                (summary.AssumedTypeCount > 0 ? $"; the type of {summary.AssumedTypeCount} is assumed (hmac): see the TODO comments." : "."));
            foreach (string note in summary.Notes) WriteWarning(note);
            foreach (string key in summary.NotExported) WriteWarning("Not exported: " + key);
            foreach (var finding in summary.Findings)
            {
                // The file fails Test-BinanceApiKeyPolicy on an Error finding: a live key breaks a rule, or an assumption does.
                if (finding.Severity == FindingSeverity.Error) WriteWarning($"[{finding.RuleId}] {finding} {finding.Remediation}");
                else WriteVerbose($"[{finding.RuleId}] {finding}");
            }
            WriteObject(summary);
        }

        // The schema ships in the module's folder (module/schema), whether run from the repository or an installed copy.
        private string? SchemaPath()
        {
            string? root = MyInvocation.MyCommand.Module?.ModuleBase;
            return root is null ? null : System.IO.Path.Combine(root, "module", "schema", "binancekeys.schema.json");
        }
    }
}

using System.Collections.Generic;
using System.Management.Automation;
using BinanceKeys.Policy;
using BinanceKeys.State;

namespace BinanceKeys.Commands
{
    /// <summary>Test-BinanceApiKeyPolicy: checks a desired-state file, or keys from the pipeline, against Binance's and the organisation's rules, offline.</summary>
    // InputObject is the default set: with Path as default, a key piped in alone (`$key | Test-... -Quiet`) fails to
    // bind; a file path still selects the Path set by position, by name or by a FullName/PSPath property.
    [Cmdlet(VerbsDiagnostic.Test, "BinanceApiKeyPolicy", DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(PolicyFinding), typeof(bool))]
    public sealed class TestBinanceApiKeyPolicyCommand : PSCmdlet
    {
        private const string PathSet = "Path";
        private const string InputObjectSet = "InputObject";

        private readonly List<ApiKeyInfo> keys = new List<ApiKeyInfo>();
        private bool passed = true;

        /// <summary>The desired-state file(s) to check, or folders of files (each folder is one desired state).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = new string[0];

        /// <summary>Keys to check, e.g. from Get-BinanceApiKey.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public ApiKeyInfo[] InputObject { get; set; } = new ApiKeyInfo[0];

        /// <summary>A desired-state file whose policy block applies to the keys from the pipeline.</summary>
        [Parameter(ParameterSetName = InputObjectSet)]
        [ValidateNotNullOrEmpty]
        public string? PolicyPath { get; set; }

        /// <summary>
        /// Folders outside the desired state's own folder that its file: references and public-key paths may read
        /// (by default they must stay inside it).
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] AllowReferenceOutside { get; set; } = new string[0];

        /// <summary>Return only $true (no Error finding) or $false.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                // Rules such as the 30-key limit need every key of an account: check once all have arrived.
                keys.AddRange(InputObject);
                return;
            }
            foreach (string path in Path)
            {
                foreach (string file in ResolveExisting(path))
                {
                    Emit(Run(file, () => PolicyService.TestFile(file, LoadOptions())));
                }
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == InputObjectSet)
            {
                string? policyFile = PolicyPath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(PolicyPath);
                Emit(Run(policyFile ?? "", () => PolicyService.TestKeys(keys, policyFile, LoadOptions())));
            }
            if (Quiet) WriteObject(passed);
        }

        private DesiredStateLoadOptions LoadOptions()
        {
            var options = new DesiredStateLoadOptions();
            foreach (string folder in AllowReferenceOutside) options.AllowedReferenceRoots.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(folder));
            return options;
        }

        private void Emit(PolicyReport report)
        {
            passed &= report.Passed;
            if (Quiet) return;
            foreach (PolicyFinding finding in report.Findings) WriteObject(finding);
        }

        private PolicyReport Run(string file, System.Func<PolicyReport> check)
        {
            try
            {
                return check();
            }
            catch (DesiredStateException e)
            {
                // The whole file is validated before anything else: a file that does not load stops the command.
                ThrowTerminatingError(new ErrorRecord(e, "DesiredStateInvalid", ErrorCategory.InvalidData, file));
                throw; // not reached: ThrowTerminatingError always throws
            }
        }

        private IEnumerable<string> ResolveExisting(string path)
        {
            try
            {
                return GetResolvedProviderPathFromPSPath(path, out ProviderInfo _);
            }
            catch (ItemNotFoundException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "DesiredStateFileNotFound", ErrorCategory.ObjectNotFound, path));
                throw;
            }
        }
    }
}

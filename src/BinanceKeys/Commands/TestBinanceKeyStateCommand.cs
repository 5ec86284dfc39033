using System.Linq;
using System.Management.Automation;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.State.Planning;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// Test-BinanceKeyState: whether Binance matches a desired-state file, as one $true or $false (for a scheduled drift
    /// check and its exit code), or with -Detailed one BinanceKeys.KeyStateDrift per difference. The answer is read off
    /// the plan Get-BinanceKeyPlan makes, so a drift check and a plan never disagree; nothing is changed.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "BinanceKeyState")]
    [OutputType(typeof(bool), typeof(KeyStateDrift))]
    public sealed class TestBinanceKeyStateCommand : DesiredStateCmdlet
    {
        /// <summary>The desired-state file.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Check only these accounts of the file (by name).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Account { get; set; } = new string[0];

        /// <summary>One drift object per difference instead of $true/$false.</summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        /// <summary>Takes IP whitelists from the local cache of the last plan or apply where it has them, instead of reading each key's.</summary>
        [Parameter]
        public SwitchParameter UseCache { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string path = ResolveUserPath(Path);
            var plan = Guard(path, () =>
            {
                var service = PlanService(OpenLocalState());
                var request = new PlanRequest { Path = path, Accounts = Account, UseCachedIpWhitelists = UseCache };
                return Run((log, token) => service.PlanAsync(request, Progress(1, "Reading the live state of the file's accounts"), token));
            });
            foreach (var finding in plan.Findings.Where(f => f.Severity == FindingSeverity.Warning)) WriteWarning($"[{finding.RuleId}] {finding}");
            foreach (string note in plan.Notes) WriteVerbose(note);

            var report = DriftReport.From(plan);
            foreach (var entry in report.Entries) WriteVerbose((entry.IsDrift ? "Drift: " : "Not drift: ") + entry);
            int drift = report.Entries.Count(e => e.IsDrift);
            WriteVerbose(drift == 0
                ? $"'{path}': Binance matches the desired state."
                : $"'{path}': {drift} {(drift == 1 ? "difference" : "differences")} between Binance and the desired state.");

            if (Detailed)
            {
                foreach (var entry in report.Entries) WriteObject(entry);
            }
            else
            {
                WriteObject(report.InDesiredState);
            }
        }
    }
}

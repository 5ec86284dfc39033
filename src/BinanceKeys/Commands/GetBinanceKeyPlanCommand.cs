using System.Management.Automation;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.State.Planning;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// Get-BinanceKeyPlan: what it takes to make Binance match a desired-state file, as data. Validates the whole file
    /// first (an Error finding stops it before any call), reads the live state of the file's accounts, and proposes one
    /// action per key and kind of change, with every changed property before and after. -OutFile saves the plan for
    /// Invoke-BinanceKeyPlan; -MarkdownPath writes a summary for a pull-request comment.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BinanceKeyPlan")]
    [OutputType(typeof(KeyPlan))]
    public sealed class GetBinanceKeyPlanCommand : DesiredStateCmdlet
    {
        /// <summary>The desired-state file (or a folder of them).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Plan only these accounts of the file (by name).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Account { get; set; } = new string[0];

        /// <summary>Saves the plan as JSON (no secrets) for Invoke-BinanceKeyPlan -PlanPath.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OutFile { get; set; }

        /// <summary>Writes a Markdown summary fit for a pull-request comment.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? MarkdownPath { get; set; }

        /// <summary>Lists unchanged keys too.</summary>
        [Parameter]
        public SwitchParameter IncludeUnchanged { get; set; }

        /// <summary>
        /// Takes IP whitelists from the local cache of the last plan or apply where it has them, instead of reading each
        /// key's (one call per key: about 60 a minute); the plan says which values came from the cache. An apply always
        /// reads a whitelist before it changes it.
        /// </summary>
        [Parameter]
        public SwitchParameter UseCache { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string path = ResolveUserPath(Path);
            var plan = Guard(path, () =>
            {
                var local = OpenLocalState();
                var service = PlanService(local);
                var request = new PlanRequest { Path = path, Accounts = Account, IncludeUnchanged = IncludeUnchanged, UseCachedIpWhitelists = UseCache };
                return Run((log, token) => service.PlanAsync(request, Progress(1, "Reading the live state of the file's accounts"), token));
            });
            WarnAbout(plan);
            if (OutFile != null)
            {
                string outFile = ResolveUserPath(OutFile);
                Guard(outFile, () => { PlanFile.Save(plan, outFile); return true; });
                WriteVerbose($"Saved the plan to '{outFile}'.");
            }
            if (MarkdownPath != null)
            {
                string markdown = ResolveUserPath(MarkdownPath);
                Guard(markdown, () => { IO.SecureFile.WriteAllText(markdown, PlanFile.ToMarkdown(plan), overwrite: true); return true; });
                WriteVerbose($"Wrote the plan's summary to '{markdown}'.");
            }
            WriteObject(plan);
        }
    }
}

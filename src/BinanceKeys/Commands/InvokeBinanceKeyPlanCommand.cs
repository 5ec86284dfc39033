using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using BinanceKeys.Commands.Infrastructure;
using BinanceKeys.Keys;
using BinanceKeys.State.Planning;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// Invoke-BinanceKeyPlan: applies a plan (-Plan, or a saved one with -PlanPath), or plans and applies a desired-state
    /// file in one step (-Path). A saved plan is refused when the file or the live state it was made from has changed.
    /// Every change goes through the same path as the single-key cmdlets (policy check, pacing, settling, verifying by
    /// reading back); one result per action, failures as non-terminating errors; deletes and replaces are high impact.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "BinanceKeyPlan", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PlanSet)]
    [OutputType(typeof(KeyPlanResult))]
    public sealed class InvokeBinanceKeyPlanCommand : DesiredStateCmdlet
    {
        private const string PlanSet = "Plan";
        private const string PlanPathSet = "PlanPath";
        private const string PathSet = "Path";

        private bool yesToAll;
        private bool noToAll;

        /// <summary>A plan from Get-BinanceKeyPlan.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PlanSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public KeyPlan? Plan { get; set; }

        /// <summary>A plan saved with Get-BinanceKeyPlan -OutFile.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PlanPathSet)]
        [ValidateNotNullOrEmpty]
        public string? PlanPath { get; set; }

        /// <summary>A desired-state file (or folder): planned and applied in one step.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [Alias("PSPath", "FullName")]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>With -Path: only these accounts of the file.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string[] Account { get; set; } = new string[0];

        /// <summary>With -Path: take IP whitelists from the local cache for the plan (each is read again before it is changed).</summary>
        [Parameter(ParameterSetName = PathSet)]
        public SwitchParameter UseCache { get; set; }

        /// <summary>The local vault's passphrase, for new HMAC keys' one-time secrets (default: BINANCEKEYS_VAULT_PASSPHRASE).</summary>
        [Parameter]
        [ValidateNotEmptySecureString]
        public SecureString? VaultPassphrase { get; set; }

        /// <summary>A SecretManagement vault for new HMAC keys' one-time secrets, instead of the local vault.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Vault { get; set; }

        /// <summary>Skips the confirmation of deletes and replaces (CI). Never overrides -WhatIf.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // -WhatIf shows the plan and sends nothing, and writes nothing either (no cache, no journal, no lock).
            bool whatIf = WhatIfRequested();
            var local = Guard(PlanPath ?? Path ?? "plan", () => OpenLocalState(readOnly: whatIf));
            var service = PlanService(local);
            KeyPlan plan;
            // The desired state, loaded once: for a saved plan after -WhatIf (which needs no file), and checked against the plan.
            LoadedSource? source = null;
            bool saved = ParameterSetName != PathSet;
            string target = PlanPath ?? Path ?? Plan?.Path ?? string.Empty;
            if (ParameterSetName == PathSet)
            {
                string path = ResolveUserPath(Path!);
                var request = new PlanRequest { Path = path, Accounts = Account, UseCachedIpWhitelists = UseCache };
                var loaded = Guard(path, () => service.LoadAndValidate(path, null));
                source = loaded;
                plan = Guard(path, () => Run((log, token) => service.PlanStateAsync(loaded, request, Progress(1, "Reading the live state of the file's accounts"), token))).Plan;
                WarnAbout(plan);
            }
            else if (ParameterSetName == PlanPathSet)
            {
                string path = ResolveUserPath(PlanPath!);
                plan = Guard(path, () => PlanFile.Load(path));
            }
            else
            {
                plan = Plan!;
            }

            if (whatIf)
            {
                foreach (var action in plan.Actions.Where(a => a.IsChange)) ShouldProcess(Describe(action), Describe(action), "Apply");
                return;
            }
            var state = source ?? Guard(plan.Path, () => service.LoadAndValidate(plan.Path, null));

            var store = new Lazy<Secrets.ISecretStore>(() => OpenSecretStore(Vault, VaultPath, VaultPassphrase, create: true));
            if (plan.Actions.Any(a => a.IsChange && a.Type == ApiKeyType.Hmac && (a.Kind == KeyPlanActionKind.Create || a.Kind == KeyPlanActionKind.Replace)))
            {
                // Opened before anything is sent: a one-time secret must never arrive with nowhere to go.
                Guard(target, () => store.Value);
            }

            var results = new List<KeyPlanResult>();
            Exception? stop = null;
            using var stopApply = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
            var callbacks = new ApplyCallbacks
            {
                Confirm = action => OnPipelineThread(() => Confirm(action)),
                Result = (result, error) => OnPipelineThread(() =>
                {
                    if (stop != null) return true;
                    results.Add(result);
                    try
                    {
                        if (error != null)
                        {
                            var record = ErrorRecords.From(error, result.Action);
                            result.ErrorId = record.FullyQualifiedErrorId;
                            WriteObject(result);
                            WriteError(record);
                        }
                        else
                        {
                            WriteObject(result);
                        }
                    }
                    catch (Exception e) when (e is ActionPreferenceStopException || e is PipelineStoppedException)
                    {
                        // -ErrorAction Stop: stop at the first failure, after the calls in flight.
                        stop = e;
                        stopApply.Cancel();
                    }
                    return true;
                }),
                Progress = Progress(2, "Applying the plan"),
                SecretSink = name => OnPipelineThread(() => Sink(store.Value, name)),
                Warn = message => OnPipelineThread(() => { WriteWarning(message); return true; }),
            };
            var applier = new KeyPlanApplier(RequireConnection(), local);
            applier.Policy = state.State.Policy;
            applier.AssumeDefaultSecurityControls = state.State.Accounts.FirstOrDefault()?.Facts.DefaultSecurityControls ?? true;
            try
            {
                Guard(target, () => Run((log, token) =>
                {
                    callbacks.Log = log;
                    return applier.ApplyAsync(plan, callbacks, stopApply.Token, saved ? check => service.CheckBeforeApplyAsync(plan, state, check) : null);
                }));
            }
            finally
            {
                if (store.IsValueCreated) store.Value.Dispose();
            }
            if (stop != null) throw stop;
            if (!plan.Actions.Any(a => a.Kind != KeyPlanActionKind.NoChange))
            {
                WriteVerbose("The plan has nothing to do: Binance already matches the desired state.");
                return;
            }

            int failed = results.Count(r => r.Status == KeyPlanResultStatus.Failed);
            string summary = $"Apply: {results.Count(r => r.Status == KeyPlanResultStatus.Succeeded)} succeeded, {failed} failed, " +
                $"{results.Count(r => r.Status == KeyPlanResultStatus.Skipped)} skipped, {results.Count(r => r.Status == KeyPlanResultStatus.ManualStepRequired)} manual steps.";
            if (failed > 0) WriteWarning(summary);
            else WriteVerbose(summary);
        }

        // ShouldProcess for every action (-WhatIf, -Confirm, $ConfirmPreference against this cmdlet's Medium impact; -Force
        // skips the prompt only), and for deletes and replaces the high-impact confirmation on top, unless -Force or
        // -Confirm:$false.
        private bool Confirm(KeyPlanAction action)
        {
            string description = Describe(action);
            try
            {
                if (!ShouldProcess(description, "Apply", Force)) return false;
                if (!action.IsHighImpact || Force) return true;
                bool confirmBound = MyInvocation.BoundParameters.TryGetValue("Confirm", out object? confirm);
                if (confirmBound) return true; // -Confirm already asked; -Confirm:$false asks nothing
                var preference = SessionState.PSVariable.GetValue("ConfirmPreference") is ConfirmImpact impact ? impact : ConfirmImpact.High;
                if (preference == ConfirmImpact.None || preference <= ConfirmImpact.Medium) return true; // None: never; Medium or lower: ShouldProcess asked
                return ShouldContinue($"{description}? It cannot be undone.", "Confirm a high-impact change", ref yesToAll, ref noToAll);
            }
            catch (Exception e) when (e is PSInvalidOperationException || e is System.Management.Automation.Host.HostException || e is NotImplementedException)
            {
                throw new KeyOperationException(KeyOperationError.ConfirmationRequired,
                    $"{description} needs confirmation, and this host cannot ask for it: add -Force or -Confirm:$false to apply it unattended.", e);
            }
        }

        private static ISecretSink Sink(Secrets.ISecretStore store, string name)
        {
            if (store.Contains(name))
            {
                throw new Secrets.VaultException(Secrets.VaultErrorReason.EntryExists,
                    $"{store.Description} already has an entry '{name}'; the new key's one-time secret would have nowhere to go. Remove the old entry (Remove-BinanceSecret) or name another in the file; nothing was sent.", null, name);
            }
            return new Secrets.SecretStoreSink(store, name);
        }

        private static string Describe(KeyPlanAction action) => action.Kind switch
        {
            KeyPlanActionKind.Create => $"Create {(action.Type?.ToString().ToLowerInvariant() ?? "")} key '{action.Label}' in {action.Account}",
            KeyPlanActionKind.UpdatePermissions => $"Set the permissions of '{action.Label}' ({action.ApiKey}) in {action.Account} to {string.Join(", ", action.DesiredPermission)}",
            KeyPlanActionKind.UpdateIpWhitelist => $"Set the IP whitelist of '{action.Label}' ({action.ApiKey}) in {action.Account} to " +
                (action.DesiredIpAccess == IpAccessMode.TrustedIps ? string.Join(", ", action.DesiredIpAddress) : "unrestricted"),
            KeyPlanActionKind.Replace => $"Replace '{action.Label}' ({action.ApiKey}) in {action.Account}: create the new key, verify it, delete the old one",
            KeyPlanActionKind.Delete => $"Delete key '{action.Label}' ({action.ApiKey}) from {action.Account}",
            _ => $"{action.Kind} '{action.Label}' in {action.Account}",
        };
    }
}

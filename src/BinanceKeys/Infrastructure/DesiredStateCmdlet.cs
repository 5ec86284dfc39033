using System;
using System.Management.Automation;
using BinanceKeys.State;
using BinanceKeys.State.Local;
using BinanceKeys.State.Planning;

namespace BinanceKeys.Commands.Infrastructure
{
    /// <summary>
    /// What the desired-state cmdlets (Get-BinanceKeyPlan, Invoke-BinanceKeyPlan, Test-BinanceKeyState,
    /// Export-BinanceKeyState) share: the module's local state for the connected endpoint, the secret store for new
    /// HMAC keys, reading the file, and writing a plan's notes and findings.
    /// </summary>
    public abstract class DesiredStateCmdlet : BinanceCmdlet
    {
        /// <summary>
        /// The local vault file (default: BINANCEKEYS_VAULT, or the per-user vault); the module keeps its state for each
        /// endpoint (records of the keys it created, the journal, the IP cache, the apply lock) in a folder beside it.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? VaultPath { get; set; }

        /// <summary>The module's state for the connected endpoint, beside the vault; <paramref name="readOnly"/> (-WhatIf) writes nothing.</summary>
        protected LocalKeyState OpenLocalState(bool readOnly = false)
        {
            return LocalKeyState.Open(LocalStateFolder(RequireConnection(), VaultPath), readOnly);
        }

        /// <summary>A plan service over the current connection.</summary>
        protected KeyPlanService PlanService(LocalKeyState local) => new KeyPlanService(RequireConnection(), local);

        /// <summary>Writes a plan's notes and warning findings to the warning stream.</summary>
        protected void WarnAbout(KeyPlan plan)
        {
            foreach (string note in plan.Notes) WriteWarning(note);
            foreach (var finding in plan.Findings)
            {
                if (finding.Severity == FindingSeverity.Warning) WriteWarning($"[{finding.RuleId}] {finding}");
            }
        }

        /// <summary>Runs <paramref name="work"/>; a file that does not load or pass stops the command with its errors.</summary>
        protected T Guard<T>(string target, Func<T> work)
        {
            try
            {
                return work();
            }
            catch (Exception e) when (IsExpected(e))
            {
                ThrowTerminating(e, target);
                throw; // not reached
            }
        }
    }
}

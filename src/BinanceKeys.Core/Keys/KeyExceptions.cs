using System;
using System.Collections.Generic;
using System.Linq;

namespace BinanceKeys.Keys
{
    /// <summary>The policy engine found Error findings: the write was not sent.</summary>
    public sealed class PolicyViolationException : Exception
    {
        /// <summary>Creates the exception from the blocking findings.</summary>
        public PolicyViolationException(IReadOnlyList<PolicyFinding> findings)
            : this(findings, null)
        {
        }

        /// <summary>Creates the exception from the blocking findings, with a <paramref name="note"/> on how they were reached.</summary>
        public PolicyViolationException(IReadOnlyList<PolicyFinding> findings, string? note)
            : base("Nothing was sent to Binance: " + string.Join(" ", findings.Select(f => $"[{f.RuleId}] {f.Message} {f.Remediation}".Trim())) +
                (note is null ? "" : " " + note))
        {
            Findings = findings;
        }

        /// <summary>The Error findings.</summary>
        public IReadOnlyList<PolicyFinding> Findings { get; }
    }

    /// <summary>Binance's API cannot make this change; the message carries the exact web-UI steps (docs/binance.md §0 (1), §2.2).</summary>
    public sealed class ManualStepRequiredException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public ManualStepRequiredException(string what, IReadOnlyList<string> steps)
            : base(what + " Binance's API cannot do this; in the web UI:" + Environment.NewLine +
                string.Join(Environment.NewLine, steps.Select((s, i) => $"  {i + 1}. {s}")))
        {
            Steps = steps;
        }

        /// <summary>The steps, in order.</summary>
        public IReadOnlyList<string> Steps { get; }
    }

    /// <summary>Why a key operation failed on this side of the wire.</summary>
    public enum KeyOperationError
    {
        /// <summary>No key with that API key or label exists in the account.</summary>
        NotFound,

        /// <summary>A key with that label already exists in the account.</summary>
        LabelExists,

        /// <summary>The request is not acceptable (empty IP list with a restriction, a permission the key type cannot have...).</summary>
        InvalidArgument,

        /// <summary>The one-time secret could not be stored; the new key was deleted again.</summary>
        SecretNotStored,

        /// <summary>The outcome could not be settled by reading the state back.</summary>
        OutcomeUnknown,

        /// <summary>Binance's state after the change is not what was asked for.</summary>
        VerificationFailed,

        /// <summary>There is no connection: Connect-BinanceAccount first.</summary>
        NotConnected,

        /// <summary>Binance's state changed since the plan was made: nothing was written.</summary>
        StalePlan,

        /// <summary>Another apply against the same endpoint is running from this machine.</summary>
        ApplyInProgress,

        /// <summary>A high-impact change needs confirmation, and the host cannot ask (use -Force or -Confirm:$false).</summary>
        ConfirmationRequired,
    }

    /// <summary>A key operation that failed for a reason of its own (not a Binance error code).</summary>
    public sealed class KeyOperationException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public KeyOperationException(KeyOperationError error, string message, Exception? inner = null)
            : base(message, inner)
        {
            Error = error;
        }

        /// <summary>What went wrong.</summary>
        public KeyOperationError Error { get; }
    }
}

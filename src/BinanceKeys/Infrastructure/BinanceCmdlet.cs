using System;
using System.Management.Automation;
using System.Security;
using System.Threading;
using BinanceKeys.Crypto;

namespace BinanceKeys.Commands.Infrastructure
{
    /// <summary>
    /// What every BinanceKeys cmdlet shares: path resolution against the current PowerShell location, SecureString
    /// handling, cancellation on Ctrl-C, and the mapping of core exceptions to error records.
    /// </summary>
    public abstract class BinanceCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource cancellation = new CancellationTokenSource();

        /// <summary>Cancelled when the user presses Ctrl-C (StopProcessing).</summary>
        protected CancellationToken CancellationToken => cancellation.Token;

        /// <summary>Resolves a path typed by the user against PowerShell's current location (not the process's).</summary>
        protected string ResolveUserPath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

        /// <summary>Runs <paramref name="use"/> with the SecureString's characters, cleared afterwards; null stays null.</summary>
        protected static T WithChars<T>(SecureString? secure, Func<char[]?, T> use)
        {
            char[]? chars = secure is null ? null : SecureStrings.ToChars(secure);
            try
            {
                return use(chars);
            }
            finally
            {
                SecureStrings.Clear(chars);
            }
        }

        /// <summary>Stops the pipeline with the error record that corresponds to <paramref name="error"/>.</summary>
        protected void ThrowTerminating(Exception error, object? target = null) =>
            ThrowTerminatingError(ErrorRecords.From(error, target));

        /// <inheritdoc />
        protected override void StopProcessing() => cancellation.Cancel();

        /// <inheritdoc />
        protected override void EndProcessing() => cancellation.Dispose();
    }
}

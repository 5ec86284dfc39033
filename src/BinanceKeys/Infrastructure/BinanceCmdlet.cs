using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Crypto;
using BinanceKeys.Keys;

namespace BinanceKeys.Commands.Infrastructure
{
    /// <summary>
    /// What every BinanceKeys cmdlet shares: path resolution against the current PowerShell location, SecureString
    /// handling, cancellation on Ctrl-C, running core work while relaying its verbose lines on the pipeline
    /// thread, and the mapping of core exceptions to error records.
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

        /// <summary>The current connection, or a terminating error that says to connect first.</summary>
        protected BinanceConnection RequireConnection()
        {
            var connection = ConnectionStore.Current;
            if (connection is null)
            {
                ThrowTerminating(new KeyOperationException(KeyOperationError.NotConnected,
                    "There is no connection to Binance in this session: run Connect-BinanceAccount first."));
            }
            return connection!;
        }

        /// <summary>A key service over the current connection, logging to the verbose stream.</summary>
        protected ApiKeyService KeyService(Action<string> log) => new ApiKeyService(RequireConnection(), log);

        /// <summary>
        /// Runs asynchronous core work and waits for it on the pipeline thread, writing the verbose lines it (and
        /// the connection's client) logs as they come: cmdlet streams may only be written from this thread. The
        /// work starts on this thread, so it can read the session's connection. Ctrl-C cancels it.
        /// </summary>
        protected T Run<T>(Func<Action<string>, CancellationToken, Task<T>> work)
        {
            var lines = new BlockingCollection<string>();
            void Log(string line)
            {
                try
                {
                    lines.TryAdd(line);
                }
                catch (InvalidOperationException)
                {
                    // a line logged after the work finished has no stream left to go to
                }
            }

            var connection = ConnectionStore.Current;
            using (connection?.AttachLog(Log))
            {
                Task<T> task;
                try
                {
                    task = work(Log, CancellationToken);
                }
                catch
                {
                    lines.CompleteAdding();
                    throw;
                }
                task.ContinueWith(_ => lines.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                foreach (string line in lines.GetConsumingEnumerable()) WriteVerbose(line);
                try
                {
                    return task.GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
            }
        }

        /// <summary>Runs work that returns nothing.</summary>
        protected void Run(Func<Action<string>, CancellationToken, Task> work) =>
            Run<bool>(async (log, token) => { await work(log, token).ConfigureAwait(false); return true; });

        /// <summary>Stops the pipeline with the error record that corresponds to <paramref name="error"/>.</summary>
        protected void ThrowTerminating(Exception error, object? target = null) =>
            ThrowTerminatingError(ErrorRecords.From(error, target));

        /// <summary>Reports an error for one input and goes on with the next.</summary>
        protected void WriteNonTerminating(Exception error, object? target = null) =>
            WriteError(ErrorRecords.From(error, target));

        /// <summary>Whether an exception is one of the module's expected failures (mapped to a specific error record).</summary>
        protected static bool IsExpected(Exception error) =>
            error is KeyFileException || error is Binance.BinanceApiException || error is KeyOperationException ||
            error is PolicyViolationException || error is ManualStepRequiredException || error is System.IO.IOException ||
            error is UnauthorizedAccessException || error is ArgumentException || error is Secrets.VaultException;

        /// <inheritdoc />
        protected override void StopProcessing() => cancellation.Cancel();

        /// <inheritdoc />
        protected override void EndProcessing() => cancellation.Dispose();
    }
}

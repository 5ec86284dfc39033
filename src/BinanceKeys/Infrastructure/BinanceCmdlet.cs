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
        private BlockingCollection<Action>? pipelineWork;
        private int pipelineThread;

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

        /// <summary>
        /// A key service over the current connection: progress to the verbose stream, policy warnings to the warning
        /// stream, and the module's record of the keys it created (beside the vault <paramref name="vaultPath"/>, else the
        /// default one), which tells what Binance does not report (types, broker labels and full keys).
        /// </summary>
        protected ApiKeyService KeyService(Action<string> log, string? vaultPath = null)
        {
            var connection = RequireConnection();
            var records = State.Local.LocalKeyState.TryOpenRecords(new Uri(connection.Info.Endpoint), ResolvedVaultPath(vaultPath), readOnly: false, out string? problem);
            if (records is null) log($"The module's record of the keys it created is not available ({problem}); types and broker labels may show as unknown.");
            return new ApiKeyService(connection, log, Warn, records);
        }

        /// <summary>
        /// The folder of the module's local state for <paramref name="connection"/>'s endpoint, beside the vault
        /// <paramref name="vaultPath"/> (a relative one from the PowerShell location), else beside the default vault.
        /// </summary>
        protected string LocalStateFolder(BinanceConnection connection, string? vaultPath) =>
            State.Local.LocalKeyState.FolderFor(new Uri(connection.Info.Endpoint), ResolvedVaultPath(vaultPath));

        private string? ResolvedVaultPath(string? vaultPath) => vaultPath is null ? null : ResolveUserPath(vaultPath);

        /// <summary>
        /// A (done, total) callback for core work that writes one progress record per step on the pipeline thread and
        /// completes the activity when done reaches total. Only worth it for multi-key work.
        /// </summary>
        protected Action<int, int> Progress(int activityId, string activity) => (done, total) =>
        {
            var record = new ProgressRecord(activityId, activity, total == 0 ? "nothing to read" : $"{done} of {total}")
            {
                PercentComplete = total == 0 ? 100 : Math.Min(100, done * 100 / total),
                RecordType = done >= total ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            OnPipelineThreadQueued(() => WriteProgress(record));
        };

        // Queued to the pipeline thread when called from core work; run at once when already on it.
        private void OnPipelineThreadQueued(Action action)
        {
            var queue = pipelineWork;
            if (queue is null || Environment.CurrentManagedThreadId == pipelineThread)
            {
                action();
                return;
            }
            try
            {
                queue.TryAdd(action);
            }
            catch (InvalidOperationException)
            {
                // the command has finished
            }
        }

        // Called from core work: queued to the pipeline thread like the verbose lines.
        private void Warn(string message) => OnPipelineThreadQueued(() => WriteWarning(message));

        /// <summary>
        /// Runs asynchronous core work and waits for it on the pipeline thread, writing the verbose lines it (and
        /// the connection's client) logs as they come: cmdlet streams may only be written from this thread. The
        /// work starts on this thread, so it can read the session's connection. Ctrl-C cancels it.
        /// </summary>
        protected T Run<T>(Func<Action<string>, CancellationToken, Task<T>> work)
        {
            var queue = new BlockingCollection<Action>();
            void Log(string line)
            {
                try
                {
                    queue.TryAdd(() => WriteVerbose(line));
                }
                catch (InvalidOperationException)
                {
                    // a line logged after the work finished has no stream left to go to
                }
            }

            var outer = pipelineWork;
            pipelineWork = queue;
            pipelineThread = Environment.CurrentManagedThreadId;
            var connection = ConnectionStore.Current;
            try
            {
                using (connection?.AttachLog(Log))
                using (connection?.AttachRateLimitWaits(wait => Queue(queue, () => WriteRateLimitWait(wait))))
                {
                    Task<T> task;
                    try
                    {
                        task = work(Log, CancellationToken);
                    }
                    catch
                    {
                        queue.CompleteAdding();
                        throw;
                    }
                    task.ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    foreach (Action action in queue.GetConsumingEnumerable()) action();
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
            finally
            {
                pipelineWork = outer;
            }
        }

        // Long runs wait for Binance's rate-limit windows (about 60 key calls a minute per endpoint): say what for and how long.
        private void WriteRateLimitWait(Binance.RateLimitWait wait) =>
            WriteProgress(new ProgressRecord(RateLimitActivityId, "Waiting for Binance's rate limit",
                $"{wait.Endpoint}: the next window opens in {Math.Ceiling(wait.Delay.TotalSeconds):0} s")
            {
                SecondsRemaining = (int)Math.Ceiling(wait.Delay.TotalSeconds),
            });

        private const int RateLimitActivityId = 9000;

        private static void Queue(BlockingCollection<Action> queue, Action action)
        {
            try
            {
                queue.TryAdd(action);
            }
            catch (InvalidOperationException)
            {
                // the work has finished
            }
        }

        /// <summary>
        /// Runs <paramref name="action"/> on the pipeline thread (PowerShell commands, such as SecretManagement's, may
        /// only be invoked there) and waits for its result; called from core work running inside <see cref="Run{T}"/>.
        /// </summary>
        internal TResult OnPipelineThread<TResult>(Func<TResult> action)
        {
            var queue = pipelineWork;
            if (queue is null || Environment.CurrentManagedThreadId == pipelineThread) return action();
            var done = new TaskCompletionSource<TResult>();
            queue.Add(() =>
            {
                try
                {
                    done.SetResult(action());
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            });
            return done.Task.GetAwaiter().GetResult();
        }

        /// <summary>Runs work that returns nothing.</summary>
        protected void Run(Func<Action<string>, CancellationToken, Task> work) =>
            Run<bool>(async (log, token) => { await work(log, token).ConfigureAwait(false); return true; });

        /// <summary>
        /// ShouldProcess for a cmdlet with a -Force switch that skips the confirmation prompt and nothing else: -WhatIf and
        /// $WhatIfPreference always win (nothing changes, "What if:" is written), and an explicit -Confirm still prompts.
        /// </summary>
        /// <remarks>
        /// PowerShell's guidance: ShouldProcess is always called, -Force only bypasses the prompt
        /// (https://learn.microsoft.com/powershell/scripting/developer/cmdlet/requesting-confirmation-from-cmdlets), which a
        /// script writes as <c>if ($Force -and -not $Confirm) { $ConfirmPreference = 'None' }</c> before ShouldProcess
        /// (https://learn.microsoft.com/powershell/scripting/learn/deep-dives/everything-about-shouldprocess). A compiled
        /// cmdlet cannot lower its own ConfirmPreference, so it asks ShouldProcess whenever that could answer anything but
        /// yes without a prompt: under -WhatIf (it writes "What if:" and says no) or with -Confirm (it prompts).
        /// </remarks>
        protected bool ShouldProcess(string target, string action, bool force)
        {
            if (!force || MyInvocation.BoundParameters.ContainsKey("Confirm") || WhatIfRequested()) return ShouldProcess(target, action);
            WriteVerbose($"Performing the operation \"{action}\" on target \"{target}\" (-Force: not asking for confirmation).");
            return true;
        }

        // -WhatIf when bound (also through $PSDefaultParameterValues), else $WhatIfPreference as the caller's scope sees it:
        // the same sources, in the same order, as PowerShell's own command runtime.
        protected bool WhatIfRequested()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? bound))
            {
                return bound is SwitchParameter whatIf ? whatIf.IsPresent : LanguagePrimitives.IsTrue(bound);
            }
            return LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference", false));
        }

        /// <summary>Stops the pipeline with the error record that corresponds to <paramref name="error"/>.</summary>
        protected void ThrowTerminating(Exception error, object? target = null) =>
            ThrowTerminatingError(ErrorRecords.From(error, target));

        /// <summary>Reports an error for one input and goes on with the next.</summary>
        protected void WriteNonTerminating(Exception error, object? target = null) =>
            WriteError(ErrorRecords.From(error, target));

        /// <summary>
        /// Whether an exception is one of the expected failures, which become specific error records: the module's own
        /// exception types, and the operating system's refusals (access denied, I/O errors) that reach a cmdlet. Anything
        /// else, ArgumentException and InvalidOperationException included, is a bug and surfaces as one.
        /// </summary>
        protected static bool IsExpected(Exception error) =>
            error is KeyFileException || error is Binance.BinanceApiException || error is KeyOperationException ||
            error is PolicyViolationException || error is ManualStepRequiredException || error is Secrets.VaultException || error is State.DesiredStateException ||
            error is SecretManagementNotInstalledException || error is SecretManagementException ||
            error is UnauthorizedAccessException || error is System.IO.IOException;

        /// <summary>
        /// Opens the secret store the user chose: a SecretManagement vault (-Vault), else the local vault at
        /// <paramref name="vaultPath"/>, BINANCEKEYS_VAULT or the per-user default, unlocked with the passphrase given or
        /// BINANCEKEYS_VAULT_PASSPHRASE. <paramref name="create"/>: create the local vault if it does not exist.
        /// </summary>
        internal Secrets.ISecretStore OpenSecretStore(string? vaultName, string? vaultPath, SecureString? passphrase, bool create)
        {
            if (!string.IsNullOrEmpty(vaultName)) return SecretManagementStore.Open(this, vaultName!);
            // -VaultPath, else BINANCEKEYS_VAULT: a relative one is taken from the PowerShell location, like every path
            // the user gives (the per-user default is absolute).
            string? given = vaultPath ?? Environment.GetEnvironmentVariable(Secrets.VaultLocation.PathVariable);
            string path = Secrets.VaultLocation.Resolve(string.IsNullOrWhiteSpace(given) ? null : ResolveUserPath(given!));
            char[] chars = Secrets.VaultPassphrase.Resolve(passphrase);
            Secrets.LocalVault vault;
            try
            {
                vault = create ? Secrets.LocalVault.OpenOrCreate(path, chars) : Secrets.LocalVault.Open(path, chars);
            }
            finally
            {
                SecureStrings.Clear(chars);
            }
            // Tab completion of entry names reads what this session saw, never the passphrase (SecretNameCompleter).
            VaultNameCache.Follow(System.Management.Automation.Runspaces.Runspace.DefaultRunspace, vault);
            try
            {
                vault.List();
            }
            catch
            {
                vault.Dispose();
                throw;
            }
            return vault;
        }

        /// <summary>
        /// An account reference built from the user's -Email or -BrokerSubAccountId: a blank one (which parameter
        /// validation lets through) is the module's InvalidArgument error, not the ArgumentException of a wrong call.
        /// </summary>
        protected static AccountReference AccountOf(Func<AccountReference> build)
        {
            try
            {
                return build();
            }
            catch (ArgumentException e)
            {
                throw new KeyOperationException(KeyOperationError.InvalidArgument, e.Message.Split('(')[0].Trim(), e);
            }
        }

        /// <summary>
        /// A signer for a key pair, its private key loaded now (a pair object never holds one): from its private key
        /// file with <paramref name="passphrase"/>, or from its secret-store entry in the store the user names, else
        /// the store the pair was made in. The caller disposes the signer as soon as it is done.
        /// </summary>
        internal Signing.IRequestSigner KeyPairSigner(KeyPairInfo pair, SecureString? passphrase, string? vault, string? vaultPath, SecureString? vaultPassphrase)
        {
            string? vaultName = vault ?? (pair.VaultIsSecretManagement ? pair.Vault : null);
            string? localVault = vaultPath ?? (pair.VaultIsSecretManagement ? null : pair.Vault);
            return WithChars(passphrase, chars => Credentials.FromKeyPair(pair, chars, name =>
            {
                using var store = OpenSecretStore(vaultName, localVault, vaultPassphrase, create: false);
                return store.Get(name);
            }));
        }

        /// <inheritdoc />
        protected override void StopProcessing() => cancellation.Cancel();

        /// <inheritdoc />
        protected override void EndProcessing() => cancellation.Dispose();
    }
}

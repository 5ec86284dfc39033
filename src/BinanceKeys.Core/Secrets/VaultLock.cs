using System;
using System.IO;
using System.Threading;
using BinanceKeys.IO;

namespace BinanceKeys.Secrets
{
    /// <summary>
    /// An exclusive cross-process lock: the file <c>&lt;vault&gt;.lock</c> beside the vault, held open with FileShare.None
    /// (flock(2) LOCK_EX on Unix, a sharing lock on Windows). The operating system releases it if the process dies.
    /// </summary>
    /// <remarks>
    /// The lock file is left in place after use: deleting it would let a waiter lock the old, unlinked inode
    /// while a newcomer locks a new file, and both would believe they hold the lock.
    /// </remarks>
    internal sealed class VaultLock : IDisposable
    {
        private static readonly TimeSpan MaxPause = TimeSpan.FromMilliseconds(100);
        private readonly FileStream stream;

        private VaultLock(FileStream stream) => this.stream = stream;

        public static string LockPathFor(string vaultPath) => vaultPath + ".lock";

        /// <summary>Takes the lock, retrying until <paramref name="timeout"/>; then throws a <see cref="VaultErrorReason.Locked"/> error.</summary>
        public static VaultLock Acquire(string vaultPath, TimeSpan timeout) => Acquire(vaultPath, timeout, TimeProvider.System);

        /// <summary>
        /// Takes the lock, measuring the wait and pausing between attempts on <paramref name="time"/>, so that tests
        /// drive the waits with a fake clock instead of real time.
        /// </summary>
        public static VaultLock Acquire(string vaultPath, TimeSpan timeout, TimeProvider time)
        {
            string lockPath = LockPathFor(vaultPath);
            long started = time.GetTimestamp();
            var random = new Random();
            while (true)
            {
                FileStream stream;
                try
                {
                    stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException error) when (IsHeldByOther(error))
                {
                    if (time.GetElapsedTime(started) >= timeout)
                    {
                        throw new VaultException(VaultErrorReason.Locked,
                            $"The vault '{vaultPath}' is locked by another writer (lock file '{lockPath}'); gave up after {timeout.TotalSeconds:0.#} s. Try again when it has finished.",
                            vaultPath, innerException: error);
                    }
                    // Jitter, so that waiters do not retry in lockstep.
                    Pause(time, TimeSpan.FromMilliseconds(5 + random.Next((int)MaxPause.TotalMilliseconds)));
                    continue;
                }

                // Outside the retry filter: a lock file we cannot restrict is an error, not a busy lock.
                try
                {
                    SecureFile.RestrictToOwner(lockPath, SecureFile.OwnerReadWrite);
                }
                catch
                {
                    stream.Dispose();
                    throw;
                }
                return new VaultLock(stream);
            }
        }

        // The vault's API is synchronous; the pause is a timer of the given clock, waited for on this thread.
        private static void Pause(TimeProvider time, TimeSpan pause)
        {
            if (ReferenceEquals(time, TimeProvider.System))
            {
                Thread.Sleep(pause);
                return;
            }
            using var done = new ManualResetEventSlim();
            using (time.CreateTimer(_ => done.Set(), null, pause, Timeout.InfiniteTimeSpan))
            {
                done.Wait();
            }
        }

        public void Dispose() => stream.Dispose();

        // A sharing violation is a plain IOException (HResult ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION on Windows,
        // EWOULDBLOCK on Unix); missing folders, long paths and denied access are subclasses or other types and fail at once.
        private static bool IsHeldByOther(IOException error) => error.GetType() == typeof(IOException);
    }
}

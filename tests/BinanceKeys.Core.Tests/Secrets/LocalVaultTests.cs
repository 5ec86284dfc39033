using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Secrets;
using BinanceKeys.Tests.Interop;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using Xunit.Abstractions;

namespace BinanceKeys.Tests.Secrets
{
    public sealed class LocalVaultTests : IDisposable
    {
        private readonly VaultFolder folder = new VaultFolder();
        private readonly ITestOutputHelper output;

        public LocalVaultTests(ITestOutputHelper output) => this.output = output;

        public void Dispose() => folder.Dispose();

        [Theory]
        [InlineData("hmac")]
        [InlineData("ed25519")]
        [InlineData("rsa")]
        public void RoundTripsEveryEntryTypeThroughANewInstance(string type)
        {
            string secret = type == "hmac" ? TestEntries.NewHmacSecret() : TestEntries.NewPem();
            var created = new DateTime(2026, 11, 25, 4, 32, 10, DateTimeKind.Utc);
            using (LocalVault vault = folder.Create())
            using (var entry = new VaultEntry(new VaultEntryInfo("Desk-EU/Bot", type.ToUpperInvariant(), "apikey123", "desk-eu", "mm-bot ü", created), Encoding.UTF8.GetBytes(secret)))
            {
                vault.Set(entry, overwrite: false);
            }

            using LocalVault reopened = folder.Open();
            using VaultEntry read = reopened.Get("desk-eu/bot");
            Assert.Equal("Desk-EU/Bot", read.Name);
            Assert.Equal(type, read.Info.Type);
            Assert.Equal("apikey123", read.Info.ApiKey);
            Assert.Equal("desk-eu", read.Info.Account);
            Assert.Equal("mm-bot ü", read.Info.Label);
            Assert.Equal(created, read.Info.Created);
            Assert.Equal(DateTimeKind.Utc, read.Info.Created.Kind);
            Assert.Equal(secret, Encoding.UTF8.GetString(read.Secret));
            Assert.Equal(secret, new string(read.GetSecretChars()));
        }

        [Fact]
        public void KeepsNullMetadataAndConvertsLocalTimesToUtc()
        {
            DateTime local = new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Local);
            using LocalVault vault = folder.Create();
            using (var entry = new VaultEntry(new VaultEntryInfo("pair", "ed25519", null, null, null, local), Encoding.UTF8.GetBytes(TestEntries.NewPem())))
            {
                vault.Set(entry, overwrite: false);
            }

            VaultEntryInfo info = Assert.Single(vault.List());
            Assert.Null(info.ApiKey);
            Assert.Null(info.Account);
            Assert.Null(info.Label);
            Assert.Equal(local.ToUniversalTime(), info.Created);
        }

        [Fact]
        public void ListReturnsSortedMetadataAndItsTypeCannotCarryASecret()
        {
            using LocalVault vault = folder.Create();
            foreach (string name in new[] { "b", "C", "a" })
            {
                using VaultEntry entry = TestEntries.Hmac(name, TestEntries.NewHmacSecret());
                vault.Set(entry, overwrite: false);
            }

            Assert.Equal(new[] { "a", "b", "C" }, vault.List().Select(info => info.Name));
            var propertyTypes = typeof(VaultEntryInfo).GetProperties().Select(property => property.PropertyType).ToList();
            Assert.All(propertyTypes, type => Assert.True(type == typeof(string) || type == typeof(DateTime), $"unexpected {type}"));
        }

        [Fact]
        public void NamesAreCaseInsensitiveAndExistingEntriesAreOnlyReplacedOnRequest()
        {
            using LocalVault vault = folder.Create();
            string first = TestEntries.NewHmacSecret();
            string second = TestEntries.NewHmacSecret();
            using (VaultEntry entry = TestEntries.Hmac("Desk/A", first)) vault.Set(entry, overwrite: false);

            using (VaultEntry clash = TestEntries.Hmac("DESK/a", second))
            {
                var error = Assert.Throws<VaultException>(() => vault.Set(clash, overwrite: false));
                Assert.Equal(VaultErrorReason.EntryExists, error.Reason);
                Assert.Equal("Desk/A", error.EntryName);
                using (VaultEntry unchanged = vault.Get("desk/a")) Assert.Equal(first, Encoding.UTF8.GetString(unchanged.Secret));

                vault.Set(clash, overwrite: true);
            }

            using VaultEntry replaced = vault.Get("Desk/A");
            Assert.Equal("DESK/a", replaced.Name);
            Assert.Equal(second, Encoding.UTF8.GetString(replaced.Secret));
            Assert.Single(vault.List());
        }

        [Fact]
        public void GetAndRemoveOfAMissingEntryFailWithEntryNotFound()
        {
            using LocalVault vault = folder.Create();
            using (VaultEntry entry = TestEntries.Hmac("keep", TestEntries.NewHmacSecret())) vault.Set(entry, overwrite: false);

            Assert.Equal(VaultErrorReason.EntryNotFound, Assert.Throws<VaultException>(() => vault.Get("missing")).Reason);
            Assert.Equal(VaultErrorReason.EntryNotFound, Assert.Throws<VaultException>(() => vault.Remove("missing")).Reason);
            Assert.True(vault.Contains("KEEP"));
            vault.Remove("Keep");
            Assert.False(vault.Contains("keep"));
            Assert.Empty(vault.List());
        }

        [Fact]
        public void CallerKeepsOwnershipOfTheSecretItPassesAndOfTheEntryItGets()
        {
            using LocalVault vault = folder.Create();
            byte[] secret = Encoding.UTF8.GetBytes(TestEntries.NewHmacSecret());
            string expected = Encoding.UTF8.GetString(secret);
            using (var entry = new VaultEntry(new VaultEntryInfo("x", "hmac", "k", null, null, DateTime.UtcNow), secret))
            {
                Array.Clear(secret); // the entry made its own copy
                Assert.Equal(expected, Encoding.UTF8.GetString(entry.Secret));
                vault.Set(entry, overwrite: false);
                Assert.Equal(expected, Encoding.UTF8.GetString(entry.Secret)); // Set did not clear the caller's entry
            }

            VaultEntry read = vault.Get("x");
            byte[] inside = read.Secret;
            read.Dispose();
            Assert.All(inside, b => Assert.Equal(0, b));
        }

        [Fact]
        public void OpeningAMissingVaultFailsWithVaultNotFound()
        {
            var error = Assert.Throws<VaultException>(() => folder.Open());
            Assert.Equal(VaultErrorReason.VaultNotFound, error.Reason);
            Assert.Equal(folder.VaultPath, error.VaultPath);
            Assert.False(File.Exists(folder.VaultPath));
        }

        [Fact]
        public void AnEmptyPassphraseIsRefused()
        {
            var error = Assert.Throws<VaultException>(() => folder.Create(passphrase: ""));
            Assert.Equal(VaultErrorReason.PassphraseRequired, error.Reason);
        }

        [Fact]
        public void WrongPassphraseIsReportedAsSuch()
        {
            using (LocalVault vault = folder.Create())
            using (VaultEntry entry = TestEntries.Hmac("a", TestEntries.NewHmacSecret()))
            {
                vault.Set(entry, overwrite: false);
            }
            byte[] before = File.ReadAllBytes(folder.VaultPath);

            var error = Assert.Throws<VaultException>(() => folder.Open("correct horse battery stapler"));
            Assert.Equal(VaultErrorReason.WrongPassphrase, error.Reason);
            Assert.Equal(VaultErrorReason.WrongPassphrase, Assert.Throws<VaultException>(() => folder.Create("wrong")).Reason);
            Assert.Equal(before, File.ReadAllBytes(folder.VaultPath));
        }

        [Fact]
        public void AnyChangedHeaderByteIsDetectedAndNeverTakenForAWrongPassphrase()
        {
            CreateVaultWithOneEntry();
            byte[] original = File.ReadAllBytes(folder.VaultPath);

            for (int offset = 0; offset < VaultHeader.Size; offset++)
            {
                byte[] tampered = (byte[])original.Clone();
                tampered[offset] ^= 0x01;
                File.WriteAllBytes(folder.VaultPath, tampered);

                var error = Assert.Throws<VaultException>(() => folder.Open());
                VaultErrorReason expected = offset < VaultHeader.VersionOffset ? VaultErrorReason.NotAVault
                    : offset < VaultHeader.KdfOffset ? VaultErrorReason.UnsupportedVersion
                    : VaultErrorReason.Tampered;
                Assert.True(expected == error.Reason, $"offset {offset}: {error.Reason}");
            }
        }

        [Theory]
        [InlineData("first ciphertext byte")]
        [InlineData("last ciphertext byte")]
        [InlineData("tag")]
        public void AChangedCiphertextOrTagIsReportedAsTampering(string where)
        {
            CreateVaultWithOneEntry();
            using LocalVault openBefore = folder.Open();
            byte[] file = File.ReadAllBytes(folder.VaultPath);
            int offset = where switch
            {
                "first ciphertext byte" => VaultHeader.Size,
                "last ciphertext byte" => file.Length - VaultHeader.TagSize - 1,
                _ => file.Length - 1,
            };
            file[offset] ^= 0x80;
            File.WriteAllBytes(folder.VaultPath, file);

            Assert.Equal(VaultErrorReason.Tampered, Assert.Throws<VaultException>(() => folder.Open()).Reason);
            Assert.Equal(VaultErrorReason.Tampered, Assert.Throws<VaultException>(() => openBefore.List()).Reason);
            Assert.Equal(VaultErrorReason.Tampered, Assert.Throws<VaultException>(() => openBefore.Get("a")).Reason);
            using (VaultEntry entry = TestEntries.Hmac("b", TestEntries.NewHmacSecret()))
            {
                Assert.Equal(VaultErrorReason.Tampered, Assert.Throws<VaultException>(() => openBefore.Set(entry, overwrite: false)).Reason);
            }
            Assert.Equal(file, File.ReadAllBytes(folder.VaultPath)); // a failed write changes nothing
        }

        [Theory]
        [InlineData(0, VaultErrorReason.NotAVault)]
        [InlineData(5, VaultErrorReason.NotAVault)]
        [InlineData(9, VaultErrorReason.Tampered)]
        [InlineData(100, VaultErrorReason.Tampered)]
        [InlineData(VaultHeader.Size, VaultErrorReason.Tampered)]
        [InlineData(-1, VaultErrorReason.Tampered)]
        [InlineData(-17, VaultErrorReason.Tampered)]
        public void ATruncatedFileIsReportedClearly(int length, VaultErrorReason expected)
        {
            CreateVaultWithOneEntry();
            byte[] file = File.ReadAllBytes(folder.VaultPath);
            File.WriteAllBytes(folder.VaultPath, file.AsSpan(0, length >= 0 ? length : file.Length + length).ToArray());

            Assert.Equal(expected, Assert.Throws<VaultException>(() => folder.Open()).Reason);
        }

        [Fact]
        public void AFileThatIsNotAVaultIsReportedAsSuchAndLeftAlone()
        {
            File.WriteAllText(folder.VaultPath, "{ \"not\": \"a vault\" }\n");

            Assert.Equal(VaultErrorReason.NotAVault, Assert.Throws<VaultException>(() => folder.Open()).Reason);
            Assert.Equal(VaultErrorReason.NotAVault, Assert.Throws<VaultException>(() => folder.Create()).Reason);
            Assert.Equal("{ \"not\": \"a vault\" }\n", File.ReadAllText(folder.VaultPath));
        }

        [Fact]
        public void ANewerFormatVersionIsReportedAsUnsupported()
        {
            CreateVaultWithOneEntry();
            byte[] file = File.ReadAllBytes(folder.VaultPath);
            file[VaultHeader.VersionOffset + 1] = 2;
            FixChecksum(file);
            File.WriteAllBytes(folder.VaultPath, file);

            var error = Assert.Throws<VaultException>(() => folder.Open());
            Assert.Equal(VaultErrorReason.UnsupportedVersion, error.Reason);
            Assert.Contains("version 2", error.Message);
        }

        [Theory]
        [InlineData(11, 30)] // N = 2^30: refused before any memory is allocated
        [InlineData(12, 1)] // r's high byte: r = 2^24 + 8
        [InlineData(10, 2)] // an unknown KDF
        public void KeyDerivationSettingsOutOfBoundsAreRefusedWithoutDerivation(int offset, byte value)
        {
            CreateVaultWithOneEntry();
            byte[] file = File.ReadAllBytes(folder.VaultPath);
            file[offset] = value;
            FixChecksum(file);
            File.WriteAllBytes(folder.VaultPath, file);

            // Refused before any derivation: N = 2^30 would need a terabyte; measured in bytes allocated, not in time.
            long before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Equal(VaultErrorReason.UnsupportedVersion, Assert.Throws<VaultException>(() => folder.Open()).Reason);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 * 1024 * 1024, "a key derivation was started");
        }

        [Fact]
        public void AVaultReplacedByAnotherIsReportedToInstancesThatOpenedTheOldOne()
        {
            using LocalVault old = folder.Create();
            File.Delete(folder.VaultPath);
            using (LocalVault other = folder.Create("another passphrase")) { }

            Assert.Equal(VaultErrorReason.Replaced, Assert.Throws<VaultException>(() => old.List()).Reason);
        }

        [Fact]
        public void CreatesOwnerOnlyFolderVaultAndLockFile()
        {
            string path = Path.Combine(folder.Folder, "nested", "vault.bkv");
            using (LocalVault vault = LocalVault.Open(path, VaultFolder.Passphrase.ToCharArray(), create: true, VaultFolder.Cheap, TimeSpan.FromSeconds(5)))
            using (VaultEntry entry = TestEntries.Hmac("a", TestEntries.NewHmacSecret()))
            {
                vault.Set(entry, overwrite: false);
            }

            Assert.True(File.Exists(path));
            Assert.Equal(new[] { "vault.bkv", "vault.bkv.lock" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).Order());
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path + ".lock"));
            }
        }

        [Fact]
        public void NoFileHoldsTheSecretOrThePassphraseInAnyCommonEncoding()
        {
            string hmac = TestEntries.NewHmacSecret();
            string pem = TestEntries.NewPem();
            using (LocalVault vault = folder.Create())
            {
                using (VaultEntry entry = TestEntries.Hmac("h", hmac)) vault.Set(entry, overwrite: false);
                using (var entry = new VaultEntry(new VaultEntryInfo("p", "rsa", "k", null, null, DateTime.UtcNow), pem.ToCharArray())) vault.Set(entry, overwrite: false);
            }

            var forbidden = new List<byte[]>();
            foreach (string secret in new[] { hmac, pem, VaultFolder.Passphrase })
            {
                byte[] utf8 = Encoding.UTF8.GetBytes(secret);
                forbidden.Add(Encoding.Unicode.GetBytes(secret));
                forbidden.Add(Encoding.ASCII.GetBytes(Convert.ToBase64String(utf8)));
                forbidden.Add(Encoding.ASCII.GetBytes(Convert.ToHexString(utf8)));
                forbidden.Add(Encoding.ASCII.GetBytes(Convert.ToHexString(utf8).ToLowerInvariant()));
                // Every 8-byte window of the plain bytes: no fragment of the secret either.
                for (int i = 0; i + 8 <= utf8.Length; i++) forbidden.Add(utf8.AsSpan(i, 8).ToArray());
            }

            string[] files = Directory.GetFiles(folder.Folder, "*", SearchOption.AllDirectories);
            Assert.Equal(2, files.Length); // the vault and its lock file; no temporary file left behind
            foreach (string file in files)
            {
                byte[] bytes = File.ReadAllBytes(file);
                foreach (byte[] needle in forbidden)
                {
                    Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"{Path.GetFileName(file)} holds secret material");
                }
            }
        }

        [Fact]
        public void NoMessageOrToStringRevealsTheSecretOrThePassphrase()
        {
            string secret = TestEntries.NewHmacSecret();
            var errors = new List<Exception>();
            using (LocalVault vault = folder.Create(lockTimeout: TimeSpan.FromMilliseconds(50)))
            using (VaultEntry entry = TestEntries.Hmac("h", secret))
            {
                vault.Set(entry, overwrite: false);
                errors.Add(Assert.Throws<VaultException>(() => vault.Set(entry, overwrite: false)));
                errors.Add(Assert.Throws<VaultException>(() => vault.Get("missing")));
                using (VaultLock.Acquire(folder.VaultPath, TimeSpan.FromSeconds(1)))
                {
                    errors.Add(Assert.Throws<VaultException>(() => vault.Remove("h")));
                }

                using VaultEntry read = vault.Get("h");
                var displays = new[] { entry.ToString(), entry.Info.ToString(), read.ToString(), vault.ToString(), vault.List()[0].ToString() };
                Assert.All(displays, text => AssertClean(text, secret));
            }
            errors.Add(Assert.Throws<VaultException>(() => folder.Open("not the passphrase")));
            byte[] file = File.ReadAllBytes(folder.VaultPath);
            file[^1] ^= 1;
            File.WriteAllBytes(folder.VaultPath, file);
            errors.Add(Assert.Throws<VaultException>(() => folder.Open()));
            errors.Add(Assert.Throws<VaultException>(() => VaultPassphrase.Resolve((char[]?)null, _ => null)));

            Assert.Equal(
                new[] { VaultErrorReason.EntryExists, VaultErrorReason.EntryNotFound, VaultErrorReason.Locked, VaultErrorReason.WrongPassphrase, VaultErrorReason.Tampered, VaultErrorReason.PassphraseRequired },
                errors.Cast<VaultException>().Select(error => error.Reason));
            foreach (Exception error in errors)
            {
                output.WriteLine(error.Message);
                AssertClean(error.ToString(), secret);
                AssertClean(error.Message, secret);
            }
        }

        [Fact]
        public async Task TwoWritersWithTheirOwnInstancesLoseNothing()
        {
            using (folder.Create()) { }
            const int perWriter = 20;
            using var start = new Barrier(2);

            void Writer(string prefix)
            {
                using LocalVault vault = folder.Open();
                start.SignalAndWait();
                for (int i = 0; i < perWriter; i++)
                {
                    using VaultEntry entry = TestEntries.Hmac($"{prefix}-{i}", TestEntries.NewHmacSecret());
                    vault.Set(entry, overwrite: false);
                }
            }

            // Dedicated threads: the barrier blocks, and the pool may be busy with other tests.
            await Task.WhenAll(
                Task.Factory.StartNew(() => Writer("left"), TaskCreationOptions.LongRunning),
                Task.Factory.StartNew(() => Writer("right"), TaskCreationOptions.LongRunning));

            using LocalVault check = folder.Open();
            IReadOnlyList<VaultEntryInfo> all = check.List();
            Assert.Equal(2 * perWriter, all.Count);
            Assert.Equal(2 * perWriter, all.Select(info => info.Name).Distinct().Count());
        }

        /// <summary>A fake clock that counts the timers made on it, so a test knows when the lock's waiter is pausing.</summary>
        private sealed class CountingClock : FakeTimeProvider
        {
            private int timers;

            public int Timers => Volatile.Read(ref timers);

            public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
            {
                // Counted once the timer is armed: an Advance after the count always reaches it.
                ITimer timer = base.CreateTimer(callback, state, dueTime, period);
                Interlocked.Increment(ref timers);
                return timer;
            }
        }

        [Fact]
        public async Task AWriteWaitsForTheLock_OnTheVaultsClock_AndThenTimesOutWithLocked()
        {
            // Issue 9, item 15: the wait runs on the vault's clock; the test drives it, so nothing depends on real time.
            var clock = new CountingClock();
            using LocalVault vault = LocalVault.Open(folder.VaultPath, VaultFolder.Passphrase.ToCharArray(), create: true, VaultFolder.Cheap, TimeSpan.FromSeconds(10), clock);
            using VaultEntry entry = TestEntries.Hmac("a", TestEntries.NewHmacSecret());
            DateTimeOffset start = clock.GetUtcNow();
            int pauses = 0;
            using (VaultLock.Acquire(folder.VaultPath, TimeSpan.Zero))
            {
                Task write = Task.Factory.StartNew(() => vault.Set(entry, overwrite: false), TaskCreationOptions.LongRunning);
                while (true)
                {
                    // Each pause ends in another attempt, or the write gives up: never before 10 s on the clock.
                    Assert.True(SpinWait.SpinUntil(() => write.IsCompleted || clock.Timers > pauses, TimeSpan.FromMinutes(1)), "the write neither paused nor finished");
                    if (write.IsCompleted) break;
                    clock.Advance(TimeSpan.FromMilliseconds(105)); // the longest pause: 5 + up to 100 ms of jitter
                    pauses++;
                }
                var error = await Assert.ThrowsAsync<VaultException>(() => write);
                Assert.Equal(VaultErrorReason.Locked, error.Reason);
                Assert.Contains("gave up after 10 s", error.Message);
                TimeSpan waited = clock.GetUtcNow() - start;
                Assert.InRange(waited, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10) + TimeSpan.FromMilliseconds(105));
                Assert.InRange(pauses, 10_000 / 105, 10_000 / 5 + 1); // one attempt per pause of 5-105 ms
                Assert.Empty(vault.List()); // reads do not need the lock
            }

            vault.Set(entry, overwrite: false);
            Assert.True(vault.Contains("a"));
        }

        [Fact]
        public async Task AWaitingWriteGoesAheadAsSoonAsTheLockIsReleased()
        {
            var clock = new CountingClock();
            using LocalVault vault = LocalVault.Open(folder.VaultPath, VaultFolder.Passphrase.ToCharArray(), create: true, VaultFolder.Cheap, TimeSpan.FromSeconds(10), clock);
            using VaultEntry entry = TestEntries.Hmac("a", TestEntries.NewHmacSecret());
            Task write;
            using (VaultLock.Acquire(folder.VaultPath, TimeSpan.Zero))
            {
                write = Task.Factory.StartNew(() => vault.Set(entry, overwrite: false), TaskCreationOptions.LongRunning);
                Assert.True(SpinWait.SpinUntil(() => clock.Timers > 0, TimeSpan.FromMinutes(1)), "the write never waited");
                Assert.False(write.IsCompleted);
            }
            clock.Advance(TimeSpan.FromMilliseconds(105));
            await write;
            Assert.True(vault.Contains("a"));
            Assert.True(clock.GetUtcNow() - clock.Start < TimeSpan.FromSeconds(1), "it went ahead at the first attempt after the release");
        }

        [UnixFact] // Windows sharing locks are tested above
        public void TheLockHoldsAgainstAnotherProcess()
        {
            // flock(1) is util-linux, on every Debian; missing, the test fails and says so.
            string flock = ExternalTool.Require("flock", "it is in Debian's util-linux package");
            using LocalVault vault = folder.Create(lockTimeout: TimeSpan.FromMilliseconds(300));
            using VaultEntry entry = TestEntries.Hmac("a", TestEntries.NewHmacSecret());

            // flock(1), a tool nobody here wrote, takes the same flock(2) lock .NET takes for FileShare.None.
            var start = new ProcessStartInfo(flock) { RedirectStandardOutput = true };
            foreach (string argument in new[] { "--exclusive", VaultLock.LockPathFor(folder.VaultPath), "-c", "echo held; exec sleep 30" }) start.ArgumentList.Add(argument);
            using (Process holder = Process.Start(start)!)
            {
                try
                {
                    Assert.Equal("held", holder.StandardOutput.ReadLine());
                    Assert.Equal(VaultErrorReason.Locked, Assert.Throws<VaultException>(() => vault.Set(entry, overwrite: false)).Reason);
                }
                finally
                {
                    holder.Kill(entireProcessTree: true);
                    holder.WaitForExit();
                }
            }

            vault.Set(entry, overwrite: false);
            Assert.True(vault.Contains("a"));
        }

        [Fact]
        public void ProductionParametersAreStoredInTheHeaderAndOpenTheVault()
        {
            var clock = Stopwatch.StartNew();
            using (LocalVault created = LocalVault.OpenOrCreate(folder.VaultPath, VaultFolder.Passphrase.ToCharArray()))
            {
                output.WriteLine($"create (one derivation): {clock.ElapsedMilliseconds} ms");
                using VaultEntry entry = TestEntries.Hmac("a", TestEntries.NewHmacSecret());
                created.Set(entry, overwrite: false);
            }

            byte[] file = File.ReadAllBytes(folder.VaultPath);
            Assert.Equal(17, file[11]);
            Assert.Equal(new byte[] { 0, 0, 0, 8, 0, 0, 0, 1 }, file.AsSpan(12, 8).ToArray());

            clock.Restart();
            using var secure = new System.Security.SecureString();
            foreach (char c in VaultFolder.Passphrase) secure.AppendChar(c);
            using LocalVault opened = LocalVault.Open(folder.VaultPath, secure);
            // Reported, not asserted: the build machines' cores are shared, and a timing bound would be flaky.
            output.WriteLine($"open (one derivation): {clock.ElapsedMilliseconds} ms");
            Assert.True(opened.Contains("a"));
        }

        private void CreateVaultWithOneEntry()
        {
            using LocalVault vault = folder.Create();
            using VaultEntry entry = TestEntries.Hmac("a", TestEntries.NewHmacSecret());
            vault.Set(entry, overwrite: false);
        }

        private static void FixChecksum(byte[] file)
        {
            byte[] checksum = System.Security.Cryptography.SHA256.HashData(file.AsSpan(0, VaultHeader.ChecksumOffset));
            checksum.CopyTo(file, VaultHeader.ChecksumOffset);
        }

        private static void AssertClean(string text, string secret)
        {
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain(secret.Substring(0, 12), text);
            Assert.DoesNotContain(VaultFolder.Passphrase, text);
        }
    }
}

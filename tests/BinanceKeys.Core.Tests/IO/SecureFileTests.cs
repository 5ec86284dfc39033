using System;
using System.IO;
using System.Runtime.InteropServices;
using BinanceKeys.IO;
using Xunit;

namespace BinanceKeys.Tests.IO
{
    /// <summary>Tests that change the process's umask: run alone, so that no other test creates files meanwhile.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class UmaskCollection
    {
        public const string Name = "Process umask";
    }

    [Collection(UmaskCollection.Name)]
    public sealed class SecureFileTests : IDisposable
    {
        private readonly string folder = Directory.CreateTempSubdirectory("bk-securefile-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        [Fact]
        public void WritesOwnerOnlyFile()
        {
            string path = Path.Combine(folder, "secret.txt");
            SecureFile.WriteAllText(path, "s3cret", overwrite: false);

            Assert.Equal("s3cret", File.ReadAllText(path));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }

        [Fact]
        public void RefusesToOverwriteAndLeavesTheFileUntouched()
        {
            string path = Path.Combine(folder, "secret.txt");
            File.WriteAllText(path, "original");

            var error = Assert.Throws<FileExistsException>(() => SecureFile.WriteAllText(path, "new", overwrite: false));

            Assert.Equal(path, error.Path);
            Assert.Equal("original", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(folder));
        }

        [Fact]
        public void OverwritesAtomicallyAndRestrictsAnExistingWorldReadableFile()
        {
            string path = Path.Combine(folder, "secret.txt");
            File.WriteAllText(path, "original");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0x1A4); // 0644

            SecureFile.WriteAllText(path, "replacement", overwrite: true);

            Assert.Equal("replacement", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(folder));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }

        [Fact]
        public void CreatesOwnerOnlyFolder()
        {
            string path = Path.Combine(folder, "keys", "nested");
            SecureFile.CreateDirectory(path);

            Assert.True(Directory.Exists(path));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
            }
        }
    
        private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        private const UnixFileMode OwnerAll = OwnerReadWrite | UnixFileMode.UserExecute;

        [DllImport("libc", SetLastError = true)]
        private static extern int umask(int mask);

        /// <summary>Runs <paramref name="action"/> with the most permissive umask (000), so nothing but the code's own mode protects a new file.</summary>
        private static void WithPermissiveUmask(Action action)
        {
            int previous = umask(0);
            try
            {
                action();
            }
            finally
            {
                umask(previous);
            }
        }

        [UnixFact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void ASecretFileIsOwnerOnly_FromTheFirstMoment_EvenWithAPermissiveUmask()
        {
            // Issue 9, item 6: the file was created with the umask's mode and chmodded afterwards; a descriptor opened in
            // between kept read access. The hook sees the file as it is created, before any byte is written.
            string path = Path.Combine(folder, "secret.txt");
            UnixFileMode? byHandle = null, byPath = null;
            string? temporary = null;
            SecureFile.CreatedForTest = (file, handle) =>
            {
                temporary = file;
                byHandle = File.GetUnixFileMode(handle);
                byPath = File.GetUnixFileMode(file);
                Assert.Equal(0, new FileInfo(file).Length);
            };
            try
            {
                WithPermissiveUmask(() => SecureFile.WriteAllText(path, "s3cret", overwrite: false));
            }
            finally
            {
                SecureFile.CreatedForTest = null;
            }

            Assert.Equal(OwnerReadWrite, byHandle);
            Assert.Equal(OwnerReadWrite, byPath);
            Assert.StartsWith(Path.Combine(folder, ".secret.txt."), temporary);
            Assert.False(File.Exists(temporary));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
            Assert.Equal("s3cret", File.ReadAllText(path));
        }

        [UnixFact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void AnotherProcessCannotOpenTheFileWhileItIsWritten()
        {
            // A second opener that is not the owner: 'nobody' through su is not available everywhere, so the check is on
            // what the kernel would decide: no group or other bit is ever set while the handle is open.
            string path = Path.Combine(folder, "secret.txt");
            SecureFile.CreatedForTest = (file, handle) =>
                Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(handle) & (UnixFileMode)0x3F); // no group/other bit
            try
            {
                WithPermissiveUmask(() => SecureFile.WriteAllText(path, "s3cret", overwrite: true));
            }
            finally
            {
                SecureFile.CreatedForTest = null;
            }
        }

        [UnixFact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void EveryFolderLevelItCreates_IsOwnerOnly_EvenWithAPermissiveUmask()
        {
            string path = Path.Combine(folder, "a", "b", "c");
            WithPermissiveUmask(() => SecureFile.CreateDirectory(path));

            Assert.Equal(OwnerAll, File.GetUnixFileMode(Path.Combine(folder, "a")));
            Assert.Equal(OwnerAll, File.GetUnixFileMode(Path.Combine(folder, "a", "b")));
            Assert.Equal(OwnerAll, File.GetUnixFileMode(path));
        }

        [UnixFact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void AnExistingFolderIsLeftAsItIs()
        {
            string path = Path.Combine(folder, "shared");
            Directory.CreateDirectory(path);
            File.SetUnixFileMode(path, (UnixFileMode)0x1ED); // 0755
            SecureFile.CreateDirectory(Path.Combine(path, "mine"));
            Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(path));
            Assert.Equal(OwnerAll, File.GetUnixFileMode(Path.Combine(path, "mine")));
        }
    }
}

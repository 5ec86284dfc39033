using System;
using System.IO;
using BinanceKeys.IO;
using Xunit;

namespace BinanceKeys.Tests.IO
{
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
    }
}

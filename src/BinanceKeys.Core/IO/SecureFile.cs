using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace BinanceKeys.IO
{
    /// <summary>
    /// Writes files that hold secrets: owner-only from the moment the file exists, and an atomic replace
    /// (temporary file, flush to disk, rename) so that a crash never leaves half a key.
    /// </summary>
    /// <remarks>
    /// On Unix the temporary file is made by mkstemp(3), which creates it exclusively (O_CREAT|O_EXCL) with mode
    /// 0600 in one system call: there is no moment at which another process could open it, whatever the umask (a
    /// umask can only take bits away). netstandard2.0 has no File.SetUnixFileMode or UnixCreateMode; open(2) is
    /// variadic, and calling a variadic C function through P/Invoke passes the mode wrongly on Apple arm64, while
    /// mkstemp takes one pointer and exists on every Unix; changing the process-wide umask would race with every
    /// other thread. Folders are made with mkdir(2) and mode 0700, one missing level at a time, for the same
    /// reason. The folder is fsynced after the rename.
    /// On Windows the file inherits the access list of its folder; the user's profile is private by default.
    /// </remarks>
    public static class SecureFile
    {
        /// <summary>Owner read and write (0600).</summary>
        public const int OwnerReadWrite = 0x180;

        /// <summary>Owner read, write and search (0700), for folders created to hold secrets.</summary>
        public const int OwnerAll = 0x1C0;

        /// <summary>Test hook: called with the temporary file's path and open handle, before the first byte is written.</summary>
        internal static Action<string, SafeFileHandle>? CreatedForTest { get; set; }

        /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> with owner-only permissions.</summary>
        /// <param name="path">Destination file.</param>
        /// <param name="contents">The bytes to write.</param>
        /// <param name="overwrite">Replace an existing file; otherwise an existing file is an error and is left untouched.</param>
        /// <exception cref="FileExistsException">The file exists and <paramref name="overwrite"/> is false.</exception>
        public static void WriteAllBytes(string path, byte[] contents, bool overwrite)
        {
            string fullPath = Path.GetFullPath(path);
            string directory = Path.GetDirectoryName(fullPath) ?? ".";
            if (!overwrite && File.Exists(fullPath)) throw new FileExistsException(fullPath);

            string? temporary = null;
            try
            {
                using (FileStream stream = CreateOwnerOnly(directory, "." + Path.GetFileName(fullPath) + ".", out temporary))
                {
                    CreatedForTest?.Invoke(temporary, stream.SafeFileHandle);
                    stream.Write(contents, 0, contents.Length);
                    stream.Flush(flushToDisk: true);
                }

                if (overwrite)
                {
                    ReplaceFile(temporary, fullPath);
                }
                else
                {
                    // File.Move fails if the destination appeared in the meantime: never clobber a key.
                    try { File.Move(temporary, fullPath); }
                    catch (IOException) when (File.Exists(fullPath)) { throw new FileExistsException(fullPath); }
                }
                FlushDirectory(directory);
            }
            finally
            {
                if (temporary != null && File.Exists(temporary)) File.Delete(temporary);
            }
        }

        /// <summary>Writes UTF-8 text (no byte-order mark) with owner-only permissions.</summary>
        public static void WriteAllText(string path, string contents, bool overwrite) =>
            WriteAllBytes(path, new UTF8Encoding(false).GetBytes(contents), overwrite);

        /// <summary>Creates a folder and every missing parent, each owner-only (0700) from the moment it exists; existing folders are left as they are.</summary>
        public static void CreateDirectory(string path)
        {
            string fullPath = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            if (fullPath.Length == 0 || Directory.Exists(fullPath)) return;
            if (IsWindows)
            {
                Directory.CreateDirectory(fullPath);
                return;
            }
            string? parent = Path.GetDirectoryName(fullPath);
            if (parent != null && parent != fullPath) CreateDirectory(parent);
            if (Native.MakeDirectory(fullPath, OwnerAll) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                // Another process made it in the meantime: fine, as long as it is a folder.
                if (Directory.Exists(fullPath)) return;
                throw new IOException($"Cannot create the folder '{fullPath}' (errno {errno}).");
            }
        }

        /// <summary>Sets Unix permission bits; does nothing on Windows.</summary>
        public static void RestrictToOwner(string path, int mode)
        {
            if (IsWindows) return;
            if (Native.Chmod(path, mode) != 0)
            {
                throw new IOException($"Cannot restrict the permissions of '{path}' to the owner (errno {Marshal.GetLastWin32Error()}).");
            }
        }

        /// <summary>A new file in <paramref name="directory"/>, named <paramref name="prefix"/> plus a random part, open for writing, owner-only from its creation.</summary>
        private static FileStream CreateOwnerOnly(string directory, string prefix, out string path)
        {
            if (IsWindows)
            {
                path = Path.Combine(directory, prefix + Guid.NewGuid().ToString("N") + ".tmp");
                return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            }
            // mkstemp replaces the trailing XXXXXX in place; the buffer is the NUL-terminated UTF-8 path.
            byte[] template = Encoding.UTF8.GetBytes(Path.Combine(directory, prefix + "XXXXXX") + "\0");
            int descriptor = Native.MakeTemporary(template);
            if (descriptor < 0) throw new IOException($"Cannot create a file in '{directory}' (errno {Marshal.GetLastWin32Error()}).");
            path = Encoding.UTF8.GetString(template, 0, template.Length - 1);
            var handle = new SafeFileHandle(new IntPtr(descriptor), ownsHandle: true);
            try
            {
                return new FileStream(handle, FileAccess.Write);
            }
            catch
            {
                handle.Dispose();
                File.Delete(path);
                throw;
            }
        }

        private static void ReplaceFile(string source, string destination)
        {
            if (!File.Exists(destination))
            {
                File.Move(source, destination);
                return;
            }
            if (IsWindows)
            {
                File.Replace(source, destination, destinationBackupFileName: null);
                return;
            }
            // rename(2) replaces atomically on Unix.
            if (Native.Rename(source, destination) != 0)
            {
                throw new IOException($"Cannot replace '{destination}' (errno {Marshal.GetLastWin32Error()}).");
            }
        }

        /// <summary>
        /// fsync(2) of the folder, so that the rename itself reaches the disk: a secret reported as stored
        /// (a one-time HMAC secret, say) must survive a power loss. Best effort: the write has already succeeded.
        /// </summary>
        private static void FlushDirectory(string directory)
        {
            if (IsWindows) return;
            try
            {
                int descriptor = Native.OpenReadOnly(directory);
                if (descriptor < 0) return;
                Native.Fsync(descriptor);
                Native.Close(descriptor);
            }
            catch (DllNotFoundException) { }
            catch (EntryPointNotFoundException) { }
        }

        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        private static class Native
        {
            public static int Chmod(string path, int mode)
            {
                try { return LibC.chmod(path, mode); }
                catch (DllNotFoundException) { return LibC6.chmod(path, mode); }
            }

            public static int MakeTemporary(byte[] template)
            {
                try { return LibC.mkstemp(template); }
                catch (DllNotFoundException) { return LibC6.mkstemp(template); }
            }

            public static int MakeDirectory(string path, int mode)
            {
                try { return LibC.mkdir(path, mode); }
                catch (DllNotFoundException) { return LibC6.mkdir(path, mode); }
            }

            public static int Rename(string source, string destination)
            {
                try { return LibC.rename(source, destination); }
                catch (DllNotFoundException) { return LibC6.rename(source, destination); }
            }

            public static int OpenReadOnly(string path)
            {
                try { return LibC.open(path, 0); }
                catch (DllNotFoundException) { return LibC6.open(path, 0); }
            }

            public static int Fsync(int descriptor)
            {
                try { return LibC.fsync(descriptor); }
                catch (DllNotFoundException) { return LibC6.fsync(descriptor); }
            }

            public static int Close(int descriptor)
            {
                try { return LibC.close(descriptor); }
                catch (DllNotFoundException) { return LibC6.close(descriptor); }
            }

            private static class LibC
            {
                // mode_t is 32 bits on Linux and 16 on macOS; passed in a register either way, as an int.
                [DllImport("libc", SetLastError = true)]
                public static extern int mkstemp([In, Out] byte[] template);

                [DllImport("libc", SetLastError = true)]
                public static extern int mkdir(string path, int mode);

                // O_RDONLY is 0 on Linux and macOS; open's optional mode argument is only read with O_CREAT.
                [DllImport("libc", SetLastError = true)]
                public static extern int open(string path, int flags);

                [DllImport("libc", SetLastError = true)]
                public static extern int fsync(int descriptor);

                [DllImport("libc", SetLastError = true)]
                public static extern int close(int descriptor);

                [DllImport("libc", SetLastError = true)]
                public static extern int chmod(string path, int mode);

                [DllImport("libc", SetLastError = true)]
                public static extern int rename(string oldpath, string newpath);
            }

            private static class LibC6
            {
                [DllImport("libc.so.6", SetLastError = true)]
                public static extern int mkstemp([In, Out] byte[] template);

                [DllImport("libc.so.6", SetLastError = true)]
                public static extern int mkdir(string path, int mode);

                [DllImport("libc.so.6", SetLastError = true)]
                public static extern int open(string path, int flags);

                [DllImport("libc.so.6", SetLastError = true)]
                public static extern int fsync(int descriptor);

                [DllImport("libc.so.6", SetLastError = true)]
                public static extern int close(int descriptor);

                [DllImport("libc.so.6", SetLastError = true)]
                public static extern int chmod(string path, int mode);

                [DllImport("libc.so.6", SetLastError = true)]
                public static extern int rename(string oldpath, string newpath);
            }
        }
    }

    /// <summary>Thrown when a file that must not be overwritten already exists.</summary>
    public sealed class FileExistsException : IOException
    {
        /// <summary>Creates the exception for <paramref name="path"/>.</summary>
        public FileExistsException(string path)
            : base($"The file '{path}' already exists. Use -Force to replace it.")
        {
            Path = path;
        }

        /// <summary>The file that exists.</summary>
        public string Path { get; }
    }
}

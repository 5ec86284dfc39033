using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace BinanceKeys.IO
{
    /// <summary>
    /// Writes files that hold secrets: owner-only permissions from before the first byte is written,
    /// and an atomic replace (temporary file, flush to disk, rename) so that a crash never leaves half a key.
    /// </summary>
    /// <remarks>
    /// On Unix the mode is set with chmod(2) (File.SetUnixFileMode is not available on netstandard2.0).
    /// On Windows the file inherits the access list of its folder; the user's profile is private by default.
    /// </remarks>
    public static class SecureFile
    {
        /// <summary>Owner read and write (0600).</summary>
        public const int OwnerReadWrite = 0x180;

        /// <summary>Owner read, write and search (0700), for folders created to hold secrets.</summary>
        public const int OwnerAll = 0x1C0;

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

            string temporary = Path.Combine(directory, "." + Path.GetFileName(fullPath) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    // Restrict before writing, so that no one can open the file while it holds the secret.
                    RestrictToOwner(temporary, OwnerReadWrite);
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
            }
            finally
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
        }

        /// <summary>Writes UTF-8 text (no byte-order mark) with owner-only permissions.</summary>
        public static void WriteAllText(string path, string contents, bool overwrite) =>
            WriteAllBytes(path, new UTF8Encoding(false).GetBytes(contents), overwrite);

        /// <summary>Creates a folder (and its parents) and, when this call created it, makes it owner-only.</summary>
        public static void CreateDirectory(string path)
        {
            string fullPath = Path.GetFullPath(path);
            if (Directory.Exists(fullPath)) return;
            Directory.CreateDirectory(fullPath);
            RestrictToOwner(fullPath, OwnerAll);
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

        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        private static class Native
        {
            public static int Chmod(string path, int mode)
            {
                try { return LibC.chmod(path, mode); }
                catch (DllNotFoundException) { return LibC6.chmod(path, mode); }
            }

            public static int Rename(string source, string destination)
            {
                try { return LibC.rename(source, destination); }
                catch (DllNotFoundException) { return LibC6.rename(source, destination); }
            }

            private static class LibC
            {
                [DllImport("libc", SetLastError = true)]
                public static extern int chmod(string path, int mode);

                [DllImport("libc", SetLastError = true)]
                public static extern int rename(string oldpath, string newpath);
            }

            private static class LibC6
            {
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

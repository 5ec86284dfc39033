using System;
using System.IO;
using System.Runtime.InteropServices;

namespace BinanceKeys.IO
{
    /// <summary>Path questions that decide what a file may read: where a path really leads, and whether it stays inside a folder.</summary>
    public static class FileSystemPaths
    {
        private static readonly StringComparison PathComparison =
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX)
                ? StringComparison.OrdinalIgnoreCase
                : StringComparison.Ordinal;

        /// <summary>
        /// The absolute path with every symbolic link resolved (realpath(3)), or null when the path does not exist.
        /// On Windows the full path (links are not followed there: netstandard2.0 has no API for it).
        /// </summary>
        public static string? RealPath(string path)
        {
            string full = Path.GetFullPath(path);
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return File.Exists(full) || Directory.Exists(full) ? full : null;
            IntPtr resolved = Native.RealPath(full);
            if (resolved == IntPtr.Zero) return null;
            try
            {
                return Marshal.PtrToStringAnsi(resolved);
            }
            finally
            {
                Native.Free(resolved);
            }
        }

        /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies below it (both absolute and normalised).</summary>
        public static bool IsWithin(string path, string folder)
        {
            string root = folder.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? folder : folder + Path.DirectorySeparatorChar;
            return path.StartsWith(root, PathComparison) || string.Equals(path, folder.TrimEnd(Path.DirectorySeparatorChar), PathComparison);
        }

        private static class Native
        {
            // realpath(path, NULL) allocates the result with malloc(3); the caller frees it. UTF-8 paths: PtrToStringAnsi
            // reads UTF-8 on Unix in .NET Core.
            public static IntPtr RealPath(string path)
            {
                try { return LibC.realpath(path, IntPtr.Zero); }
                catch (DllNotFoundException) { return LibC6.realpath(path, IntPtr.Zero); }
            }

            public static void Free(IntPtr pointer)
            {
                try { LibC.free(pointer); }
                catch (DllNotFoundException) { LibC6.free(pointer); }
            }

            private static class LibC
            {
                [DllImport("libc", SetLastError = true)]
                public static extern IntPtr realpath(string path, IntPtr resolved);

                [DllImport("libc")]
                public static extern void free(IntPtr pointer);
            }

            private static class LibC6
            {
                [DllImport("libc.so.6", SetLastError = true)]
                public static extern IntPtr realpath(string path, IntPtr resolved);

                [DllImport("libc.so.6")]
                public static extern void free(IntPtr pointer);
            }
        }
    }
}

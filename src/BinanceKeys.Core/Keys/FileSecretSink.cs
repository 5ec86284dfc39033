using System;
using System.IO;
using System.Text;
using BinanceKeys.IO;

namespace BinanceKeys.Keys
{
    /// <summary>
    /// Writes a new key's one-time HMAC secret to a file of its own: owner-only, atomic, never over an existing
    /// file. The file holds the secret alone, on one line, so scripts can read it back as a SecureString.
    /// </summary>
    public sealed class FileSecretSink : IRevocableSecretSink
    {
        private readonly string path;

        /// <summary>Creates the sink for <paramref name="path"/> (a full path).</summary>
        public FileSecretSink(string path)
        {
            this.path = Path.GetFullPath(path);
        }

        /// <inheritdoc />
        public string Destination => $"file '{path}'";

        /// <inheritdoc />
        public void Store(ApiKeyInfo key, char[] secret)
        {
            string? folder = Path.GetDirectoryName(path);
            if (folder != null) SecureFile.CreateDirectory(folder);
            byte[] bytes = new UTF8Encoding(false).GetBytes(secret);
            try
            {
                SecureFile.WriteAllBytes(path, bytes, overwrite: false);
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
            }
        }

        /// <inheritdoc />
        public void Revoke() => File.Delete(path);

        /// <inheritdoc />
        public override string ToString() => Destination;
    }
}

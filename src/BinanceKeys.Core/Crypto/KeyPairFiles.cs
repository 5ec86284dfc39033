using System;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using BinanceKeys.IO;

namespace BinanceKeys.Crypto
{
    /// <summary>Where a key pair's two files go.</summary>
    public sealed class KeyPairPaths
    {
        internal KeyPairPaths(string privateKeyPath, string publicKeyPath)
        {
            PrivateKeyPath = privateKeyPath;
            PublicKeyPath = publicKeyPath;
        }

        /// <summary>NAME.pem: the private key.</summary>
        public string PrivateKeyPath { get; }

        /// <summary>NAME.pub.pem: the public key.</summary>
        public string PublicKeyPath { get; }
    }

    /// <summary>Creates and reads key pairs on disk: NAME.pem (private, PKCS#8) and NAME.pub.pem (public, SPKI).</summary>
    public static class KeyPairFiles
    {
        private const string PrivateSuffix = ".pem";
        private const string PublicSuffix = ".pub.pem";

        // A file name that is safe on every platform and cannot climb out of the folder.
        private static readonly Regex NamePattern = new Regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant);

        /// <summary>The paths a key pair named <paramref name="name"/> takes in <paramref name="directory"/>.</summary>
        /// <exception cref="KeyFileException">The name is not a plain file name.</exception>
        public static KeyPairPaths GetPaths(string name, string directory)
        {
            if (name is null || !NamePattern.IsMatch(name) || name.EndsWith(".", StringComparison.Ordinal))
            {
                throw new KeyFileException(KeyFileError.InvalidArgument, null,
                    $"The key pair name '{name}' is not valid: use 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit.");
            }
            string folder = Path.GetFullPath(directory);
            return new KeyPairPaths(Path.Combine(folder, name + PrivateSuffix), Path.Combine(folder, name + PublicSuffix));
        }

        /// <summary>
        /// Generates a key pair and writes it: the private key as PKCS#8 (encrypted with PBES2 when a passphrase is
        /// given; unencrypted only when <paramref name="passphrase"/> is null), the public key as SPKI PEM, both owner-only.
        /// Nothing is written if either file exists and <paramref name="overwrite"/> is false; if writing fails half-way,
        /// no new file is left behind.
        /// </summary>
        /// <exception cref="KeyFileException">An empty passphrase (<see cref="KeyFileError.InvalidArgument"/>): it would protect nothing.</exception>
        public static KeyPairInfo Create(
            string name, string directory, KeyAlgorithm algorithm, int? keySize, char[]? passphrase, bool overwrite,
            int pbkdf2Iterations = PrivateKeyPem.Pbkdf2Iterations)
        {
            KeyPairPaths paths = GetPaths(name, directory);
            if (passphrase != null && passphrase.Length == 0)
            {
                // Never "encrypted with nothing" silently: unencrypted is asked for by passing no passphrase at all.
                throw new KeyFileException(KeyFileError.InvalidArgument, paths.PrivateKeyPath,
                    "The passphrase is empty; nothing was written. Give a passphrase, or ask for an unencrypted key explicitly (-NoEncryption).");
            }
            if (!overwrite)
            {
                foreach (string path in new[] { paths.PrivateKeyPath, paths.PublicKeyPath })
                {
                    if (File.Exists(path))
                    {
                        throw new KeyFileException(KeyFileError.AlreadyExists, path, $"The file '{path}' already exists. Use -Force to replace it.");
                    }
                }
            }

            bool encrypted = passphrase != null;
            using SigningKey key = KeyGenerator.Generate(algorithm, keySize);
            // Encrypted: ciphertext, fine as text. Unencrypted: bytes, cleared once written.
            byte[] privatePem = encrypted
                ? new UTF8Encoding(false).GetBytes(PrivateKeyPem.WriteEncrypted(key, passphrase!, pbkdf2Iterations))
                : PrivateKeyPem.WriteUnencrypted(key);
            try
            {
                CreateFolder(paths.PrivateKeyPath);
                bool privateExisted = File.Exists(paths.PrivateKeyPath);
                bool publicExisted = File.Exists(paths.PublicKeyPath);
                try
                {
                    Write(paths.PrivateKeyPath, privatePem, overwrite);
                    Write(paths.PublicKeyPath, Encoding.ASCII.GetBytes(key.PublicKey.Pem), overwrite);
                }
                catch
                {
                    if (!privateExisted) TryDelete(paths.PrivateKeyPath);
                    if (!publicExisted) TryDelete(paths.PublicKeyPath);
                    throw;
                }
            }
            finally
            {
                Array.Clear(privatePem, 0, privatePem.Length);
            }
            return Describe(name, key.PublicKey, paths.PrivateKeyPath, paths.PublicKeyPath, encrypted);
        }

        /// <summary>
        /// Generates a key pair whose private key goes to <paramref name="storePrivateKey"/> (a secret store) instead of
        /// a file; only NAME.pub.pem is written, after the store has succeeded.
        /// </summary>
        public static KeyPairInfo CreateInStore(
            string name, string directory, KeyAlgorithm algorithm, int? keySize, bool overwrite, Action<SigningKey> storePrivateKey)
        {
            KeyPairPaths paths = GetPaths(name, directory);
            if (!overwrite && File.Exists(paths.PublicKeyPath))
            {
                throw new KeyFileException(KeyFileError.AlreadyExists, paths.PublicKeyPath, $"The file '{paths.PublicKeyPath}' already exists. Use -Force to replace it.");
            }
            using SigningKey key = KeyGenerator.Generate(algorithm, keySize);
            storePrivateKey(key);
            CreateFolder(paths.PublicKeyPath);
            Write(paths.PublicKeyPath, Encoding.ASCII.GetBytes(key.PublicKey.Pem), overwrite);
            return Describe(name, key.PublicKey, null, paths.PublicKeyPath, false);
        }

        /// <summary>
        /// Reads a private or public key file and describes it. A private key is decrypted (which checks the passphrase)
        /// and then let go: the result names the file, and signing loads the key from it again (docs/vault.md, "Private
        /// keys in memory"). A NAME.pub.pem beside a NAME.pem is reported when it holds the same public key.
        /// </summary>
        public static KeyPairInfo Read(string path, char[]? passphrase)
        {
            string fullPath = Path.GetFullPath(path);
            KeyFileContents contents = PrivateKeyPem.ReadFile(fullPath, passphrase);
            contents.PrivateKey?.Dispose();
            string fileName = Path.GetFileName(fullPath);
            string name = fileName.EndsWith(PublicSuffix, StringComparison.OrdinalIgnoreCase)
                ? fileName.Substring(0, fileName.Length - PublicSuffix.Length)
                : Path.GetFileNameWithoutExtension(fileName);

            if (contents.PrivateKey is null)
            {
                return Describe(name, contents.PublicKey, null, fullPath, false);
            }

            string sibling = Path.Combine(Path.GetDirectoryName(fullPath)!, name + PublicSuffix);
            string? publicPath = File.Exists(sibling) && HoldsSamePublicKey(sibling, contents.PublicKey) ? sibling : null;
            return Describe(name, contents.PublicKey, fullPath, publicPath, contents.IsEncrypted);
        }

        private static bool HoldsSamePublicKey(string path, PublicKey expected)
        {
            try
            {
                return PrivateKeyPem.ReadFile(path, null).PublicKey.Fingerprint == expected.Fingerprint;
            }
            catch (KeyFileException)
            {
                return false;
            }
        }

        private static KeyPairInfo Describe(string name, PublicKey publicKey, string? privatePath, string? publicPath, bool encrypted) =>
            new KeyPairInfo(name, publicKey.Algorithm, publicKey.KeySize, publicKey.Pem, publicKey.Fingerprint, privatePath, publicPath, encrypted);

        private static void CreateFolder(string file)
        {
            string folder = Path.GetDirectoryName(file)!;
            try
            {
                SecureFile.CreateDirectory(folder);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new KeyFileException(KeyFileError.AccessDenied, folder, $"Access to the folder '{folder}' is denied.", e);
            }
            catch (IOException e)
            {
                throw new KeyFileException(KeyFileError.WriteFailed, folder, $"The folder '{folder}' could not be created: {e.Message}", e);
            }
        }

        // SecureFile's failures as this module's own errors, with the operation (a write) and the file.
        private static void Write(string path, byte[] contents, bool overwrite)
        {
            try
            {
                SecureFile.WriteAllBytes(path, contents, overwrite);
            }
            catch (FileExistsException e)
            {
                throw new KeyFileException(KeyFileError.AlreadyExists, e.Path, e.Message, e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new KeyFileException(KeyFileError.AccessDenied, path, $"Access to '{path}' is denied.", e);
            }
            catch (IOException e)
            {
                throw new KeyFileException(KeyFileError.WriteFailed, path, $"'{path}' could not be written: {e.Message}", e);
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path)) File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}

using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Utilities;

namespace BinanceKeys.Secrets
{
    /// <summary>
    /// The fixed 128-byte header of a vault file, format version 1 (big-endian integers):
    /// <code>
    /// offset size field
    ///   0     8   magic "BKVAULT\0"
    ///   8     2   format version (1)
    ///  10     1   KDF (1 = scrypt)
    ///  11     1   log2 N
    ///  12     4   r
    ///  16     4   p
    ///  20    32   salt
    ///  52    32   key check: HMAC-SHA256(check key, "BinanceKeys vault key check v1\0" || bytes 0-51)
    ///  84    12   AES-GCM nonce, fresh for every write
    ///  96    32   header checksum: SHA-256(bytes 0-95)
    /// 128     n   AES-256-GCM ciphertext of the payload, associated data = bytes 0-127
    /// 128+n  16   GCM tag
    /// </code>
    /// </summary>
    internal sealed class VaultHeader
    {
        public const int Size = 128;
        public const int TagSize = 16;
        public const ushort CurrentVersion = 1;
        public const byte KdfScrypt = 1;
        public const int SaltSize = 32;
        public const int NonceSize = 12;

        public const int VersionOffset = 8;
        public const int KdfOffset = 10;
        public const int SaltOffset = 20;
        public const int KeyCheckOffset = 52;
        public const int NonceOffset = 84;
        public const int ChecksumOffset = 96;

        private static readonly byte[] Magic = { (byte)'B', (byte)'K', (byte)'V', (byte)'A', (byte)'U', (byte)'L', (byte)'T', 0 };

        public VaultHeader(ScryptParameters parameters, byte[] salt, byte[] keyCheck, byte[] nonce)
        {
            Parameters = parameters;
            Salt = salt;
            KeyCheck = keyCheck;
            Nonce = nonce;
        }

        public ScryptParameters Parameters { get; }

        public byte[] Salt { get; }

        public byte[] KeyCheck { get; }

        public byte[] Nonce { get; }

        /// <summary>Writes the KDF fields (bytes 0 to 51) of a header into <paramref name="buffer"/>.</summary>
        public static void WriteKdfFields(byte[] buffer, ScryptParameters parameters, byte[] salt)
        {
            Buffer.BlockCopy(Magic, 0, buffer, 0, Magic.Length);
            buffer[VersionOffset] = (byte)(CurrentVersion >> 8);
            buffer[VersionOffset + 1] = (byte)CurrentVersion;
            buffer[KdfOffset] = KdfScrypt;
            buffer[11] = (byte)parameters.Log2N;
            WriteUInt32(buffer, 12, (uint)parameters.R);
            WriteUInt32(buffer, 16, (uint)parameters.P);
            Buffer.BlockCopy(salt, 0, buffer, SaltOffset, SaltSize);
        }

        /// <summary>The complete header, checksum included.</summary>
        public byte[] ToBytes()
        {
            var bytes = new byte[Size];
            WriteKdfFields(bytes, Parameters, Salt);
            Buffer.BlockCopy(KeyCheck, 0, bytes, KeyCheckOffset, KeyCheck.Length);
            Buffer.BlockCopy(Nonce, 0, bytes, NonceOffset, NonceSize);
            byte[] checksum = Checksum(bytes);
            Buffer.BlockCopy(checksum, 0, bytes, ChecksumOffset, checksum.Length);
            return bytes;
        }

        /// <summary>Reads and checks the header of a whole vault file; throws a <see cref="VaultException"/> saying what is wrong.</summary>
        public static VaultHeader Parse(byte[] file, string path)
        {
            if (file.Length < Magic.Length || !Arrays.AreEqual(Magic, 0, Magic.Length, file, 0, Magic.Length))
            {
                throw new VaultException(VaultErrorReason.NotAVault,
                    $"The file '{path}' is not a BinanceKeys vault.", path);
            }
            if (file.Length < KdfOffset) throw Truncated(path);

            int version = (file[VersionOffset] << 8) | file[VersionOffset + 1];
            if (version != CurrentVersion)
            {
                throw new VaultException(VaultErrorReason.UnsupportedVersion,
                    $"The vault '{path}' has format version {version}; this version of BinanceKeys reads version {CurrentVersion} only.", path);
            }
            if (file.Length < Size + TagSize) throw Truncated(path);

            byte[] expected = Checksum(file);
            if (!Arrays.FixedTimeEquals(expected.Length, expected, 0, file, ChecksumOffset))
            {
                throw new VaultException(VaultErrorReason.Tampered,
                    $"The vault '{path}' is damaged or was modified outside BinanceKeys: its header checksum does not match. The file was not changed.", path);
            }

            var parameters = new ScryptParameters(file[11], (int)Math.Min(ReadUInt32(file, 12), int.MaxValue), (int)Math.Min(ReadUInt32(file, 16), int.MaxValue));
            if (file[KdfOffset] != KdfScrypt || !parameters.IsWithinBounds)
            {
                throw new VaultException(VaultErrorReason.UnsupportedVersion,
                    $"The vault '{path}' uses key-derivation settings this version of BinanceKeys does not accept (KDF {file[KdfOffset]}, {parameters}).", path);
            }

            return new VaultHeader(parameters, Slice(file, SaltOffset, SaltSize), Slice(file, KeyCheckOffset, 32), Slice(file, NonceOffset, NonceSize));
        }

        /// <summary>A fresh random nonce.</summary>
        public static byte[] NewNonce() => RandomBytes(NonceSize);

        /// <summary>A fresh random salt.</summary>
        public static byte[] NewSalt() => RandomBytes(SaltSize);

        private static VaultException Truncated(string path) =>
            new VaultException(VaultErrorReason.Tampered,
                $"The vault '{path}' is truncated or damaged. The file was not changed.", path);

        private static byte[] Checksum(byte[] headerOrFile)
        {
            using (var sha = SHA256.Create()) return sha.ComputeHash(headerOrFile, 0, ChecksumOffset);
        }

        private static byte[] RandomBytes(int count)
        {
            var bytes = new byte[count];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(bytes);
            return bytes;
        }

        private static byte[] Slice(byte[] source, int offset, int count)
        {
            var slice = new byte[count];
            Buffer.BlockCopy(source, offset, slice, 0, count);
            return slice;
        }

        private static void WriteUInt32(byte[] buffer, int offset, uint value)
        {
            buffer[offset] = (byte)(value >> 24);
            buffer[offset + 1] = (byte)(value >> 16);
            buffer[offset + 2] = (byte)(value >> 8);
            buffer[offset + 3] = (byte)value;
        }

        private static uint ReadUInt32(byte[] buffer, int offset) =>
            ((uint)buffer[offset] << 24) | ((uint)buffer[offset + 1] << 16) | ((uint)buffer[offset + 2] << 8) | buffer[offset + 3];
    }
}

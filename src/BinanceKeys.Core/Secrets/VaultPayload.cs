using System;
using System.Collections.Generic;
using System.Text;

namespace BinanceKeys.Secrets
{
    /// <summary>
    /// The plaintext inside a version-1 vault (big-endian integers):
    /// <code>
    /// uint32 entry count, then per entry:
    ///   string name, string type, string apiKey, string account, string label,
    ///   int64  created (UTC ticks),
    ///   bytes  secret
    /// string = int32 length (-1 for null) + UTF-8 bytes; bytes = int32 length + bytes
    /// </code>
    /// Buffers are sized exactly before writing, so no copy of a secret is left behind by a growing stream.
    /// </summary>
    internal static class VaultPayload
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

        public static byte[] Serialize(IReadOnlyCollection<VaultEntry> entries)
        {
            int size = 4;
            foreach (VaultEntry entry in entries)
            {
                VaultEntryInfo info = entry.Info;
                size += StringSize(info.Name) + StringSize(info.Type) + StringSize(info.ApiKey)
                    + StringSize(info.Account) + StringSize(info.Label) + 8 + 4 + entry.Secret.Length;
            }

            var buffer = new byte[size];
            int offset = 0;
            WriteInt32(buffer, ref offset, entries.Count);
            foreach (VaultEntry entry in entries)
            {
                VaultEntryInfo info = entry.Info;
                WriteString(buffer, ref offset, info.Name);
                WriteString(buffer, ref offset, info.Type);
                WriteString(buffer, ref offset, info.ApiKey);
                WriteString(buffer, ref offset, info.Account);
                WriteString(buffer, ref offset, info.Label);
                long ticks = info.Created.Ticks;
                WriteInt32(buffer, ref offset, (int)(ticks >> 32));
                WriteInt32(buffer, ref offset, (int)ticks);
                WriteInt32(buffer, ref offset, entry.Secret.Length);
                Buffer.BlockCopy(entry.Secret, 0, buffer, offset, entry.Secret.Length);
                offset += entry.Secret.Length;
            }
            return buffer;
        }

        /// <summary>Parses the payload; any inconsistency is reported as a damaged vault.</summary>
        public static List<VaultEntry> Deserialize(byte[] payload, string path)
        {
            var entries = new List<VaultEntry>();
            try
            {
                int offset = 0;
                int count = ReadInt32(payload, ref offset);
                if (count < 0) throw new FormatException();
                for (int i = 0; i < count; i++)
                {
                    string name = ReadString(payload, ref offset) ?? throw new FormatException();
                    string type = ReadString(payload, ref offset) ?? throw new FormatException();
                    string? apiKey = ReadString(payload, ref offset);
                    string? account = ReadString(payload, ref offset);
                    string? label = ReadString(payload, ref offset);
                    long high = (uint)ReadInt32(payload, ref offset);
                    long low = (uint)ReadInt32(payload, ref offset);
                    var created = new DateTime((high << 32) | low, DateTimeKind.Utc);
                    int secretLength = ReadInt32(payload, ref offset);
                    Require(payload, offset, secretLength);
                    var secret = new byte[secretLength];
                    Buffer.BlockCopy(payload, offset, secret, 0, secretLength);
                    offset += secretLength;
                    entries.Add(VaultEntry.Adopt(new VaultEntryInfo(name, type, apiKey, account, label, created), secret));
                }
                if (offset != payload.Length) throw new FormatException();
                return entries;
            }
            catch (Exception error) when (error is FormatException || error is ArgumentException || error is DecoderFallbackException)
            {
                foreach (VaultEntry entry in entries) entry.Dispose();
                // Authenticated but unreadable: written by a broken or foreign writer that had the key.
                throw new VaultException(VaultErrorReason.Tampered,
                    $"The vault '{path}' decrypts but its contents are malformed. The file was not changed.", path);
            }
        }

        private static int StringSize(string? value) => 4 + (value is null ? 0 : Utf8.GetByteCount(value));

        private static void WriteString(byte[] buffer, ref int offset, string? value)
        {
            if (value is null)
            {
                WriteInt32(buffer, ref offset, -1);
                return;
            }
            int length = Utf8.GetBytes(value, 0, value.Length, buffer, offset + 4);
            WriteInt32(buffer, ref offset, length);
            offset += length;
        }

        private static string? ReadString(byte[] buffer, ref int offset)
        {
            int length = ReadInt32(buffer, ref offset);
            if (length == -1) return null;
            Require(buffer, offset, length);
            string value = Utf8.GetString(buffer, offset, length);
            offset += length;
            return value;
        }

        private static void WriteInt32(byte[] buffer, ref int offset, int value)
        {
            buffer[offset] = (byte)(value >> 24);
            buffer[offset + 1] = (byte)(value >> 16);
            buffer[offset + 2] = (byte)(value >> 8);
            buffer[offset + 3] = (byte)value;
            offset += 4;
        }

        private static int ReadInt32(byte[] buffer, ref int offset)
        {
            Require(buffer, offset, 4);
            int value = (buffer[offset] << 24) | (buffer[offset + 1] << 16) | (buffer[offset + 2] << 8) | buffer[offset + 3];
            offset += 4;
            return value;
        }

        private static void Require(byte[] buffer, int offset, int length)
        {
            if (length < 0 || length > buffer.Length - offset) throw new FormatException();
        }
    }
}

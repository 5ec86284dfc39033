using System;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace BinanceKeys.Secrets
{
    /// <summary>AES-256-GCM over the payload, with the whole header as associated data.</summary>
    /// <remarks>BouncyCastle, because netstandard2.0 has no AesGcm.</remarks>
    internal static class VaultCipher
    {
        /// <summary>Builds a whole vault file: header with a fresh nonce, ciphertext, tag.</summary>
        public static byte[] Seal(VaultKey key, byte[] keyCheck, byte[] plaintext)
        {
            var header = new VaultHeader(key.Parameters, key.Salt, keyCheck, VaultHeader.NewNonce());
            byte[] headerBytes = header.ToBytes();
            GcmBlockCipher gcm = Create(forEncryption: true, key, header.Nonce, headerBytes);

            var file = new byte[VaultHeader.Size + gcm.GetOutputSize(plaintext.Length)];
            Buffer.BlockCopy(headerBytes, 0, file, 0, VaultHeader.Size);
            int written = gcm.ProcessBytes(plaintext, 0, plaintext.Length, file, VaultHeader.Size);
            gcm.DoFinal(file, VaultHeader.Size + written);
            return file;
        }

        /// <summary>Decrypts and authenticates; the caller clears the returned plaintext. Throws Tampered on any mismatch.</summary>
        public static byte[] Open(VaultKey key, VaultHeader header, byte[] file, string path)
        {
            var associatedData = new byte[VaultHeader.Size];
            Buffer.BlockCopy(file, 0, associatedData, 0, VaultHeader.Size);
            GcmBlockCipher gcm = Create(forEncryption: false, key, header.Nonce, associatedData);

            int cipherLength = file.Length - VaultHeader.Size;
            var plaintext = new byte[gcm.GetOutputSize(cipherLength)];
            try
            {
                int written = gcm.ProcessBytes(file, VaultHeader.Size, cipherLength, plaintext, 0);
                gcm.DoFinal(plaintext, written);
                return plaintext;
            }
            catch (InvalidCipherTextException error)
            {
                // GCM releases plaintext before the tag is checked: never let it escape.
                Array.Clear(plaintext, 0, plaintext.Length);
                throw new VaultException(VaultErrorReason.Tampered,
                    $"The vault '{path}' is damaged or was modified outside BinanceKeys: its contents fail authentication. The file was not changed.",
                    path, innerException: error);
            }
        }

        private static GcmBlockCipher Create(bool forEncryption, VaultKey key, byte[] nonce, byte[] associatedData)
        {
            var gcm = new GcmBlockCipher(AesUtilities.CreateEngine());
            gcm.Init(forEncryption, new AeadParameters(new KeyParameter(key.EncryptionKey), VaultHeader.TagSize * 8, nonce, associatedData));
            return gcm;
        }
    }
}

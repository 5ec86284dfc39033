using System;
using System.Collections.Generic;
using System.Linq;

namespace BinanceKeys.Keys
{
    /// <summary>A key to create: where, its label, type, permissions and IP access.</summary>
    public sealed class NewKeyRequest
    {
        /// <summary>The account to create it in.</summary>
        public AccountReference Account { get; set; } = AccountReference.Own;

        /// <summary>The label (Binance's apiName), unique in the account.</summary>
        public string Label { get; set; } = string.Empty;

        /// <summary>The public key (SPKI PEM) of an Ed25519 or RSA key; null for an HMAC key.</summary>
        public string? PublicKeyPem { get; set; }

        /// <summary>Permissions; Reading is implied.</summary>
        public ISet<ApiKeyPermission> Permissions { get; set; } = new HashSet<ApiKeyPermission>();

        /// <summary>Trusted IPs; empty means unrestricted.</summary>
        public IReadOnlyList<string> IpAddress { get; set; } = Array.Empty<string>();

        /// <summary>Where the one-time HMAC secret goes, named in findings (e.g. "file:/path" or "vault:name").</summary>
        public string? SecretDestination { get; set; }

        /// <summary>
        /// The key this one replaces (a plan's Replace): it may keep the same label until the new key is verified and the
        /// old one deleted; it does not count against the label's uniqueness.
        /// </summary>
        public string? Replaces { get; set; }

        internal IReadOnlyList<string> NormalizedIps() =>
            IpAddress.Where(ip => !string.IsNullOrWhiteSpace(ip)).Select(ip => ip.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Receives the one-time HMAC secret of a new key and stores it before anything else happens.</summary>
    public interface ISecretSink
    {
        /// <summary>Where the secret goes, for messages ("file /path", "vault entry NAME").</summary>
        string Destination { get; }

        /// <summary>Stores the secret; throws if it cannot. The caller clears <paramref name="secret"/> afterwards.</summary>
        void Store(ApiKeyInfo key, char[] secret);
    }

    /// <summary>A secret sink that can take back what it stored, once the key the secret belonged to is deleted again.</summary>
    public interface IRevocableSecretSink : ISecretSink
    {
        /// <summary>Removes the secret stored by <see cref="ISecretSink.Store"/>, so that a re-run can store the next key's there.</summary>
        void Revoke();
    }

    /// <summary>How to change a key's IP whitelist.</summary>
    public enum IpChangeMode
    {
        /// <summary>Replace the list with the given addresses.</summary>
        Replace,

        /// <summary>Add the given addresses to the list.</summary>
        Add,

        /// <summary>Remove the given addresses from the list.</summary>
        Remove,

        /// <summary>Lift the restriction: any address.</summary>
        Unrestricted,
    }
}

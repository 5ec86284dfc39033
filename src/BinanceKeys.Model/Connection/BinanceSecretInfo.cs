using System;

namespace BinanceKeys
{
    /// <summary>An entry of a secret store, described without its secret (Get-BinanceSecret without -Name).</summary>
    public sealed class BinanceSecretInfo
    {
        /// <summary>The entry's name, e.g. desk-a@example.com/reporting.</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>The API key the secret belongs to (public identifier), when known.</summary>
        public string? ApiKey { get; set; }

        /// <summary>The account: a sub-account email, a broker sub-account id, or empty.</summary>
        public string? Account { get; set; }

        /// <summary>The key's label.</summary>
        public string? Label { get; set; }

        /// <summary>hmac (an API secret), ed25519 or rsa (a private key).</summary>
        public string Type { get; set; } = string.Empty;

        /// <summary>When the entry was stored (UTC).</summary>
        public DateTime Created { get; set; }

        /// <summary>The store: the local vault's path, or the SecretManagement vault's name.</summary>
        public string Vault { get; set; } = string.Empty;

        /// <inheritdoc />
        public override string ToString() => $"{Name} ({Type})";
    }
}

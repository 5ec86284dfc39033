using System.Collections.Generic;

namespace BinanceKeys.Keys
{
    /// <summary>
    /// The module's own record of the keys it created, and its journal of creates in flight. Binance's key queries
    /// report neither a key's type nor its public key, and broker keys have no label and come back masked
    /// (docs/binance.md §2.3, §2.6): what the module uploaded is known only from what it wrote down at the time.
    /// </summary>
    public interface IKeyRecordBook
    {
        /// <summary>The record of a key the module created, by its full API key or the masked form Binance reports; null when unknown.</summary>
        KeyRecord? Find(AccountReference account, string reportedApiKey);

        /// <summary>The records of an account's keys.</summary>
        IReadOnlyList<KeyRecord> Of(AccountReference account);

        /// <summary>
        /// Before a create is sent: from now on a key may exist on Binance that nothing else knows about. <paramref name="replaces"/>
        /// names the key the new one replaces (deleted once the new key is verified), if any.
        /// </summary>
        PendingCreate BeginCreate(AccountReference account, string label, ApiKeyType type, string? publicKeyFingerprint, string? secretDestination, string? replaces);

        /// <summary>Binance created the key.</summary>
        void Created(PendingCreate create, string apiKey);

        /// <summary>The new key's one-time secret is in its store.</summary>
        void SecretStored(PendingCreate create);

        /// <summary>The create is over and the key stays: it is recorded, and the journal entry goes.</summary>
        void Completed(PendingCreate create, ApiKeyInfo key);

        /// <summary>The create is over and nothing of it is left on Binance (never sent, refused, or deleted again).</summary>
        void Abandoned(PendingCreate create);

        /// <summary>
        /// The create's answer was lost and reading back shows no new key yet: Binance may still execute it (a request
        /// that timed out is not cancelled, docs/binance.md §4). The entry stays open for the next plan to settle, even
        /// from this process.
        /// </summary>
        void Unsettled(PendingCreate create);

        /// <summary>The key was deleted from Binance.</summary>
        void Deleted(AccountReference account, string apiKey);

        /// <summary>The permissions the module set on a key (kept for the switches Binance does not report back).</summary>
        void PermissionsSet(AccountReference account, string apiKey, IEnumerable<ApiKeyPermission> permissions);
    }

    /// <summary>A create the record book has journalled and not yet closed.</summary>
    public sealed class PendingCreate
    {
        /// <summary>Creates the handle.</summary>
        public PendingCreate(string id, AccountReference account, string label, ApiKeyType type)
        {
            Id = id;
            Account = account;
            Label = label;
            Type = type;
        }

        /// <summary>The journal entry's id.</summary>
        public string Id { get; }

        /// <summary>The account the key is created in.</summary>
        public AccountReference Account { get; }

        /// <summary>The new key's label.</summary>
        public string Label { get; }

        /// <summary>The new key's type.</summary>
        public ApiKeyType Type { get; }

        /// <summary>The new key, once Binance created it.</summary>
        public string? ApiKey { get; set; }
    }

    /// <summary>What the module remembers of a key it created: never a secret, only where the secret went.</summary>
    public sealed class KeyRecord
    {
        /// <summary>The account kind.</summary>
        public AccountKind AccountKind { get; set; }

        /// <summary>The sub-account email, for sub-accounts.</summary>
        public string? Email { get; set; }

        /// <summary>The broker sub-account id, for broker sub-accounts.</summary>
        public string? BrokerSubAccountId { get; set; }

        /// <summary>The label the key was created with.</summary>
        public string Label { get; set; } = string.Empty;

        /// <summary>The full API key.</summary>
        public string ApiKey { get; set; } = string.Empty;

        /// <summary>The key's type.</summary>
        public ApiKeyType Type { get; set; }

        /// <summary>SHA-256 of the uploaded public key (DER SubjectPublicKeyInfo), lowercase hex; null for HMAC keys.</summary>
        public string? PublicKeyFingerprint { get; set; }

        /// <summary>Where the one-time HMAC secret was stored (e.g. "vault:desk/reporting"); a reference, never the secret.</summary>
        public string? SecretDestination { get; set; }

        /// <summary>Permissions the module last set on the key (for the switches Binance does not report back).</summary>
        public ApiKeyPermission[]? Permissions { get; set; }

        /// <summary>The key this one replaced: while that key still exists, a plan deletes it (an interrupted replace).</summary>
        public string? Replaces { get; set; }

        /// <summary>When the record was written.</summary>
        public System.DateTimeOffset RecordedAt { get; set; }

        /// <summary>The record's account.</summary>
        public AccountReference Account => AccountReference.From(Email, BrokerSubAccountId);
    }
}

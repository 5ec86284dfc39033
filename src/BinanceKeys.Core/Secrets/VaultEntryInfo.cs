using System;

namespace BinanceKeys.Secrets
{
    /// <summary>What the vault knows about an entry besides its secret; the only thing listing returns.</summary>
    public sealed class VaultEntryInfo
    {
        /// <summary>Creates the metadata of an entry.</summary>
        /// <param name="name">Unique name in the vault (case-insensitive), for example <c>desk-eu/reporting</c>.</param>
        /// <param name="type">Key type: <c>hmac</c>, <c>ed25519</c> or <c>rsa</c> (any case).</param>
        /// <param name="apiKey">The Binance API key, when known (a key pair may be stored before Binance issues its API key).</param>
        /// <param name="account">The local account name, if any.</param>
        /// <param name="label">The key's label (apiName) on Binance, if any.</param>
        /// <param name="created">When the entry was created; local times are converted to UTC, unspecified ones are taken as UTC.</param>
        public VaultEntryInfo(string name, string type, string? apiKey, string? account, string? label, DateTime created)
        {
            Name = VaultNames.Validate(name);
            Type = VaultKeyTypes.Normalize(type);
            ApiKey = apiKey;
            Account = account;
            Label = label;
            Created = created.Kind == DateTimeKind.Local
                ? created.ToUniversalTime()
                : DateTime.SpecifyKind(created, DateTimeKind.Utc);
        }

        /// <summary>What is wrong with <paramref name="name"/> as an entry name, or null when it is acceptable.</summary>
        public static string? NameProblem(string? name) => VaultNames.Problem(name);

        /// <summary>
        /// Checks a name given by a user before anything is done with it: a <see cref="VaultException"/> with
        /// <see cref="VaultErrorReason.InvalidName"/> that says what is wrong (the constructor's ArgumentException is for callers' bugs).
        /// </summary>
        public static string RequireValidName(string? name)
        {
            string? problem = VaultNames.Problem(name);
            if (problem != null) throw new VaultException(VaultErrorReason.InvalidName, problem, null, name);
            return name!;
        }

        /// <summary>Unique name in the vault, compared case-insensitively.</summary>
        public string Name { get; }

        /// <summary>Key type: <c>hmac</c>, <c>ed25519</c> or <c>rsa</c>.</summary>
        public string Type { get; }

        /// <summary>The Binance API key, or null when not yet known.</summary>
        public string? ApiKey { get; }

        /// <summary>The local account name, or null.</summary>
        public string? Account { get; }

        /// <summary>The key's label (apiName) on Binance, or null.</summary>
        public string? Label { get; }

        /// <summary>When the entry was created, in UTC.</summary>
        public DateTime Created { get; }

        /// <summary>Name and type only; the API key is left out of casual display.</summary>
        public override string ToString() => $"{Name} ({Type})";
    }
}

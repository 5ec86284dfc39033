using System;

namespace BinanceKeys
{
    /// <summary>What Connect-BinanceAccount established: where, as which key, with which permissions. No secret.</summary>
    public sealed class BinanceConnectionInfo
    {
        /// <summary>The REST base address.</summary>
        public string Endpoint { get; set; } = string.Empty;

        /// <summary>The connected API key (public identifier).</summary>
        public string ApiKey { get; set; } = string.Empty;

        /// <summary>How requests are signed: Hmac, Ed25519 or Rsa.</summary>
        public ApiKeyType KeyType { get; set; }

        /// <summary>The connected key's permissions, from GET /sapi/v1/account/apiRestrictions.</summary>
        public ApiKeyPermission[] Permission { get; set; } = Array.Empty<ApiKeyPermission>();

        /// <summary>Whether the connected key is restricted to trusted IPs.</summary>
        public bool IpRestricted { get; set; }

        /// <summary>Binance's clock minus the local clock, in milliseconds.</summary>
        public long ClockOffsetMilliseconds { get; set; }

        /// <summary>Binance's system status message ("normal" or "system maintenance").</summary>
        public string SystemStatus { get; set; } = string.Empty;

        /// <summary>When the connection was checked.</summary>
        public DateTimeOffset ConnectedAt { get; set; }

        /// <summary>Where the credentials came from: parameters, environment, or a stored secret's name.</summary>
        public string CredentialSource { get; set; } = string.Empty;

        /// <inheritdoc />
        public override string ToString() => $"{KeyType} key {ApiKey} at {Endpoint}";
    }

    /// <summary>A sub-account of the master account, or a Binance Link broker sub-account.</summary>
    public sealed class SubAccountInfo
    {
        /// <summary>SubAccount or BrokerSubAccount.</summary>
        public AccountKind AccountKind { get; set; }

        private string? email;

        /// <summary>
        /// The sub-account's email, which addresses it (<see cref="BinanceKeys.AccountKind.SubAccount"/>). Null for a broker
        /// sub-account, which is addressed by <see cref="BrokerSubAccountId"/> only: piped on, an object binds exactly the
        /// parameter of its own kind of account (-Email or -BrokerSubAccountId), never both.
        /// </summary>
        public string? Email
        {
            get => AccountKind == AccountKind.BrokerSubAccount ? null : email;
            set => email = value;
        }

        /// <summary>The broker sub-account id, for broker sub-accounts.</summary>
        public string? BrokerSubAccountId { get; set; }

        /// <summary>The email Binance assigned to a broker sub-account, if reported; for display (it does not address the account).</summary>
        public string? BrokerEmail => AccountKind == AccountKind.BrokerSubAccount ? email : null;

        /// <summary>Binance's numeric user id of the sub-account.</summary>
        public long? SubUserId { get; set; }

        /// <summary>Whether the sub-account is frozen.</summary>
        public bool IsFreeze { get; set; }

        /// <summary>Managed sub-account (investor / trading team).</summary>
        public bool IsManagedSubAccount { get; set; }

        /// <summary>Asset-management sub-account: Binance does not let the master manage its keys.</summary>
        public bool IsAssetManagementSubAccount { get; set; }

        /// <summary>Margin enabled on the sub-account (null: not reported).</summary>
        public bool? IsMarginEnabled { get; set; }

        /// <summary>Futures enabled on the sub-account (null: not reported).</summary>
        public bool? IsFutureEnabled { get; set; }

        /// <summary>The remark (sub-account) or tag (broker sub-account).</summary>
        public string? Remark { get; set; }

        /// <summary>When the sub-account was created.</summary>
        public DateTimeOffset? CreateTime { get; set; }

        /// <inheritdoc />
        public override string ToString() => Email ?? BrokerSubAccountId ?? "(sub-account)";
    }
}

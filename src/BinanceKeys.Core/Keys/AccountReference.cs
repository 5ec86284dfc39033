using System;

namespace BinanceKeys.Keys
{
    /// <summary>Whose keys: the caller's own account, a sub-account by email, or a broker sub-account by id.</summary>
    public sealed class AccountReference
    {
        private AccountReference(AccountKind kind, string? email, string? brokerSubAccountId)
        {
            Kind = kind;
            Email = email;
            BrokerSubAccountId = brokerSubAccountId;
        }

        /// <summary>The caller's own account.</summary>
        public static AccountReference Own { get; } = new AccountReference(AccountKind.Own, null, null);

        /// <summary>A sub-account of the master account.</summary>
        public static AccountReference SubAccount(string email) =>
            new AccountReference(AccountKind.SubAccount, string.IsNullOrWhiteSpace(email) ? throw new ArgumentException("The sub-account email is empty.", nameof(email)) : email.Trim(), null);

        /// <summary>A Binance Link broker sub-account.</summary>
        public static AccountReference Broker(string subAccountId) =>
            new AccountReference(AccountKind.BrokerSubAccount, null, string.IsNullOrWhiteSpace(subAccountId) ? throw new ArgumentException("The broker sub-account id is empty.", nameof(subAccountId)) : subAccountId.Trim());

        /// <summary>From the properties a key object carries (Email or BrokerSubAccountId, else the own account).</summary>
        public static AccountReference From(string? email, string? brokerSubAccountId) =>
            !string.IsNullOrWhiteSpace(email) ? SubAccount(email!) : !string.IsNullOrWhiteSpace(brokerSubAccountId) ? Broker(brokerSubAccountId!) : Own;

        public AccountKind Kind { get; }

        public string? Email { get; }

        public string? BrokerSubAccountId { get; }

        /// <summary>How findings and messages name the account.</summary>
        public string Name => Kind switch
        {
            AccountKind.SubAccount => Email!,
            AccountKind.BrokerSubAccount => "broker sub-account " + BrokerSubAccountId,
            _ => "own account",
        };

        /// <inheritdoc />
        public override string ToString() => Name;
    }
}

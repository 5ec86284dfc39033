using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;
using BinanceKeys.Crypto;
using BinanceKeys.Policy;
using BinanceKeys.State;

namespace BinanceKeys.Keys
{
    /// <summary>
    /// Reads and changes API keys on Binance for the cmdlets: one method per user action. Every write is checked by
    /// the policy engine first (an Error finding stops it before anything is sent), a write whose outcome is
    /// unknown is settled by reading the state back (never re-sent blindly), and every change is read back and
    /// verified before it is reported.
    /// </summary>
    public sealed class ApiKeyService
    {
        private readonly BinanceConnection connection;
        private readonly Action<string>? log;
        private readonly Action<string>? warn;

        /// <summary>Creates the service over a connection; <paramref name="log"/> gets progress lines, <paramref name="warn"/> policy warnings.</summary>
        public ApiKeyService(BinanceConnection connection, Action<string>? log = null, Action<string>? warn = null)
        {
            this.connection = connection ?? throw new ArgumentNullException(nameof(connection));
            this.log = log;
            this.warn = warn;
        }

        /// <summary>
        /// Whether Default Security Controls are assumed on for policy checks. Binance has no API that reports the
        /// switch; it is on by default, so the safe assumption is on (an unrestricted HMAC key with more than
        /// reading is refused rather than created and then deleted by Binance).
        /// </summary>
        public bool AssumeDefaultSecurityControls { get; set; } = true;

        private BinanceClient Client => connection.Client;

        // ---- reads ------------------------------------------------------------------------------------------------

        /// <summary>The connected key itself (GET /sapi/v1/account/apiRestrictions).</summary>
        public async Task<ApiKeyInfo> GetOwnKeyAsync(CancellationToken cancellation)
        {
            var restrictions = await Client.GetApiRestrictionsAsync(cancellation).ConfigureAwait(false);
            return new ApiKeyInfo
            {
                Account = AccountReference.Own.Name,
                AccountKind = AccountKind.Own,
                ApiKey = connection.Info.ApiKey,
                Type = connection.Info.KeyType,
                Permission = PermissionMapping.FromRestrictions(restrictions),
                IpAccess = restrictions.IpRestrict ? IpAccessMode.TrustedIps : IpAccessMode.Unrestricted,
                CreateTime = restrictions.CreateTime,
                TradingAuthorityExpirationTime = restrictions.TradingAuthorityExpirationTime,
            };
        }

        /// <summary>
        /// The keys of a sub-account or broker sub-account, each with its IP whitelist (one call per key, UID weight
        /// 3000: about 60 keys a minute); or one key. <paramref name="progress"/> hears (done, total) per key.
        /// </summary>
        public async Task<IReadOnlyList<ApiKeyInfo>> GetKeysAsync(AccountReference account, string? apiKey, CancellationToken cancellation, Action<int, int>? progress = null)
        {
            if (account.Kind == AccountKind.Own)
            {
                var own = await GetOwnKeyAsync(cancellation).ConfigureAwait(false);
                return apiKey == null || apiKey == own.ApiKey ? new[] { own } : Array.Empty<ApiKeyInfo>();
            }
            var remote = await QueryAsync(account, apiKey, cancellation).ConfigureAwait(false);
            var keys = new List<ApiKeyInfo>();
            foreach (var key in remote)
            {
                progress?.Invoke(keys.Count, remote.Count);
                var ip = await GetIpAsync(account, key.ApiKey, cancellation).ConfigureAwait(false);
                keys.Add(Describe(account, key, ip, type: null));
            }
            progress?.Invoke(keys.Count, remote.Count);
            return keys;
        }

        /// <summary>The master account's sub-accounts (GET /sapi/v1/sub-account/list with their status).</summary>
        public async Task<IReadOnlyList<SubAccountInfo>> GetSubAccountsAsync(string? email, CancellationToken cancellation)
        {
            var accounts = await Client.GetSubAccountsAsync(email, cancellation).ConfigureAwait(false);
            return accounts.Select(a => new SubAccountInfo
            {
                AccountKind = AccountKind.SubAccount,
                Email = a.Email,
                SubUserId = a.SubUserId,
                IsFreeze = a.IsFreeze,
                IsManagedSubAccount = a.IsManagedSubAccount,
                IsAssetManagementSubAccount = a.IsAssetManagementSubAccount,
                IsMarginEnabled = a.IsMarginEnabled,
                IsFutureEnabled = a.IsFutureEnabled,
                Remark = a.Remark,
                CreateTime = a.CreateTime,
            }).ToList();
        }

        /// <summary>The broker's sub-accounts (GET /sapi/v1/broker/subAccount).</summary>
        public async Task<IReadOnlyList<SubAccountInfo>> GetBrokerSubAccountsAsync(string? subAccountId, CancellationToken cancellation)
        {
            var accounts = await Client.GetBrokerSubAccountsAsync(subAccountId, cancellation).ConfigureAwait(false);
            return accounts.Select(a => new SubAccountInfo
            {
                AccountKind = AccountKind.BrokerSubAccount,
                BrokerSubAccountId = a.SubAccountId,
                Email = a.Email,
                Remark = a.Tag,
                CreateTime = a.CreateTime,
            }).ToList();
        }

        // ---- create -----------------------------------------------------------------------------------------------

        /// <summary>
        /// Creates a key: policy check, label uniqueness, create, then (HMAC) the one-time secret into
        /// <paramref name="secretSink"/> before anything else; if that fails the key is deleted again. Broker keys get
        /// their remaining permissions and IP whitelist in follow-up calls. The result is read back from Binance.
        /// </summary>
        public async Task<ApiKeyInfo> CreateKeyAsync(NewKeyRequest request, ISecretSink? secretSink, CancellationToken cancellation)
        {
            var account = request.Account;
            if (account.Kind == AccountKind.Own) throw OwnAccount("Creating a key for your own account");
            if (string.IsNullOrWhiteSpace(request.Label)) throw new KeyOperationException(KeyOperationError.InvalidArgument, "The key needs a label (-Label).");

            ApiKeyType type = ApiKeyType.Hmac;
            PublicKey? publicKey = null;
            if (request.PublicKeyPem != null)
            {
                publicKey = PrivateKeyPem.Read(request.PublicKeyPem, null, "the public key").PublicKey;
                type = publicKey.Algorithm == KeyAlgorithm.Ed25519 ? ApiKeyType.Ed25519 : ApiKeyType.Rsa;
            }
            if (type == ApiKeyType.Hmac && secretSink is null)
            {
                throw new KeyOperationException(KeyOperationError.InvalidArgument,
                    $"'{request.Label}' would be an HMAC key, whose one-time secret needs a place to go (a vault entry or a -SecretPath file); or give a public key for an Ed25519/RSA key.");
            }
            var ips = request.NormalizedIps();
            var permissions = new HashSet<ApiKeyPermission>(request.Permissions) { ApiKeyPermission.Reading };

            var existing = await QueryAsync(account, null, cancellation).ConfigureAwait(false);
            // Labels identify keys within an account (case-insensitive), as in desired-state files; Binance itself does
            // not enforce it. Broker keys have no label on Binance, so there is nothing to compare.
            var sameLabel = existing.FirstOrDefault(k => string.Equals(k.ApiName, request.Label, StringComparison.OrdinalIgnoreCase));
            if (sameLabel != null)
            {
                throw new KeyOperationException(KeyOperationError.LabelExists,
                    $"{account.Name} already has a key labelled '{sameLabel.ApiName}' ({sameLabel.ApiKey}); labels identify keys, so choose another label or remove that key first.");
            }
            var proposed = new DesiredKey
            {
                Label = request.Label,
                Type = type,
                IpAccess = ips.Count > 0 ? IpAccessMode.TrustedIps : IpAccessMode.Unrestricted,
                IpAccessDeclared = true,
                PublicKeyPem = publicKey?.Pem,
                PublicKeyAlgorithm = publicKey is null ? (ApiKeyType?)null : type,
                PublicKeyBits = publicKey?.KeySize,
                Secret = type == ApiKeyType.Hmac ? (request.SecretDestination ?? secretSink?.Destination) : null,
            };
            proposed.Permissions.AddRange(permissions.Select(p => new Located<ApiKeyPermission>(p, null)));
            proposed.IpWhitelist.AddRange(ips.Select(ip => new Located<string>(ip, null)));
            await EnforcePolicyAsync(account, proposed, existing, cancellation).ConfigureAwait(false);

            var notSettable = PermissionMapping.NotSettable(permissions, account.Kind);
            if (notSettable.Count > 0)
            {
                throw new ManualStepRequiredException(
                    $"{string.Join(", ", notSettable.Select(PermissionCatalog.NameOf))} cannot be set through Binance's API.",
                    WebUiSteps(account, request.Label, $"tick {string.Join(", ", notSettable.Select(p => "'" + PermissionCatalog.Get(p).DisplayName + "'"))} and save"));
            }

            Log($"Creating {ContractNames.Of(type)} key '{request.Label}' in {account.Name}.");
            CreatedApiKey created;
            try
            {
                created = account.Kind == AccountKind.SubAccount
                    ? await Client.CreateSubAccountApiKeyAsync(account.Email!, request.Label, ips.Count > 0 ? IpRestrictionStatus.TrustedIps : IpRestrictionStatus.Unrestricted,
                        ips, null, PermissionMapping.ToSubAccount(permissions), publicKey?.Pem, cancellation).ConfigureAwait(false)
                    : await Client.CreateBrokerApiKeyAsync(account.BrokerSubAccountId!, PermissionMapping.ToBroker(permissions), publicKey?.Pem, cancellation).ConfigureAwait(false);
            }
            catch (BinanceApiException e) when (e.Kind == BinanceErrorKind.ServerStateUnknown)
            {
                await SettleUnknownCreateAsync(account, request.Label, type, existing, e, cancellation).ConfigureAwait(false);
                throw; // unreachable: settling always throws
            }

            using (created)
            {
                string apiKey = created.Key.ApiKey;
                if (type == ApiKeyType.Hmac)
                {
                    await StoreSecretOrDeleteAsync(account, request.Label, created, secretSink!, cancellation).ConfigureAwait(false);
                }
                if (account.Kind == AccountKind.BrokerSubAccount)
                {
                    await ApplyBrokerExtrasAsync(account, apiKey, permissions, ips, cancellation).ConfigureAwait(false);
                }
                var info = await ReadBackAsync(account, apiKey, type, cancellation).ConfigureAwait(false);
                info.Label ??= request.Label;
                VerifyIps(info, ips.Count > 0, ips);
                return info;
            }
        }

        // ---- change -----------------------------------------------------------------------------------------------

        /// <summary>Changes a key's IP whitelist (replace, add, remove, or lift), then reads it back and verifies it.</summary>
        public async Task<ApiKeyInfo> SetIpRestrictionAsync(AccountReference account, string apiKey, IpChangeMode mode, IReadOnlyList<string> addresses, ApiKeyType? knownType, CancellationToken cancellation)
        {
            if (account.Kind == AccountKind.Own)
            {
                throw OwnAccount("Changing the IP whitelist of your own key", WebUiSteps(account, apiKey,
                    mode == IpChangeMode.Unrestricted ? "choose 'Unrestricted (Less Secure)' under IP access restrictions and save"
                        : $"choose 'Restrict access to trusted IPs only', enter {string.Join(", ", addresses)}, confirm and save"));
            }
            var key = await FindAsync(account, apiKey, cancellation).ConfigureAwait(false);
            var current = await GetIpAsync(account, apiKey, cancellation).ConfigureAwait(false);
            var given = addresses.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var currentList = current.IpRestrict ? current.IpList.ToList() : new List<string>();
            List<string> desired = mode switch
            {
                IpChangeMode.Replace => given,
                IpChangeMode.Add => currentList.Concat(given).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
                IpChangeMode.Remove => currentList.Where(a => !given.Contains(a, StringComparer.OrdinalIgnoreCase)).ToList(),
                _ => new List<string>(),
            };
            bool restrict = mode != IpChangeMode.Unrestricted;
            if (restrict && desired.Count == 0)
            {
                throw new KeyOperationException(KeyOperationError.InvalidArgument,
                    $"The key {apiKey} would be left restricted to no address at all; use -Unrestricted to lift the restriction instead.");
            }

            var proposed = Describe(account, key, new IpRestriction { IpRestrict = restrict, IpList = desired }, AssumedType(knownType));
            await EnforcePolicyAsync(account, ToDesired(proposed), null, cancellation).ConfigureAwait(false);

            Log($"Setting the IP whitelist of {apiKey} in {account.Name}: {(restrict ? string.Join(",", desired) : "unrestricted")}.");
            // POST v2 "inserts in batch": whether it replaces or appends is UNCONFIRMED (binance-api.md §8), so send
            // the whole wanted list, read the result, and delete what must go; the last read is what is verified.
            await SettleWriteAsync(() => UpdateIpAsync(account, apiKey, restrict, restrict ? desired : null, cancellation), cancellation).ConfigureAwait(false);
            var after = await GetIpAsync(account, apiKey, cancellation).ConfigureAwait(false);
            // Surplus entries go only once every wanted address is in: deleting them after a failed update would
            // leave the key with fewer addresses than asked for, or none at all, which Binance reads as unrestricted.
            bool wantedAllPresent = desired.All(a => after.IpList.Contains(a, StringComparer.OrdinalIgnoreCase));
            var stale = restrict && wantedAllPresent
                ? after.IpList.Where(a => !desired.Contains(a, StringComparer.OrdinalIgnoreCase)).ToList()
                : new List<string>();
            if (stale.Count > 0)
            {
                await SettleWriteAsync(() => DeleteIpsAsync(account, apiKey, stale, cancellation), cancellation).ConfigureAwait(false);
                after = await GetIpAsync(account, apiKey, cancellation).ConfigureAwait(false);
            }

            // An IP change leaves the permissions as they were: the key read above still describes them.
            var info = Describe(account, key, after, knownType);
            info.ApiKey = apiKey;
            VerifyIps(info, restrict, desired);
            return info;
        }

        /// <summary>Sets a key's permissions to exactly <paramref name="permissions"/> (Reading implied), then reads them back.</summary>
        public async Task<ApiKeyInfo> SetPermissionAsync(AccountReference account, string apiKey, ISet<ApiKeyPermission> permissions, ApiKeyType? knownType, CancellationToken cancellation)
        {
            var wanted = new HashSet<ApiKeyPermission>(permissions) { ApiKeyPermission.Reading };
            if (account.Kind == AccountKind.Own)
            {
                throw OwnAccount("Changing the permissions of your own key", WebUiSteps(account, apiKey,
                    $"set the permissions to {string.Join(", ", wanted.OrderBy(p => p).Select(p => "'" + PermissionCatalog.Get(p).DisplayName + "'"))} and save"));
            }
            var key = await FindAsync(account, apiKey, cancellation).ConfigureAwait(false);
            var ip = await GetIpAsync(account, apiKey, cancellation).ConfigureAwait(false);
            var current = Describe(account, key, ip, null);

            var notSettable = PermissionMapping.NotSettable(wanted.Except(current.Permission), account.Kind)
                .Concat(PermissionMapping.NotSettable(current.Permission.Except(wanted), account.Kind)).Distinct().ToList();
            // FIX permissions can be given at creation only (binance-api.md §2.3: no modify parameter).
            notSettable.AddRange(new[] { ApiKeyPermission.FixApiTrading, ApiKeyPermission.FixApiReading }
                .Where(p => wanted.Contains(p) != current.Permission.Contains(p) && !notSettable.Contains(p)));
            if (notSettable.Count > 0)
            {
                throw new ManualStepRequiredException(
                    $"{string.Join(", ", notSettable.Select(PermissionCatalog.NameOf))} cannot be changed on an existing key through Binance's API.",
                    WebUiSteps(account, apiKey, $"change {string.Join(", ", notSettable.Select(p => "'" + PermissionCatalog.Get(p).DisplayName + "'"))} and save"));
            }

            var proposed = Describe(account, key, ip, AssumedType(knownType));
            proposed.Permission = wanted.ToArray();
            await EnforcePolicyAsync(account, ToDesired(proposed), null, cancellation).ConfigureAwait(false);

            Log($"Setting the permissions of {apiKey} in {account.Name}: {string.Join(",", wanted.OrderBy(p => p).Select(PermissionCatalog.NameOf))}.");
            await SettleWriteAsync(async () =>
            {
                if (account.Kind == AccountKind.SubAccount)
                {
                    await Client.ModifySubAccountApiKeyPermissionAsync(account.Email!, apiKey, PermissionMapping.ToSubAccount(wanted), cancellation).ConfigureAwait(false);
                }
                else
                {
                    await Client.ChangeBrokerApiKeyPermissionAsync(account.BrokerSubAccountId!, apiKey, PermissionMapping.ToBroker(wanted), cancellation).ConfigureAwait(false);
                    await ApplyBrokerTogglesAsync(account, apiKey, wanted, current.Permission, cancellation).ConfigureAwait(false);
                }
            }, cancellation).ConfigureAwait(false);

            // A permission change leaves the IP whitelist as it was: only the key is read again.
            var info = Describe(account, await FindAsync(account, apiKey, cancellation).ConfigureAwait(false), ip, knownType);
            info.ApiKey = apiKey;
            var missing = wanted.Where(p => IsReported(account, p)).Except(info.Permission).ToList();
            var extra = info.Permission.Where(p => IsReported(account, p)).Except(wanted).ToList();
            if (missing.Count > 0 || extra.Count > 0)
            {
                throw new KeyOperationException(KeyOperationError.VerificationFailed,
                    $"After the change Binance reports {string.Join(",", info.Permission.Select(PermissionCatalog.NameOf))} for {apiKey}, not {string.Join(",", wanted.OrderBy(p => p).Select(PermissionCatalog.NameOf))}.");
            }
            return info;
        }

        /// <summary>Deletes a key; a delete with an unknown outcome is settled by reading back.</summary>
        public async Task RemoveKeyAsync(AccountReference account, string apiKey, CancellationToken cancellation)
        {
            if (account.Kind == AccountKind.Own) throw OwnAccount("Deleting your own key", WebUiSteps(account, apiKey, "click 'Delete', confirm with two-factor authentication"));
            await FindAsync(account, apiKey, cancellation).ConfigureAwait(false);
            Log($"Deleting key {apiKey} from {account.Name}.");
            try
            {
                await DeleteAsync(account, apiKey, cancellation).ConfigureAwait(false);
            }
            catch (BinanceApiException e) when (e.Kind == BinanceErrorKind.ServerStateUnknown)
            {
                Log($"The delete of {apiKey} has an unknown outcome ({e.BinanceMessage}); reading the account back.");
                var still = await QueryAsync(account, apiKey, cancellation).ConfigureAwait(false);
                if (still.Any(k => SameKey(k.ApiKey, apiKey)))
                {
                    throw new KeyOperationException(KeyOperationError.OutcomeUnknown,
                        $"The delete of {apiKey} did not complete (Binance: {e.BinanceMessage}); the key still exists. Run the command again.", e);
                }
            }
        }

        /// <summary>Runs the policy engine on one key as it would be after a change; Error findings throw.</summary>
        public IReadOnlyList<PolicyFinding> Check(AccountReference account, ApiKeyInfo key) =>
            Evaluate(account, ToDesired(key), null);

        // Binance's key queries do not report a key's type (binance-api.md §2.3): when the caller does not know it
        // either, the policy check assumes HMAC, the strictest case (Default Security Controls delete such keys).
        private static ApiKeyType AssumedType(ApiKeyType? knownType) => knownType ?? ApiKeyType.Hmac;

        // ---- helpers ----------------------------------------------------------------------------------------------

        private async Task EnforcePolicyAsync(AccountReference account, DesiredKey proposed, IReadOnlyList<RemoteApiKey>? existing, CancellationToken cancellation)
        {
            AccountFacts facts = await FactsAsync(account, cancellation).ConfigureAwait(false);
            var findings = Evaluate(account, proposed, existing, facts);
            var errors = findings.Where(f => f.Severity == FindingSeverity.Error).ToList();
            foreach (var warning in findings.Where(f => f.Severity == FindingSeverity.Warning))
            {
                (warn ?? log)?.Invoke($"[{warning.RuleId}] {warning.Message} {warning.Remediation}".TrimEnd());
            }
            if (errors.Count > 0) throw new PolicyViolationException(errors);
        }

        private IReadOnlyList<PolicyFinding> Evaluate(AccountReference account, DesiredKey proposed, IReadOnlyList<RemoteApiKey>? existing, AccountFacts? facts = null)
        {
            var state = new DesiredState();
            var desiredAccount = new DesiredAccount { Name = account.Name, Kind = account.Kind, Email = account.Email, BrokerSubAccountId = account.BrokerSubAccountId };
            desiredAccount.Facts.DefaultSecurityControls = AssumeDefaultSecurityControls;
            if (facts != null)
            {
                desiredAccount.Facts.FuturesEnabled = facts.FuturesEnabled;
                desiredAccount.Facts.MarginEnabled = facts.MarginEnabled;
            }
            foreach (var other in existing ?? Array.Empty<RemoteApiKey>())
            {
                desiredAccount.Keys.Add(new DesiredKey { Label = other.ApiName ?? other.ApiKey, Observed = true, IpAccessDeclared = true });
            }
            desiredAccount.Keys.Add(proposed);
            state.Accounts.Add(desiredAccount);
            // Findings about other keys already on Binance do not block this write; account-level ones (the
            // 30-key limit) and those about this key do.
            return new PolicyEngine().Evaluate(state)
                .Where(f => string.IsNullOrEmpty(f.Label) || string.Equals(f.Label, proposed.Label, StringComparison.OrdinalIgnoreCase))
                .ToList();
        }

        private async Task<AccountFacts> FactsAsync(AccountReference account, CancellationToken cancellation)
        {
            var facts = new AccountFacts();
            if (account.Kind != AccountKind.SubAccount) return facts; // broker sub-account facts are not readable (§2.6)
            var sub = (await Client.GetSubAccountsAsync(account.Email, cancellation).ConfigureAwait(false))
                .FirstOrDefault(a => string.Equals(a.Email, account.Email, StringComparison.OrdinalIgnoreCase));
            facts.FuturesEnabled = sub?.IsFutureEnabled;
            facts.MarginEnabled = sub?.IsMarginEnabled;
            return facts;
        }

        private static DesiredKey ToDesired(ApiKeyInfo key)
        {
            var desired = new DesiredKey
            {
                Label = key.Label ?? key.ApiKey ?? string.Empty,
                Type = key.Type,
                IpAccess = key.IpAccess,
                IpAccessDeclared = true,
                CreateTime = key.CreateTime,
                TradingAuthorityExpirationTime = key.TradingAuthorityExpirationTime,
                // A change to an existing key: creation-only rules (key material, labels) do not apply.
                Observed = true,
            };
            desired.Permissions.AddRange(key.Permission.Select(p => new Located<ApiKeyPermission>(p, null)));
            desired.IpWhitelist.AddRange(key.IpAddress.Select(a => new Located<string>(a, null)));
            return desired;
        }

        private async Task StoreSecretOrDeleteAsync(AccountReference account, string label, CreatedApiKey created, ISecretSink sink, CancellationToken cancellation)
        {
            char[]? secret = created.TakeSecret();
            try
            {
                if (secret is null)
                {
                    throw new InvalidOperationException("Binance returned no secret for the new HMAC key.");
                }
                sink.Store(Describe(account, created.Key, null, ApiKeyType.Hmac, label), secret);
                Log($"Stored the one-time secret of {created.Key.ApiKey} in {sink.Destination}.");
            }
            catch (Exception storeError) when (!(storeError is OperationCanceledException))
            {
                Log($"Could not store the secret of {created.Key.ApiKey}; deleting the key again.");
                string outcome;
                try
                {
                    // Not cancellable: a key whose secret is lost must not survive a Ctrl-C.
                    await DeleteAsync(account, created.Key.ApiKey, CancellationToken.None).ConfigureAwait(false);
                    outcome = "The new key was deleted again; nothing is left on Binance.";
                }
                catch (Exception deleteError)
                {
                    outcome = $"Deleting the new key {created.Key.ApiKey} also failed ({deleteError.Message}); delete it by hand: Remove-BinanceApiKey.";
                }
                throw new KeyOperationException(KeyOperationError.SecretNotStored,
                    $"The secret of the new key '{label}' could not be stored in {sink.Destination}: {storeError.Message} {outcome}", storeError);
            }
            finally
            {
                SecureStrings.Clear(secret);
            }
        }

        private async Task SettleUnknownCreateAsync(AccountReference account, string label, ApiKeyType type, IReadOnlyList<RemoteApiKey> before, BinanceApiException error, CancellationToken cancellation)
        {
            Log($"The create of '{label}' has an unknown outcome ({error.BinanceMessage}); reading the account back instead of sending it again.");
            var after = await QueryAsync(account, null, cancellation).ConfigureAwait(false);
            var appeared = after.Where(k => !before.Any(b => SameKey(b.ApiKey, k.ApiKey)))
                .Where(k => k.ApiName is null || string.Equals(k.ApiName, label, StringComparison.OrdinalIgnoreCase)).ToList();
            if (appeared.Count == 0)
            {
                throw new KeyOperationException(KeyOperationError.OutcomeUnknown,
                    $"The create of '{label}' did not reach a result (Binance: {error.BinanceMessage}); reading {account.Name} back shows no new key, so nothing was created. Run the command again.", error);
            }
            if (type == ApiKeyType.Hmac)
            {
                // Binance made the key but its one-time secret never arrived: the key is useless and a risk.
                foreach (var orphan in appeared) await DeleteAsync(account, orphan.ApiKey, CancellationToken.None).ConfigureAwait(false);
                throw new KeyOperationException(KeyOperationError.OutcomeUnknown,
                    $"Binance created '{label}' but its one-time secret was lost with the answer ({error.BinanceMessage}); the key was deleted again. Run the command again.", error);
            }
            throw new KeyOperationException(KeyOperationError.OutcomeUnknown,
                $"The answer to the create of '{label}' was lost ({error.BinanceMessage}), but Binance did create it as {string.Join(", ", appeared.Select(k => k.ApiKey))}; read it with Get-BinanceApiKey.", error);
        }

        private async Task SettleWriteAsync<T>(Func<Task<T>> write, CancellationToken cancellation) =>
            await SettleWriteAsync(async () => { await write().ConfigureAwait(false); }, cancellation).ConfigureAwait(false);

        private async Task SettleWriteAsync(Func<Task> write, CancellationToken cancellation)
        {
            try
            {
                await write().ConfigureAwait(false);
            }
            catch (BinanceApiException e) when (e.Kind == BinanceErrorKind.ServerStateUnknown)
            {
                // Settled by the read-back and verification that follow the write: if the change is not there,
                // verification fails with a clear message; nothing is sent again.
                Log($"The change has an unknown outcome ({e.BinanceMessage}); reading it back.");
            }
        }

        private async Task ApplyBrokerExtrasAsync(AccountReference account, string apiKey, ISet<ApiKeyPermission> permissions, IReadOnlyList<string> ips, CancellationToken cancellation)
        {
            await ApplyBrokerTogglesAsync(account, apiKey, permissions, Array.Empty<ApiKeyPermission>(), cancellation).ConfigureAwait(false);
            if (ips.Count > 0) await UpdateIpAsync(account, apiKey, true, ips, cancellation).ConfigureAwait(false);
        }

        private async Task ApplyBrokerTogglesAsync(AccountReference account, string apiKey, ISet<ApiKeyPermission> wanted, IReadOnlyCollection<ApiKeyPermission> current, CancellationToken cancellation)
        {
            bool universal = wanted.Contains(ApiKeyPermission.UniversalTransfer);
            if (universal != current.Contains(ApiKeyPermission.UniversalTransfer) && (universal || current.Count > 0))
            {
                await Client.SetBrokerUniversalTransferAsync(account.BrokerSubAccountId!, apiKey, universal, cancellation).ConfigureAwait(false);
            }
            bool options = wanted.Contains(ApiKeyPermission.EuropeanOptions);
            if (options != current.Contains(ApiKeyPermission.EuropeanOptions) && (options || current.Count > 0))
            {
                await Client.SetBrokerVanillaOptionsAsync(account.BrokerSubAccountId!, apiKey, options, cancellation).ConfigureAwait(false);
            }
        }

        private async Task<ApiKeyInfo> ReadBackAsync(AccountReference account, string apiKey, ApiKeyType? type, CancellationToken cancellation)
        {
            var key = await FindAsync(account, apiKey, cancellation).ConfigureAwait(false);
            var ip = await GetIpAsync(account, apiKey, cancellation).ConfigureAwait(false);
            var info = Describe(account, key, ip, type);
            info.ApiKey = apiKey; // broker queries mask the key; the caller knows it whole
            return info;
        }

        private static void VerifyIps(ApiKeyInfo info, bool restrict, IReadOnlyCollection<string> desired)
        {
            bool matches = restrict
                ? info.IpAccess == IpAccessMode.TrustedIps && new HashSet<string>(info.IpAddress, StringComparer.OrdinalIgnoreCase).SetEquals(desired)
                : info.IpAccess == IpAccessMode.Unrestricted;
            if (!matches)
            {
                throw new KeyOperationException(KeyOperationError.VerificationFailed,
                    $"After the change Binance reports {(info.IpAccess == IpAccessMode.Unrestricted ? "unrestricted access" : "the whitelist " + string.Join(",", info.IpAddress))} for {info.ApiKey}, " +
                    $"not {(restrict ? string.Join(",", desired) : "unrestricted access")}. Read it with Get-BinanceApiKey and try again.");
            }
        }

        private async Task<RemoteApiKey> FindAsync(AccountReference account, string apiKey, CancellationToken cancellation)
        {
            var keys = await QueryAsync(account, apiKey, cancellation).ConfigureAwait(false);
            return keys.FirstOrDefault(k => SameKey(k.ApiKey, apiKey))
                ?? throw new KeyOperationException(KeyOperationError.NotFound, $"{account.Name} has no API key {apiKey}.");
        }

        // Broker queries mask keys ("vmP*****", binance-api.md §2.6): compare the visible part.
        private static bool SameKey(string reported, string apiKey)
        {
            int star = reported.IndexOf('*');
            return star < 0 ? string.Equals(reported, apiKey, StringComparison.Ordinal) : apiKey.StartsWith(reported.Substring(0, star), StringComparison.Ordinal);
        }

        private async Task<IReadOnlyList<RemoteApiKey>> QueryAsync(AccountReference account, string? apiKey, CancellationToken cancellation)
        {
            try
            {
                return account.Kind == AccountKind.SubAccount
                    ? await Client.QuerySubAccountApiKeysAsync(account.Email!, apiKey, cancellation).ConfigureAwait(false)
                    : await Client.QueryBrokerApiKeysAsync(account.BrokerSubAccountId!, apiKey, cancellation).ConfigureAwait(false);
            }
            catch (BinanceApiException e) when (apiKey != null && e.Code == InvalidApiKeyId)
            {
                // Asked about one key, Binance answers -2008 "Invalid Api-Key ID" when the account has no such key
                // (binance-api.md §5): for this query that means "not found", not a problem with the caller's key.
                return Array.Empty<RemoteApiKey>();
            }
        }

        private const int InvalidApiKeyId = -2008;

        private Task<IpRestriction> GetIpAsync(AccountReference account, string apiKey, CancellationToken cancellation) =>
            account.Kind == AccountKind.SubAccount
                ? Client.GetSubAccountIpRestrictionAsync(account.Email!, apiKey, cancellation)
                : Client.GetBrokerIpRestrictionAsync(account.BrokerSubAccountId!, apiKey, cancellation);

        private Task<IpRestriction> UpdateIpAsync(AccountReference account, string apiKey, bool restrict, IReadOnlyCollection<string>? ips, CancellationToken cancellation) =>
            account.Kind == AccountKind.SubAccount
                ? Client.UpdateSubAccountIpRestrictionAsync(account.Email!, apiKey, restrict, ips, cancellation)
                : Client.UpdateBrokerIpRestrictionAsync(account.BrokerSubAccountId!, apiKey, restrict, ips, cancellation);

        private Task<IpRestriction> DeleteIpsAsync(AccountReference account, string apiKey, IReadOnlyCollection<string> ips, CancellationToken cancellation) =>
            account.Kind == AccountKind.SubAccount
                ? Client.DeleteSubAccountIpListAsync(account.Email!, apiKey, ips, cancellation)
                : Client.DeleteBrokerIpListAsync(account.BrokerSubAccountId!, apiKey, ips, cancellation);

        private Task DeleteAsync(AccountReference account, string apiKey, CancellationToken cancellation) =>
            account.Kind == AccountKind.SubAccount
                ? Client.DeleteSubAccountApiKeyAsync(account.Email!, apiKey, cancellation)
                : Client.DeleteBrokerApiKeyAsync(account.BrokerSubAccountId!, apiKey, cancellation);

        private static ApiKeyInfo Describe(AccountReference account, RemoteApiKey key, IpRestriction? ip, ApiKeyType? type, string? label = null) => new ApiKeyInfo
        {
            Account = account.Name,
            AccountKind = account.Kind,
            Email = account.Email,
            BrokerSubAccountId = account.BrokerSubAccountId,
            Label = key.ApiName ?? label,
            ApiKey = key.ApiKey,
            Type = type,
            Permission = PermissionMapping.FromRemote(key),
            IpAccess = ip?.IpRestrict == true ? IpAccessMode.TrustedIps : IpAccessMode.Unrestricted,
            IpAddress = ip?.IpRestrict == true ? ip.IpList.ToArray() : Array.Empty<string>(),
            CreateTime = key.CreateTime,
        };

        // The broker query reports no universal-transfer or options flags (binance-api.md §2.6): those cannot be verified.
        private static bool IsReported(AccountReference account, ApiKeyPermission permission) =>
            account.Kind != AccountKind.BrokerSubAccount || (permission != ApiKeyPermission.UniversalTransfer && permission != ApiKeyPermission.EuropeanOptions);

        private static IReadOnlyList<string> WebUiSteps(AccountReference account, string keyOrLabel, string action) => account.Kind switch
        {
            AccountKind.Own => new[]
            {
                "Log in to binance.com with the account that owns the key.",
                "Open Account > API Management.",
                $"Find the key {keyOrLabel} and click 'Edit restrictions'.",
                char.ToUpperInvariant(action[0]) + action.Substring(1) + ".",
            },
            AccountKind.SubAccount => new[]
            {
                "Log in to binance.com with the master account.",
                "Open Sub Accounts > API Management.",
                $"Select the sub-account {account.Email} and find the key {keyOrLabel}; click 'Edit restrictions'.",
                char.ToUpperInvariant(action[0]) + action.Substring(1) + ".",
            },
            _ => new[]
            {
                "Log in to binance.com with the broker (Binance Link) master account.",
                $"Open the Link sub-account {account.BrokerSubAccountId}'s API management.",
                $"Find the key {keyOrLabel}; edit its restrictions.",
                char.ToUpperInvariant(action[0]) + action.Substring(1) + ".",
            },
        };

        private static ManualStepRequiredException OwnAccount(string what, IReadOnlyList<string>? steps = null) =>
            new ManualStepRequiredException(what + " is not possible through Binance's API (binance-api.md §0.1).",
                steps ?? WebUiSteps(AccountReference.Own, "(new key)", "click 'Create API', choose the key type, label it and confirm with two-factor authentication"));

        private void Log(string line) => log?.Invoke(line);
    }
}

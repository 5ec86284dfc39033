using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;
using BinanceKeys.Crypto;
using BinanceKeys.Policy;

namespace BinanceKeys.Keys
{
    /// <summary>
    /// The one path every key change takes, from a single-key cmdlet or from an apply: policy check, sending (paced by
    /// the client), settling an unknown outcome by reading back, and verifying the result by reading it back. Every
    /// multi-step change is ordered so that no intermediate state gives a key more than reading while it is
    /// unrestricted, and a create that fails half-way is undone.
    /// </summary>
    /// <remarks>
    /// Cancellation: the token stops the work between steps and during waits, never in the middle of a write that was
    /// sent, whose outcome would then be unknown ("stop after the call in flight").
    /// </remarks>
    public sealed class KeyWriter
    {
        private readonly BinanceConnection connection;
        private readonly KeyChangePolicy policy;
        private readonly IKeyRecordBook? records;
        private readonly Action<string>? log;
        private readonly WriteSettlement settlement;

        /// <summary>Creates the writer; <paramref name="records"/> (optional) journals creates and remembers what was uploaded.</summary>
        public KeyWriter(BinanceConnection connection, KeyChangePolicy policy, IKeyRecordBook? records = null, Action<string>? log = null)
        {
            this.connection = connection ?? throw new ArgumentNullException(nameof(connection));
            this.policy = policy ?? throw new ArgumentNullException(nameof(policy));
            this.records = records;
            this.log = log;
            settlement = new WriteSettlement(log);
        }

        private BinanceClient Client => connection.Client;

        // ---- create -----------------------------------------------------------------------------------------------

        /// <summary>
        /// Creates a key: policy check, label uniqueness, create, then (HMAC) the one-time secret into
        /// <paramref name="secretSink"/> before anything else (if that fails the key is deleted again). Where one call
        /// cannot set everything (broker keys), the key is created with reading only, restricted, then granted the
        /// rest; a failure on the way deletes it again. The result is read back from Binance and verified.
        /// </summary>
        public async Task<ApiKeyInfo> CreateAsync(NewKeyRequest request, ISecretSink? secretSink, CancellationToken cancellation, KeyWriteContext? context = null)
        {
            var account = request.Account;
            if (account.Kind == AccountKind.Own) throw WebUiSteps.OwnAccount("Creating a key for your own account");
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
            var api = AccountKeyApi.For(Client, account);

            var existing = await api.QueryAsync(null, cancellation).ConfigureAwait(false);
            CheckLabelIsFree(api, request.Label, existing.Where(k => request.Replaces is null || !api.IsSameKey(k.ApiKey, request.Replaces)));
            string? secretDestination = type == ApiKeyType.Hmac ? (request.SecretDestination ?? secretSink?.Destination) : null;
            var proposed = KeyDescriptions.ToProposed(request.Label, type, permissions, ips, publicKey, secretDestination);
            var facts = context?.Facts ?? await api.FactsAsync(cancellation).ConfigureAwait(false);
            policy.Enforce(account, proposed, existing, facts);

            var notSettable = PermissionMapping.NotSettable(permissions, account.Kind);
            if (notSettable.Count > 0)
            {
                throw new ManualStepRequiredException(
                    $"{string.Join(", ", notSettable.Select(PermissionCatalog.NameOf))} cannot be set through Binance's API.",
                    WebUiSteps.For(account, request.Label, $"tick {string.Join(", ", notSettable.Select(p => "'" + PermissionCatalog.Get(p).DisplayName + "'"))} and save"));
            }
            cancellation.ThrowIfCancellationRequested();

            Log($"Creating {ContractNames.Of(type)} key '{request.Label}' in {account.Name}.");
            var pending = records?.BeginCreate(account, request.Label, type, publicKey?.Fingerprint, secretDestination, request.Replaces);
            var call = new KeyCreateCall { Label = request.Label, Permissions = permissions, IpAddress = ips, PublicKeyPem = publicKey?.Pem };
            CreatedApiKey created;
            try
            {
                // Once sent, a create runs to its answer: cancelling it half-way would leave its outcome unknown.
                created = await api.CreateAsync(call, CancellationToken.None).ConfigureAwait(false);
            }
            catch (BinanceApiException e) when (e.Kind == BinanceErrorKind.ServerStateUnknown)
            {
                var (settled, appeared, nothingSeen) = await settlement.SettleCreateAsync(api, request.Label, type, existing, e).ConfigureAwait(false);
                if (pending != null && appeared != null)
                {
                    // The key exists: record what was uploaded, so that a plan can tell it from another key.
                    records!.Created(pending, appeared.ApiKey);
                    CloseCreate(pending, KeyDescriptions.Describe(account, appeared, null, type, request.Label), permissions);
                }
                else if (pending != null && nothingSeen)
                {
                    // A create that timed out may still be executed: the next plan looks for it (and deletes an HMAC
                    // key whose secret went nowhere) instead of taking it for the declared key.
                    records!.Unsettled(pending);
                }
                else if (pending != null)
                {
                    records!.Abandoned(pending);
                }
                throw settled;
            }
            catch
            {
                if (pending != null) records!.Abandoned(pending);
                throw;
            }

            using (created)
            {
                string apiKey = created.Key.ApiKey;
                if (pending != null) records!.Created(pending, apiKey);
                if (type == ApiKeyType.Hmac)
                {
                    await StoreSecretOrDeleteAsync(api, request.Label, created, secretSink!, pending).ConfigureAwait(false);
                }
                ApiKeyInfo info;
                if (api.CreatesAtomically)
                {
                    ISet<ApiKeyPermission> reported;
                    (info, reported) = await ReadBackAsync(api, apiKey, type, CancellationToken.None).ConfigureAwait(false);
                    info.Label ??= request.Label;
                    try
                    {
                        VerifyIps(info, ips.Count > 0, ips);
                        VerifyPermissions(info, permissions, reported);
                    }
                    finally
                    {
                        // Whatever the verification says, the key exists as one call made it: it is recorded.
                        CloseCreate(pending, info, permissions);
                    }
                }
                else
                {
                    info = await RestrictThenGrantAsync(api, request.Label, apiKey, type, permissions, ips, pending, type == ApiKeyType.Hmac ? secretSink : null).ConfigureAwait(false);
                    CloseCreate(pending, info, permissions);
                }
                return info;
            }
        }

        // Labels identify keys within an account (case-insensitive), as in desired-state files; Binance itself does not
        // enforce it. Broker keys have no label on Binance: the module's record of the keys it made tells theirs.
        private void CheckLabelIsFree(IAccountKeyApi api, string label, IEnumerable<RemoteApiKey> existing)
        {
            foreach (var key in existing)
            {
                string? name = key.ApiName ?? records?.Find(api.Account, key.ApiKey)?.Label;
                if (string.Equals(name, label, StringComparison.OrdinalIgnoreCase))
                {
                    throw new KeyOperationException(KeyOperationError.LabelExists,
                        $"{api.Account.Name} already has a key labelled '{name}' ({key.ApiKey}); labels identify keys, so choose another label or remove that key first.");
                }
            }
        }

        private void CloseCreate(PendingCreate? pending, ApiKeyInfo info, ISet<ApiKeyPermission> permissions)
        {
            if (pending is null) return;
            records!.Completed(pending, info);
            records.PermissionsSet(pending.Account, info.ApiKey!, permissions);
        }

        // The new key holds reading only and no restriction (the safe state): restrict first, then grant, then read it
        // back. Any failure on the way deletes the key again, and if that fails too, the error says exactly what is left
        // (never more than reading: the grant is the last step).
        private async Task<ApiKeyInfo> RestrictThenGrantAsync(IAccountKeyApi api, string label, string apiKey, ApiKeyType type, ISet<ApiKeyPermission> permissions,
            IReadOnlyList<string> ips, PendingCreate? pending, ISecretSink? storedSecret)
        {
            string done = "created with reading only and no IP restriction";
            try
            {
                if (ips.Count > 0)
                {
                    await settlement.SendAsync(() => api.UpdateIpAsync(apiKey, true, ips, CancellationToken.None)).ConfigureAwait(false);
                    var ip = await api.GetIpAsync(apiKey, CancellationToken.None).ConfigureAwait(false);
                    if (!ip.IpRestrict || !new HashSet<string>(ip.IpList, StringComparer.OrdinalIgnoreCase).IsSupersetOf(ips))
                    {
                        throw new KeyOperationException(KeyOperationError.VerificationFailed,
                            $"Binance did not restrict the new key {apiKey} to {string.Join(",", ips)}.");
                    }
                    done = $"created with reading only and restricted to {string.Join(",", ip.IpList)}";
                }
                if (permissions.Any(p => p != ApiKeyPermission.Reading))
                {
                    await settlement.SendAsync(() => api.SetPermissionsAsync(apiKey, permissions, new[] { ApiKeyPermission.Reading }, CancellationToken.None)).ConfigureAwait(false);
                    done += ", then granted permissions that could not be verified";
                }
                var (info, reported) = await ReadBackAsync(api, apiKey, type, CancellationToken.None).ConfigureAwait(false);
                info.Label ??= label;
                VerifyIps(info, ips.Count > 0, ips);
                VerifyPermissions(info, permissions, reported);
                return info;
            }
            catch (Exception error) when (!(error is OperationCanceledException))
            {
                Log($"Setting up the new key {apiKey} failed ({error.Message}); deleting it again.");
                try
                {
                    await settlement.UndoCreateAsync(api, apiKey).ConfigureAwait(false);
                }
                catch (Exception undoError)
                {
                    CloseCreate(pending, new ApiKeyInfo { ApiKey = apiKey, Label = label, Account = api.Account.Name, Type = type }, new HashSet<ApiKeyPermission> { ApiKeyPermission.Reading });
                    throw new KeyOperationException(KeyOperationError.OutcomeUnknown,
                        $"The new key '{label}' ({apiKey}) in {api.Account.Name} could not be set up ({error.Message}) nor deleted again ({undoError.Message}). " +
                        $"What is left: the key was {done}. Delete it with Remove-BinanceApiKey, or finish it with Set-BinanceApiKeyRestriction and Set-BinanceApiKeyPermission.", error);
                }
                if (pending != null) records!.Abandoned(pending);
                RevokeSecret(storedSecret, apiKey);
                throw new KeyOperationException(KeyOperationError.VerificationFailed,
                    $"The new key '{label}' in {api.Account.Name} could not be set up ({error.Message}); it was deleted again, so nothing is left on Binance. Run the command again.", error);
            }
        }

        // The key is gone again: its secret goes too, or the re-run would find the store's entry taken by a dead key.
        private void RevokeSecret(ISecretSink? sink, string apiKey)
        {
            if (!(sink is IRevocableSecretSink revocable)) return;
            try
            {
                revocable.Revoke();
            }
            catch (Exception error) when (error is System.IO.IOException || error is UnauthorizedAccessException || error is Secrets.VaultException)
            {
                Log($"The key {apiKey} was deleted again, but its secret could not be removed from {sink.Destination} ({error.Message}); remove it before the next run.");
            }
        }

        private async Task StoreSecretOrDeleteAsync(IAccountKeyApi api, string label, CreatedApiKey created, ISecretSink sink, PendingCreate? pending)
        {
            char[]? secret = created.TakeSecret();
            try
            {
                if (secret is null)
                {
                    throw new KeyOperationException(KeyOperationError.OutcomeUnknown, "Binance returned no secret for the new HMAC key.");
                }
                sink.Store(KeyDescriptions.Describe(api.Account, created.Key, null, ApiKeyType.Hmac, label), secret);
                if (pending != null) records!.SecretStored(pending);
                Log($"Stored the one-time secret of {created.Key.ApiKey} in {sink.Destination}.");
            }
            catch (Exception storeError) when (!(storeError is OperationCanceledException))
            {
                Log($"Could not store the secret of {created.Key.ApiKey}; deleting the key again.");
                string outcome;
                try
                {
                    // Not cancellable: a key whose secret is lost must not survive a Ctrl-C.
                    await settlement.UndoCreateAsync(api, created.Key.ApiKey).ConfigureAwait(false);
                    if (pending != null) records!.Abandoned(pending);
                    outcome = "The new key was deleted again; nothing is left on Binance.";
                }
                catch (Exception deleteError)
                {
                    outcome = $"Deleting the new key {created.Key.ApiKey} also failed ({deleteError.Message}); it has no stored secret, so nobody can use it: delete it with Remove-BinanceApiKey.";
                }
                throw new KeyOperationException(KeyOperationError.SecretNotStored,
                    $"The secret of the new key '{label}' could not be stored in {sink.Destination}: {storeError.Message} {outcome}", storeError);
            }
            finally
            {
                SecureStrings.Clear(secret);
            }
        }

        // ---- change -----------------------------------------------------------------------------------------------

        /// <summary>Changes a key's IP whitelist (replace, add, remove, or lift), then reads it back and verifies it.</summary>
        public async Task<ApiKeyInfo> SetIpRestrictionAsync(AccountReference account, string apiKey, IpChangeMode mode, IReadOnlyList<string> addresses, ApiKeyType? knownType,
            CancellationToken cancellation, KeyWriteContext? context = null)
        {
            if (account.Kind == AccountKind.Own)
            {
                throw WebUiSteps.OwnAccount("Changing the IP whitelist of your own key", WebUiSteps.For(account, apiKey,
                    mode == IpChangeMode.Unrestricted ? "choose 'Unrestricted (Less Secure)' under IP access restrictions and save"
                        : $"choose 'Restrict access to trusted IPs only', enter {string.Join(", ", addresses)}, confirm and save"));
            }
            var api = AccountKeyApi.For(Client, account);
            var key = await FindAsync(api, apiKey, cancellation).ConfigureAwait(false);
            ApiKeyType? type = knownType ?? records?.Find(account, apiKey)?.Type;
            var current = await api.GetIpAsync(apiKey, cancellation).ConfigureAwait(false);
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
            context?.ThrowIfIpChangedSincePlan(current);

            var proposed = KeyDescriptions.Describe(account, key, new IpRestriction { IpRestrict = restrict, IpList = desired }, AssumedType(type));
            var facts = context?.Facts ?? await api.FactsAsync(cancellation).ConfigureAwait(false);
            policy.Enforce(account, KeyDescriptions.ToObserved(proposed), null, facts, type is null ? UnknownTypeNote : null);
            cancellation.ThrowIfCancellationRequested();

            Log($"Setting the IP whitelist of {apiKey} in {account.Name}: {(restrict ? string.Join(",", desired) : "unrestricted")}.");
            // POST v2 "inserts in batch": whether it replaces or appends is UNCONFIRMED (docs/binance.md §2.4, §8), so send
            // the whole wanted list, read the result, and delete what must go; the last read is what is verified.
            // Every state on the way is restricted to a superset of the wanted list, or (lifting) the restriction is the
            // one and only step.
            await settlement.SendAsync(() => api.UpdateIpAsync(apiKey, restrict, restrict ? desired : null, CancellationToken.None)).ConfigureAwait(false);
            var after = await api.GetIpAsync(apiKey, CancellationToken.None).ConfigureAwait(false);
            // Surplus entries go only once every wanted address is in: deleting them after a failed update would
            // leave the key with fewer addresses than asked for, or none at all, which Binance reads as unrestricted.
            bool wantedAllPresent = desired.All(a => after.IpList.Contains(a, StringComparer.OrdinalIgnoreCase));
            var stale = restrict && wantedAllPresent
                ? after.IpList.Where(a => !desired.Contains(a, StringComparer.OrdinalIgnoreCase)).ToList()
                : new List<string>();
            if (stale.Count > 0)
            {
                await settlement.SendAsync(() => api.DeleteIpsAsync(apiKey, stale, CancellationToken.None)).ConfigureAwait(false);
                after = await api.GetIpAsync(apiKey, CancellationToken.None).ConfigureAwait(false);
            }

            // An IP change leaves the permissions as they were: the key read above still describes them.
            var info = KeyDescriptions.Describe(account, key, after, type, records?.Find(account, apiKey)?.Label);
            info.ApiKey = apiKey;
            VerifyIps(info, restrict, desired);
            return info;
        }

        /// <summary>Sets a key's permissions to exactly <paramref name="permissions"/> (Reading implied), then reads them back.</summary>
        public async Task<ApiKeyInfo> SetPermissionAsync(AccountReference account, string apiKey, ISet<ApiKeyPermission> permissions, ApiKeyType? knownType,
            CancellationToken cancellation, KeyWriteContext? context = null)
        {
            var wanted = new HashSet<ApiKeyPermission>(permissions) { ApiKeyPermission.Reading };
            if (account.Kind == AccountKind.Own)
            {
                throw WebUiSteps.OwnAccount("Changing the permissions of your own key", WebUiSteps.For(account, apiKey,
                    $"set the permissions to {string.Join(", ", wanted.OrderBy(p => p).Select(p => "'" + PermissionCatalog.Get(p).DisplayName + "'"))} and save"));
            }
            var api = AccountKeyApi.For(Client, account);
            var key = await FindAsync(api, apiKey, cancellation).ConfigureAwait(false);
            var record = records?.Find(account, apiKey);
            ApiKeyType? type = knownType ?? record?.Type;
            var ip = await api.GetIpAsync(apiKey, cancellation).ConfigureAwait(false);
            // A grant planned for a restricted key must not land on one whose restriction was lifted since.
            context?.ThrowIfIpChangedSincePlan(ip);
            var current = KeyDescriptions.Describe(account, key, ip, null);
            var currentSet = new HashSet<ApiKeyPermission>(current.Permission);
            // What Binance does not report back (broker switches) is taken from what the module last set.
            var reported = PermissionMapping.Reported(key);
            foreach (var remembered in record?.Permissions ?? Array.Empty<ApiKeyPermission>())
            {
                if (!reported.Contains(remembered)) currentSet.Add(remembered);
            }

            var notSettable = PermissionMapping.NotSettable(wanted.Except(currentSet), account.Kind)
                .Concat(PermissionMapping.NotSettable(currentSet.Except(wanted), account.Kind)).Distinct().ToList();
            // FIX permissions can be given at creation only (docs/binance.md §2.3: no modify parameter).
            notSettable.AddRange(new[] { ApiKeyPermission.FixApiTrading, ApiKeyPermission.FixApiReading }
                .Where(p => wanted.Contains(p) != currentSet.Contains(p) && !notSettable.Contains(p)));
            if (notSettable.Count > 0)
            {
                throw new ManualStepRequiredException(
                    $"{string.Join(", ", notSettable.Select(PermissionCatalog.NameOf))} cannot be changed on an existing key through Binance's API.",
                    WebUiSteps.For(account, apiKey, $"change {string.Join(", ", notSettable.Select(p => "'" + PermissionCatalog.Get(p).DisplayName + "'"))} and save"));
            }

            var proposed = KeyDescriptions.Describe(account, key, ip, AssumedType(type));
            proposed.Permission = wanted.ToArray();
            var facts = context?.Facts ?? await api.FactsAsync(cancellation).ConfigureAwait(false);
            policy.Enforce(account, KeyDescriptions.ToObserved(proposed), null, facts, type is null ? UnknownTypeNote : null);
            cancellation.ThrowIfCancellationRequested();

            Log($"Setting the permissions of {apiKey} in {account.Name}: {string.Join(",", wanted.OrderBy(p => p).Select(PermissionCatalog.NameOf))}.");
            await settlement.SendAsync(() => api.SetPermissionsAsync(apiKey, wanted, currentSet, CancellationToken.None)).ConfigureAwait(false);
            records?.PermissionsSet(account, apiKey, wanted);

            // A permission change leaves the IP whitelist as it was: only the key is read again.
            var after = await FindAfterChangeAsync(api, apiKey, CancellationToken.None).ConfigureAwait(false);
            var info = KeyDescriptions.Describe(account, after, ip, type, record?.Label);
            info.ApiKey = apiKey;
            VerifyPermissions(info, wanted, PermissionMapping.Reported(after));
            return info;
        }

        /// <summary>Deletes a key; a delete with an unknown outcome is settled by reading back.</summary>
        public async Task RemoveAsync(AccountReference account, string apiKey, CancellationToken cancellation)
        {
            if (account.Kind == AccountKind.Own) throw WebUiSteps.OwnAccount("Deleting your own key", WebUiSteps.For(account, apiKey, "click 'Delete', confirm with two-factor authentication"));
            var api = AccountKeyApi.For(Client, account);
            await FindAsync(api, apiKey, cancellation).ConfigureAwait(false);
            if (string.Equals(apiKey, connection.Info.ApiKey, StringComparison.Ordinal))
            {
                throw new KeyOperationException(KeyOperationError.InvalidArgument,
                    $"{apiKey} is the key this session is connected with; deleting it would cut the session off. Connect with another key first.");
            }
            cancellation.ThrowIfCancellationRequested();
            Log($"Deleting key {apiKey} from {account.Name}.");
            try
            {
                await api.DeleteAsync(apiKey, CancellationToken.None).ConfigureAwait(false);
            }
            catch (BinanceApiException e) when (e.Kind == BinanceErrorKind.ServerStateUnknown)
            {
                await settlement.SettleDeleteAsync(api, apiKey, e).ConfigureAwait(false);
            }
            catch (BinanceApiException e) when (e.Kind == BinanceErrorKind.NotFound)
            {
                // Gone between the read and the delete (Binance swept it, or another session deleted it): what was asked is done.
                Log($"{apiKey} was already gone when the delete arrived ({e.BinanceMessage}).");
            }
            records?.Deleted(account, apiKey);
        }

        // Binance's key queries do not report a key's type (docs/binance.md §2.3): when neither the caller nor the
        // module's record knows it, the policy check assumes HMAC, the strictest case (Default Security Controls delete such keys).
        private static ApiKeyType AssumedType(ApiKeyType? knownType) => knownType ?? ApiKeyType.Hmac;

        // Said with a refusal reached through that assumption, so that "an HMAC key" is not read as a fact about the key.
        private const string UnknownTypeNote =
            "The key's type is not known here (Binance does not report it, and the module's records beside this vault have none), " +
            "so it was checked as an HMAC key, the strictest case; if it is an Ed25519 or RSA key, name its type or the vault it was created with.";

        // ---- reading back -----------------------------------------------------------------------------------------

        private static async Task<(ApiKeyInfo Info, ISet<ApiKeyPermission> Reported)> ReadBackAsync(IAccountKeyApi api, string apiKey, ApiKeyType? type, CancellationToken cancellation)
        {
            var key = await FindAfterChangeAsync(api, apiKey, cancellation).ConfigureAwait(false);
            var ip = await api.GetIpAsync(apiKey, cancellation).ConfigureAwait(false);
            var info = KeyDescriptions.Describe(api.Account, key, ip, type);
            info.ApiKey = apiKey; // broker queries mask the key; the caller knows it whole
            return (info, PermissionMapping.Reported(key));
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

        // Only what Binance reports back can be verified (broker keys do not report universal transfer or options,
        // docs/binance.md §2.6): the rest is carried over from what was set, so the object shows what the key has.
        private static void VerifyPermissions(ApiKeyInfo info, ISet<ApiKeyPermission> wanted, ISet<ApiKeyPermission> reported)
        {
            var enabled = new HashSet<ApiKeyPermission>(info.Permission);
            var unreported = wanted.Where(p => !reported.Contains(p)).ToList();
            var missing = wanted.Where(reported.Contains).Except(enabled).ToList();
            var extra = enabled.Where(reported.Contains).Except(wanted).ToList();
            if (missing.Count > 0 || extra.Count > 0)
            {
                throw new KeyOperationException(KeyOperationError.VerificationFailed,
                    $"After the change Binance reports {string.Join(",", info.Permission.Select(PermissionCatalog.NameOf))} for {info.ApiKey}, not {string.Join(",", wanted.OrderBy(p => p).Select(PermissionCatalog.NameOf))}.");
            }
            info.Permission = info.Permission.Concat(unreported).ToArray();
        }

        // A key that is gone right after a change Binance accepted was deleted by Binance: Default Security Controls delete
        // an HMAC key with no IP restriction and more than reading, at once or a little later (docs/binance.md §9).
        private static async Task<RemoteApiKey> FindAfterChangeAsync(IAccountKeyApi api, string apiKey, CancellationToken cancellation)
        {
            var keys = await api.QueryAsync(apiKey, cancellation).ConfigureAwait(false);
            return keys.FirstOrDefault(k => api.IsSameKey(k.ApiKey, apiKey))
                ?? throw new KeyOperationException(KeyOperationError.VerificationFailed,
                    $"Binance accepted the change, but {api.Account.Name} has no key {apiKey} any more: Binance deleted it. Default Security Controls delete an HMAC key " +
                    "that has no IP restriction and more than reading; give such a key an IP whitelist, or use an Ed25519 or RSA key.");
        }

        private static async Task<RemoteApiKey> FindAsync(IAccountKeyApi api, string apiKey, CancellationToken cancellation)
        {
            var keys = await api.QueryAsync(apiKey, cancellation).ConfigureAwait(false);
            return keys.FirstOrDefault(k => api.IsSameKey(k.ApiKey, apiKey))
                ?? throw new KeyOperationException(KeyOperationError.NotFound, $"{api.Account.Name} has no API key {apiKey}.");
        }

        private void Log(string line) => log?.Invoke(line);
    }

    /// <summary>
    /// What an apply already knows when it makes a change: the account's facts (so they are not read again per key)
    /// and the IP whitelist the plan saw (so that a change made to it since is noticed before anything is written).
    /// </summary>
    public sealed class KeyWriteContext
    {
        /// <summary>The account facts for the policy check.</summary>
        public LiveAccountFacts? Facts { get; set; }

        /// <summary>The whitelist the plan was made from (null: unknown, or unrestricted when <see cref="PlannedIpRestricted"/> is false).</summary>
        public IReadOnlyCollection<string>? PlannedIpList { get; set; }

        /// <summary>Whether the plan saw the key restricted; null: the plan did not read it.</summary>
        public bool? PlannedIpRestricted { get; set; }

        internal void ThrowIfIpChangedSincePlan(IpRestriction current)
        {
            if (PlannedIpRestricted is null) return;
            bool same = current.IpRestrict == PlannedIpRestricted.Value &&
                (!current.IpRestrict || new HashSet<string>(current.IpList, StringComparer.OrdinalIgnoreCase).SetEquals(PlannedIpList ?? Array.Empty<string>()));
            if (!same)
            {
                throw new KeyOperationException(KeyOperationError.StalePlan,
                    $"The IP whitelist of {current.ApiKey} changed since the plan was made; nothing was written. Make a new plan.");
            }
        }
    }
}

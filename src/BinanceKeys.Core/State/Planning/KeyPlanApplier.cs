using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Keys;
using BinanceKeys.State.Local;

namespace BinanceKeys.State.Planning
{
    /// <summary>How the applier talks to its caller (the cmdlet), whose streams and prompts live on another thread.</summary>
    public sealed class ApplyCallbacks
    {
        /// <summary>Asks whether to go ahead with an action (ShouldProcess); false skips it.</summary>
        public Func<KeyPlanAction, bool> Confirm { get; set; } = _ => true;

        /// <summary>Hears each action's result, with the error when it failed.</summary>
        public Action<KeyPlanResult, Exception?> Result { get; set; } = (_, __) => { };

        /// <summary>Hears (actions done, actions in all).</summary>
        public Action<int, int>? Progress { get; set; }

        /// <summary>Hears each action as it starts sending.</summary>
        public Action<KeyPlanAction>? Starting { get; set; }

        /// <summary>The sink for a new HMAC key's one-time secret, for the file's <c>vault:NAME</c> reference.</summary>
        public Func<string, ISecretSink>? SecretSink { get; set; }

        /// <summary>Hears policy warnings and progress lines.</summary>
        public Action<string>? Log { get; set; }

        /// <summary>Hears policy warnings.</summary>
        public Action<string>? Warn { get; set; }
    }

    /// <summary>
    /// Applies a plan through the one write path every change takes (<see cref="KeyWriter"/>): accounts side by side so
    /// that every endpoint's budget is used at once, actions of one account in the plan's order. Holds the endpoint's
    /// apply lock; journals creates; reports one result per action even when some fail; stops between calls, never in
    /// the middle of one, when cancelled.
    /// </summary>
    public sealed class KeyPlanApplier
    {
        private readonly BinanceConnection connection;
        private readonly LocalKeyState local;

        /// <summary>Creates the applier over a connection and the module's local state for its endpoint.</summary>
        public KeyPlanApplier(BinanceConnection connection, LocalKeyState local)
        {
            this.connection = connection ?? throw new ArgumentNullException(nameof(connection));
            this.local = local ?? throw new ArgumentNullException(nameof(local));
        }

        /// <summary>How many accounts are changed at the same time.</summary>
        public int Concurrency { get; set; } = 16;

        /// <summary>The organisation's policy (the file's policy block) that every change is checked against too.</summary>
        public OrganisationPolicy? Policy { get; set; }

        /// <summary>Whether Default Security Controls are assumed on (the file's defaultSecurityControls; on by default).</summary>
        public bool AssumeDefaultSecurityControls { get; set; } = true;

        /// <summary>
        /// Applies <paramref name="plan"/> under the endpoint's apply lock; <paramref name="checkUnderLock"/> (the saved plan's
        /// freshness check) runs first under the same lock, so that no other apply can change the state in between.
        /// </summary>
        public async Task<IReadOnlyList<KeyPlanResult>> ApplyAsync(KeyPlan plan, ApplyCallbacks callbacks, CancellationToken cancellation,
            Func<CancellationToken, Task>? checkUnderLock = null)
        {
            using var applyLock = local.AcquireApplyLock();
            if (checkUnderLock != null) await checkUnderLock(cancellation).ConfigureAwait(false);
            // Nothing to do: no call at all. A saved plan has been checked first all the same, since once the file or
            // Binance has changed, "nothing to do" may no longer be true and a CI step applying it must fail (StalePlan).
            if (!plan.Actions.Any(a => a.Kind != KeyPlanActionKind.NoChange)) return Array.Empty<KeyPlanResult>();
            var policy = new KeyChangePolicy(Policy, callbacks.Warn) { AssumeDefaultSecurityControls = AssumeDefaultSecurityControls };
            var writer = new KeyWriter(connection, policy, local, callbacks.Log);
            var facts = await FactsAsync(plan, cancellation).ConfigureAwait(false);

            var results = new List<KeyPlanResult>();
            int total = plan.Actions.Length;
            int done = 0;
            var gate = new object();
            void Report(KeyPlanResult result, Exception? error)
            {
                lock (gate)
                {
                    results.Add(result);
                    done++;
                }
                callbacks.Result(result, error);
                callbacks.Progress?.Invoke(done, total);
            }

            callbacks.Progress?.Invoke(0, total);
            using var slots = new SemaphoreSlim(Math.Max(1, Concurrency));
            var accounts = plan.Actions.GroupBy(a => (a.AccountKind, a.Email?.ToLowerInvariant(), a.BrokerSubAccountId)).ToList();
            await Task.WhenAll(accounts.Select(async group =>
            {
                await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await ApplyAccountAsync(group.OrderBy(a => a.Order).ToList(), writer, facts, callbacks, Report, cancellation).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                }
            })).ConfigureAwait(false);
            UpdateCache(results);
            return results.OrderBy(r => r.Action.Order).ToList();
        }

        private async Task ApplyAccountAsync(IReadOnlyList<KeyPlanAction> actions, KeyWriter writer, IReadOnlyDictionary<string, LiveAccountFacts> facts,
            ApplyCallbacks callbacks, Action<KeyPlanResult, Exception?> report, CancellationToken cancellation)
        {
            var failedKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            // A key's whitelist as this apply set it: what a later change to the same key expects to find.
            var whitelistsSet = new Dictionary<string, (bool Restricted, string[] Addresses)>(StringComparer.OrdinalIgnoreCase);
            foreach (var action in actions)
            {
                if (cancellation.IsCancellationRequested)
                {
                    report(Result(action, KeyPlanResultStatus.Skipped, "Not attempted: the apply was stopped."), null);
                    continue;
                }
                if (failedKeys.Contains(action.Label))
                {
                    // The key's state is not what the plan expected: a further change to it could be unsafe.
                    report(Result(action, KeyPlanResultStatus.Skipped, "Not attempted: an earlier change to this key failed."), null);
                    continue;
                }
                if (action.Kind == KeyPlanActionKind.Manual)
                {
                    report(Result(action, KeyPlanResultStatus.ManualStepRequired, "Only the web UI can do this: " + string.Join(" ", action.Steps.Select((s, i) => $"{i + 1}. {s}"))), null);
                    continue;
                }
                if (action.Kind == KeyPlanActionKind.NoChange)
                {
                    report(Result(action, KeyPlanResultStatus.Succeeded, "Already as declared; nothing sent."), null);
                    continue;
                }
                if (!callbacks.Confirm(action))
                {
                    report(Result(action, KeyPlanResultStatus.Skipped, "Not attempted: declined."), null);
                    continue;
                }
                callbacks.Starting?.Invoke(action);
                var clock = Stopwatch.StartNew();
                try
                {
                    var account = AccountReference.From(action.Email, action.BrokerSubAccountId);
                    bool setHere = whitelistsSet.TryGetValue(action.Label, out var whitelist);
                    var context = new KeyWriteContext
                    {
                        Facts = facts.TryGetValue(LocalKeyState.AccountKey(account), out var known) ? known : new LiveAccountFacts(),
                        PlannedIpRestricted = setHere ? whitelist.Restricted : action.BeforeIpRestricted,
                        PlannedIpList = setHere ? whitelist.Addresses : action.BeforeIpAddress,
                    };
                    string? apiKey = await ExecuteAsync(action, account, writer, context, callbacks, cancellation).ConfigureAwait(false);
                    if (action.Kind == KeyPlanActionKind.UpdateIpWhitelist)
                    {
                        bool restricted = action.DesiredIpAccess == IpAccessMode.TrustedIps;
                        whitelistsSet[action.Label] = (restricted, restricted ? action.DesiredIpAddress : Array.Empty<string>());
                    }
                    var result = Result(action, KeyPlanResultStatus.Succeeded, Done(action, apiKey));
                    result.ApiKey = apiKey;
                    result.Duration = clock.Elapsed;
                    report(result, null);
                }
                catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                {
                    report(Result(action, KeyPlanResultStatus.Skipped, "Not attempted: the apply was stopped."), null);
                }
                catch (Exception error) when (IsActionFailure(error))
                {
                    failedKeys.Add(action.Label);
                    var result = Result(action, KeyPlanResultStatus.Failed, error.Message);
                    result.Duration = clock.Elapsed;
                    report(result, error);
                }
            }
        }

        private async Task<string?> ExecuteAsync(KeyPlanAction action, AccountReference account, KeyWriter writer, KeyWriteContext context, ApplyCallbacks callbacks,
            CancellationToken cancellation)
        {
            switch (action.Kind)
            {
                case KeyPlanActionKind.Create:
                    return (await writer.CreateAsync(Request(action, account), SinkFor(action, callbacks), cancellation, context).ConfigureAwait(false)).ApiKey;

                case KeyPlanActionKind.Replace:
                {
                    // The new key first, verified by the create; only then the old one goes.
                    var request = Request(action, account);
                    request.Replaces = action.ApiKey;
                    var created = await writer.CreateAsync(request, SinkFor(action, callbacks), cancellation, context).ConfigureAwait(false);
                    try
                    {
                        await writer.RemoveAsync(account, action.ApiKey!, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception error) when (IsActionFailure(error))
                    {
                        throw new KeyOperationException(KeyOperationError.OutcomeUnknown,
                            $"The new key {created.ApiKey} was created and verified, but deleting the old key {action.ApiKey} failed ({error.Message}). Both exist now; the next apply deletes the old one.", error);
                    }
                    return created.ApiKey;
                }

                case KeyPlanActionKind.UpdatePermissions:
                    return (await writer.SetPermissionAsync(account, action.ApiKey!, new HashSet<ApiKeyPermission>(action.DesiredPermission), action.Type, cancellation, context).ConfigureAwait(false)).ApiKey;

                case KeyPlanActionKind.UpdateIpWhitelist:
                {
                    bool restrict = action.DesiredIpAccess == IpAccessMode.TrustedIps;
                    var info = await writer.SetIpRestrictionAsync(account, action.ApiKey!, restrict ? IpChangeMode.Replace : IpChangeMode.Unrestricted,
                        restrict ? action.DesiredIpAddress : Array.Empty<string>(), action.Type, cancellation, context).ConfigureAwait(false);
                    return info.ApiKey;
                }

                case KeyPlanActionKind.Delete:
                    try
                    {
                        await writer.RemoveAsync(account, action.ApiKey!, cancellation).ConfigureAwait(false);
                    }
                    catch (KeyOperationException gone) when (gone.Error == KeyOperationError.NotFound)
                    {
                        // Already gone (deleted by hand, or swept by Binance): the plan's end state holds.
                        callbacks.Log?.Invoke($"{action.ApiKey} was already gone from {action.Account}.");
                    }
                    // An orphan of an interrupted create is settled now: its journal entry closes.
                    foreach (var entry in local.Interrupted().Where(e => LocalKeyState.AccountKey(e.Account) == LocalKeyState.AccountKey(account) &&
                        (e.ApiKey == action.ApiKey || (e.ApiKey is null && string.Equals(e.Label, action.Label, StringComparison.OrdinalIgnoreCase)))))
                    {
                        local.CloseEntry(entry.Id);
                    }
                    return action.ApiKey;

                default:
                    return action.ApiKey;
            }
        }

        private static NewKeyRequest Request(KeyPlanAction action, AccountReference account) => new NewKeyRequest
        {
            Account = account,
            Label = action.Label,
            PublicKeyPem = action.Type == ApiKeyType.Hmac ? null : action.PublicKeyPem,
            Permissions = new HashSet<ApiKeyPermission>(action.DesiredPermission),
            IpAddress = action.DesiredIpAccess == IpAccessMode.TrustedIps ? action.DesiredIpAddress : Array.Empty<string>(),
            SecretDestination = action.Secret,
        };

        private static ISecretSink? SinkFor(KeyPlanAction action, ApplyCallbacks callbacks)
        {
            if (action.Type != ApiKeyType.Hmac) return null;
            const string prefix = "vault:";
            if (action.Secret is null || !action.Secret.StartsWith(prefix, StringComparison.Ordinal) || callbacks.SecretSink is null)
            {
                throw new KeyOperationException(KeyOperationError.InvalidArgument,
                    $"'{action.Label}' is an HMAC key whose one-time secret needs a vault entry (secret: vault:NAME in the file); nothing was sent.");
            }
            return callbacks.SecretSink(action.Secret.Substring(prefix.Length));
        }

        // Binance facts the policy checks need (futures, margin), read once for all the plan's sub-accounts.
        private async Task<IReadOnlyDictionary<string, LiveAccountFacts>> FactsAsync(KeyPlan plan, CancellationToken cancellation)
        {
            var result = new Dictionary<string, LiveAccountFacts>(StringComparer.Ordinal);
            if (!plan.Actions.Any(a => a.IsChange && a.AccountKind == AccountKind.SubAccount)) return result;
            foreach (var sub in await connection.Client.GetSubAccountsAsync(null, cancellation).ConfigureAwait(false))
            {
                result[LocalKeyState.AccountKey(AccountReference.SubAccount(sub.Email))] = new LiveAccountFacts { FuturesEnabled = sub.IsFutureEnabled, MarginEnabled = sub.IsMarginEnabled };
            }
            return result;
        }

        // What the apply set is what a cached plan should see next.
        private void UpdateCache(IReadOnlyList<KeyPlanResult> results)
        {
            var changed = results.Where(r => r.Status == KeyPlanResultStatus.Succeeded && r.Action.IsChange).ToList();
            if (changed.Count == 0) return;
            var cache = local.ReadCache();
            foreach (var result in changed)
            {
                var account = AccountReference.From(result.Action.Email, result.Action.BrokerSubAccountId);
                if (result.Action.ApiKey != null) cache.Keys.Remove(IpWhitelistCache.KeyOf(account, result.Action.ApiKey));
                if (result.Action.Kind == KeyPlanActionKind.Delete || result.ApiKey is null) continue;
                // Only the whitelist the change set (and verified) is cached; a permission change leaves the entry out.
                if (result.Action.Kind == KeyPlanActionKind.UpdatePermissions) continue;
                cache.Keys[IpWhitelistCache.KeyOf(account, result.ApiKey)] = new CachedIpWhitelist
                {
                    IpRestrict = result.Action.DesiredIpAccess == IpAccessMode.TrustedIps,
                    IpList = result.Action.DesiredIpAccess == IpAccessMode.TrustedIps ? result.Action.DesiredIpAddress : Array.Empty<string>(),
                    ReadAt = DateTimeOffset.UtcNow,
                };
            }
            local.WriteCache(cache);
        }

        private static string Done(KeyPlanAction action, string? apiKey) => action.Kind switch
        {
            KeyPlanActionKind.Create => $"Created {apiKey} and verified it.",
            KeyPlanActionKind.Replace => $"Created {apiKey}, verified it, and deleted {action.ApiKey}.",
            KeyPlanActionKind.UpdatePermissions => "Permissions set and verified.",
            KeyPlanActionKind.UpdateIpWhitelist => "IP whitelist set and verified.",
            KeyPlanActionKind.Delete => $"Deleted {action.ApiKey}.",
            _ => "Done.",
        };

        private static KeyPlanResult Result(KeyPlanAction action, KeyPlanResultStatus status, string message) =>
            new KeyPlanResult { Action = action, Status = status, Message = message, ApiKey = action.ApiKey };

        // The module's expected failures of one action; anything else is a bug and is not swallowed.
        private static bool IsActionFailure(Exception error) =>
            error is KeyOperationException || error is Binance.BinanceApiException || error is PolicyViolationException ||
            error is ManualStepRequiredException || error is Secrets.VaultException || error is Crypto.KeyFileException;
    }
}

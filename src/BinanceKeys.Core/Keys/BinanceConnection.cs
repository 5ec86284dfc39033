using System;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;
using BinanceKeys.Keys;
using BinanceKeys.Signing;

namespace BinanceKeys.Keys
{
    /// <summary>A checked connection to Binance: the client, and what the connected key is and may do.</summary>
    public sealed class BinanceConnection : IDisposable
    {
        private readonly Relay<string> relay;
        private readonly Relay<RateLimitWait> waits;

        private BinanceConnection(BinanceClient client, BinanceConnectionInfo info, Relay<string> relay, Relay<RateLimitWait> waits)
        {
            Client = client;
            Info = info;
            this.relay = relay;
            this.waits = waits;
        }

        /// <summary>
        /// Sends the client's request lines to <paramref name="log"/> until the returned handle is disposed: each
        /// command shows its own requests in its own verbose stream.
        /// </summary>
        public IDisposable AttachLog(Action<string> log) => relay.Attach(log);

        /// <summary>
        /// Tells <paramref name="wait"/> about every wait for a rate-limit window before it starts (which endpoint, how
        /// long), until the returned handle is disposed: long runs show what they wait for.
        /// </summary>
        public IDisposable AttachRateLimitWaits(Action<RateLimitWait> wait) => waits.Attach(wait);

        /// <summary>The typed client.</summary>
        public BinanceClient Client { get; }

        /// <summary>What Connect-BinanceAccount reports.</summary>
        public BinanceConnectionInfo Info { get; }

        /// <summary>
        /// Connects and checks the credentials with a real signed call (GET /sapi/v1/account/apiRestrictions), so
        /// that a wrong key, secret or IP fails here, not in the middle of a change. The signer is owned by the connection.
        /// </summary>
        public static async Task<BinanceConnection> ConnectAsync(BinanceClientOptions options, string apiKey, IRequestSigner signer, string credentialSource, CancellationToken cancellation)
        {
            var relay = new Relay<string>();
            using var attached = options.Log is null ? null : relay.Attach(options.Log);
            options.Log = relay.Write;
            var waits = new Relay<RateLimitWait>();
            using var attachedWaits = options.RateLimitWait is null ? null : waits.Attach(options.RateLimitWait);
            options.RateLimitWait = waits.Write;
            var client = new BinanceClient(new BinanceTransport(options, apiKey, signer));
            try
            {
                var status = await client.GetSystemStatusAsync(cancellation).ConfigureAwait(false);
                var restrictions = await client.GetApiRestrictionsAsync(cancellation).ConfigureAwait(false);
                var info = new BinanceConnectionInfo
                {
                    Endpoint = options.Endpoint.ToString().TrimEnd('/'),
                    ApiKey = apiKey,
                    KeyType = signer.Type switch
                    {
                        SignatureType.Ed25519 => ApiKeyType.Ed25519,
                        SignatureType.Rsa => ApiKeyType.Rsa,
                        _ => ApiKeyType.Hmac,
                    },
                    Permission = PermissionMapping.FromRestrictions(restrictions),
                    IpRestricted = restrictions.IpRestrict,
                    ClockOffsetMilliseconds = client.Transport.ClockOffsetMilliseconds ?? 0,
                    SystemStatus = status.Message.Length > 0 ? status.Message : (status.Normal ? "normal" : "system maintenance"),
                    ConnectedAt = DateTimeOffset.UtcNow,
                    CredentialSource = credentialSource,
                };
                return new BinanceConnection(client, info, relay, waits);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }

        /// <inheritdoc />
        public void Dispose() => Client.Dispose();

        /// <inheritdoc />
        public override string ToString() => Info.ToString();

        private sealed class Relay<T>
        {
            private Action<T>? target;

            public void Write(T item) => target?.Invoke(item);

            public IDisposable Attach(Action<T> listener)
            {
                var previous = target;
                target = listener;
                return new Detach(() => target = previous);
            }
        }

        private sealed class Detach : IDisposable
        {
            private Action? undo;

            public Detach(Action undo) => this.undo = undo;

            public void Dispose()
            {
                undo?.Invoke();
                undo = null;
            }
        }
    }
}

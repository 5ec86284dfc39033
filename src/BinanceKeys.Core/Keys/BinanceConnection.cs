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
        private readonly LogRelay relay;

        private BinanceConnection(BinanceClient client, BinanceConnectionInfo info, LogRelay relay)
        {
            Client = client;
            Info = info;
            this.relay = relay;
        }

        /// <summary>
        /// Sends the client's request lines to <paramref name="log"/> until the returned handle is disposed: each
        /// command shows its own requests in its own verbose stream.
        /// </summary>
        public IDisposable AttachLog(Action<string> log) => relay.Attach(log);

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
            var relay = new LogRelay();
            using var attached = options.Log is null ? null : relay.Attach(options.Log);
            options.Log = relay.Write;
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
                return new BinanceConnection(client, info, relay);
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

        private sealed class LogRelay
        {
            private Action<string>? target;

            public void Write(string line) => target?.Invoke(line);

            public IDisposable Attach(Action<string> log)
            {
                var previous = target;
                target = log;
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

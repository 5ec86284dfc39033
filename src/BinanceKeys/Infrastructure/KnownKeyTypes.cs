using System;
using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using BinanceKeys.Keys;

namespace BinanceKeys.Commands.Infrastructure
{
    /// <summary>
    /// The types of the API keys this session has seen, by endpoint and API key: Binance's key listings do not report a
    /// key's type, so without this a key the module created a moment ago would come back as of unknown type. A key's
    /// type never changes, so what was seen stays true; each runspace has its own memory, like its connection.
    /// </summary>
    internal static class KnownKeyTypes
    {
        private static readonly ConditionalWeakTable<Runspace, ConcurrentDictionary<string, ApiKeyType>> Sessions =
            new ConditionalWeakTable<Runspace, ConcurrentDictionary<string, ApiKeyType>>();

        /// <summary>The type seen for <paramref name="apiKey"/> at the connection's endpoint, if any.</summary>
        public static ApiKeyType? Find(BinanceConnection? connection, string? apiKey)
        {
            var types = Current();
            if (types is null || connection is null || string.IsNullOrEmpty(apiKey)) return null;
            return types.TryGetValue(Key(connection, apiKey!), out var type) ? type : (ApiKeyType?)null;
        }

        /// <summary>Remembers a key's type when it is known.</summary>
        public static void Remember(BinanceConnection? connection, string? apiKey, ApiKeyType? type)
        {
            var types = Current();
            if (types is null || connection is null || string.IsNullOrEmpty(apiKey) || type is null) return;
            types[Key(connection, apiKey!)] = type.Value;
        }

        /// <summary>Forgets a deleted key.</summary>
        public static void Forget(BinanceConnection? connection, string? apiKey)
        {
            var types = Current();
            if (types is null || connection is null || string.IsNullOrEmpty(apiKey)) return;
            types.TryRemove(Key(connection, apiKey!), out _);
        }

        /// <summary>Fills in an unknown <see cref="ApiKeyInfo.Type"/> from what was seen, and remembers a known one.</summary>
        public static ApiKeyInfo Complete(BinanceConnection? connection, ApiKeyInfo key, ApiKeyType? knownType = null)
        {
            if (key.Type is null) key.Type = knownType ?? Find(connection, key.ApiKey);
            Remember(connection, key.ApiKey, key.Type);
            return key;
        }

        private static ConcurrentDictionary<string, ApiKeyType>? Current()
        {
            var runspace = Runspace.DefaultRunspace;
            return runspace is null ? null : Sessions.GetValue(runspace, _ => new ConcurrentDictionary<string, ApiKeyType>(StringComparer.Ordinal));
        }

        private static string Key(BinanceConnection connection, string apiKey) => connection.Info.Endpoint + "\n" + apiKey;
    }
}

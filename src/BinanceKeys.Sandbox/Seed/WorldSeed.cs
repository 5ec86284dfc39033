using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BinanceKeys.Sandbox.Http;
using BinanceKeys.Sandbox.Signing;
using BinanceKeys.Sandbox.State;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace BinanceKeys.Sandbox.Seed;

/// <summary>A validated seed: builds a fresh world at start and on every <c>/admin/reset</c>.</summary>
internal sealed class WorldSeed
{
    private const long FirstSubAccountUserId = 10_000_002;
    private const long FirstBrokerUserId = 20_000_001;

    private readonly SeedDocument _document;

    private WorldSeed(SeedDocument document, string source)
    {
        _document = document;
        Source = source;
    }

    /// <summary>The file name, or "demo world": every error message starts with it.</summary>
    public string Source { get; }

    public static WorldSeed Demo() => Parse(DemoWorld.Yaml, "demo world");

    public static WorldSeed Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SeedException($"{path}: cannot read the seed file: {e.Message}", e);
        }
        return Parse(text, path);
    }

    public static WorldSeed Parse(string yaml, string source)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .Build(); // Unknown fields throw (no IgnoreUnmatchedProperties), with their line.
        SeedDocument? document;
        try
        {
            document = deserializer.Deserialize<SeedDocument>(yaml);
        }
        catch (YamlException e)
        {
            var detail = e.InnerException?.Message ?? e.Message;
            throw new SeedException($"{source}({e.Start.Line},{e.Start.Column}): {detail}", e);
        }
        var seed = new WorldSeed(document ?? new SeedDocument(), source);
        seed.Build(0); // Validates every rule once, and fills in generated keys so that resets are stable.
        return seed;
    }

    /// <summary>A fresh world; throws <see cref="SeedException"/> naming the YAML path of the first problem.</summary>
    public SandboxWorld Build(long now)
    {
        var masterSeed = _document.Master ?? throw Error("master", "is required");
        var masterEmail = RequireEmail(masterSeed.Email, "master.email");
        var master = new SandboxAccount(AccountKind.Master, 10_000_001, masterEmail, now)
        {
            FuturesEnabled = masterSeed.FuturesEnabled,
            MarginEnabled = masterSeed.MarginEnabled,
        };
        var world = new SandboxWorld(master, masterSeed.DefaultSecurityControls, BuildBehaviour(_document.Behaviour));
        AddKeys(world, master, masterSeed.Keys, "master.keys", now);

        for (var i = 0; i < _document.SubAccounts.Count; i++)
        {
            var sub = _document.SubAccounts[i];
            var path = $"subAccounts[{i}]";
            var email = RequireEmail(sub.Email, path + ".email");
            if (world.FindSubAccount(email) is not null || string.Equals(email, masterEmail, StringComparison.OrdinalIgnoreCase))
            {
                throw Error(path + ".email", $"'{email}' is used twice");
            }
            var account = new SandboxAccount(AccountKind.SubAccount, FirstSubAccountUserId + i, email, now)
            {
                FuturesEnabled = sub.FuturesEnabled,
                MarginEnabled = sub.MarginEnabled,
                Remark = sub.Remark,
                IsFreeze = sub.IsFreeze,
            };
            world.SubAccounts.Add(account);
            AddKeys(world, account, sub.Keys, path + ".keys", now);
        }

        for (var i = 0; i < _document.BrokerSubAccounts.Count; i++)
        {
            var broker = _document.BrokerSubAccounts[i];
            var path = $"brokerSubAccounts[{i}]";
            var id = broker.SubAccountId;
            if (string.IsNullOrEmpty(id) || !id.All(char.IsAsciiDigit))
            {
                throw Error(path + ".subAccountId", "is required and must be digits (a quoted string)");
            }
            if (world.FindBrokerSubAccount(id) is not null)
            {
                throw Error(path + ".subAccountId", $"'{id}' is used twice");
            }
            var account = new SandboxAccount(AccountKind.BrokerSubAccount, FirstBrokerUserId + i, broker.Email ?? $"{id}_virtual@example.com", now)
            {
                SubAccountId = id,
                Tag = broker.Tag,
                FuturesEnabled = broker.FuturesEnabled,
                MarginEnabled = broker.MarginEnabled,
            };
            world.BrokerSubAccounts.Add(account);
            AddKeys(world, account, broker.Keys, path + ".keys", now);
        }
        return world;
    }

    /// <summary>The <c>behaviour:</c> block, each value checked against its documented choices.</summary>
    private Behaviour BuildBehaviour(SeedBehaviour seed)
    {
        var thirdParties = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, ips) in seed.ThirdParties)
        {
            var path = $"behaviour.thirdParties.{name}";
            if (string.IsNullOrWhiteSpace(name) || ips is null || ips.Count == 0 || ips.Count > IpList.MaxEntries || !ips.All(IpList.IsIpv4))
            {
                throw Error(path, $"must be a name with 1 to {IpList.MaxEntries} IPv4 addresses");
            }
            thirdParties[name] = ips.Distinct().ToList();
        }
        if (!(seed.SweepAfterSeconds >= 0) || double.IsInfinity(seed.SweepAfterSeconds))
        {
            throw Error("behaviour.sweepAfterSeconds", "must be a number of seconds, 0 or more");
        }
        if (!(seed.TradingPermissionDays > 0) || double.IsInfinity(seed.TradingPermissionDays))
        {
            throw Error("behaviour.tradingPermissionDays", "must be a positive number of days");
        }
        return new Behaviour(
            Choice<ReservedCharacterRule>(seed.ReservedCharacters, "behaviour.reservedCharacters"),
            Choice<SapiRejection>(seed.SapiRejection, "behaviour.sapiRejection"),
            Choice<SecurityControlsViolation>(seed.SecurityControlsViolation, "behaviour.securityControlsViolation"),
            TimeSpan.FromSeconds(seed.SweepAfterSeconds),
            Choice<UnmatchedKeyFilter>(seed.UnmatchedKeyFilter, "behaviour.unmatchedKeyFilter"),
            TimeSpan.FromDays(seed.TradingPermissionDays),
            thirdParties);
    }

    /// <summary>An enum member by its camelCase name (<c>deleteAtOnce</c>), or an error listing the choices.</summary>
    private T Choice<T>(string? text, string path)
        where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            var name = value.ToString();
            if (string.Equals(char.ToLowerInvariant(name[0]) + name[1..], text, StringComparison.Ordinal))
            {
                return value;
            }
        }
        var choices = string.Join(", ", Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]));
        throw Error(path, $"must be one of {choices}");
    }

    private void AddKeys(SandboxWorld world, SandboxAccount account, List<SeedKey> keys, string path, long now)
    {
        if (keys.Count > KeyRules.MaxKeysPerAccount)
        {
            throw Error(path, $"has {keys.Count} keys; an account holds at most {KeyRules.MaxKeysPerAccount}");
        }
        for (var i = 0; i < keys.Count; i++)
        {
            account.Keys.Add(BuildKey(world, account, keys[i], $"{path}[{i}]", now));
        }
    }

    private SandboxKey BuildKey(SandboxWorld world, SandboxAccount account, SeedKey seed, string path, long now)
    {
        if (string.IsNullOrEmpty(seed.Label))
        {
            throw Error(path + ".label", "is required");
        }
        if (seed.Type is null || !ContractNames.TryParseKeyType(seed.Type, out var type))
        {
            throw Error(path + ".type", "must be one of hmac, ed25519, rsa");
        }

        seed.ApiKey ??= KeyGenerator.NewKeyString();
        if (!KeyGenerator.IsWellFormed(seed.ApiKey))
        {
            throw Error(path + ".apiKey", "must be 64 ASCII letters and digits");
        }
        if (world.ApiKeyExists(seed.ApiKey))
        {
            throw Error(path + ".apiKey", "is used twice");
        }

        PublicKeyMaterial? publicKey = null;
        if (type == KeyType.Hmac)
        {
            if (seed.PublicKey is not null)
            {
                throw Error(path + ".publicKey", "is only for ed25519 and rsa keys");
            }
            seed.SecretKey ??= KeyGenerator.NewKeyString();
            if (!KeyGenerator.IsWellFormed(seed.SecretKey))
            {
                throw Error(path + ".secretKey", "must be 64 ASCII letters and digits");
            }
        }
        else
        {
            if (seed.SecretKey is not null)
            {
                throw Error(path + ".secretKey", "is only for hmac keys");
            }
            publicKey = seed.PublicKey is null ? null : PublicKeyMaterial.TryParse(seed.PublicKey);
            if (publicKey is null || publicKey.Type != type)
            {
                throw Error(path + ".publicKey", $"must be an {seed.Type} public key (PEM or base64 SPKI; RSA 2048 or 4096 bits)");
            }
        }

        var key = new SandboxKey(seed.ApiKey, seed.Label, type, seed.SecretKey, publicKey, now);
        foreach (var name in seed.Permissions)
        {
            if (!ContractNames.TryParsePermission(name, out var permission))
            {
                throw Error(path + ".permissions", $"'{name}' is not a permission name");
            }
            key.Set(permission, true);
        }
        foreach (var ip in seed.IpWhitelist)
        {
            if (!IpList.IsIpv4(ip))
            {
                throw Error(path + ".ipWhitelist", $"'{ip}' is not an IPv4 address");
            }
        }
        key.IpList.AddRange(seed.IpWhitelist.Distinct());
        if (key.IpList.Count > IpList.MaxEntries)
        {
            throw Error(path + ".ipWhitelist", $"has more than {IpList.MaxEntries} addresses");
        }

        try
        {
            KeyRules.EnsurePermissionsAllowed(account, type, key.IpRestricted, key.Permissions);
        }
        catch (BinanceError e)
        {
            throw Error(path + ".permissions", $"breaks a Binance rule ({e.Code} {e.Message}): FIX needs ed25519, futures/margin need the account enabled, withdrawals need an IP whitelist");
        }
        if (KeyRules.ViolatesDefaultSecurityControls(world.DefaultSecurityControls, type, key.IpRestricted, key.Permissions))
        {
            throw Error(path, "is an HMAC key without an IP whitelist and with more than reading while Default Security Controls are on; Binance would delete it");
        }
        return key;
    }

    private string RequireEmail(string? email, string path)
    {
        if (string.IsNullOrEmpty(email) || !email.Contains('@', StringComparison.Ordinal))
        {
            throw Error(path, "must be an email address");
        }
        return email;
    }

    private SeedException Error(string path, string problem) => new($"{Source}: {path} {problem}.");
}

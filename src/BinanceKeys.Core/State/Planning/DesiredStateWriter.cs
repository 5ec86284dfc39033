using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using BinanceKeys.Policy;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace BinanceKeys.State.Planning
{
    /// <summary>A desired-state file to write: header comments, then the accounts (what Export-BinanceKeyState produces).</summary>
    public sealed class ExportDocument
    {
        /// <summary>The target of the <c># yaml-language-server: $schema=</c> line (a path relative to the file); null: <see cref="SchemaNote"/> instead.</summary>
        public string? SchemaReference { get; set; }

        /// <summary>Where the schema is, when it cannot be referenced by a relative path.</summary>
        public string? SchemaNote { get; set; }

        /// <summary>Comment lines at the top of the file (without the leading <c>#</c>).</summary>
        public List<string> Header { get; } = new List<string>();

        /// <summary>The accounts, in file order.</summary>
        public List<ExportAccount> Accounts { get; } = new List<ExportAccount>();
    }

    /// <summary>One account of an exported file.</summary>
    public sealed class ExportAccount
    {
        /// <summary>The local name, unique in the file.</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>The sub-account email (or null for a broker sub-account).</summary>
        public string? Email { get; set; }

        /// <summary>The broker sub-account id (or null for a sub-account).</summary>
        public string? BrokerSubAccountId { get; set; }

        /// <summary>Whether the futures account is open, as Binance reported it; null: unknown (written as a TODO comment).</summary>
        public bool? FuturesEnabled { get; set; }

        /// <summary>Whether margin is enabled, as Binance reported it; null: unknown.</summary>
        public bool? MarginEnabled { get; set; }

        /// <summary>The keys, in file order.</summary>
        public List<ExportKey> Keys { get; } = new List<ExportKey>();

        /// <summary>Keys of the account that are not in the file, one comment line each, with why.</summary>
        public List<string> NotExported { get; } = new List<string>();
    }

    /// <summary>How an exported key's type is known.</summary>
    public enum ExportedTypeSource
    {
        /// <summary>The module's record of creating the key.</summary>
        Record,

        /// <summary>The key has FIX permissions, which Binance gives Ed25519 keys only.</summary>
        Deduced,

        /// <summary>Unknown: HMAC is assumed, the strictest case.</summary>
        Assumed,
    }

    /// <summary>One key of an exported file; never a secret.</summary>
    public sealed class ExportKey
    {
        /// <summary>The label.</summary>
        public string Label { get; set; } = string.Empty;

        /// <summary>The type written.</summary>
        public ApiKeyType Type { get; set; }

        /// <summary>How the type is known.</summary>
        public ExportedTypeSource TypeSource { get; set; }

        /// <summary>The fingerprint of the public key the module uploaded (from its record), for the TODO comment.</summary>
        public string? PublicKeyFingerprint { get; set; }

        /// <summary>The <c>vault:NAME</c> reference of an HMAC key's secret, from the module's record.</summary>
        public string? Secret { get; set; }

        /// <summary>Where the module's record says an HMAC key's secret went, when that is not a vault entry the file can name.</summary>
        public string? SecretElsewhere { get; set; }

        /// <summary>The permissions, Reading left out (it is always on).</summary>
        public List<ApiKeyPermission> Permissions { get; } = new List<ApiKeyPermission>();

        /// <summary>Permissions whose state neither Binance nor the module's record tells.</summary>
        public List<ApiKeyPermission> UnknownPermissions { get; } = new List<ApiKeyPermission>();

        /// <summary>The trusted IPs; null: no IP restriction.</summary>
        public List<string>? IpWhitelist { get; set; }
    }

    /// <summary>
    /// Writes an <see cref="ExportDocument"/> as desired-state YAML through YamlDotNet's emitter, so that labels and emails
    /// with YAML's special characters are quoted correctly; strings that YAML would read as something else (a number, a
    /// boolean, null) are quoted too, so that the loader reads back exactly what was written.
    /// </summary>
    public static class DesiredStateWriter
    {
        // Plain (unquoted) only where no YAML 1.1 or 1.2 reader can take the text for anything but a string.
        private static readonly Regex SafePlain = new Regex(@"^[A-Za-z_][A-Za-z0-9_.@/:+-]*$", RegexOptions.CultureInvariant);
        private static readonly Regex Ipv4 = new Regex(@"^[0-9]{1,3}(\.[0-9]{1,3}){3}$", RegexOptions.CultureInvariant);
        private static readonly HashSet<string> Reserved = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "true", "false", "yes", "no", "on", "off", "y", "n", "null" };

        /// <summary>The document as YAML text (UTF-8, \n line ends).</summary>
        public static string Write(ExportDocument document)
        {
            if (document is null) throw new ArgumentNullException(nameof(document));
            var text = new StringWriter { NewLine = "\n" };
            var emitter = new Emitter(text, new EmitterSettings(2, int.MaxValue, false, 1024, false, true, "\n"));
            var writer = new Writer(emitter);
            emitter.Emit(new StreamStart());
            emitter.Emit(new DocumentStart(null, null, true));
            if (document.SchemaReference != null) writer.Comment("yaml-language-server: $schema=" + document.SchemaReference);
            else if (document.SchemaNote != null) writer.Comment(document.SchemaNote);
            foreach (string line in document.Header) writer.Comment(line);
            writer.Comment("defaultSecurityControls: true|false  # TODO: Binance's master-wide Default Security Controls switch, which its API does not report; left out, it counts as on (rule BN002)");
            emitter.Emit(new MappingStart(null, null, false, MappingStyle.Block));
            writer.Field("version", "1", plain: true);
            writer.Key("accounts");
            if (document.Accounts.Count == 0)
            {
                writer.FlowList(Array.Empty<string>());
            }
            else
            {
                emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
                foreach (var account in document.Accounts) WriteAccount(writer, account);
                emitter.Emit(new SequenceEnd());
            }
            emitter.Emit(new MappingEnd());
            emitter.Emit(new DocumentEnd(true));
            emitter.Emit(new StreamEnd());
            return text.ToString();
        }

        private static void WriteAccount(Writer writer, ExportAccount account)
        {
            writer.Emitter.Emit(new MappingStart(null, null, false, MappingStyle.Block));
            writer.Field("name", account.Name);
            if (account.Email != null) writer.Field("email", account.Email);
            if (account.BrokerSubAccountId != null) writer.Field("brokerSubAccountId", account.BrokerSubAccountId, forceQuotes: true);

            var unknown = new List<string>();
            Fact(writer, unknown, "futuresEnabled", account.FuturesEnabled, "the futures account is open (rule BN004)");
            Fact(writer, unknown, "marginEnabled", account.MarginEnabled, "margin is enabled (rule BN006)");
            unknown.Add("optionsEnabled: true|false  # European options are enabled (rule BN007)");
            unknown.Add("portfolioMargin: true|false  # Portfolio Margin is active (rules BN005, BN026)");
            unknown.Add("verified: true|false  # identity verification is complete (rule BN022)");
            unknown.Add("twoFactorEnabled: true|false  # two-factor authentication is on (rule BN022)");
            writer.Comment("TODO: Binance's API does not report these facts of the account; uncomment and set those the rules need:");
            foreach (string line in unknown) writer.Comment(line);

            writer.Field("prune", "false", plain: true);
            writer.InlineComment("true: an apply deletes keys on Binance that this file does not declare");
            writer.Key("keys");
            if (account.Keys.Count == 0)
            {
                writer.FlowList(Array.Empty<string>());
            }
            else
            {
                writer.Emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
                foreach (var key in account.Keys) WriteKey(writer, key);
                writer.Emitter.Emit(new SequenceEnd());
            }
            foreach (string line in account.NotExported) writer.Comment("Not exported: " + line);
            writer.Emitter.Emit(new MappingEnd());
        }

        private static void Fact(Writer writer, List<string> unknown, string field, bool? value, string meaning)
        {
            if (value is null)
            {
                unknown.Add($"{field}: true|false  # {meaning}");
                return;
            }
            writer.Field(field, value.Value ? "true" : "false", plain: true);
            writer.InlineComment("as Binance's sub-account list reports it");
        }

        private static void WriteKey(Writer writer, ExportKey key)
        {
            writer.Emitter.Emit(new MappingStart(null, null, false, MappingStyle.Block));
            writer.Field("label", key.Label);
            writer.Field("type", ContractNames.Of(key.Type));
            switch (key.TypeSource)
            {
                case ExportedTypeSource.Record:
                    writer.InlineComment("from the module's record of creating this key");
                    break;
                case ExportedTypeSource.Deduced:
                    writer.InlineComment("the key has FIX permissions, which Binance gives Ed25519 keys only");
                    break;
                default:
                    writer.InlineComment("ASSUMED: Binance does not report a key's type and the module did not create this key, so the strictest case (HMAC) is assumed; " +
                        "if it is an ed25519 or rsa key, correct the type and add its publicKey");
                    break;
            }
            if (key.Type != ApiKeyType.Hmac)
            {
                writer.Comment("TODO publicKey: path/to/" + key.Label + ".pub.pem  # the public key (PEM), needed only to create the key again" +
                    (key.PublicKeyFingerprint != null ? "; the module uploaded the one with SHA-256 fingerprint " + key.PublicKeyFingerprint : "; Binance does not report it"));
            }
            else if (key.Secret != null)
            {
                writer.Field("secret", key.Secret);
                writer.InlineComment("from the module's record: where the one-time secret was stored");
            }
            else
            {
                writer.Comment("TODO secret: vault:NAME  # where the one-time secret of a new key goes, needed only to create the key again" +
                    (key.SecretElsewhere != null ? "; the module's record says this key's secret went to " + key.SecretElsewhere : string.Empty));
            }
            writer.Key("permissions");
            writer.FlowList(key.Permissions.Where(p => p != ApiKeyPermission.Reading).Distinct().OrderBy(p => p).Select(PermissionCatalog.NameOf).ToList());
            if (key.UnknownPermissions.Count > 0)
            {
                var unknown = key.UnknownPermissions.Distinct().OrderBy(p => p).Select(PermissionCatalog.NameOf).ToList();
                writer.Comment($"TODO: Binance does not report {string.Join(", ", unknown)} for this key, and the module has no record of {(unknown.Count == 1 ? "it" : "them")}: add to permissions what the key has");
            }
            if (key.IpWhitelist != null)
            {
                writer.Key("ipWhitelist");
                writer.FlowList(key.IpWhitelist);
            }
            else
            {
                writer.Comment("no ipWhitelist: the key has no IP restriction");
            }
            writer.Emitter.Emit(new MappingEnd());
        }

        /// <summary>Whether <paramref name="text"/> may be written unquoted and still read back as the same string.</summary>
        internal static bool IsSafePlain(string text) =>
            (SafePlain.IsMatch(text) && !text.EndsWith(":", StringComparison.Ordinal) && !Reserved.Contains(text)) || Ipv4.IsMatch(text);

        private sealed class Writer
        {
            public Writer(IEmitter emitter) => Emitter = emitter;

            public IEmitter Emitter { get; }

            public void Key(string name) => Emitter.Emit(new Scalar(null, null, name, ScalarStyle.Plain, true, false));

            public void Field(string name, string value, bool plain = false, bool forceQuotes = false)
            {
                Key(name);
                Value(value, plain, forceQuotes);
            }

            public void Value(string value, bool plain = false, bool forceQuotes = false)
            {
                // Single quotes unless the text is safe plain; the emitter falls back to double quotes for text single
                // quotes cannot carry (control characters, line breaks).
                bool asPlain = plain || (!forceQuotes && IsSafePlain(value));
                Emitter.Emit(new Scalar(null, null, value, asPlain ? ScalarStyle.Plain : ScalarStyle.SingleQuoted, asPlain, !asPlain));
            }

            public void FlowList(IReadOnlyCollection<string> items)
            {
                Emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Flow));
                foreach (string item in items) Value(item);
                Emitter.Emit(new SequenceEnd());
            }

            public void Comment(string text) => Emitter.Emit(new YamlDotNet.Core.Events.Comment(OneLine(text), false));

            public void InlineComment(string text) => Emitter.Emit(new YamlDotNet.Core.Events.Comment(OneLine(text), true));

            // A comment ends at the line's end: a line break in a label or a path must not start a line of YAML, and YAML
            // allows no control characters in a comment.
            private static string OneLine(string text) => Regex.Replace(text, @"[\p{Cc}\u0085\u2028\u2029]+", " ");
        }
    }
}

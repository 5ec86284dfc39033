using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using BinanceKeys.IO;
using BinanceKeys.Keys;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;

namespace BinanceKeys.State.Planning
{
    /// <summary>
    /// Saved plans: versioned JSON, never a secret (a plan holds public keys, addresses, labels and where secrets go,
    /// never a secret itself), and a Markdown summary fit for a pull-request comment.
    /// </summary>
    public static class PlanFile
    {
        /// <summary>The largest plan file read (a 30,000-key estate's full plan is well under this).</summary>
        public const long MaxBytes = 256L * 1024 * 1024;

        private static readonly JsonSerializerSettings Settings = new JsonSerializerSettings
        {
            Converters = { new StringEnumConverter() },
            ContractResolver = new WritableOnly(),
            Formatting = Formatting.Indented,
            NullValueHandling = NullValueHandling.Ignore,
            DateParseHandling = DateParseHandling.DateTimeOffset,
            MissingMemberHandling = MissingMemberHandling.Error,
            MaxDepth = 16,
        };

        /// <summary>Writes the plan (owner-only; replacing an older file of the same name).</summary>
        public static void Save(KeyPlan plan, string path)
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder != null && !Directory.Exists(folder)) SecureFile.CreateDirectory(folder);
            SecureFile.WriteAllText(path, JsonConvert.SerializeObject(plan, Settings), overwrite: true);
        }

        /// <summary>The plan as JSON text.</summary>
        public static string ToJson(KeyPlan plan) => JsonConvert.SerializeObject(plan, Settings);

        /// <summary>Reads a saved plan; a file that is not one (or of another format version) is a clear error.</summary>
        public static KeyPlan Load(string path)
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new KeyOperationException(KeyOperationError.NotFound, $"The plan file '{path}' does not exist.");
            if (info.Length > MaxBytes) throw new KeyOperationException(KeyOperationError.InvalidArgument, $"'{path}' is {info.Length} bytes; saved plans are at most {MaxBytes} bytes.");
            string text;
            try
            {
                text = File.ReadAllText(path, new UTF8Encoding(false, true));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is DecoderFallbackException)
            {
                throw new KeyOperationException(KeyOperationError.InvalidArgument, $"The plan file '{path}' cannot be read: {e.Message}", e);
            }
            return Parse(text, path);
        }

        /// <summary>Parses a saved plan's text; <paramref name="source"/> names it in errors.</summary>
        public static KeyPlan Parse(string text, string source)
        {
            int? version = null;
            try
            {
                version = Newtonsoft.Json.Linq.JObject.Parse(text).Value<int?>("FormatVersion");
            }
            catch (JsonException e)
            {
                throw NotAPlan(source, e);
            }
            if (version != KeyPlan.CurrentFormatVersion)
            {
                throw new KeyOperationException(KeyOperationError.InvalidArgument,
                    $"'{source}' is a plan of format version {(version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)")}; this module reads version {KeyPlan.CurrentFormatVersion}. Make a new plan with Get-BinanceKeyPlan -OutFile.");
            }
            try
            {
                var plan = JsonConvert.DeserializeObject<KeyPlan>(text, Settings) ?? throw NotAPlan(source, null);
                if (string.IsNullOrEmpty(plan.Path) || string.IsNullOrEmpty(plan.Endpoint) || plan.Actions.Any(a => a is null) || plan.Accounts.Any(a => a is null))
                {
                    throw NotAPlan(source, null);
                }
                return plan;
            }
            catch (JsonException e)
            {
                throw NotAPlan(source, e);
            }
        }

        private static KeyOperationException NotAPlan(string source, JsonException? error)
        {
            string where = error is JsonReaderException reader ? $" (line {reader.LineNumber}, position {reader.LinePosition})"
                : error is JsonSerializationException serialization && serialization.LineNumber > 0 ? $" (line {serialization.LineNumber}, position {serialization.LinePosition}: {serialization.Path})" : string.Empty;
            return new KeyOperationException(KeyOperationError.InvalidArgument,
                $"'{source}' is not a plan saved by Get-BinanceKeyPlan -OutFile{where}.", error);
        }

        /// <summary>A Markdown summary for a pull-request comment (kept under GitHub's 65,536-character limit).</summary>
        public static string ToMarkdown(KeyPlan plan, int maxCharacters = 60000)
        {
            var text = new StringBuilder();
            text.Append("### BinanceKeys plan: ").AppendLine(Escape(Path.GetFileName(plan.Path)));
            text.AppendLine();
            text.Append("**").Append(Escape(plan.Summary)).Append("**");
            if (plan.HasChanges) text.Append(" Estimated time at Binance's rate limits: ").Append(KeyPlan.FormatDuration(plan.EstimatedDuration)).Append('.');
            text.AppendLine().AppendLine();
            var shown = plan.Actions.Where(a => a.Kind != KeyPlanActionKind.NoChange).ToList();
            if (shown.Count > 0)
            {
                text.AppendLine("| | account/label | action | changes |").AppendLine("|---|---|---|---|");
                int written = 0;
                foreach (var action in shown)
                {
                    var row = new StringBuilder();
                    row.Append("| `").Append(action.Symbol).Append("` | ").Append(Escape(action.Target)).Append(" | ").Append(action.Kind).Append(" | ");
                    row.Append(string.Join("<br>", action.Changes.Select(c => Escape($"{c.Property}: {c.Before} → {c.After}"))
                        .Concat(action.Steps.Length > 0 ? new[] { Escape($"{action.Steps.Length} web-UI steps") } : Array.Empty<string>())));
                    row.AppendLine(" |");
                    if (text.Length + row.Length > maxCharacters - 500)
                    {
                        text.Append("| | … | | ").Append(shown.Count - written).AppendLine(" more actions: see the saved plan |");
                        break;
                    }
                    text.Append(row);
                    written++;
                }
                text.AppendLine();
            }
            var warnings = plan.Findings.Where(f => f.Severity == FindingSeverity.Warning).ToList();
            bool headed = false;
            foreach (string note in plan.Notes.Concat(warnings.Select(f => $"{f.RuleId} {f.Account}/{f.Label}: {f.Message}")))
            {
                string line = "- " + Escape(note) + Environment.NewLine;
                if (text.Length + line.Length > maxCharacters) break;
                if (!headed) text.AppendLine("#### Notes");
                headed = true;
                text.Append(line);
            }
            return text.ToString();
        }

        private static string Escape(string text) => text.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ").Replace("<", "&lt;").Replace(">", "&gt;");

        // Computed properties (HasChanges, counts, Summary, Symbol...) are derived on load, never read from the file.
        private sealed class WritableOnly : DefaultContractResolver
        {
            protected override JsonProperty CreateProperty(MemberInfo member, MemberSerialization memberSerialization)
            {
                var property = base.CreateProperty(member, memberSerialization);
                if (member is PropertyInfo info && info.GetSetMethod() is null) property.Ignored = true;
                return property;
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace BinanceKeys.Binance
{
    /// <summary>
    /// Tolerant reading of Binance's JSON (docs/binance.md §2.3, §2.4, §5): fields under alternative names
    /// (<c>apiKey</c>/<c>apikey</c>, <c>list</c>/<c>rows</c>), booleans sent as strings, numbers as strings.
    /// </summary>
    public static class BinanceJson
    {
        /// <summary>Parses JSON text; null for empty or non-JSON text (some error bodies are HTML).</summary>
        public static JToken? TryParse(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            try
            {
                using var reader = new JsonTextReader(new System.IO.StringReader(text))
                {
                    DateParseHandling = DateParseHandling.None,
                    FloatParseHandling = FloatParseHandling.Decimal,
                    MaxDepth = 64,
                };
                return JToken.ReadFrom(reader);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>The first of <paramref name="names"/> present (case-sensitive first, then ignoring case).</summary>
        public static JToken? Field(JToken? token, params string[] names)
        {
            if (!(token is JObject obj)) return null;
            foreach (string name in names)
            {
                if (obj.TryGetValue(name, StringComparison.Ordinal, out var value) && value.Type != JTokenType.Null) return value;
            }
            foreach (string name in names)
            {
                if (obj.TryGetValue(name, StringComparison.OrdinalIgnoreCase, out var value) && value.Type != JTokenType.Null) return value;
            }
            return null;
        }

        public static string? String(JToken? token, params string[] names)
        {
            var value = Field(token, names);
            return value is null ? null : value.Type == JTokenType.String ? (string?)value : value.ToString(Formatting.None);
        }

        /// <summary>A boolean sent as true/false, "true"/"false", 1/0 or "1"/"0".</summary>
        public static bool? Bool(JToken? token, params string[] names)
        {
            var value = Field(token, names);
            if (value is null) return null;
            switch (value.Type)
            {
                case JTokenType.Boolean: return (bool)value;
                case JTokenType.Integer: return (long)value != 0;
                case JTokenType.String:
                    string text = ((string?)value ?? string.Empty).Trim();
                    if (bool.TryParse(text, out bool parsed)) return parsed;
                    if (text == "1") return true;
                    if (text == "0") return false;
                    return null;
                default: return null;
            }
        }

        public static long? Int64(JToken? token, params string[] names)
        {
            var value = Field(token, names);
            if (value is null) return null;
            if (value.Type == JTokenType.Integer) return (long)value;
            if (value.Type == JTokenType.Float) return (long)(decimal)value;
            return long.TryParse((string?)value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed) ? parsed : (long?)null;
        }

        public static int? Int32(JToken? token, params string[] names)
        {
            long? value = Int64(token, names);
            return value.HasValue && value.Value >= int.MinValue && value.Value <= int.MaxValue ? (int)value.Value : (int?)null;
        }

        /// <summary>A list of strings, whether sent as a JSON array or as one comma-separated string.</summary>
        public static IReadOnlyList<string> Strings(JToken? token, params string[] names)
        {
            var value = Field(token, names);
            if (value is JArray array) return array.Select(item => item.Type == JTokenType.String ? (string)item! : item.ToString(Formatting.None)).Where(s => s.Length > 0).ToList();
            if (value?.Type == JTokenType.String)
            {
                return ((string)value!).Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
            }
            return Array.Empty<string>();
        }

        /// <summary>The objects of a list that may be the body itself or sit under one of <paramref name="names"/>.</summary>
        public static IReadOnlyList<JObject> Objects(JToken? token, params string[] names)
        {
            JToken? list = token is JArray ? token : Field(token, names);
            return list is JArray array ? array.OfType<JObject>().ToList() : (IReadOnlyList<JObject>)Array.Empty<JObject>();
        }

        /// <summary>
        /// The JSON as plain .NET values: objects as ordered name/value lists, arrays as object[], numbers, strings,
        /// booleans and nulls. Callers outside this assembly never see a JSON library type.
        /// </summary>
        public static object? ToPlain(JToken? token)
        {
            switch (token)
            {
                case JObject obj:
                    return obj.Properties().Select(p => new KeyValuePair<string, object?>(p.Name, ToPlain(p.Value))).ToList();
                case JArray array:
                    return array.Select(ToPlain).ToArray();
                case JValue value:
                    return value.Value;
                default:
                    return null;
            }
        }

        public static DateTimeOffset? Time(JToken? token, params string[] names)
        {
            long? milliseconds = Int64(token, names);
            if (!milliseconds.HasValue || milliseconds.Value <= 0) return null;
            // Microsecond timestamps (X-MBX-TIME-UNIT, docs/binance.md §1.6) are 1000 times larger.
            long value = milliseconds.Value > 100_000_000_000_000 ? milliseconds.Value / 1000 : milliseconds.Value;
            return DateTimeOffset.FromUnixTimeMilliseconds(value);
        }
    }
}

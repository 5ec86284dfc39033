using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>One answer example of docs/binance.md: the line <c>&lt;!-- example: KEY optional: a, b --&gt;</c> and the JSON block after it.</summary>
public sealed record ReferenceExample(string Key, IReadOnlySet<string> Optional, JsonElement Json, int Line);

/// <summary>Reads the answer examples out of docs/binance.md itself (copied beside the tests at build time).</summary>
public static class ReferenceExamples
{
    private static readonly Regex Marker = new(@"^<!--\s*example:\s*(?<key>.+?)(?:\s+optional:\s*(?<optional>[^>]+?))?\s*-->\s*$", RegexOptions.CultureInvariant);

    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "docs", "binance.md");

    public static IReadOnlyList<ReferenceExample> All { get; } = Load(Path);

    public static IReadOnlyList<ReferenceExample> Load(string path)
    {
        var lines = File.ReadAllLines(path);
        var examples = new List<ReferenceExample>();
        for (var i = 0; i < lines.Length; i++)
        {
            var match = Marker.Match(lines[i].Trim());
            if (!match.Success)
            {
                continue;
            }
            var fence = i + 1;
            while (fence < lines.Length && lines[fence].Trim().Length == 0)
            {
                fence++;
            }
            if (fence >= lines.Length || lines[fence].Trim() != "```json")
            {
                throw new InvalidDataException($"{path}({i + 1}): an example marker must be followed by a ```json block.");
            }
            var json = new StringBuilder();
            var end = fence + 1;
            for (; end < lines.Length && lines[end].Trim() != "```"; end++)
            {
                json.AppendLine(lines[end]);
            }
            var optional = match.Groups["optional"].Success
                ? match.Groups["optional"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)
                : new HashSet<string>(StringComparer.Ordinal);
            examples.Add(new ReferenceExample(match.Groups["key"].Value.Trim(), optional, JsonDocument.Parse(json.ToString()).RootElement.Clone(), i + 1));
            i = end;
        }
        return examples;
    }

    /// <summary>
    /// The ways <paramref name="actual"/> differs from <paramref name="example"/>: a field missing (unless optional),
    /// a field the example does not have, or a different JSON type. Array elements are each compared with the
    /// example's first element. Optional fields are named by their dotted path (<c>rows.email</c>; arrays are transparent).
    /// </summary>
    public static IReadOnlyList<string> Differences(JsonElement example, JsonElement actual, IReadOnlySet<string> optional)
    {
        var differences = new List<string>();
        Compare(example, actual, "", optional, differences);
        return differences;
    }

    private static void Compare(JsonElement example, JsonElement actual, string path, IReadOnlySet<string> optional, List<string> differences)
    {
        var where = path.Length == 0 ? "(top)" : path;
        if (Kind(example) != Kind(actual))
        {
            differences.Add($"{where}: {Kind(actual)} where the reference has {Kind(example)}");
            return;
        }
        switch (example.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var field in example.EnumerateObject())
                {
                    var fieldPath = path.Length == 0 ? field.Name : path + "." + field.Name;
                    if (actual.TryGetProperty(field.Name, out var value))
                    {
                        Compare(field.Value, value, fieldPath, optional, differences);
                    }
                    else if (!optional.Contains(fieldPath))
                    {
                        differences.Add($"{fieldPath}: missing");
                    }
                }
                foreach (var field in actual.EnumerateObject().Where(f => !example.TryGetProperty(f.Name, out _)))
                {
                    differences.Add($"{(path.Length == 0 ? field.Name : path + "." + field.Name)}: not in the reference");
                }
                break;
            case JsonValueKind.Array:
                if (example.GetArrayLength() > 0)
                {
                    if (actual.GetArrayLength() == 0)
                    {
                        differences.Add($"{where}: empty, so its elements cannot be compared (make the recipe return one)");
                    }
                    foreach (var element in actual.EnumerateArray())
                    {
                        Compare(example[0], element, path, optional, differences);
                    }
                }
                break;
        }
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => "number",
        JsonValueKind.String => "string",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}

using System.Linq;
using System.Text.Json;

namespace BinanceKeys.Sandbox.Tests;

/// <summary>Asserts the exact field names and JSON kinds of an object (the wire format of docs/binance.md §2).</summary>
public static class JsonShape
{
    public static void Is(JsonElement element, params (string Name, JsonValueKind Kind)[] fields)
    {
        Assert.Equal(JsonValueKind.Object, element.ValueKind);
        Assert.Equal(fields.Select(f => f.Name).Order(), element.EnumerateObject().Select(p => p.Name).Order());
        foreach (var (name, kind) in fields)
        {
            var actual = element.GetProperty(name).ValueKind;
            var matches = kind == JsonValueKind.True ? actual is JsonValueKind.True or JsonValueKind.False : actual == kind;
            Assert.True(matches, $"{name} is {actual}, expected {kind}");
        }
    }

    // Shorthands.
    public const JsonValueKind Bool = JsonValueKind.True;
    public const JsonValueKind Number = JsonValueKind.Number;
    public const JsonValueKind Text = JsonValueKind.String;
    public const JsonValueKind Array = JsonValueKind.Array;
    public const JsonValueKind Nested = JsonValueKind.Object;
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace BinanceKeys.Sandbox.Http;

/// <summary>The JSON settings of every answer: camelCase names, absent optional fields left out.</summary>
internal static class SandboxJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };
}

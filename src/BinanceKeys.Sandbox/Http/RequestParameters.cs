using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace BinanceKeys.Sandbox.Http;

/// <summary>
/// The parameters of one request, decoded, plus the exact bytes that were signed
/// (docs/binance.md §1.1: query string and form body concatenated with no separator, minus <c>signature</c>).
/// </summary>
internal sealed class RequestParameters
{
    private const string SignatureName = "signature";

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private RequestParameters(string rawQuery, string rawBody)
    {
        var query = Split(rawQuery);
        var body = Split(rawBody);
        QueryNames = query.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        // §1.1: "If a param is in both, the query-string value wins." Body first, then query overwrites.
        foreach (var pair in body.Concat(query))
        {
            _values[pair.Name] = pair.Value;
        }
        AllNames = query.Concat(body).Select(p => p.Name).Distinct(StringComparer.Ordinal).ToList();

        var signedText = Rejoin(query) + Rejoin(body);
        SignedPayload = Encoding.UTF8.GetBytes(signedText);
        SignedSegments = query.Concat(body).Where(p => p.Name != SignatureName).Select(p => p.Raw).ToList();
    }

    /// <summary>The signed <c>name=value</c> segments exactly as they arrived (still percent-encoded).</summary>
    public IReadOnlyList<string> SignedSegments { get; }

    /// <summary>The signed bytes: the raw query and the raw body, each without its <c>signature</c> pair.</summary>
    public byte[] SignedPayload { get; }

    /// <summary>Every parameter name sent, in order, query first (the request log shows these).</summary>
    public IReadOnlyList<string> AllNames { get; }

    public IReadOnlySet<string> QueryNames { get; }

    public string? Signature => Get(SignatureName);

    public static RequestParameters Parse(string rawQuery, string rawBody) =>
        new(rawQuery.TrimStart('?'), rawBody);

    public string? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

    public bool Has(string name) => _values.ContainsKey(name);

    private static List<RawPair> Split(string raw)
    {
        var pairs = new List<RawPair>();
        foreach (var segment in raw.Split('&'))
        {
            if (segment.Length == 0)
            {
                continue;
            }
            var equals = segment.IndexOf('=');
            var name = equals < 0 ? segment : segment[..equals];
            var value = equals < 0 ? "" : segment[(equals + 1)..];
            pairs.Add(new RawPair(Decode(name), Decode(value), segment));
        }
        return pairs;
    }

    private static string Rejoin(IEnumerable<RawPair> pairs) =>
        string.Join('&', pairs.Where(p => p.Name != SignatureName).Select(p => p.Raw));

    // Form decoding: '+' is a space, %XX are UTF-8 bytes (application/x-www-form-urlencoded).
    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private sealed record RawPair(string Name, string Value, string Raw);
}

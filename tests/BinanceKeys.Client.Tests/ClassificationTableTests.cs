using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BinanceKeys.Binance;
using BinanceKeys.Tests.Time;

namespace BinanceKeys.Client.Tests;

/// <summary>
/// The client's classification of Binance's answers, row by row from the table in docs/binance.md §5.1 (read from
/// the file, between its markers): the reference, not the code under test, says what each answer means.
/// </summary>
public sealed class ClassificationTableTests
{
    public static TheoryData<int, string, string> Rows
    {
        get
        {
            var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "docs", "binance.md"));
            int start = Array.FindIndex(lines, l => l.Trim() == "<!-- classification-table:start -->");
            int end = Array.FindIndex(lines, l => l.Trim() == "<!-- classification-table:end -->");
            Assert.True(start >= 0 && end > start, "docs/binance.md §5.1 has no classification table between its markers.");
            var rows = new TheoryData<int, string, string>();
            foreach (var line in lines[(start + 1)..end].Where(l => l.StartsWith("| ", StringComparison.Ordinal) && char.IsAsciiDigit(l[2])))
            {
                var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                var body = cells[1] == "(empty)" ? "" : cells[1].Trim('`');
                rows.Add(int.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture), body, cells[2]);
            }
            Assert.True(rows.Count() >= 20, "the classification table lost rows");
            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task EachAnswer_IsClassifiedAsTheReferenceSays(int status, string body, string kind)
    {
        var clock = new TestClock();
        var options = new BinanceClientOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9/"),
            Handler = new Stub((HttpStatusCode)status, body),
            TimeProvider = clock,
            Timeout = TimeSpan.FromDays(1),
        };
        using var client = new BinanceClient(new BinanceTransport(options, null, null));
        // An unsigned write: never retried after a 5xx, so the first answer is the one classified.
        var endpoint = BinanceEndpoint.Custom(HttpMethod.Post, "/sapi/v1/anything", signed: false);
        var call = client.InvokeAsync(endpoint, Array.Empty<KeyValuePair<string, string>>(), CancellationToken.None);
        var error = await Assert.ThrowsAsync<BinanceApiException>(() => clock.RunAsync(call));
        Assert.Equal(Enum.Parse<BinanceErrorKind>(kind), error.Kind);
        Assert.Equal((HttpStatusCode)status, error.Status);
    }

    private sealed class Stub : HttpMessageHandler
    {
        private readonly HttpStatusCode status;
        private readonly string body;

        public Stub(HttpStatusCode status, string body)
        {
            this.status = status;
            this.body = body;
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status)
            {
                Content = new StringContent(body, Encoding.UTF8, body.StartsWith('<') ? "text/html" : "application/json"),
            });
    }
}

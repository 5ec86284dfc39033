using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using BinanceKeys.Binance;
using BinanceKeys.Commands.Infrastructure;

namespace BinanceKeys.Commands
{
    /// <summary>
    /// Invoke-BinanceRestMethod: any call Binance offers, over the current connection: signed unless -Unsigned,
    /// paced and retried like every other call; the JSON answer comes back as objects.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "BinanceRestMethod", SupportsShouldProcess = true)]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeBinanceRestMethodCommand : BinanceCmdlet
    {
        /// <summary>GET, POST, PUT or DELETE.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateSet("GET", "POST", "PUT", "DELETE", IgnoreCase = true)]
        public string Method { get; set; } = "GET";

        /// <summary>The path, e.g. /sapi/v1/account/info: /api/... or /sapi/..., no host, query or fragment (docs: BinancePath).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Parameters, sent in the query (GET) or the form body (POST, PUT, DELETE), in the order given.</summary>
        [Parameter(Position = 2)]
        public IDictionary? Parameter { get; set; }

        /// <summary>Sends no timestamp and signature (endpoints with security type NONE).</summary>
        [Parameter]
        public SwitchParameter Unsigned { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var method = new HttpMethod(Method.ToUpperInvariant());
            // The path is put after the connection's endpoint: only a path of the strict grammar, so that nothing in it
            // can name another host; the key-creating guard then sees exactly what would be sent.
            if (!BinancePath.TryParse(Path, out string? path, out string? problem))
            {
                ThrowTerminating(new Keys.KeyOperationException(Keys.KeyOperationError.InvalidArgument, problem!), Path);
            }
            if (BinanceEndpoints.IssuesOneTimeSecret(method, path!))
            {
                ThrowTerminating(new Keys.KeyOperationException(Keys.KeyOperationError.InvalidArgument,
                    $"{method.Method} {Path} creates an API key whose one-time secret would be printed here. Use New-BinanceApiKey, which stores the secret before anything else."), Path);
            }
            var endpoint = BinanceEndpoint.Custom(method, path!, signed: !Unsigned);
            var parameters = new List<KeyValuePair<string, string>>();
            if (Parameter != null)
            {
                foreach (DictionaryEntry entry in Parameter)
                {
                    parameters.Add(new KeyValuePair<string, string>(entry.Key?.ToString() ?? string.Empty, Format(entry.Value)));
                }
            }
            // Reads change nothing; anything else might.
            if (method != HttpMethod.Get && !ShouldProcess(Path, method.Method)) return;
            try
            {
                var connection = RequireConnection();
                object? body = Run((log, token) => connection.Client.InvokePlainAsync(endpoint, parameters, token));
                WriteObject(ToPowerShell(body), enumerateCollection: true);
            }
            catch (Exception e) when (IsExpected(e))
            {
                ThrowTerminating(e, Path);
            }
        }

        private static string Format(object? value)
        {
            object? unwrapped = value is PSObject ps ? ps.BaseObject : value;
            return unwrapped switch
            {
                null => string.Empty,
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                IEnumerable list when !(unwrapped is string) => string.Join(",", list.Cast<object>().Select(Format)),
                _ => unwrapped.ToString() ?? string.Empty,
            };
        }

        // JSON objects become PSCustomObjects (like Invoke-RestMethod), arrays object[], values stay as they are.
        private static object? ToPowerShell(object? value)
        {
            switch (value)
            {
                case List<KeyValuePair<string, object?>> properties:
                    var result = new PSObject();
                    foreach (var property in properties) result.Properties.Add(new PSNoteProperty(property.Key, ToPowerShell(property.Value)));
                    return result;
                case object?[] array:
                    return array.Select(ToPowerShell).ToArray();
                default:
                    return value;
            }
        }
    }
}

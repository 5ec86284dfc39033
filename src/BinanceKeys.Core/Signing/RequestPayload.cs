using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace BinanceKeys.Signing
{
    /// <summary>The query string and form body of a signed request, exactly as they are sent.</summary>
    public sealed class SignedRequestContent
    {
        internal SignedRequestContent(string queryString, string body)
        {
            QueryString = queryString;
            Body = body;
        }

        /// <summary>The query string without the leading '?', including the signature if it goes there.</summary>
        public string QueryString { get; }

        /// <summary>The application/x-www-form-urlencoded body, including the signature if it goes there.</summary>
        public string Body { get; }

        /// <inheritdoc />
        public override string ToString() => "signed request content (redacted)";
    }

    /// <summary>
    /// Builds what Binance signs (docs/binance.md §1.2): parameters joined as name=value with '&amp;', names and
    /// values percent-encoded as RFC 3986 UTF-8, the query string and the body concatenated with no separator,
    /// then the signature appended, percent-encoded, to the part sent last. The bytes signed are the bytes sent.
    /// </summary>
    public static class RequestPayload
    {
        /// <summary>Binance's limits on recvWindow: at most 60,000 ms (docs/binance.md §1.6).</summary>
        public const decimal MaxReceiveWindow = 60000m;

        /// <summary>Encodes parameters as a query string or form body: <c>name=value&amp;name=value</c>.</summary>
        public static string Encode(IEnumerable<KeyValuePair<string, string>> parameters)
        {
            var text = new StringBuilder();
            foreach (var parameter in parameters)
            {
                if (string.IsNullOrEmpty(parameter.Key)) throw new ArgumentException("A parameter name must not be empty.", nameof(parameters));
                if (text.Length > 0) text.Append('&');
                text.Append(PercentEncoding.Encode(parameter.Key)).Append('=').Append(PercentEncoding.Encode(parameter.Value ?? string.Empty));
            }
            return text.ToString();
        }

        /// <summary>The exact string signed: the query string followed by the body, with no separator.</summary>
        public static string Concatenate(string queryString, string body) => queryString + body;

        /// <summary>
        /// Adds <c>recvWindow</c> (when given) and <c>timestamp</c> to the part that carries the parameters
        /// (the body when it has any or when <paramref name="parametersInBody"/>, the query otherwise), signs
        /// query + body, and appends <c>signature</c> to that same part.
        /// </summary>
        /// <param name="query">Parameters for the query string.</param>
        /// <param name="body">Parameters for the form body.</param>
        /// <param name="timestamp">Milliseconds since the Unix epoch, on the server's clock.</param>
        /// <param name="receiveWindow">recvWindow in milliseconds (up to three decimals), or null for Binance's default of 5000.</param>
        /// <param name="signer">The credential's signer.</param>
        /// <param name="parametersInBody">Put timestamp, recvWindow and signature in the body (POST, DELETE).</param>
        public static SignedRequestContent Sign(
            IEnumerable<KeyValuePair<string, string>> query,
            IEnumerable<KeyValuePair<string, string>> body,
            long timestamp,
            decimal? receiveWindow,
            IRequestSigner signer,
            bool parametersInBody)
        {
            if (signer is null) throw new ArgumentNullException(nameof(signer));
            var queryParameters = new List<KeyValuePair<string, string>>(query);
            var bodyParameters = new List<KeyValuePair<string, string>>(body);
            bool toBody = parametersInBody || bodyParameters.Count > 0;
            var target = toBody ? bodyParameters : queryParameters;

            if (receiveWindow.HasValue)
            {
                target.Add(new KeyValuePair<string, string>("recvWindow", FormatReceiveWindow(receiveWindow.Value)));
            }
            target.Add(new KeyValuePair<string, string>("timestamp", timestamp.ToString(CultureInfo.InvariantCulture)));

            string queryString = Encode(queryParameters);
            string bodyString = Encode(bodyParameters);
            string signature = PercentEncoding.Encode(signer.Sign(Concatenate(queryString, bodyString)));
            string signatureParameter = "signature=" + signature;

            if (toBody)
            {
                bodyString = bodyString.Length == 0 ? signatureParameter : bodyString + "&" + signatureParameter;
            }
            else
            {
                queryString = queryString.Length == 0 ? signatureParameter : queryString + "&" + signatureParameter;
            }
            return new SignedRequestContent(queryString, bodyString);
        }

        /// <summary>Formats recvWindow: milliseconds, up to three decimals, invariant culture (docs/binance.md §1.6).</summary>
        public static string FormatReceiveWindow(decimal milliseconds)
        {
            if (milliseconds <= 0 || milliseconds > MaxReceiveWindow)
            {
                throw new ArgumentOutOfRangeException(nameof(milliseconds), milliseconds, "recvWindow must be greater than 0 and at most 60000 milliseconds.");
            }
            if (decimal.Round(milliseconds, 3) != milliseconds)
            {
                throw new ArgumentOutOfRangeException(nameof(milliseconds), milliseconds, "recvWindow takes at most three decimals (microsecond precision).");
            }
            return milliseconds.ToString("0.###", CultureInfo.InvariantCulture);
        }
    }
}

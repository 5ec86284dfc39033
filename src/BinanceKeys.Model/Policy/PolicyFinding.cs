using System.Text;

namespace BinanceKeys
{
    /// <summary>One result of a policy check: which rule, how bad, which account and key, what to do, and where in the file.</summary>
    public sealed class PolicyFinding
    {
        /// <summary>The stable rule id, e.g. <c>BN003</c> (Binance's rules) or <c>ORG001</c> (the organisation's).</summary>
        public string RuleId { get; set; } = "";

        public FindingSeverity Severity { get; set; }

        public string? Account { get; set; }

        public string? Label { get; set; }

        public string Message { get; set; } = "";

        public string Remediation { get; set; } = "";

        /// <summary>The desired-state file the finding came from; null for keys from the pipeline.</summary>
        public string? File { get; set; }

        /// <summary>1-based line in <see cref="File"/>, or 0 when unknown.</summary>
        public int Line { get; set; }

        /// <summary>1-based column in <see cref="File"/>, or 0 when unknown.</summary>
        public int Column { get; set; }

        /// <summary>Where in the document, e.g. <c>accounts[0].keys[1].permissions[2]</c>.</summary>
        public string? YamlPath { get; set; }

        /// <summary>"file:line:column: BN003 Error desk-eu/mm-bot: message" (position omitted when unknown).</summary>
        public override string ToString()
        {
            var text = new StringBuilder();
            if (File != null)
            {
                text.Append(File);
                if (Line > 0) text.Append(':').Append(Line).Append(':').Append(Column);
                text.Append(": ");
            }
            text.Append(RuleId).Append(' ').Append(Severity).Append(' ');
            if (Account != null || Label != null)
            {
                text.Append(Account ?? "?");
                if (Label != null) text.Append('/').Append(Label);
                text.Append(": ");
            }
            text.Append(Message);
            return text.ToString();
        }
    }
}

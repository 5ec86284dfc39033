using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace BinanceKeys.Tests.Policy
{
    /// <summary>Builds small desired-state documents for rule tests: one account, keys given field by field.</summary>
    internal static class RuleDocuments
    {
        public const string GoodFacts = "futuresEnabled: true\nmarginEnabled: true\noptionsEnabled: true\nportfolioMargin: false\nverified: true\ntwoFactorEnabled: true";

        /// <summary>A key block; every argument is one YAML line of the key ("field: value"); null drops a default.</summary>
        public static string Key(string label = "bot", string type = "ed25519", string? publicKey = "keys/ed25519.pub.pem",
            string permissions = "[spotAndMarginTrading]", string? ipWhitelist = "[203.0.113.7]", params string[] extra)
        {
            var lines = new List<string> { "label: " + label, "type: " + type };
            if (publicKey != null) lines.Add("publicKey: " + publicKey);
            if (type == "hmac" && publicKey == null && !extra.Any(e => e.StartsWith("secret:"))) lines.Add("secret: vault:" + label);
            lines.Add("permissions: " + permissions);
            if (ipWhitelist != null) lines.Add("ipWhitelist: " + ipWhitelist);
            lines.AddRange(extra);
            return string.Join("\n", lines);
        }

        public static string Hmac(string label = "bot", string permissions = "[]", string? ipWhitelist = "[203.0.113.7]", params string[] extra) =>
            Key(label, "hmac", null, permissions, ipWhitelist, extra);

        /// <summary>The whole document; <paramref name="identity"/> is the account's email/brokerSubAccountId line ("" = own account).</summary>
        public static string Doc(IEnumerable<string> keys, string facts = GoodFacts, string top = "", string identity = "email: desk@example.com")
        {
            var text = new StringBuilder();
            text.Append("version: 1\n");
            foreach (string line in Lines(top)) text.Append(line).Append('\n');
            text.Append("accounts:\n");
            text.Append("  - name: desk\n");
            foreach (string line in Lines(identity)) text.Append("    ").Append(line).Append('\n');
            foreach (string line in Lines(facts)) text.Append("    ").Append(line).Append('\n');
            text.Append("    keys:\n");
            foreach (string key in keys)
            {
                bool first = true;
                foreach (string line in Lines(key))
                {
                    text.Append(first ? "      - " : "        ").Append(line).Append('\n');
                    first = false;
                }
            }
            return text.ToString();
        }

        public static string Doc(string key, string facts = GoodFacts, string top = "", string identity = "email: desk@example.com") =>
            Doc(new[] { key }, facts, top, identity);

        public static IEnumerable<string> ManyKeys(int count) => Enumerable.Range(1, count).Select(i => Hmac("bot-" + i));

        private static IEnumerable<string> Lines(string text) => text.Length == 0 ? Enumerable.Empty<string>() : text.Split('\n');
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using BinanceKeys.Crypto;

namespace BinanceKeys.Benchmarks
{
    /// <summary>
    /// A generated fleet in the layout docs/desired-state.md documents: sub-accounts of 30 keys each, Ed25519 keys
    /// with a public-key file (four distinct files shared by the whole fleet), every tenth key a read-only HMAC key
    /// with a vault reference, two whitelisted addresses per key, and an organisation policy. About 180 bytes a key,
    /// so 30,000 keys are about 5.4 MB. Shared with the tests (linked source), so both measure the same estate.
    /// </summary>
    public static class DesiredStateEstate
    {
        public const int KeysPerAccount = 30;

        private const int PublicKeyFiles = 4;

        /// <summary>The YAML of one file holding <paramref name="accounts"/> accounts, numbered from <paramref name="firstAccount"/>.</summary>
        public static string Yaml(int accounts, int firstAccount = 0, bool withPolicy = true)
        {
            var text = new StringBuilder(accounts * KeysPerAccount * 190 + 512);
            text.Append("# yaml-language-server: $schema=../module/schema/binancekeys.schema.json\n");
            text.Append("version: 1\n");
            if (withPolicy)
            {
                text.Append("policy:\n");
                text.Append("  forbidPermissions: [withdrawals]\n");
                text.Append("  allowedNetworks: [203.0.113.0/24, 198.51.100.0/24]\n");
                text.Append("  keyTypes: [ed25519, hmac]\n");
                text.Append("  requireIpRestriction: true\n");
                text.Append("  labelPattern: '^[a-z][a-z0-9-]{2,30}$'\n");
            }
            text.Append("accounts:\n");
            for (int a = firstAccount; a < firstAccount + accounts; a++)
            {
                string account = "desk-" + a.ToString("D4", CultureInfo.InvariantCulture);
                text.Append("  - name: ").Append(account).Append('\n');
                text.Append("    email: ").Append(account).Append("@example.com\n");
                text.Append("    futuresEnabled: true\n");
                text.Append("    keys:\n");
                for (int k = 0; k < KeysPerAccount; k++)
                {
                    string label = "bot-" + k.ToString("D2", CultureInfo.InvariantCulture);
                    int host = (a * KeysPerAccount + k) % 250 + 1;
                    text.Append("      - label: ").Append(label).Append('\n');
                    if (k % 10 == 9)
                    {
                        text.Append("        type: hmac\n");
                        text.Append("        secret: vault:").Append(account).Append('/').Append(label).Append('\n');
                        text.Append("        permissions: []\n");
                    }
                    else
                    {
                        text.Append("        type: ed25519\n");
                        text.Append("        publicKey: keys/desk-").Append((a + k) % PublicKeyFiles).Append(".pub.pem\n");
                        text.Append("        permissions: [spotAndMarginTrading").Append(k % 3 == 0 ? ", futures" : "").Append("]\n");
                    }
                    text.Append("        ipWhitelist: [203.0.113.").Append(host).Append(", 198.51.100.").Append(host).Append("]\n");
                }
            }
            return text.ToString();
        }

        /// <summary>Writes the estate as one file <c>estate.yaml</c> (or, with <paramref name="files"/> above 1, that many files in a folder) plus its key files.</summary>
        /// <returns>The file, or the folder of files.</returns>
        public static string Write(string folder, int keys, int files = 1)
        {
            int accounts = Math.Max(1, keys / KeysPerAccount);
            Directory.CreateDirectory(Path.Combine(folder, "keys"));
            for (int i = 0; i < PublicKeyFiles; i++)
            {
                using SigningKey key = KeyGenerator.Generate(KeyAlgorithm.Ed25519);
                File.WriteAllText(Path.Combine(folder, "keys", $"desk-{i}.pub.pem"), key.PublicKey.Pem);
            }
            if (files <= 1)
            {
                string file = Path.Combine(folder, "estate.yaml");
                File.WriteAllText(file, Yaml(accounts));
                return file;
            }
            int perFile = (accounts + files - 1) / files;
            for (int f = 0, first = 0; first < accounts; f++, first += perFile)
            {
                string name = Path.Combine(folder, "group-" + f.ToString("D3", CultureInfo.InvariantCulture) + ".yaml");
                File.WriteAllText(name, Yaml(Math.Min(perFile, accounts - first), first, withPolicy: f == 0));
            }
            return folder;
        }
    }
}

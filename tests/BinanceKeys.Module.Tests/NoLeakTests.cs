using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// Drives the module's cmdlets, successful and failing, with -Verbose and -Debug, and looks for secrets in
    /// everything a user, a log or a transcript could see: output objects (ToString and every property), every
    /// stream, error records and exception text, and the files written. Grows with every cmdlet (issue 5).
    /// </summary>
    public sealed class NoLeakTests : IDisposable
    {
        private const string Passphrase = "Leak-Canary-Passphrase-7f3a";
        private const string HmacSecret = "LeakCanaryHmacSecretL8n2Qx5Vb7Mz1Kc3Jd9Hf4Gs6Aa0Pp2Ww4Ee6Rr8Tt0Yy";
        private readonly string folder = Directory.CreateTempSubdirectory("bk-noleak-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private Dictionary<string, object?> Vars() => new Dictionary<string, object?>
        {
            ["p"] = ModuleHost.Secure(Passphrase),
            ["wrong"] = ModuleHost.Secure(Passphrase + "-wrong"),
            ["secret"] = ModuleHost.Secure(HmacSecret),
        };

        public static TheoryData<string> Scenarios => new TheoryData<string>
        {
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p -Verbose -Debug",
            "New-BinanceKeyPair -Name r -Path ./k -Algorithm RSA -Passphrase $p -Verbose -Debug",
            "New-BinanceKeyPair -Name u -Path ./k -NoEncryption -Verbose -Debug",
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p -Verbose -Debug; New-BinanceKeyPair -Name e -Path ./k -Passphrase $p -Verbose -Debug",
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p -WhatIf -Verbose -Debug",
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p | Out-Null; Get-BinanceKeyPair ./k/e.pem -Passphrase $p -Verbose -Debug",
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p | Out-Null; Get-BinanceKeyPair ./k/e.pem -Passphrase $wrong -Verbose -Debug",
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p | Out-Null; Get-BinanceKeyPair ./k/e.pem -Verbose -Debug",
            "New-BinanceKeyPair -Name u -Path ./k -NoEncryption | Out-Null; Get-BinanceKeyPair ./k/u.pem -Verbose -Debug | New-BinanceSignature -Payload 'timestamp=1' -Verbose -Debug",
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p | Out-Null; New-BinanceSignature -PrivateKeyPath ./k/e.pem -Passphrase $p -Payload 'timestamp=1' -Verbose -Debug",
            "New-BinanceKeyPair -Name e -Path ./k -Passphrase $p | Out-Null; New-BinanceSignature -PrivateKeyPath ./k/e.pem -Passphrase $wrong -Payload 'timestamp=1' -Verbose -Debug",
            "New-BinanceSignature -Secret $secret -Payload 'timestamp=1' -Verbose -Debug",
            "New-BinanceSignature -Secret $secret -Payload 'timestamp=1' -WhatIf -Verbose -Debug",
        };

        [Theory]
        [MemberData(nameof(Scenarios))]
        public void NoSecretAppearsAnywhere(string script)
        {
            var host = new CapturingHost();
            using var shell = ModuleHost.CreateSession(host);
            var result = ModuleHost.Run(shell, "$DebugPreference = 'Continue'; " + script, Vars(), folder);
            ModuleHost.Run(shell, "$Error | ForEach-Object { $_ | Out-Default }");

            var seen = new StringBuilder(result.AllText()).AppendLine(host.Text);
            var forbidden = new List<string> { Passphrase, HmacSecret, Hex(HmacSecret), Convert.ToBase64String(Encoding.UTF8.GetBytes(HmacSecret)) };

            // The private keys written by the scenario: their PEM bodies and raw key bytes in base64 and hex.
            foreach (string file in Directory.EnumerateFiles(folder, "*.pem", SearchOption.AllDirectories).Where(f => !f.EndsWith(".pub.pem")))
            {
                string pem = File.ReadAllText(file);
                string body = string.Concat(pem.Split('\n').Where(line => line.Length > 0 && !line.StartsWith("-----")));
                forbidden.Add(body);
                forbidden.AddRange(pem.Split('\n').Where(line => line.Length >= 40 && !line.StartsWith("-----")));
                if (pem.Contains("BEGIN PRIVATE KEY"))
                {
                    byte[] der = Convert.FromBase64String(body);
                    byte[] raw = der[^32..]; // Ed25519 seed, or the last bytes of the RSA CRT coefficient
                    forbidden.Add(Convert.ToBase64String(raw));
                    forbidden.Add(Convert.ToHexString(raw));
                    forbidden.Add(Convert.ToHexString(raw).ToLowerInvariant());
                }
                foreach (string other in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => f != file))
                {
                    seen.AppendLine(File.ReadAllText(other));
                }
            }

            string everything = seen.ToString();
            foreach (string secret in forbidden)
            {
                Assert.False(everything.Contains(secret, StringComparison.OrdinalIgnoreCase), $"a secret ({secret.Length} characters) leaked");
            }
            Assert.True(everything.Length > 0);
        }

        private static string Hex(string text) => Convert.ToHexString(Encoding.UTF8.GetBytes(text));
    }
}

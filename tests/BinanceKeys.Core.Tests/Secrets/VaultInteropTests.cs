using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using BinanceKeys.Secrets;
using BinanceKeys.Tests.Interop;
using Xunit;
using Xunit.Abstractions;

namespace BinanceKeys.Tests.Secrets
{
    /// <summary>
    /// The vault format as docs/vault.md describes it, implemented again in Python with hashlib.scrypt, hmac and
    /// the `cryptography` package's AESGCM: a reader and a writer that nobody wrote in C#. It proves the format is
    /// what the documentation says, and gives a second process that takes the same lock.
    /// </summary>
    public sealed class VaultInteropTests : IDisposable
    {
        private const string Script = """
            import fcntl, hashlib, hmac, os, struct, sys
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            MAGIC = b"BKVAULT\0"
            LABEL = b"BinanceKeys vault key check v1\0"
            PASSPHRASE = os.environ["BINANCEKEYS_VAULT_PASSPHRASE"].encode("utf-8")

            def open_vault(path):
                data = open(path, "rb").read()
                header = data[:128]
                if header[:8] != MAGIC: sys.exit("not a vault")
                version, kdf, log2n, r, p = struct.unpack(">HBBII", header[8:20])
                if (version, kdf) != (1, 1): sys.exit("unsupported")
                if hashlib.sha256(header[:96]).digest() != header[96:128]: sys.exit("header checksum")
                derived = hashlib.scrypt(PASSPHRASE, salt=header[20:52], n=1 << log2n, r=r, p=p, dklen=64, maxmem=(1 << 31) - 1)
                key, check_key = derived[:32], derived[32:]
                if not hmac.compare_digest(hmac.new(check_key, LABEL + header[:52], hashlib.sha256).digest(), header[52:84]):
                    sys.exit("wrong passphrase")
                plain = AESGCM(key).decrypt(header[84:96], data[128:], header)
                return header, key, parse(plain)

            def parse(plain):
                offset = 0
                def take(n):
                    nonlocal offset
                    if n < 0 or offset + n > len(plain): sys.exit("malformed")
                    chunk = plain[offset:offset + n]; offset += n; return chunk
                def int32(): return struct.unpack(">i", take(4))[0]
                def string():
                    n = int32()
                    return None if n == -1 else take(n).decode("utf-8")
                entries = []
                for _ in range(int32()):
                    name, kind, api_key, account, label = string(), string(), string(), string(), string()
                    ticks = struct.unpack(">q", take(8))[0]
                    secret = take(int32())
                    entries.append([name, kind, api_key, account, label, ticks, secret])
                if offset != len(plain): sys.exit("trailing bytes")
                return entries

            def serialize(entries):
                def string(s):
                    if s is None: return struct.pack(">i", -1)
                    b = s.encode("utf-8"); return struct.pack(">i", len(b)) + b
                out = struct.pack(">i", len(entries))
                for name, kind, api_key, account, label, ticks, secret in entries:
                    out += string(name) + string(kind) + string(api_key) + string(account) + string(label)
                    out += struct.pack(">q", ticks) + struct.pack(">i", len(secret)) + secret
                return out

            def write(path, header, key, entries):
                nonce = os.urandom(12)
                new_header = header[:84] + nonce
                new_header += hashlib.sha256(new_header).digest()
                body = AESGCM(key).encrypt(nonce, serialize(entries), new_header)
                temporary = "%s.py%d.tmp" % (path, os.getpid())
                fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as f:
                    f.write(new_header + body); f.flush(); os.fsync(f.fileno())
                os.rename(temporary, path)

            command, path = sys.argv[1], sys.argv[2]
            if command == "list":
                for name, kind, api_key, account, label, ticks, secret in open_vault(path)[2]:
                    print("\t".join([name, kind, api_key or "-", account or "-", label or "-", str(ticks), hashlib.sha256(secret).hexdigest()]))
            elif command == "add":
                prefix, count = sys.argv[3], int(sys.argv[4])
                print("ready", flush=True)
                sys.stdin.readline()
                for i in range(count):
                    lock = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
                    try:
                        fcntl.flock(lock, fcntl.LOCK_EX)
                        header, key, entries = open_vault(path)
                        entries.append(["%s-%d" % (prefix, i), "ed25519", None, "python", None, 638994000000000000, ("secret of %s-%d" % (prefix, i)).encode()])
                        write(path, header, key, entries)
                    finally:
                        os.close(lock)
                print("done", flush=True)
            """;

        private readonly VaultFolder folder = new VaultFolder();
        private readonly ITestOutputHelper output;
        private readonly string scriptPath;

        public VaultInteropTests(ITestOutputHelper output)
        {
            this.output = output;
            scriptPath = Path.Combine(folder.Folder, "vault_interop.py");
            File.WriteAllText(scriptPath, Script);
        }

        public void Dispose() => folder.Dispose();

        [Fact]
        public void PythonReadsWhatLocalVaultWrites()
        {
            string hmac = TestEntries.NewHmacSecret();
            string pem = TestEntries.NewPem();
            var created = new DateTime(2026, 11, 25, 4, 32, 10, DateTimeKind.Utc);
            using (LocalVault vault = folder.Create())
            {
                using (var entry = new VaultEntry(new VaultEntryInfo("desk-eu/reporting", "hmac", "apikey-1", "desk-eu", "reporting", created), hmac.ToCharArray())) vault.Set(entry, overwrite: false);
                using (var entry = new VaultEntry(new VaultEntryInfo("bot ü", "ed25519", null, null, "mm-bot", created), pem.ToCharArray())) vault.Set(entry, overwrite: false);
            }

            string[] lines = RunPython("list").Split('\n', StringSplitOptions.RemoveEmptyEntries);

            Assert.Equal(
                new[]
                {
                    $"desk-eu/reporting\thmac\tapikey-1\tdesk-eu\treporting\t{created.Ticks}\t{Sha256Hex(hmac)}",
                    $"bot ü\ted25519\t-\t-\tmm-bot\t{created.Ticks}\t{Sha256Hex(pem)}",
                },
                lines);
        }

        [Fact]
        public async Task APythonWriterAndLocalVaultWritingAtTheSameTimeLoseNothing()
        {
            const int perWriter = 20;
            using (folder.Create()) { }

            using Process python = StartPython("add", "py", perWriter.ToString());
            try
            {
                Assert.Equal("ready", await python.StandardOutput.ReadLineAsync());
                python.StandardInput.WriteLine("go");
                python.StandardInput.Flush();

                await Task.Factory.StartNew(() =>
                {
                    using LocalVault vault = folder.Open();
                    for (int i = 0; i < perWriter; i++)
                    {
                        using VaultEntry entry = TestEntries.Hmac($"net-{i}", TestEntries.NewHmacSecret());
                        vault.Set(entry, overwrite: false);
                    }
                }, TaskCreationOptions.LongRunning);

                Assert.Equal("done", await python.StandardOutput.ReadLineAsync());
                await python.WaitForExitAsync();
                Assert.True(python.ExitCode == 0, await python.StandardError.ReadToEndAsync());
            }
            finally
            {
                if (!python.HasExited) python.Kill();
            }

            using LocalVault check = folder.Open();
            IReadOnlyList<VaultEntryInfo> all = check.List();
            Assert.Equal(2 * perWriter, all.Count);
            Assert.Equal(perWriter, all.Count(info => info.Name.StartsWith("py-", StringComparison.Ordinal)));
            using VaultEntry fromPython = check.Get("PY-7");
            Assert.Equal("secret of py-7", Encoding.UTF8.GetString(fromPython.Secret));
            Assert.Equal("python", fromPython.Info.Account);
            Assert.Null(fromPython.Info.ApiKey);
        }

        private string RunPython(params string[] arguments)
        {
            using Process python = StartPython(arguments);
            string standardOutput = python.StandardOutput.ReadToEnd();
            string standardError = python.StandardError.ReadToEnd();
            python.WaitForExit();
            Assert.True(python.ExitCode == 0, standardError);
            return standardOutput;
        }

        private Process StartPython(params string[] arguments) =>
            // A missing Python fails the test with what to install (ExternalTool), never passes it.
            StartProcess(ExternalTool.PythonWithCryptography, new[] { scriptPath, arguments[0], folder.VaultPath }.Concat(arguments.Skip(1)).ToArray());

        private static Process StartProcess(string fileName, params string[] arguments)
        {
            var start = new ProcessStartInfo(fileName)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
            };
            foreach (string argument in arguments) start.ArgumentList.Add(argument);
            // The passphrase goes through the environment, as in a pipeline, never on a command line.
            start.Environment[VaultPassphrase.Variable] = VaultFolder.Passphrase;
            start.Environment["PYTHONIOENCODING"] = "utf-8";
            return Process.Start(start)!;
        }

        private static string Sha256Hex(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret))).ToLowerInvariant();
    }
}

using System;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace BinanceKeys.Tests.Interop
{
    /// <summary>Runs tools nobody on this project wrote (OpenSSL, Python's cryptography) for interop tests.</summary>
    internal static class ExternalTool
    {
        private static readonly Lazy<string> Python = new Lazy<string>(FindPythonWithCryptography);

        /// <summary>The Python interpreter that has `cryptography`; fails the calling test if there is none.</summary>
        public static string PythonWithCryptography => Python.Value;

        public static string OpenSsl(string arguments, byte[]? standardInput = null) => Run("openssl", arguments, standardInput);

        /// <summary>Runs a Python script (given as text) with the interpreter that has `cryptography`.</summary>
        public static string PythonScript(string script, params string[] arguments)
        {
            string file = Path.Combine(Path.GetTempPath(), "bk-interop-" + Guid.NewGuid().ToString("N") + ".py");
            File.WriteAllText(file, script);
            try
            {
                var quoted = new StringBuilder(Quote(file));
                foreach (string argument in arguments) quoted.Append(' ').Append(Quote(argument));
                return Run(Python.Value, quoted.ToString(), null);
            }
            finally
            {
                File.Delete(file);
            }
        }

        public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

        /// <summary>
        /// The full path of a program on the PATH. A missing tool fails the test that needs it, with what to install:
        /// an interop test never passes because its other side is absent.
        /// </summary>
        public static string Require(string program, string installHint)
        {
            if (Path.IsPathRooted(program) && File.Exists(program)) return program;
            foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (string name in OperatingSystem.IsWindows() ? new[] { program + ".exe", program } : new[] { program })
                {
                    string candidate = Path.Combine(folder, name);
                    if (File.Exists(candidate)) return candidate;
                }
            }
            throw new MissingPrerequisiteException($"This test needs '{program}', which is not on the PATH: {installHint}.");
        }

        public static string Run(string fileName, string arguments, byte[]? standardInput)
        {
            var start = new ProcessStartInfo(Require(fileName, fileName == "openssl" ? ".ci/run installs it from Debian's 'openssl' package" : "install it"), arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = standardInput != null,
                UseShellExecute = false,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {fileName}.");
            if (standardInput != null)
            {
                process.StandardInput.BaseStream.Write(standardInput, 0, standardInput.Length);
                process.StandardInput.Close();
            }
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{fileName} {arguments} exited with {process.ExitCode}: {error.Result}");
            }
            return output;
        }

        private static string FindPythonWithCryptography()
        {
            var tried = new StringBuilder();
            foreach (string candidate in new[] { "python3", "/usr/bin/python3", "python" })
            {
                try
                {
                    Run(candidate, "-c \"import cryptography, hashlib; hashlib.scrypt(b'x', salt=b's', n=2, r=1, p=1)\"", null);
                    return candidate;
                }
                catch (Exception e) when (e is InvalidOperationException || e is System.ComponentModel.Win32Exception)
                {
                    tried.Append(' ').Append(candidate).Append(": ").Append(e.Message.Split('\n')[0]).Append(';');
                }
            }
            throw new MissingPrerequisiteException("This test needs Python 3 with the 'cryptography' package (and hashlib.scrypt); .ci/run installs python3-cryptography. Tried:" + tried);
        }
    }

    /// <summary>A tool a test needs is missing: the test fails with this message, naming the tool and how to get it.</summary>
    internal sealed class MissingPrerequisiteException : Exception
    {
        public MissingPrerequisiteException(string message) : base(message) { }
    }
}

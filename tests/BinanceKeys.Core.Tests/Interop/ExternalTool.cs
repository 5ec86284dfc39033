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

        public static string Run(string fileName, string arguments, byte[]? standardInput)
        {
            var start = new ProcessStartInfo(fileName, arguments)
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
            foreach (string candidate in new[] { "python3", "/usr/bin/python3", "python" })
            {
                try
                {
                    Run(candidate, "-c \"import cryptography\"", null);
                    return candidate;
                }
                catch (Exception)
                {
                    // try the next interpreter
                }
            }
            throw new InvalidOperationException("No Python interpreter with the 'cryptography' package was found; .ci/run installs python3-cryptography.");
        }
    }
}

using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text.RegularExpressions;

namespace BinanceKeys.Shell
{
    /// <summary>A plain console host: output to stdout, errors and warnings to stderr, prompts read from stdin.</summary>
    internal sealed class ConsoleHost : PSHost
    {
        private readonly ConsoleUserInterface ui = new ConsoleUserInterface();

        public int ExitCode { get; private set; }

        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override string Name => "BinanceKeys.Shell";
        public override PSHostUserInterface UI => ui;
        public override Version Version => new Version(1, 0);
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

        private sealed class ConsoleUserInterface : PSHostUserInterface
        {
            public override PSHostRawUserInterface RawUI { get; } = new RawInterface();

            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
            {
                var answers = new Dictionary<string, PSObject>();
                foreach (var field in descriptions)
                {
                    Console.Error.Write($"{field.Name}: ");
                    bool secure = field.ParameterTypeFullName == typeof(SecureString).FullName;
                    answers[field.Name] = secure ? PSObject.AsPSObject(ReadLineAsSecureString()) : PSObject.AsPSObject(ReadLine());
                }
                return answers;
            }

            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
            {
                Console.Error.WriteLine($"{caption}: {message}");
                for (int i = 0; i < choices.Count; i++) Console.Error.WriteLine($"  [{i}] {choices[i].Label.Replace("&", string.Empty)}");
                Console.Error.Write($"Choice (default {defaultChoice}): ");
                return int.TryParse(ReadLine(), out int choice) && choice >= 0 && choice < choices.Count ? choice : defaultChoice;
            }

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
                throw new NotSupportedException("credential prompts are not supported by this host");

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
                throw new NotSupportedException("credential prompts are not supported by this host");

            public override string ReadLine() => Console.ReadLine() ?? throw new PSInvalidOperationException("No input: standard input is closed.");

            public override SecureString ReadLineAsSecureString()
            {
                var secure = new SecureString();
                if (Console.IsInputRedirected)
                {
                    foreach (char c in ReadLine()) secure.AppendChar(c);
                }
                else
                {
                    for (ConsoleKeyInfo key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
                    {
                        if (key.Key == ConsoleKey.Backspace) { if (secure.Length > 0) secure.RemoveAt(secure.Length - 1); }
                        else secure.AppendChar(key.KeyChar);
                    }
                    Console.Error.WriteLine();
                }
                secure.MakeReadOnly();
                return secure;
            }

            // Logs and pipes get plain text: PowerShell styles table headers with ANSI sequences regardless.
            private static readonly Regex AnsiSequence = new Regex("\x1b\\[[0-9;]*m", RegexOptions.Compiled);

            private static string Plain(string value) => Console.IsOutputRedirected ? AnsiSequence.Replace(value, string.Empty) : value;

            public override void Write(string value) => Console.Write(Plain(value));
            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Write(Plain(value));
            public override void WriteLine(string value) => Console.WriteLine(Plain(value));
            public override void WriteErrorLine(string value) => Console.Error.WriteLine(value);
            public override void WriteDebugLine(string message) => Console.Error.WriteLine("DEBUG: " + message);
            public override void WriteVerboseLine(string message) => Console.Error.WriteLine("VERBOSE: " + message);
            public override void WriteWarningLine(string message) => Console.Error.WriteLine("WARNING: " + message);
            public override void WriteProgress(long sourceId, ProgressRecord record) { }
        }

        private sealed class RawInterface : PSHostRawUserInterface
        {
            private static int Width => Console.IsOutputRedirected ? 160 : Math.Max(80, Console.WindowWidth);

            public override ConsoleColor BackgroundColor { get; set; }
            public override Size BufferSize { get => new Size(Width, 9999); set { } }
            public override Coordinates CursorPosition { get; set; }
            public override int CursorSize { get; set; }
            public override ConsoleColor ForegroundColor { get; set; }
            public override bool KeyAvailable => false;
            public override Size MaxPhysicalWindowSize => new Size(Width, 9999);
            public override Size MaxWindowSize => new Size(Width, 9999);
            public override Coordinates WindowPosition { get; set; }
            public override Size WindowSize { get => new Size(Width, 50); set { } }
            public override string WindowTitle { get; set; } = string.Empty;
            public override void FlushInputBuffer() { }
            public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
            public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
            public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
            public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
            public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
        }
    }
}

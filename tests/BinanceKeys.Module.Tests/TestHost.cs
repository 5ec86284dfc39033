using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// The one test host: records everything PowerShell writes to it (Out-Default, What if: lines, warnings) and every
    /// prompt. Without an answer it is non-interactive, and any prompt fails the command; with one, confirmation prompts
    /// (ShouldProcess and ShouldContinue both end in PromptForChoice) are answered with that choice ("Yes" or "No"), and
    /// field prompts (a missing mandatory parameter) with <c>fieldAnswer</c> when one is given.
    /// </summary>
    internal sealed class TestHost : PSHost
    {
        private readonly RecordingUserInterface ui;

        public TestHost(string? answer = null, object? fieldAnswer = null)
        {
            ui = new RecordingUserInterface(answer, fieldAnswer);
        }

        /// <summary>The captions and messages of the prompts shown, in order.</summary>
        public List<string> Prompts
        {
            get
            {
                lock (ui.Prompts) return ui.Prompts.ToList();
            }
        }

        /// <summary>Everything written to the host, without colour escapes.</summary>
        public string Text => Regex.Replace(ui.Text.ToString(), "\x1b\\[[0-9;]*m", string.Empty);

        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override string Name => "BinanceKeysTestHost";
        public override PSHostUserInterface UI => ui;
        public override Version Version => new Version(1, 0);
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) { }

        private sealed class RecordingUserInterface : PSHostUserInterface
        {
            private readonly string? answer;
            private readonly object? fieldAnswer;

            public RecordingUserInterface(string? answer, object? fieldAnswer)
            {
                this.answer = answer;
                this.fieldAnswer = fieldAnswer;
            }

            public List<string> Prompts { get; } = new List<string>();
            public StringBuilder Text { get; } = new StringBuilder();
            public override PSHostRawUserInterface RawUI { get; } = new RawInterface();

            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
            {
                lock (Prompts) Prompts.Add(caption + ": " + message);
                if (answer is null) throw new PSInvalidOperationException("prompt in a non-interactive test host: " + caption);
                int index = choices.ToList().FindIndex(c => string.Equals(c.Label.Replace("&", string.Empty), answer, StringComparison.OrdinalIgnoreCase));
                if (index < 0) throw new InvalidOperationException($"The prompt has no choice '{answer}'.");
                return index;
            }

            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
            {
                lock (Prompts) Prompts.Add("fields: " + string.Join(",", descriptions.Select(d => d.Name)));
                if (fieldAnswer is null) throw new PSInvalidOperationException("prompt in a non-interactive test host: " + caption);
                return descriptions.ToDictionary(d => d.Name, _ => PSObject.AsPSObject(fieldAnswer));
            }

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new PSInvalidOperationException("prompt");
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new PSInvalidOperationException("prompt");
            public override string ReadLine() => throw new PSInvalidOperationException("prompt");
            public override SecureString ReadLineAsSecureString() => throw new PSInvalidOperationException("prompt");
            public override void Write(string value) => Append(value);
            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);
            public override void WriteLine(string value) => Append(value + Environment.NewLine);
            public override void WriteErrorLine(string value) => Append(value + Environment.NewLine);
            public override void WriteDebugLine(string message) => Append("DEBUG: " + message + Environment.NewLine);
            public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + Environment.NewLine);
            public override void WriteWarningLine(string message) => Append("WARNING: " + message + Environment.NewLine);
            public override void WriteProgress(long sourceId, ProgressRecord record) { }

            private void Append(string value)
            {
                lock (Text) Text.Append(value);
            }
        }

        private sealed class RawInterface : PSHostRawUserInterface
        {
            public override ConsoleColor BackgroundColor { get; set; }
            public override Size BufferSize { get; set; } = new Size(200, 1000);
            public override Coordinates CursorPosition { get; set; }
            public override int CursorSize { get; set; }
            public override ConsoleColor ForegroundColor { get; set; }
            public override bool KeyAvailable => false;
            public override Size MaxPhysicalWindowSize => new Size(200, 1000);
            public override Size MaxWindowSize => new Size(200, 1000);
            public override Coordinates WindowPosition { get; set; }
            public override Size WindowSize { get; set; } = new Size(200, 1000);
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

using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Text;

namespace BinanceKeys.Shell
{
    /// <summary>
    /// The prompt's line editor: pwsh gets tab completion at its prompt from PSReadLine, which NuGet does not serve,
    /// and the console host's own line reader completes nothing on Linux and macOS. The host calls a function named
    /// PSConsoleHostReadLine when one exists (PSReadLine plugs in the same way); ours calls <see cref="ReadLine"/>.
    /// </summary>
    /// <remarks>
    /// Keys: Tab and Shift+Tab cycle through PowerShell's own completions (CommandCompletion, the same engine
    /// PSReadLine and editors use), Ctrl+Space lists them; Left, Right, Home, End, Backspace, Delete, Up and Down
    /// (history), Escape clears the line, Ctrl+C abandons it, Ctrl+D on an empty line exits.
    /// </remarks>
    public static class LineEditor
    {
        /// <summary>The function the console host looks for.</summary>
        public const string FunctionName = "PSConsoleHostReadLine";

        /// <summary>The function's body.</summary>
        public const string FunctionBody = "[BinanceKeys.Shell.LineEditor]::ReadLine()";

        private static readonly List<string> History = new List<string>();

        /// <summary>Reads one line from the console, with completion from the current runspace.</summary>
        public static string ReadLine()
        {
            if (Console.IsInputRedirected) return Console.ReadLine() ?? "exit";
            var line = new EditState();
            int historyIndex = History.Count;
            CommandCompletion? completion = null;
            string? completionInput = null;
            while (true)
            {
                ConsoleKeyInfo key = Console.ReadKey(intercept: true);
                bool tab = key.Key == ConsoleKey.Tab;
                if (!tab) completion = null;
                switch (key.Key)
                {
                    case ConsoleKey.Enter:
                        line.MoveTo(line.Text.Length);
                        Console.WriteLine();
                        string entered = line.Text.ToString();
                        if (entered.Trim().Length > 0) History.Add(entered);
                        return entered;
                    case ConsoleKey.Tab:
                        bool backwards = (key.Modifiers & ConsoleModifiers.Shift) != 0;
                        if (completion is null || completionInput != line.Text.ToString())
                        {
                            completion = Complete(line.Text.ToString(), line.Cursor);
                            if (completion is null || completion.CompletionMatches.Count == 0) { completion = null; break; }
                        }
                        CompletionResult match = completion.GetNextResult(!backwards);
                        line.Replace(completion.ReplacementIndex, completion.ReplacementLength, match.CompletionText);
                        // The next Tab replaces this completion with the one after it, over the same span.
                        completion.ReplacementLength = match.CompletionText.Length;
                        completionInput = line.Text.ToString();
                        break;
                    case ConsoleKey.Spacebar when (key.Modifiers & ConsoleModifiers.Control) != 0:
                        ListCompletions(line);
                        break;
                    case ConsoleKey.Backspace:
                        if (line.Cursor > 0) line.Replace(line.Cursor - 1, 1, string.Empty);
                        break;
                    case ConsoleKey.Delete:
                        if (line.Cursor < line.Text.Length) { int at = line.Cursor; line.Replace(at, 1, string.Empty); line.MoveTo(at); }
                        break;
                    case ConsoleKey.LeftArrow:
                        line.MoveTo(Math.Max(0, line.Cursor - 1));
                        break;
                    case ConsoleKey.RightArrow:
                        line.MoveTo(Math.Min(line.Text.Length, line.Cursor + 1));
                        break;
                    case ConsoleKey.Home:
                        line.MoveTo(0);
                        break;
                    case ConsoleKey.End:
                        line.MoveTo(line.Text.Length);
                        break;
                    case ConsoleKey.UpArrow:
                        if (historyIndex > 0) line.Replace(0, line.Text.Length, History[--historyIndex]);
                        break;
                    case ConsoleKey.DownArrow:
                        if (historyIndex < History.Count) historyIndex++;
                        line.Replace(0, line.Text.Length, historyIndex < History.Count ? History[historyIndex] : string.Empty);
                        break;
                    case ConsoleKey.Escape:
                        line.Replace(0, line.Text.Length, string.Empty);
                        break;
                    default:
                        if ((key.Modifiers & ConsoleModifiers.Control) != 0)
                        {
                            if (key.Key == ConsoleKey.C) { line.MoveTo(line.Text.Length); Console.WriteLine("^C"); return string.Empty; }
                            if (key.Key == ConsoleKey.D && line.Text.Length == 0) { Console.WriteLine(); return "exit"; }
                            if (key.Key == ConsoleKey.A) line.MoveTo(0);
                            if (key.Key == ConsoleKey.E) line.MoveTo(line.Text.Length);
                            if (key.Key == ConsoleKey.U) line.Replace(0, line.Cursor, string.Empty);
                            break;
                        }
                        if (!char.IsControl(key.KeyChar)) line.Replace(line.Cursor, 0, key.KeyChar.ToString());
                        break;
                }
            }
        }

        private static CommandCompletion? Complete(string input, int cursor)
        {
            // The function runs on the pipeline thread, so the current runspace is free for a nested command.
            using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            try
            {
                return CommandCompletion.CompleteInput(input, cursor, null, shell);
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                return null;
            }
        }

        private static void ListCompletions(EditState line)
        {
            CommandCompletion? completion = Complete(line.Text.ToString(), line.Cursor);
            if (completion is null || completion.CompletionMatches.Count == 0) return;
            line.MoveTo(line.Text.Length);
            Console.WriteLine();
            foreach (CompletionResult match in completion.CompletionMatches) Console.WriteLine(match.ListItemText);
            line.Redraw(fresh: true);
        }

        /// <summary>The text being edited and where it sits on the screen.</summary>
        private sealed class EditState
        {
            private int startLeft = Console.CursorLeft;
            private int startTop = Console.CursorTop;
            private int shownLength;

            public StringBuilder Text { get; } = new StringBuilder();

            public int Cursor { get; private set; }

            public void Replace(int index, int length, string replacement)
            {
                Text.Remove(index, length).Insert(index, replacement);
                Cursor = index + replacement.Length;
                Redraw(fresh: false);
            }

            public void MoveTo(int index)
            {
                Cursor = index;
                SetCursor(index);
            }

            public void Redraw(bool fresh)
            {
                if (fresh)
                {
                    // After a listing: the prompt is gone, so the line starts where the cursor is.
                    startLeft = Console.CursorLeft;
                    startTop = Console.CursorTop;
                    shownLength = 0;
                }
                SetCursor(0);
                string text = Text.ToString();
                Console.Write(text);
                if (shownLength > text.Length) Console.Write(new string(' ', shownLength - text.Length));
                int end = Math.Max(shownLength, text.Length);
                // Writing past the last row scrolls the screen: the line's start moves up with it.
                int overflow = startTop + (startLeft + end) / Width - (Console.BufferHeight - 1);
                if (overflow > 0) startTop -= overflow;
                shownLength = text.Length;
                SetCursor(Cursor);
            }

            private static int Width => Math.Max(1, Console.BufferWidth);

            private void SetCursor(int index)
            {
                int offset = startLeft + index;
                Console.SetCursorPosition(offset % Width, Math.Max(0, startTop + offset / Width));
            }
        }
    }
}

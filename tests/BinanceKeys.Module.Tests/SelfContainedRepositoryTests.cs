using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>
    /// Someone who clones the repository can follow every reference in it: no file points at notes kept outside
    /// the repository, and every <c>docs/*.md</c> or relative Markdown link names a file that exists.
    /// </summary>
    public sealed class SelfContainedRepositoryTests
    {
        private static readonly string[] SkippedFolders = { ".git", "bin", "obj", "node_modules", "TestResults", "BenchmarkDotNet.Artifacts" };
        private static readonly string[] TextExtensions = { ".cs", ".ps1", ".psm1", ".psd1", ".md", ".json", ".yaml", ".yml", ".xml", ".ps1xml", ".csproj", ".props", ".targets", ".sh", ".py", ".js", ".txt" };

        // The team's working notes live beside the repository, not in it; their names are assembled here so that
        // this file does not match itself.
        private static readonly string[] OutsideNotes =
        {
            "binance-api" + ".md", "product" + ".md", "powershell-conventions" + ".md", "style" + ".md", "../" + "shared/",
        };

        [Fact]
        public void NoFileRefersToNotesOutsideTheRepository()
        {
            var offenders = new List<string>();
            foreach (var (file, number, text) in RepositoryLines())
            {
                foreach (string note in OutsideNotes)
                {
                    // A path of our own that merely ends in one of the names (a "docs/" file) is not outside.
                    int at = text.IndexOf(note, StringComparison.Ordinal);
                    if (at >= 0 && !(at > 0 && (text[at - 1] == '/' || char.IsLetterOrDigit(text[at - 1])) && note[0] != '.'))
                        offenders.Add($"{Relative(file)}:{number}: {note}");
                }
            }
            Assert.True(offenders.Count == 0, "References to files outside the repository:\n" + string.Join("\n", offenders));
        }

        [Fact]
        public void EveryDocumentNamedInTheRepositoryExists()
        {
            var named = new Regex(@"(?<![\w/.-])(?:docs|examples|benchmarks|tools|tests|src|module)/[\w./-]+\.(?:md|ps1|yaml|json|sh)\b");
            var missing = new List<string>();
            foreach (var (file, number, text) in RepositoryLines())
            {
                foreach (Match match in named.Matches(text))
                {
                    string path = match.Value.TrimEnd('.');
                    // Wildcards, and what a benchmark writes when it runs, are not files of the repository.
                    if (path.Contains('*') || path.Contains("/results/", StringComparison.Ordinal))
                        continue;
                    if (!File.Exists(Path.Combine(ModuleHost.RepositoryRoot, path)))
                        missing.Add($"{Relative(file)}:{number}: {path}");
                }
            }
            Assert.True(missing.Count == 0, "Named files that do not exist:\n" + string.Join("\n", missing));
        }

        [Fact]
        public void EveryRelativeMarkdownLinkResolves()
        {
            var link = new Regex(@"\]\((?!https?:|mailto:|#)([^)#\s]+)(?:#[^)]*)?\)");
            var broken = new List<string>();
            foreach (var (file, number, text) in RepositoryLines().Where(l => l.File.EndsWith(".md", StringComparison.Ordinal)))
            {
                foreach (Match match in link.Matches(text))
                {
                    string target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, match.Groups[1].Value));
                    if (!File.Exists(target) && !Directory.Exists(target))
                        broken.Add($"{Relative(file)}:{number}: {match.Groups[1].Value}");
                    else if (!target.StartsWith(ModuleHost.RepositoryRoot, StringComparison.Ordinal))
                        broken.Add($"{Relative(file)}:{number}: {match.Groups[1].Value} is outside the repository");
                }
            }
            Assert.True(broken.Count == 0, "Broken links:\n" + string.Join("\n", broken));
        }

        // Read once for the three checks: the repository's text is a few megabytes.
        private static readonly Lazy<IReadOnlyList<(string File, int Number, string Text)>> Lines =
            new Lazy<IReadOnlyList<(string File, int Number, string Text)>>(() =>
                RepositoryTextFiles().SelectMany(file => File.ReadLines(file).Select((text, i) => (file, i + 1, text))).ToList());

        private static IReadOnlyList<(string File, int Number, string Text)> RepositoryLines() => Lines.Value;

        private static IEnumerable<string> RepositoryTextFiles()
        {
            var pending = new Stack<string>();
            pending.Push(ModuleHost.RepositoryRoot);
            while (pending.Count > 0)
            {
                string folder = pending.Pop();
                foreach (string sub in Directory.EnumerateDirectories(folder))
                {
                    if (!SkippedFolders.Contains(Path.GetFileName(sub)))
                        pending.Push(sub);
                }
                foreach (string file in Directory.EnumerateFiles(folder))
                {
                    if (TextExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase) && !file.EndsWith(".lock.json", StringComparison.Ordinal) && Path.GetFileName(file) != "package-lock.json")
                        yield return file;
                }
            }
        }

        private static string Relative(string file) => Path.GetRelativePath(ModuleHost.RepositoryRoot, file);
    }
}

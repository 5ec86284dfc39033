using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace BinanceKeys.State
{
    /// <summary>A node of a parsed YAML document with the position it started at.</summary>
    internal abstract class YamlTreeNode
    {
        protected YamlTreeNode(Mark start) => Start = start;

        public Mark Start { get; }

        /// <summary>Nodes in this subtree, counting every alias expansion (the alias-bomb measure).</summary>
        public long ExpandedSize { get; set; } = 1;

        /// <summary>Height of this subtree (a scalar is 0).</summary>
        public int Height { get; set; }

        public abstract string Kind { get; }
    }

    internal sealed class YamlScalarNode : YamlTreeNode
    {
        public YamlScalarNode(Mark start, string value, bool isPlain) : base(start)
        {
            Value = value;
            IsPlain = isPlain;
        }

        public string Value { get; }

        /// <summary>Unquoted: only plain scalars can be null, booleans or numbers (YAML 1.2 core schema).</summary>
        public bool IsPlain { get; }

        public bool IsNull => IsPlain && (Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");

        public bool? AsBoolean()
        {
            if (!IsPlain) return null;
            switch (Value)
            {
                case "true": case "True": case "TRUE": return true;
                case "false": case "False": case "FALSE": return false;
                default: return null;
            }
        }

        public long? AsInteger() =>
            MayBeNumber && long.TryParse(Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : (long?)null;

        // Every YAML 1.2 core-schema number starts with a digit, a sign or a dot: most text is ruled out by one look.
        private bool MayBeNumber => IsPlain && Value.Length > 0 && (char.IsDigit(Value[0]) || Value[0] == '-' || Value[0] == '+' || Value[0] == '.');

        /// <summary>A plain scalar the YAML 1.2 core schema reads as a float (1.5, 1e3, .inf); never text.</summary>
        public double? AsFloat()
        {
            if (!MayBeNumber || AsInteger() != null) return null;
            switch (Value)
            {
                case ".inf": case ".Inf": case ".INF": case "+.inf": case "+.Inf": case "+.INF": return double.PositiveInfinity;
                case "-.inf": case "-.Inf": case "-.INF": return double.NegativeInfinity;
                case ".nan": case ".NaN": case ".NAN": return double.NaN;
            }
            return FloatPattern.IsMatch(Value) ? double.Parse(Value, NumberStyles.Float, CultureInfo.InvariantCulture) : (double?)null;
        }

        public bool IsText => !IsNull && AsBoolean() == null && AsInteger() == null && AsFloat() == null;

        private static readonly System.Text.RegularExpressions.Regex FloatPattern =
            new System.Text.RegularExpressions.Regex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        public override string Kind => IsNull ? "null" : AsBoolean() != null ? "a boolean" : AsInteger() != null || AsFloat() != null ? "a number" : "a string";
    }

    internal sealed class YamlSequenceNode : YamlTreeNode
    {
        public YamlSequenceNode(Mark start) : base(start) { }

        public List<YamlTreeNode> Items { get; } = new List<YamlTreeNode>();

        /// <summary>
        /// True when the items were handed to <see cref="YamlTreeReader"/>'s item callback as they were read and not
        /// kept: <see cref="Items"/> is empty and <see cref="StreamedCount"/> says how many there were.
        /// </summary>
        public bool Streamed { get; set; }

        public int StreamedCount { get; set; }

        public override string Kind => "a list";
    }

    internal sealed class YamlMappingNode : YamlTreeNode
    {
        public YamlMappingNode(Mark start) : base(start) { }

        // Eight: a key has five or six fields, so the list never grows for the common case.
        public List<KeyValuePair<YamlScalarNode, YamlTreeNode>> Entries { get; } = new List<KeyValuePair<YamlScalarNode, YamlTreeNode>>(8);

        public override string Kind => "a mapping";
    }

    /// <summary>Caps that keep a hostile file from exhausting memory or time; each applies to one file.</summary>
    /// <remarks>
    /// Sized so that a fleet fits in one file (30,000 keys in the documented layout are 5.4 MB and about 500,000
    /// nodes), while a "billion laughs" stops at <see cref="MaxExpandedNodes"/> long before it costs memory: aliases
    /// share their anchor's nodes, and every expansion is counted. docs/desired-state.md, "Limits".
    /// </remarks>
    public sealed class YamlReadLimits
    {
        /// <summary>Files larger than this are refused before parsing (16 MiB).</summary>
        public long MaxFileBytes { get; set; } = 16 * 1024 * 1024;

        /// <summary>Deepest nesting of lists and mappings, aliases included; the format itself needs 6.</summary>
        public int MaxDepth { get; set; } = 32;

        /// <summary>Most aliases (<c>*name</c>) in one file (a fleet may reuse one IP list in every key).</summary>
        public int MaxAliases { get; set; } = 100_000;

        /// <summary>Most nodes once every alias is expanded (stops "billion laughs").</summary>
        public long MaxExpandedNodes { get; set; } = 2_000_000;

        /// <summary>Most desired-state files in a folder.</summary>
        public int MaxFolderFiles { get; set; } = 5_000;

        /// <summary>Largest total size of the desired-state files in a folder (64 MiB).</summary>
        public long MaxFolderBytes { get; set; } = 64 * 1024 * 1024;
    }

    /// <summary>Reads one YAML document into a position-carrying tree through YamlDotNet's parser events, enforcing the limits.</summary>
    /// <remarks>
    /// A fleet's file is a long list under one top-level field (<c>accounts</c>). With a <c>streamField</c> and an
    /// item callback, each item of that list is handed over as soon as it is read and then dropped, so the caller
    /// binds it while it is young: the tree of a 30,000-key file never exists all at once, and the garbage collector
    /// does not copy it from generation to generation (docs/performance.md). The limits count streamed items
    /// exactly as kept ones. A list with an anchor is kept whole, since an alias may name it later.
    /// </remarks>
    internal static class YamlTreeReader
    {
        public static YamlTreeNode? Read(string text, string file, YamlReadLimits limits, string? streamField = null, Action<YamlTreeNode, int>? onItem = null)
        {
            var parser = new Parser(new StringReader(text));
            var anchors = new Dictionary<string, YamlTreeNode>(StringComparer.Ordinal);
            var state = new ReadState(file, limits) { StreamField = onItem == null ? null : streamField, OnItem = onItem };
            try
            {
                Expect<StreamStart>(parser, file);
                if (parser.Accept<StreamEnd>(out _)) return null;
                Expect<DocumentStart>(parser, file);
                YamlTreeNode root = ReadNode(parser, anchors, state, 1);
                Expect<DocumentEnd>(parser, file);
                if (parser.Current is DocumentStart extra)
                    throw Error(file, extra.Start, "", "the file holds more than one YAML document; expected exactly one");
                return root;
            }
            catch (YamlException e) when (!(e is DesiredStateYamlException))
            {
                // YamlDotNet's marks are 1-based; its message repeats the position, so keep only the text after it.
                throw Error(file, e.Start, state.CurrentPath, "YAML syntax error: " + StripPosition(e.Message));
            }
            catch (Exception e) when (IsParserFailure(e))
            {
                // Found by the fuzz campaign: on some malformed input YamlDotNet's scanner throws InvalidOperationException
                // instead of a YamlException ("&.c\t{![[" after a mapping key). It is still malformed YAML.
                throw Error(file, state.LastMark, state.CurrentPath, "YAML syntax error: the file cannot be read as YAML near here");
            }
        }

        // An exception thrown inside YamlDotNet itself (not by this reader), of a kind its parser throws on bad input.
        private static bool IsParserFailure(Exception e) =>
            (e is InvalidOperationException || e is ArgumentException || e is IndexOutOfRangeException || e is FormatException || e is OverflowException) &&
            e.TargetSite?.DeclaringType?.Assembly == typeof(Parser).Assembly;

        private sealed class ReadState
        {
            // The path of the node being read, as a stack of steps (a name, or an index when the name is null):
            // the text is built only for an error, not for every node.
            private readonly List<KeyValuePair<string?, int>> steps = new List<KeyValuePair<string?, int>>();

            public ReadState(string file, YamlReadLimits limits)
            {
                File = file;
                Limits = limits;
            }

            public string File { get; }

            public YamlReadLimits Limits { get; }

            public int Aliases { get; set; }

            /// <summary>The top-level field whose list items go to <see cref="OnItem"/> instead of into the tree.</summary>
            public string? StreamField { get; set; }

            public Action<YamlTreeNode, int>? OnItem { get; set; }

            public long TotalNodes { get; set; }

            /// <summary>Where the last event the reader saw started: the position for an error the parser gives none for.</summary>
            public Mark LastMark { get; set; } = Mark.Empty;

            public string CurrentPath
            {
                get
                {
                    var builder = new System.Text.StringBuilder();
                    foreach (var step in steps)
                    {
                        if (step.Key == null)
                        {
                            builder.Append('[').Append(step.Value.ToString(CultureInfo.InvariantCulture)).Append(']');
                            continue;
                        }
                        if (builder.Length > 0) builder.Append('.');
                        builder.Append(step.Key);
                    }
                    return builder.ToString();
                }
            }

            public void Push(string? name, int index) => steps.Add(new KeyValuePair<string?, int>(name, index));

            public void Pop() => steps.RemoveAt(steps.Count - 1);
        }

        private static YamlTreeNode ReadNode(IParser parser, Dictionary<string, YamlTreeNode> anchors, ReadState state, int depth)
        {
            ParsingEvent current = parser.Current ?? throw Error(state.File, state.LastMark, state.CurrentPath, "unexpected end of file");
            state.LastMark = current.Start;
            if (depth > state.Limits.MaxDepth)
                throw Error(state.File, current.Start, state.CurrentPath, $"nesting deeper than {state.Limits.MaxDepth} levels is not allowed");

            // Explicit tags (!!binary, !Ref, ...) would give values a meaning the schema and the loader do not know.
            if (current is NodeEvent tagged && !tagged.Tag.IsEmpty)
                throw Error(state.File, current.Start, state.CurrentPath, $"explicit YAML tags such as '{tagged.Tag.Value}' are not supported; write plain values (quote text)");

            YamlTreeNode node;
            switch (current)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    if (++state.Aliases > state.Limits.MaxAliases)
                        throw Error(state.File, alias.Start, state.CurrentPath, $"more than {state.Limits.MaxAliases} aliases; the file is refused as a possible alias bomb");
                    if (!anchors.TryGetValue(alias.Value.Value, out YamlTreeNode? target))
                        throw Error(state.File, alias.Start, state.CurrentPath, $"alias *{alias.Value.Value} refers to no anchor defined before it");
                    if (depth + target.Height > state.Limits.MaxDepth)
                        throw Error(state.File, alias.Start, state.CurrentPath, $"nesting deeper than {state.Limits.MaxDepth} levels is not allowed (through alias *{alias.Value.Value})");
                    Count(state, target.ExpandedSize, alias.Start);
                    return target;

                case Scalar scalar:
                    parser.MoveNext();
                    node = new YamlScalarNode(scalar.Start, scalar.Value, scalar.Style == ScalarStyle.Plain);
                    Count(state, 1, scalar.Start);
                    Remember(anchors, scalar.Anchor, node);
                    return node;

                case SequenceStart sequenceStart:
                {
                    parser.MoveNext();
                    var sequence = new YamlSequenceNode(sequenceStart.Start);
                    Count(state, 1, sequenceStart.Start);
                    while (!parser.Accept<SequenceEnd>(out _))
                    {
                        state.Push(null, sequence.Items.Count);
                        YamlTreeNode item = ReadNode(parser, anchors, state, depth + 1);
                        state.Pop();
                        sequence.Items.Add(item);
                        sequence.ExpandedSize += item.ExpandedSize;
                        sequence.Height = Math.Max(sequence.Height, item.Height + 1);
                    }
                    parser.MoveNext();
                    Remember(anchors, sequenceStart.Anchor, sequence);
                    return sequence;
                }

                case MappingStart mappingStart:
                {
                    parser.MoveNext();
                    var mapping = new YamlMappingNode(mappingStart.Start);
                    Count(state, 1, mappingStart.Start);
                    HashSet<string>? seen = null;
                    while (!parser.Accept<MappingEnd>(out _))
                    {
                        YamlTreeNode keyNode = ReadNode(parser, anchors, state, depth + 1);
                        if (!(keyNode is YamlScalarNode key))
                            throw Error(state.File, keyNode.Start, state.CurrentPath, $"a mapping key must be a plain name, found {keyNode.Kind}");
                        state.Push(key.Value, -1);
                        if (IsDuplicate(mapping, key.Value, ref seen))
                            throw Error(state.File, key.Start, state.CurrentPath, $"duplicate key '{key.Value}' in the same mapping");
                        YamlTreeNode value = depth == 1 && state.StreamField != null && key.Value == state.StreamField && IsPlainSequenceStart(parser.Current)
                            ? ReadStreamedSequence(parser, anchors, state, depth + 1)
                            : ReadNode(parser, anchors, state, depth + 1);
                        state.Pop();
                        mapping.Entries.Add(new KeyValuePair<YamlScalarNode, YamlTreeNode>(key, value));
                        mapping.ExpandedSize += value.ExpandedSize + 1;
                        mapping.Height = Math.Max(mapping.Height, value.Height + 1);
                    }
                    parser.MoveNext();
                    Remember(anchors, mappingStart.Anchor, mapping);
                    return mapping;
                }

                default:
                    throw Error(state.File, current.Start, state.CurrentPath, $"unexpected YAML event {current.GetType().Name}");
            }
        }

        private static bool IsPlainSequenceStart(ParsingEvent? current) =>
            current is SequenceStart start && start.Anchor.IsEmpty && start.Tag.IsEmpty;

        // The same checks and counts as ReadNode's sequence case; the items go to the callback, not into the node.
        private static YamlTreeNode ReadStreamedSequence(IParser parser, Dictionary<string, YamlTreeNode> anchors, ReadState state, int depth)
        {
            var sequenceStart = (SequenceStart)parser.Current!;
            state.LastMark = sequenceStart.Start;
            if (depth > state.Limits.MaxDepth)
                throw Error(state.File, sequenceStart.Start, state.CurrentPath, $"nesting deeper than {state.Limits.MaxDepth} levels is not allowed");
            parser.MoveNext();
            var sequence = new YamlSequenceNode(sequenceStart.Start) { Streamed = true };
            Count(state, 1, sequenceStart.Start);
            while (!parser.Accept<SequenceEnd>(out _))
            {
                state.Push(null, sequence.StreamedCount);
                YamlTreeNode item = ReadNode(parser, anchors, state, depth + 1);
                state.Pop();
                sequence.ExpandedSize += item.ExpandedSize;
                sequence.Height = Math.Max(sequence.Height, item.Height + 1);
                state.OnItem!(item, sequence.StreamedCount++);
            }
            parser.MoveNext();
            return sequence;
        }

        // The format's mappings have at most a dozen keys: a scan costs less than a set per mapping; a set takes over
        // for a long (hostile) mapping so that the check stays linear.
        private static bool IsDuplicate(YamlMappingNode mapping, string key, ref HashSet<string>? seen)
        {
            const int ScanLimit = 16;
            var entries = mapping.Entries;
            if (seen == null && entries.Count < ScanLimit)
            {
                for (int i = 0; i < entries.Count; i++)
                {
                    if (string.Equals(entries[i].Key.Value, key, StringComparison.Ordinal)) return true;
                }
                return false;
            }
            if (seen == null)
            {
                seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var entry in entries) seen.Add(entry.Key.Value);
            }
            return !seen.Add(key);
        }

        private static void Count(ReadState state, long nodes, Mark at)
        {
            state.TotalNodes += nodes;
            if (state.TotalNodes > state.Limits.MaxExpandedNodes)
                throw Error(state.File, at, state.CurrentPath, $"the document expands to more than {state.Limits.MaxExpandedNodes} nodes; the file is refused as a possible alias bomb");
        }

        private static void Remember(Dictionary<string, YamlTreeNode> anchors, AnchorName anchor, YamlTreeNode node)
        {
            // A re-used anchor name points at the latest definition, as YAML specifies.
            if (!anchor.IsEmpty) anchors[anchor.Value] = node;
        }

        private static void Expect<T>(IParser parser, string file) where T : ParsingEvent
        {
            if (parser.Current == null) parser.MoveNext();
            if (!(parser.Current is T))
                throw Error(file, parser.Current?.Start ?? Mark.Empty, "", $"expected {typeof(T).Name}, found {parser.Current?.GetType().Name ?? "end of file"}");
            parser.MoveNext();
        }

        private static string StripPosition(string message)
        {
            // "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): While scanning ..." -> "While scanning ..."
            int marker = message.IndexOf("): ", StringComparison.Ordinal);
            return marker >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message.Substring(marker + 3) : message;
        }

        internal static DesiredStateYamlException Error(string file, Mark mark, string path, string message) =>
            new DesiredStateYamlException(new DesiredStateError(new SourceLocation(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), path), message));
    }

    /// <summary>Internal carrier for a reader error (subclass of YamlException so the parser's own errors are not re-wrapped).</summary>
    internal sealed class DesiredStateYamlException : YamlException
    {
        public DesiredStateYamlException(DesiredStateError error) : base(error.Message) => Error = error;

        public DesiredStateError Error { get; }
    }
}

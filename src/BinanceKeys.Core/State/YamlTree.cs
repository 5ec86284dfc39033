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
            IsPlain && long.TryParse(Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : (long?)null;

        /// <summary>A plain scalar the YAML 1.2 core schema reads as a float (1.5, 1e3, .inf); never text.</summary>
        public double? AsFloat()
        {
            if (!IsPlain || AsInteger() != null) return null;
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

        public override string Kind => "a list";
    }

    internal sealed class YamlMappingNode : YamlTreeNode
    {
        public YamlMappingNode(Mark start) : base(start) { }

        public List<KeyValuePair<YamlScalarNode, YamlTreeNode>> Entries { get; } = new List<KeyValuePair<YamlScalarNode, YamlTreeNode>>();

        public override string Kind => "a mapping";
    }

    /// <summary>Caps that keep a hostile file from exhausting memory or time.</summary>
    public sealed class YamlReadLimits
    {
        /// <summary>Files larger than this are refused before parsing (1 MiB).</summary>
        public long MaxFileBytes { get; set; } = 1024 * 1024;

        /// <summary>Deepest nesting of lists and mappings, aliases included; the format itself needs 6.</summary>
        public int MaxDepth { get; set; } = 32;

        /// <summary>Most aliases (<c>*name</c>) in one file.</summary>
        public int MaxAliases { get; set; } = 100;

        /// <summary>Most nodes once every alias is expanded (stops "billion laughs").</summary>
        public long MaxExpandedNodes { get; set; } = 200_000;
    }

    /// <summary>Reads one YAML document into a position-carrying tree through YamlDotNet's parser events, enforcing the limits.</summary>
    internal static class YamlTreeReader
    {
        public static YamlTreeNode? Read(string text, string file, YamlReadLimits limits)
        {
            var parser = new Parser(new StringReader(text));
            var anchors = new Dictionary<string, YamlTreeNode>(StringComparer.Ordinal);
            var state = new ReadState(file, limits);
            try
            {
                Expect<StreamStart>(parser, file);
                if (parser.Accept<StreamEnd>(out _)) return null;
                Expect<DocumentStart>(parser, file);
                YamlTreeNode root = ReadNode(parser, anchors, state, 1, "");
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
        }

        private sealed class ReadState
        {
            public ReadState(string file, YamlReadLimits limits)
            {
                File = file;
                Limits = limits;
            }

            public string File { get; }

            public YamlReadLimits Limits { get; }

            public int Aliases { get; set; }

            public long TotalNodes { get; set; }

            public string CurrentPath { get; set; } = "";
        }

        private static YamlTreeNode ReadNode(IParser parser, Dictionary<string, YamlTreeNode> anchors, ReadState state, int depth, string path)
        {
            state.CurrentPath = path;
            ParsingEvent current = parser.Current ?? throw Error(state.File, Mark.Empty, path, "unexpected end of file");
            if (depth > state.Limits.MaxDepth)
                throw Error(state.File, current.Start, path, $"nesting deeper than {state.Limits.MaxDepth} levels is not allowed");

            // Explicit tags (!!binary, !Ref, ...) would give values a meaning the schema and the loader do not know.
            if (current is NodeEvent tagged && !tagged.Tag.IsEmpty)
                throw Error(state.File, current.Start, path, $"explicit YAML tags such as '{tagged.Tag.Value}' are not supported; write plain values (quote text)");

            YamlTreeNode node;
            switch (current)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    if (++state.Aliases > state.Limits.MaxAliases)
                        throw Error(state.File, alias.Start, path, $"more than {state.Limits.MaxAliases} aliases; the file is refused as a possible alias bomb");
                    if (!anchors.TryGetValue(alias.Value.Value, out YamlTreeNode? target))
                        throw Error(state.File, alias.Start, path, $"alias *{alias.Value.Value} refers to no anchor defined before it");
                    if (depth + target.Height > state.Limits.MaxDepth)
                        throw Error(state.File, alias.Start, path, $"nesting deeper than {state.Limits.MaxDepth} levels is not allowed (through alias *{alias.Value.Value})");
                    Count(state, target.ExpandedSize, alias.Start, path);
                    return target;

                case Scalar scalar:
                    parser.MoveNext();
                    node = new YamlScalarNode(scalar.Start, scalar.Value, scalar.Style == ScalarStyle.Plain);
                    Count(state, 1, scalar.Start, path);
                    Remember(anchors, scalar.Anchor, node);
                    return node;

                case SequenceStart sequenceStart:
                {
                    parser.MoveNext();
                    var sequence = new YamlSequenceNode(sequenceStart.Start);
                    Count(state, 1, sequenceStart.Start, path);
                    while (!parser.Accept<SequenceEnd>(out _))
                    {
                        YamlTreeNode item = ReadNode(parser, anchors, state, depth + 1, path + "[" + sequence.Items.Count.ToString(CultureInfo.InvariantCulture) + "]");
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
                    Count(state, 1, mappingStart.Start, path);
                    var seen = new Dictionary<string, Mark>(StringComparer.Ordinal);
                    while (!parser.Accept<MappingEnd>(out _))
                    {
                        YamlTreeNode keyNode = ReadNode(parser, anchors, state, depth + 1, path);
                        if (!(keyNode is YamlScalarNode key))
                            throw Error(state.File, keyNode.Start, path, $"a mapping key must be a plain name, found {keyNode.Kind}");
                        string childPath = path.Length == 0 ? key.Value : path + "." + key.Value;
                        if (seen.ContainsKey(key.Value))
                            throw Error(state.File, key.Start, childPath, $"duplicate key '{key.Value}' in the same mapping");
                        seen.Add(key.Value, key.Start);
                        YamlTreeNode value = ReadNode(parser, anchors, state, depth + 1, childPath);
                        mapping.Entries.Add(new KeyValuePair<YamlScalarNode, YamlTreeNode>(key, value));
                        mapping.ExpandedSize += value.ExpandedSize + 1;
                        mapping.Height = Math.Max(mapping.Height, value.Height + 1);
                    }
                    parser.MoveNext();
                    Remember(anchors, mappingStart.Anchor, mapping);
                    return mapping;
                }

                default:
                    throw Error(state.File, current.Start, path, $"unexpected YAML event {current.GetType().Name}");
            }
        }

        private static void Count(ReadState state, long nodes, Mark at, string path)
        {
            state.TotalNodes += nodes;
            if (state.TotalNodes > state.Limits.MaxExpandedNodes)
                throw Error(state.File, at, path, $"the document expands to more than {state.Limits.MaxExpandedNodes} nodes; the file is refused as a possible alias bomb");
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

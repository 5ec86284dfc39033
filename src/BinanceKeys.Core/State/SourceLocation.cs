using System.Globalization;
using System.Text;

namespace BinanceKeys.State
{
    /// <summary>A place in a desired-state file: file, 1-based line and column, and the YAML path.</summary>
    public sealed class SourceLocation
    {
        private string? yamlPath;
        private readonly YamlPathNode? pathNode;
        private readonly string? stepName;
        private readonly int stepIndex = -1;

        public SourceLocation(string file, int line, int column, string yamlPath)
        {
            File = file;
            Line = line;
            Column = column;
            this.yamlPath = yamlPath;
        }

        // Most positions are never printed: the path text is built only when someone asks for it.
        internal SourceLocation(string file, int line, int column, YamlPathNode path)
        {
            File = file;
            Line = line;
            Column = column;
            pathNode = path;
        }

        // A field of, or an item in, the node at parentPath: one object for a position instead of a position and a path step.
        internal SourceLocation(string file, int line, int column, YamlPathNode parentPath, string? field, int item)
        {
            File = file;
            Line = line;
            Column = column;
            pathNode = parentPath;
            stepName = field;
            stepIndex = field == null ? item : -1;
        }

        /// <summary>The path step this position was made with (for the positions of its fields), or null.</summary>
        internal YamlPathNode? PathNode => stepName == null && stepIndex < 0 ? pathNode : null;

        public string File { get; }

        public int Line { get; }

        public int Column { get; }

        /// <summary>e.g. <c>accounts[0].keys[1].permissions[2]</c>; empty for the document itself.</summary>
        public string YamlPath => yamlPath ??= BuildPath();

        private string BuildPath()
        {
            if (stepName != null) return pathNode!.Field(stepName).ToString();
            if (stepIndex >= 0) return pathNode!.Item(stepIndex).ToString();
            return pathNode!.ToString();
        }

        public override string ToString() => $"{File}:{Line}:{Column}: {(YamlPath.Length == 0 ? "(document)" : YamlPath)}";
    }

    /// <summary>One step of a YAML path (a field name or a list index) pointing at its parent; the text is built on demand.</summary>
    internal sealed class YamlPathNode
    {
        public static readonly YamlPathNode Root = new YamlPathNode(null, null, -1);

        private readonly YamlPathNode? parent;
        private readonly string? name;
        private readonly int index;
        private string? text;

        private YamlPathNode(YamlPathNode? parent, string? name, int index)
        {
            this.parent = parent;
            this.name = name;
            this.index = index;
            if (parent == null) text = "";
        }

        public YamlPathNode Field(string field) => new YamlPathNode(this, field, -1);

        public YamlPathNode Item(int position) => new YamlPathNode(this, null, position);

        public override string ToString()
        {
            if (text != null) return text;
            var builder = new StringBuilder();
            Append(builder);
            return text = builder.ToString();
        }

        private void Append(StringBuilder builder)
        {
            if (parent == null) return;
            parent.Append(builder);
            if (name == null)
            {
                builder.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
                return;
            }
            if (builder.Length > 0) builder.Append('.');
            builder.Append(name);
        }
    }

    /// <summary>One problem that makes a desired-state file unusable, with its position.</summary>
    public sealed class DesiredStateError
    {
        public DesiredStateError(SourceLocation location, string message)
        {
            Location = location;
            Message = message;
        }

        public SourceLocation Location { get; }

        public string Message { get; }

        public override string ToString() => Location + ": " + Message;
    }
}

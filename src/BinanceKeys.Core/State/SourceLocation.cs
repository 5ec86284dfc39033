namespace BinanceKeys.State
{
    /// <summary>A place in a desired-state file: file, 1-based line and column, and the YAML path.</summary>
    public sealed class SourceLocation
    {
        public SourceLocation(string file, int line, int column, string yamlPath)
        {
            File = file;
            Line = line;
            Column = column;
            YamlPath = yamlPath;
        }

        public string File { get; }

        public int Line { get; }

        public int Column { get; }

        /// <summary>e.g. <c>accounts[0].keys[1].permissions[2]</c>; empty for the document itself.</summary>
        public string YamlPath { get; }

        public override string ToString() => $"{File}:{Line}:{Column}: {(YamlPath.Length == 0 ? "(document)" : YamlPath)}";
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

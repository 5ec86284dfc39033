using System;
using System.Collections.Generic;
using System.Linq;

namespace BinanceKeys.State
{
    /// <summary>A desired-state file that cannot be used: every error found, the first one's position on the exception itself.</summary>
    public sealed class DesiredStateException : Exception
    {
        public DesiredStateException(IReadOnlyList<DesiredStateError> errors)
            : base(FormatMessage(errors))
        {
            if (errors.Count == 0) throw new ArgumentException("At least one error is required.", nameof(errors));
            Errors = errors;
        }

        public IReadOnlyList<DesiredStateError> Errors { get; }

        public string File => Errors[0].Location.File;

        public int Line => Errors[0].Location.Line;

        public int Column => Errors[0].Location.Column;

        public string YamlPath => Errors[0].Location.YamlPath;

        private static string FormatMessage(IReadOnlyList<DesiredStateError> errors)
        {
            if (errors.Count == 0) return "Invalid desired-state file.";
            string first = errors[0].ToString();
            if (errors.Count == 1) return first;
            return $"{errors.Count} errors in the desired-state file; the first: {first}" + Environment.NewLine +
                string.Join(Environment.NewLine, errors.Skip(1).Select(e => "  " + e));
        }
    }
}

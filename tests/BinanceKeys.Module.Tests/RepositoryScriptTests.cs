using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using Xunit;

namespace BinanceKeys.Module.Tests
{
    /// <summary>The scripts users run from the README keep working.</summary>
    public sealed class RepositoryScriptTests
    {
        [Theory]
        [InlineData("build.ps1")]
        [InlineData("examples/quickstart.ps1")]
        public void ScriptsParse(string path)
        {
            Parser.ParseFile(Path.Combine(ModuleHost.RepositoryRoot, path), out _, out ParseError[] errors);
            Assert.Empty(errors);
        }

        [Fact]
        public void QuickStartRunsToTheEnd()
        {
            string folder = Directory.CreateTempSubdirectory("bk-quickstart-").FullName;
            try
            {
                var result = ModuleHost.Run($"& '{Path.Combine(ModuleHost.RepositoryRoot, "examples", "quickstart.ps1")}' -KeyFolder '{folder}'");
                Assert.Null(result.Terminating);
                Assert.Empty(result.Errors);
                var lines = result.Output.Select(o => o.ToString()).ToList();
                Assert.Contains("   same public key: True", lines);
                Assert.Contains("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", lines);
                Assert.Contains("   keys left in desk-a: 0", lines);
                Assert.True(File.Exists(Path.Combine(folder, "bot.pem")));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}

using Xunit;

namespace BinanceKeys.Tests.Interop
{
    /// <summary>Issue 9, item 14: a test whose tool is missing fails, saying what to install; it never passes silently.</summary>
    public sealed class PrerequisiteTests
    {
        [Fact]
        public void AMissingTool_FailsTheTest_NamingItAndHowToGetIt()
        {
            var e = Assert.Throws<MissingPrerequisiteException>(() => ExternalTool.Require("bk-no-such-tool", "install it from nowhere"));
            Assert.Contains("needs 'bk-no-such-tool', which is not on the PATH: install it from nowhere", e.Message);
            Assert.Throws<MissingPrerequisiteException>(() => ExternalTool.Run("bk-no-such-tool", "", null));
        }

        [Fact]
        public void TheToolsTheInteropTestsNeed_AreHere()
        {
            // On this machine and in CI (.ci/run installs them): if one is missing, this and every test using it fail.
            ExternalTool.Require("openssl", ".ci/run installs it");
            Assert.NotEmpty(ExternalTool.PythonWithCryptography);
            if (!System.OperatingSystem.IsWindows()) ExternalTool.Require("flock", "util-linux");
        }
    }
}

using Finsam.Infra.Tests.Support;

namespace Finsam.Infra.Tests;

/// <summary>
/// Every shell script of the repository passes shellcheck: the test command itself, CI, the packaging script and the
/// Functions-host job (the azd hooks are checked with their own shell in <see cref="HookTests"/>). In the test command,
/// so that a newcomer's green ./test.sh means a green CI.
/// </summary>
public sealed class ShellScriptTests
{
    [Theory]
    [InlineData("test.sh")]
    [InlineData(".ci/run")]
    [InlineData(".ci/functions-host.sh")]
    [InlineData("packaging/publish.sh")]
    public void The_script_passes_shellcheck(string script)
    {
        var result = Tools.Shellcheck(Path.Combine(Tools.RepositoryRoot, script));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void Every_shell_script_of_the_repository_is_checked()
    {
        var checkedHere = new[] { "test.sh", ".ci/run", ".ci/functions-host.sh", "packaging/publish.sh" };
        var scripts = Directory.EnumerateFiles(Tools.RepositoryRoot, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Tools.RepositoryRoot, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith(".git/") && !f.StartsWith(".tools/") && !f.StartsWith("dist/") && !f.Contains("/bin/") && !f.Contains("/obj/") && !f.Contains("node_modules/"))
            .Where(f => new FileInfo(Path.Combine(Tools.RepositoryRoot, f)).Length < 1_000_000)
            .Where(f => f.EndsWith(".sh") || File.ReadLines(Path.Combine(Tools.RepositoryRoot, f)).FirstOrDefault()?.StartsWith("#!/usr/bin/env bash") == true)
            .Where(f => !f.StartsWith("infra/hooks/"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(checkedHere.Order(StringComparer.Ordinal), scripts);
    }
}

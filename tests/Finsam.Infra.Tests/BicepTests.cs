using Finsam.Infra.Tests.Support;

namespace Finsam.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class BicepTests(CompiledInfra infra)
{
    [Fact]
    public void Main_compiles_without_errors_or_warnings()
    {
        Assert.Equal(0, infra.Build.ExitCode);
        Assert.Equal("", infra.Build.Stderr.Trim());
        Assert.StartsWith("{", infra.Build.Stdout.TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public void Main_lints_without_warnings()
    {
        var lint = Tools.Bicep("lint", Path.Combine(Tools.InfraFolder, "main.bicep"));

        Assert.Equal(0, lint.ExitCode);
        Assert.Equal("", lint.Output);
    }

    [Fact]
    public void Lint_reports_a_warning_in_a_module()
    {
        var copy = Tools.CopyInfra();
        try
        {
            File.AppendAllText(Path.Combine(copy, "modules", "roles.bicep"), "\nparam unusedForTheTest string = ''\n");

            var lint = Tools.Bicep("lint", Path.Combine(copy, "main.bicep"));

            Assert.Contains("no-unused-params", lint.Output, StringComparison.Ordinal);
            Assert.Contains("unusedForTheTest", lint.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(copy)!, recursive: true);
        }
    }
}

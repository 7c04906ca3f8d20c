using System.Diagnostics;
using System.Reflection;

namespace Finsam.Infra.Tests.Support;

/// <summary>The repository, the Bicep CLI restored from NuGet, and Debian's shellcheck.</summary>
public static class Tools
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string InfraFolder => Path.Combine(RepositoryRoot, "infra");

    public static string BicepPath
    {
        get
        {
            var path = typeof(Tools).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "BicepPath").Value!;
            if (!File.Exists(path))
                throw new InvalidOperationException(
                    $"The Bicep CLI is not at {path}: restore tests/Finsam.Infra.Tests (package Azure.Bicep.CommandLine.linux-x64).");
            return path;
        }
    }

    public static ProcessResult Bicep(params string[] arguments) => Run(BicepPath, arguments);

    /// <summary>Runs shellcheck, or fails with what to install when it is missing.</summary>
    public static ProcessResult Shellcheck(params string[] arguments)
    {
        var path = new[] { "/usr/bin/shellcheck", "/usr/local/bin/shellcheck", "/bin/shellcheck" }.FirstOrDefault(File.Exists);
        if (path is null)
            Assert.Fail("shellcheck is missing: install Debian's shellcheck package (apt-get install -y shellcheck).");
        return Run(path, arguments);
    }

    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryRoot,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in 3 minutes.");
        }
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>A copy of infra/ in a new temporary folder, to break on purpose.</summary>
    public static string CopyInfra()
    {
        var target = Path.Combine(Path.GetTempPath(), "finsam-infra-" + Guid.NewGuid().ToString("N"), "infra");
        foreach (var file in Directory.EnumerateFiles(InfraFolder, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(InfraFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        return target;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Finsam.Pipeline.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Finsam.Pipeline.sln not found above " + AppContext.BaseDirectory);
    }
}

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => (Stdout + Stderr).Trim();
}

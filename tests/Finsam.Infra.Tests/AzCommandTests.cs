using System.Text;
using System.Text.RegularExpressions;
using Finsam.Infra.Tests.Support;

namespace Finsam.Infra.Tests;

/// <summary>
/// Every az command line of the azd hooks and of the docs, run through a real Azure CLI (Debian's azure-cli 2.45, which
/// test.sh installs) with no one signed in: a command whose arguments parse stops at "Please run 'az login'"; one with a
/// flag az does not take stops before that, with "unrecognized arguments". The commands that package cannot parse — those
/// of the modules it cannot load (keyvault, eventgrid), and commands newer than 2.45 — are checked instead against their
/// options as azure-cli's sources give them (Fixtures/az-commands-checked-against-sources.txt, which names each source).
/// </summary>
public sealed partial class AzCommandTests
{
    private static readonly string[] GlobalOptions = ["--query", "--output", "-o", "--subscription", "--only-show-errors", "--debug", "--verbose", "--help", "-h"];

    /// <summary>Where the commands are: the hooks and every page of docs/.</summary>
    private static IEnumerable<string> Sources() =>
        Directory.EnumerateFiles(Path.Combine(Tools.InfraFolder, "hooks"), "*.sh")
            .Concat(Directory.EnumerateFiles(Path.Combine(Tools.RepositoryRoot, "docs"), "*.md")).Order(StringComparer.Ordinal);

    public static TheoryData<string, string> Commands()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Sources())
            foreach (var command in CommandLines(File.ReadAllText(file)).Distinct())
                data.Add(Path.GetRelativePath(Tools.RepositoryRoot, file), command);
        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void The_command_parses_in_the_azure_cli(string file, string command)
    {
        var arguments = Arguments(command, Path.GetDirectoryName(Path.Combine(Tools.RepositoryRoot, file))!);
        if (CheckedAgainstSources.TryGetValue(string.Join(' ', arguments.TakeWhile(a => !a.StartsWith('-')).Take(3)), out var options))
        {
            var unknown = arguments.Where(a => a.StartsWith('-') && !options.Contains(a) && !GlobalOptions.Contains(a)).ToList();
            Assert.True(unknown.Count == 0, $"{file}: az {command}: not an option of azure-cli 2.45.0: {string.Join(", ", unknown)}");
            return;
        }
        var result = Az(arguments);

        Assert.True(result.Output.Contains("Please run 'az login'", StringComparison.Ordinal),
            $"{file}: az {command}\n→ exit {result.ExitCode}: {result.Output}");
    }

    [Fact]
    public void A_flag_the_cli_does_not_take_is_found_and_so_was_the_dead_letter_identity_of_az_eventgrid()
    {
        var unknown = Az(Arguments("functionapp keys list --name app --resource-group rg --no-such-flag 1", Tools.RepositoryRoot));
        // The hook's earlier subscription command: its module does not load in Debian's package, and azure-cli 2.45.0's
        // event-subscription create (eventgrid/_params.py) takes --deadletter-endpoint, never an identity for it.
        var earlier = Arguments("eventgrid system-topic event-subscription create --name x --resource-group rg --system-topic-name t " +
                                "--deadletter-identity systemassigned", Tools.RepositoryRoot);

        Assert.Contains("unrecognized arguments: --no-such-flag 1", unknown.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Please run 'az login'", Az(earlier).Output, StringComparison.Ordinal);
        Assert.DoesNotContain(CommandLines(File.ReadAllText(Path.Combine(Tools.InfraFolder, "hooks", "postdeploy.sh"))), c => c.StartsWith("eventgrid", StringComparison.Ordinal));
    }

    [Fact]
    public void The_hooks_and_docs_have_az_commands_to_check()
    {
        var commands = Commands().Select(row => (string)row[1]).ToList();

        Assert.Contains(commands, c => c.StartsWith("deployment group create --resource-group", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith("keyvault secret set", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith("storage blob upload ", StringComparison.Ordinal));
        Assert.True(commands.Count >= 15, string.Join("\n", commands));
    }

    /// <summary>The options of each command Debian's azure-cli cannot parse, as azure-cli's sources declare them.</summary>
    private static readonly Dictionary<string, HashSet<string>> CheckedAgainstSources =
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "az-commands-checked-against-sources.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToDictionary(l => l[..l.IndexOf(':')], l => l[(l.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet());

    /// <summary>
    /// The az commands of a shell script or a Markdown page, after "az ", with continued lines joined: up to the end of the
    /// line, a ';', '&amp;&amp;', '|', a ')' that closes what the command did not open, or a backtick closing inline code. The
    /// interactive "az login", commands shown with "…" and commands named in prose (inline code without an option) are
    /// left out.
    /// </summary>
    public static IEnumerable<string> CommandLines(string text)
    {
        // Shell comments say "az" in prose; a command starts at the start of a line or after $( until do then …, and in
        // Markdown in a code block or an inline code span (which may run on over a line break).
        var joined = Continuation().Replace(ShellComment().Replace(text, ""), " ");
        foreach (Match match in Start().Matches(joined))
        {
            var inline = match.Index > 0 && joined[match.Index - 1] == '`';
            var rest = joined[(match.Index + match.Length)..];
            if (!Groups.Contains(rest.Split(' ', 2)[0])) continue;
            var command = new StringBuilder();
            var (depth, quote) = (0, '\0');
            foreach (var c in rest)
            {
                if (quote != '\0')
                {
                    if (c == quote) quote = '\0';
                }
                else if (c is '"' or '\'') quote = c;
                else if (c == '(') depth++;
                else if (c == ')' && depth-- == 0) break;
                else if (c == '\n' && inline)
                {
                    command.Append(' ');
                    continue;
                }
                else if (c is '\n' or ';' or '|' or '`' || (c == '&' && command.Length > 0 && command[^1] == '&')) break;
                command.Append(c);
            }
            var line = MultipleSpaces().Replace(command.ToString(), " ").TrimEnd('&', ' ');
            if (line is "login" || line.StartsWith("login ", StringComparison.Ordinal) || line.Contains('…')) continue;
            // Inline code without an option names a command in prose ("deployed with `az deployment group create`").
            if (inline && !line.Contains(" -", StringComparison.Ordinal)) continue;
            yield return line;
        }
    }

    /// <summary>
    /// A command's arguments as a shell would pass them, with every placeholder (a $variable, a &lt;placeholder&gt;) a
    /// value; the hook's $template is the template beside it.
    /// </summary>
    private static List<string> Arguments(string command, string folder)
    {
        var arguments = new List<string>();
        var current = new StringBuilder();
        var (quote, any) = ('\0', false);
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else current.Append(c);
            }
            else if (c is '"' or '\'') { quote = c; any = true; }
            else if (c is ' ' or '\t')
            {
                if (current.Length > 0 || any) arguments.Add(current.ToString());
                current.Clear();
                any = false;
            }
            else current.Append(c);
        }
        if (current.Length > 0 || any) arguments.Add(current.ToString());
        return arguments.Select(a => a == "$template" ? Path.Combine(folder, "subscription.bicep")
            : Placeholder().Replace(a, "x")).ToList();
    }

    /// <summary>Runs Debian's az with a configuration of its own and no one signed in; Bicep from NuGet, never downloaded.</summary>
    private static ProcessResult Az(IReadOnlyList<string> arguments)
    {
        if (!File.Exists("/usr/bin/az")) Assert.Fail("The Azure CLI is missing: install Debian's azure-cli package (apt-get install -y azure-cli); test.sh does.");
        var config = Directory.CreateTempSubdirectory("finsam-az-").FullName;
        try
        {
            // A batch upload or download checks that its local folder exists before it asks who is signed in.
            var work = Directory.CreateDirectory(Path.Combine(config, "work")).FullName;
            for (var i = 0; i + 1 < arguments.Count; i++)
                if (arguments[i] is "-s" or "--source" or "-d" or "--destination" && arguments[i + 1].StartsWith('.'))
                    Directory.CreateDirectory(Path.Combine(work, arguments[i + 1]));
            var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/az")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = work,
            };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            start.Environment["AZURE_CONFIG_DIR"] = config;
            start.Environment["AZURE_CORE_COLLECT_TELEMETRY"] = "false";
            start.Environment["AZURE_CORE_NO_COLOR"] = "true";
            start.Environment["AZURE_BICEP_USE_BINARY_FROM_PATH"] = "true";
            start.Environment["AZURE_BICEP_CHECK_VERSION"] = "false";
            start.Environment["PATH"] = Path.GetDirectoryName(Tools.BicepPath) + ":" + Environment.GetEnvironmentVariable("PATH");
            using var process = System.Diagnostics.Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"az {string.Join(' ', arguments)} did not finish in 2 minutes.");
            }
            return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    /// <summary>The command groups of az that the hooks and docs use (a word after "az" that is none of them is prose).</summary>
    private static readonly HashSet<string> Groups = new(StringComparer.Ordinal)
    {
        "account", "ad", "deployment", "eventgrid", "functionapp", "group", "keyvault", "lock", "login", "monitor", "provider", "resource", "rest", "role",
        "storage",
    };

    [GeneratedRegex(@"^\s*#.*$", RegexOptions.Multiline)]
    private static partial Regex ShellComment();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex MultipleSpaces();

    [GeneratedRegex(@"\\\r?\n\s*|(?<= )`\r?\n\s*")]
    private static partial Regex Continuation();

    [GeneratedRegex(@"(?<![\w./-])az (?=[a-z])")]
    private static partial Regex Start();

    [GeneratedRegex(@"\$\{?\w+\}?|<[^>]+>")]
    private static partial Regex Placeholder();
}

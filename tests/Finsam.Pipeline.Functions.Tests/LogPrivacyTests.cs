using Finsam.Pipeline.Functions.Tests.Support;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Functions.Tests;

/// <summary>No identity number reaches a log: every line the app logged while it ran the functions is scanned for every form of every number.</summary>
[Collection(AzuriteCollection.Name)]
public class LogPrivacyTests(AzuriteFixture azurite)
{
    /// <summary>Every identity number in the sample participant files, in every written form (12 or 10 digits, with or without '-').</summary>
    private static IReadOnlyList<string> SampleNumberForms()
    {
        var forms = new HashSet<string>();
        foreach (var (name, bytes) in Samples.LandingFiles().Where(f => f.Name.Contains("deltagare")))
            foreach (var line in System.Text.Encoding.UTF8.GetString(bytes).Split('\n').Skip(1))
            {
                var fields = line.Split(';');
                if (fields.Length < 2 || fields[1].Length == 0) continue;
                Assert.True(PersonalIdentityNumber.TryParse(fields[1], new DateOnly(2025, 12, 31), out var number, out _, out _), $"{name}: {fields[1]}");
                var twelve = number.Normalized;
                forms.UnionWith([twelve, $"{twelve[..8]}-{twelve[8..]}", twelve[2..], $"{twelve[2..8]}-{twelve[8..]}"]);
            }
        return forms.ToList();
    }

    [Fact]
    public async Task Ingesting_and_publishing_the_samples_logs_no_identity_number()
    {
        var world = await PublishedApp.GetAsync(azurite);
        var forms = SampleNumberForms();
        Assert.True(forms.Count >= 200, $"only {forms.Count} forms found in the samples");
        var lines = world.App.Logs.Lines;
        Assert.Contains(lines, l => l.Contains("aspdalen/2025-01/aspdalen_deltagare_202501.csv: Accepted"));

        Assert.DoesNotContain(lines, l => forms.Any(l.Contains));
    }

    [Fact]
    public async Task A_rejected_participant_file_logs_its_outcome_without_the_numbers_in_it()
    {
        using var app = new FunctionsApp(azurite);
        await Samples.SeedReferenceAsync(app.Store);
        const string name = "granmo/2025-02/deltagare.csv";
        var sample = System.Text.Encoding.UTF8.GetString(Samples.File("granmo/2025-02/granmo_deltagare_202502.csv"));
        var lines = sample.Split('\n');
        var fields = lines[1].Split(';');
        var number = fields[1];
        // A start date that does not exist on a row with a valid identity number: rejected, and the message names that row.
        fields[9] = "2024-13-01";
        lines[1] = string.Join(';', fields);
        await app.Store.WriteAsync(Containers.Landing, name, System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)), WriteCondition.Overwrite);

        await app.Function<IngestLanding>().Run(app.LandingBlob(name), name, CancellationToken.None);

        Assert.Contains(app.Logs.Lines, l => l.Contains($"{name}: Rejected"));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(number) || l.Contains(number.Replace("-", "")));
        Assert.DoesNotContain(app.Logs.Lines, l => SampleNumberForms().Any(l.Contains));
    }
}

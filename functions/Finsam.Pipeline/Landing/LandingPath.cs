using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Reference;

namespace Finsam.Pipeline.Landing;

/// <summary>A file's place in landing: landing/{federation}/{yyyy-MM}/{file}.</summary>
public sealed record LandingPath(string FederationId, Period Period, string FileName)
{
    public override string ToString() => $"{FederationId}/{Period}/{FileName}";

    /// <summary>The landing path of a blob name, or the reason (Swedish, English) it is not one.</summary>
    public static (LandingPath? Path, string? ProblemSv, string? ProblemEn) Parse(string blobName, FederationRegistry federations)
    {
        var parts = blobName.Split('/');
        if (parts.Length != 3)
            return (null, $"Filen ska ligga i landing/{{förbund}}/{{ÅÅÅÅ-MM}}/{{fil}}, men sökvägen '{blobName}' har {parts.Length} delar.",
                $"Files belong in landing/{{federation}}/{{yyyy-MM}}/{{file}}, but the path '{blobName}' has {parts.Length} parts.");
        var (federation, periodText, file) = (parts[0], parts[1], parts[2]);
        if (parts.Any(p => p is "" or "." or ".."))
            return (null, $"Sökvägen '{blobName}' innehåller en tom del, '.' eller '..'.", $"The path '{blobName}' has an empty part, '.' or '..'.");
        if (federations.Find(federation) is null)
            return (null, $"Förbundet '{federation}' finns inte i reference/federations.csv.", $"The federation '{federation}' is not listed in reference/federations.csv.");
        if (!Period.TryParse(periodText, out var period))
            return (null, $"'{periodText}' är ingen månad; skriv ÅÅÅÅ-MM med år 2000–2099 och månad 01–12.", $"'{periodText}' is not a month; write yyyy-MM with a year from 2000 to 2099 and a month from 01 to 12.");
        return (new LandingPath(federation, period, file), null, null);
    }
}

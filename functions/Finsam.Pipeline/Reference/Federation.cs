namespace Finsam.Pipeline.Reference;

/// <summary>A row of reference/federations.csv.</summary>
public sealed record Federation(string Id, string Namn, string? OrgNr, string Lan, IReadOnlyList<string> Medlemskommuner)
{
    /// <summary>The organisation number's ten digits, for comparing "222000-1234" with "2220001234".</summary>
    public static string Digits(string orgNr) => new(orgNr.Where(char.IsAsciiDigit).ToArray());
}

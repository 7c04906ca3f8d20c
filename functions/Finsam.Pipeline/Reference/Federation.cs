using System.Text.RegularExpressions;

namespace Finsam.Pipeline.Reference;

/// <summary>A row of reference/federations.csv.</summary>
public sealed partial record Federation(string Id, string Namn, string? OrgNr, string Lan, IReadOnlyList<string> Medlemskommuner)
{
    /// <summary>The organisation number's ten digits, for comparing "222000-1234" with "2220001234".</summary>
    public static string Digits(string orgNr) => new(orgNr.Where(char.IsAsciiDigit).ToArray());

    /// <summary>A federation id is a folder of landing/ and part of file names: a-z, 0-9 and '-', at most 63 characters.</summary>
    public static bool IsValidId(string id) => IdShape().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex IdShape();
}

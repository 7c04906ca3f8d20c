using System.Globalization;
using System.Text;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Sie;

namespace Finsam.Bench;

/// <summary>Deterministic, fictitious inputs of a chosen size for one federation and month (January of a year, 2025 unless told).</summary>
public static class GeneratedInputs
{
    public const string LedgerCsvColumns = "{'verifikation': 'VARCHAR', 'datum': 'DATE', 'konto': 'VARCHAR', 'belopp': 'DECIMAL(18,2)', 'objekt': 'VARCHAR', 'text': 'VARCHAR'}";

    public const string ParticipantCsvColumns =
        "{'registrering_id': 'VARCHAR', 'personnummer': 'VARCHAR', 'anonym': 'VARCHAR', 'kon': 'VARCHAR', 'fodelsear': 'INTEGER', " +
        "'kommun': 'VARCHAR', 'insats_id': 'VARCHAR', 'insats_namn': 'VARCHAR', 'insats_typ': 'VARCHAR', 'startdatum': 'DATE', " +
        "'slutdatum': 'DATE', 'utbildning': 'VARCHAR', 'forsorjning_fore': 'VARCHAR', 'forsorjning_efter': 'VARCHAR', 'avslutsorsak': 'VARCHAR'}";

    /// <summary>A SIE 4 file with vouchers of four transactions each, balanced, all dated January 2025.</summary>
    public static byte[] SieLedger(int transactions) => SieLedger(transactions, 2025);

    /// <summary>The same, dated January of <paramref name="year"/>.</summary>
    public static byte[] SieLedger(int transactions, int year)
    {
        var random = new Random(42);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#PROGRAM \"Bench\" 1.0\r\n#GEN {year}0131\r\n#FNAMN \"Samordningsförbundet Bänk\"\r\n#RAR 0 {year}0101 {year}1231\r\n");
        sb.Append("#IB 0 1930 950000.00\r\n#IB 0 2010 -900000.00\r\n#IB 0 2440 -50000.00\r\n");
        for (var v = 0; v < transactions / 4; v++)
        {
            var day = 1 + v % 31;
            var a = random.Next(100, 5_000_000) / 100m;
            var b = random.Next(100, 5_000_000) / 100m;
            sb.Append(CultureInfo.InvariantCulture, $"#VER A {v + 1} {year}01{day:D2} \"Faktura {v + 1} insats Åkerö\" {year}01{day:D2}\r\n{{\r\n");
            sb.Append(CultureInfo.InvariantCulture, $"   #TRANS 4010 {{1 \"MT\" 6 \"P12\"}} {a:F2} {year}01{day:D2} \"Mottagningsteam\"\r\n");
            sb.Append(CultureInfo.InvariantCulture, $"   #TRANS 5010 {{1 \"CT\"}} {b:F2}\r\n");
            sb.Append(CultureInfo.InvariantCulture, $"   #TRANS 2440 {{}} {-a:F2}\r\n");
            sb.Append(CultureInfo.InvariantCulture, $"   #TRANS 1930 {{}} {-b:F2}\r\n}}\r\n");
        }
        return SieParser.Codepage437.GetBytes(sb.ToString());
    }

    /// <summary>The same transactions as a CSV ledger (UTF-8, ';', decimal point), for DuckDB's baseline.</summary>
    public static byte[] LedgerCsvFor(byte[] sie)
    {
        var sb = new StringBuilder("verifikation;datum;konto;belopp;objekt;text\n");
        string voucher = "", date = "";
        foreach (var line in SieParser.Codepage437.GetString(sie).Split("\r\n"))
        {
            var fields = line.Trim().Split(' ');
            if (fields[0] == "#VER") (voucher, date) = ("A" + fields[2], $"{fields[3][..4]}-{fields[3][4..6]}-{fields[3][6..]}");
            else if (fields[0] == "#TRANS")
            {
                var objects = line[(line.IndexOf('{') + 1)..line.IndexOf('}')].Replace("\"", "");
                var parts = objects.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var o = string.Join('|', Enumerable.Range(0, parts.Length / 2).Select(i => $"{parts[2 * i]}:{parts[2 * i + 1]}"));
                var amount = line[(line.IndexOf('}') + 2)..].Split(' ')[0];
                sb.Append(CultureInfo.InvariantCulture, $"{voucher};{date};{fields[1]};{amount};{o};Faktura\n");
            }
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>A participant export for January 2025 with fictitious, Luhn-valid identity numbers.</summary>
    public static byte[] ParticipantCsv(int rows) => ParticipantCsv(rows, 2025);

    /// <summary>The same, for January of <paramref name="year"/>, the registrations' ids made of <paramref name="idPrefix"/> and a number from 0.</summary>
    public static byte[] ParticipantCsv(int rows, int year, string idPrefix = "R")
    {
        var random = new Random(7);
        var sb = new StringBuilder("registrering_id;personnummer;anonym;kon;fodelsear;kommun;insats_id;insats_namn;insats_typ;startdatum;slutdatum;utbildning;forsorjning_fore;forsorjning_efter;avslutsorsak\n");
        string[] exits = ["arbete", "studier", "arbetssokande", "ordinarie_insats", "ohalsa", "annat"];
        for (var i = 0; i < rows; i++)
        {
            var birth = new DateOnly(1962 + random.Next(44), 1 + random.Next(12), 1 + random.Next(28));
            var nine = $"{birth:yyMMdd}{random.Next(1000):D3}";
            var pnr = $"{birth:yyyyMMdd}-{nine[6..]}{PersonalIdentityNumber.CheckDigit(nine)}";
            var start = new DateOnly(year - 1, 1, 1).AddDays(random.Next(396));
            var ended = random.Next(4) == 0;
            var end = ended ? new DateOnly(year, 1, 1 + random.Next(31)) : (DateOnly?)null;
            if (end < start) end = start;
            sb.Append(CultureInfo.InvariantCulture,
                $"{idPrefix}{i};{pnr};nej;{(i % 2 == 0 ? "K" : "M")};;{9901 + random.Next(12)};MT;Mottagningsteam;individ;{start:yyyy-MM-dd};{end:yyyy-MM-dd};gymnasium;forsorjningsstod|aktivitetsstod;{(ended ? "lon" : "")};{(ended ? exits[random.Next(exits.Length)] : "")}\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}

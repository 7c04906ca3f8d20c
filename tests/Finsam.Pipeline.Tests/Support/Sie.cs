using System.Text;
using Finsam.Pipeline.Sie;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>Builds SIE 4 files for tests, encoded in codepage 437 like real exports.</summary>
public static class Sie
{
    public static string Header(string orgNr = "222000-0018", int year = 2025) =>
        $"""
        #FLAGGA 0
        #FORMAT PC8
        #SIETYP 4
        #PROGRAM "Test" 1.0
        #GEN 20250131
        #FNAMN "Samordningsförbundet Test"
        #ORGNR {orgNr}
        #RAR 0 {year}0101 {year}1231
        """;

    public static byte[] Bytes(string text) => SieParser.Codepage437.GetBytes(text.Replace("\r\n", "\n").Replace("\n", "\r\n") + "\r\n");

    public static byte[] File(string body, string orgNr = "222000-0018") => Bytes(Header(orgNr) + "\n" + body);
}

public static class Csv
{
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n").Replace("\n", "\r\n"));
}

using System.Text;
using Finsam.Pipeline.Erasure;
using Finsam.Pipeline.Privacy;

namespace Finsam.Pipeline.Tests.Erasure;

/// <summary>The erasure finds a person's number however a file or a quarantined name writes it, and only theirs.</summary>
public class NumberSearchTests
{
    private static readonly PersonalIdentityNumber Person =
        PersonalIdentityNumber.TryParse("19650617-5766", new DateOnly(2026, 12, 6), out var n, out _, out _) ? n : throw new InvalidOperationException();

    [Theory]
    [InlineData("GR-1003;19650617-5766;nej")]
    [InlineData("GR-1003;196506175766;nej")]
    [InlineData("GR-1003;650617-5766;nej")]
    [InlineData("GR-1003;650617+5766;nej")]
    [InlineData("GR-1003;6506175766;nej")]
    [InlineData("Hyra kontor, 650617 5766")]
    [InlineData("GR-1003;19650617\u20135766;nej")]
    [InlineData("GR-1003;1965-06-17-5766;nej")]
    [InlineData("GR-1003;19650617\u00a05766;nej")]
    public void Every_way_a_file_writes_the_number_is_found(string text)
    {
        var number = PersonErasure.NumberPattern(Person);

        Assert.True(PersonErasure.HoldsNumber("x.csv", Encoding.UTF8.GetBytes(text), number));
        Assert.True(PersonErasure.HoldsNumber("x.csv", Encoding.Latin1.GetBytes(text.Replace('\u2013', '-')), number));
        Assert.True(PersonErasure.HoldsNumber("x.csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)], number));
        Assert.True(PersonErasure.HoldsNumber("x.csv", Encoding.Unicode.GetBytes(text), number));
    }

    [Theory]
    [InlineData("GR-1003;19650617-5767;nej")]
    [InlineData("GR-1003;19650618-5766;nej")]
    [InlineData("GR-1003;1196506175766;nej")]
    [InlineData("konto 650617;belopp 5766")]
    public void Other_numbers_are_not_taken_for_it(string text)
    {
        Assert.False(PersonErasure.HoldsNumber("x.csv", Encoding.UTF8.GetBytes(text), PersonErasure.NumberPattern(Person)));
    }

    [Fact]
    public void A_quarantined_name_that_holds_the_number_is_found()
    {
        Assert.True(PersonErasure.HoldsNumber("granmo/2025-03/20250401T101500Z_6f579d32eec9_3d1efc14_deltagare_19650617_5766.csv", [], PersonErasure.NumberPattern(Person)));
    }
}

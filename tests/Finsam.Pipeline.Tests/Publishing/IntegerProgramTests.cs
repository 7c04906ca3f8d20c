using Finsam.Pipeline.Disclosure;

namespace Finsam.Pipeline.Tests.Publishing;

public sealed class IntegerProgramTests
{
    // Counts of a test's own (node ids no audit's component has), so that no other test's programme is the same text.
    private const int A = 900_001, B = 900_002;

    private static IntegerProgram.Relation Sum(long right, bool equality, params (int Node, int Coefficient)[] terms) => new(terms, right, equality);

    [Fact]
    public void The_same_programme_is_solved_once_and_any_change_to_it_is_solved_again()
    {
        // a + b = 7, a <= 3: b is at least 4.
        (int, long, long?)[] free = [(A, 0, null), (B, 0, null)];
        IntegerProgram.Relation[] relations = [Sum(7, true, (A, 1), (B, 1)), Sum(3, false, (A, 1))];

        Assert.Equal(4, IntegerProgram.Optimum(free, relations, B, maximise: false, out var first));
        Assert.True(first);
        Assert.Equal(4, IntegerProgram.Optimum(free, relations, B, maximise: false, out var again));
        Assert.False(again);

        // The other direction, another constant, a fixed count, another smallest value: each another programme.
        Assert.Equal(7, IntegerProgram.Optimum(free, relations, B, maximise: true, out var other));
        Assert.True(other);
        Assert.Equal(5, IntegerProgram.Optimum(free, [Sum(7, true, (A, 1), (B, 1)), Sum(2, false, (A, 1))], B, maximise: false, out other));
        Assert.True(other);
        Assert.Equal(6, IntegerProgram.Optimum([(A, 0, 1), (B, 0, null)], relations, B, maximise: false, out other));
        Assert.True(other);
        Assert.Equal(5, IntegerProgram.Optimum([(A, 0, null), (B, 5, null)], relations, B, maximise: false, out other));
        Assert.True(other);
    }
}

using Finsam.Pipeline.Disclosure;

namespace Finsam.Pipeline.Tests.Publishing;

public sealed class IntegerProgramTests
{
    // Counts of a test's own (node ids no audit's component has); optima are remembered only within a test's own scope anyway.
    private const int A = 900_001, B = 900_002, C = 900_003;

    private static IntegerProgram.Relation Sum(long right, bool equality, params (int Node, int Coefficient)[] terms) => new(terms, right, equality);

    [Fact]
    public void The_same_programme_is_solved_once_and_any_change_to_it_is_solved_again()
    {
        // a + b = 7, a <= 3: b is at least 4.
        (int, long, long?)[] free = [(A, 0, null), (B, 0, null)];
        IntegerProgram.Relation[] relations = [Sum(7, true, (A, 1), (B, 1)), Sum(3, false, (A, 1))];
        using var release = IntegerProgram.Remember();

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

    [Fact]
    public void The_solution_found_gives_every_count_a_value_in_whole_counts_that_holds_every_relation()
    {
        // 2a + 2b = 2c + 2, c = 3 (fixed), a <= 4: a + b = 4, the largest b is 4. The solution's values hold every relation.
        (int, long, long?)[] variables = [(A, 0, null), (B, 0, null), (C, 0, 3)];
        IntegerProgram.Relation[] relations = [Sum(2, true, (A, 2), (B, 2), (C, -2)), Sum(4, false, (A, 1))];
        var seen = new Dictionary<int, long>();
        using var release = IntegerProgram.Remember();

        Assert.Equal(4, IntegerProgram.Optimum(variables, relations, B, maximise: true, out var solved, (node, value) => seen.Add(node, value)));

        Assert.True(solved);
        Assert.Equal([A, B, C], seen.Keys.Order());
        Assert.Equal((0L, 4L, 3L), (seen[A], seen[B], seen[C]));
        // Remembered: no solver ran, so no solution is given.
        seen.Clear();
        Assert.Equal(4, IntegerProgram.Optimum(variables, relations, B, maximise: true, out solved, (node, value) => seen.Add(node, value)));
        Assert.False(solved);
        Assert.Empty(seen);
    }

    [Fact]
    public void Optima_are_remembered_only_within_one_release()
    {
        // a + b = 9, a <= 2: b is at least 7. Outside a release nothing is remembered: each call solves.
        (int, long, long?)[] free = [(A, 0, null), (B, 0, null)];
        IntegerProgram.Relation[] relations = [Sum(9, true, (A, 1), (B, 1)), Sum(2, false, (A, 1))];
        // The optimum, each time; whether CP-SAT ran for it.
        bool Solved()
        {
            Assert.Equal(7, IntegerProgram.Optimum(free, relations, B, maximise: false, out var solved));
            return solved;
        }
        Assert.True(Solved());
        Assert.True(Solved());

        using (IntegerProgram.Remember())
        {
            Assert.True(Solved());
            // A scope opened within the release's (an audit of it) shares its optima, and closing it keeps them.
            using (IntegerProgram.Remember()) Assert.False(Solved());
            Assert.False(Solved());
        }
        // The next release starts with none.
        using (IntegerProgram.Remember()) Assert.True(Solved());
    }
}

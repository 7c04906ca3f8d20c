using ArchUnitNET.Fluent;
using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.Loader;

namespace Finsam.Pipeline.Tests.Architecture;

/// <summary>
/// The core's rooms depend on each other one way: every namespace below Finsam.Pipeline is a slice, and no slice reaches
/// back to one that reaches it (ArchUnit's BeFreeOfCycles, over the compiled assembly: what the code uses, not only what its
/// using lines say). The root namespace holds the front door alone, which composes every room and which no room uses.
/// </summary>
public class NamespaceTests
{
    private static readonly System.Reflection.Assembly Core = typeof(PipelineRegistration).Assembly;
    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Loaded = new(() => new ArchLoader().LoadAssemblies(Core).Build());

    /// <summary>The namespaces matching <paramref name="slices"/> that lie on a cycle, as ArchUnit reports them; empty when there is none.</summary>
    private static List<string> Cycles(ArchUnitNET.Domain.Architecture architecture, string slices = "Finsam.Pipeline.(**)")
    {
        IArchRule rule = SliceRuleDefinition.Slices().Matching(slices).Should().BeFreeOfCycles();
        return rule.Evaluate(architecture).Where(result => !result.Passed).Select(result => result.Description).ToList();
    }

    [Fact]
    public void No_namespace_of_the_core_depends_on_one_that_depends_on_it()
    {
        var cycles = Cycles(Loaded.Value);

        Assert.True(cycles.Count == 0, "Namespaces on a cycle:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void The_rule_finds_a_cycle_made_on_purpose()
    {
        // Two namespaces of this test project that use each other (CycleFixture.cs): the same rule must say so.
        var tests = new ArchLoader().LoadAssemblies(typeof(NamespaceTests).Assembly).Build();

        var cycles = Cycles(tests, "Finsam.Pipeline.Tests.Architecture.CycleFixture.(**)");

        Assert.Contains(cycles, c => c.Contains("CycleFixture.Left.Invoice -> Finsam.Pipeline.Tests.Architecture.CycleFixture.Right.Customer", StringComparison.Ordinal));
    }

    [Fact]
    public void The_root_namespace_holds_only_the_front_door_and_no_room_uses_it()
    {
        var root = Core.GetTypes().Where(t => t.Namespace == "Finsam.Pipeline" && !t.IsNested && !t.Name.StartsWith('<')).Select(t => t.Name).ToList();
        var users = Loaded.Value.Types
            .Where(t => t.Namespace.FullName.StartsWith("Finsam.Pipeline.", StringComparison.Ordinal))
            .Where(t => t.Dependencies.Any(d => d.Target.FullName.StartsWith("Finsam.Pipeline.PipelineRegistration", StringComparison.Ordinal)))
            .Select(t => t.FullName).ToList();

        Assert.Equal(["PipelineRegistration"], root);
        Assert.Empty(users);
    }

    [Fact]
    public void The_publishing_rooms_depend_one_way_publishing_then_disclosure_then_versions()
    {
        var dependencies = NamespaceDependencies(Loaded.Value);

        Assert.DoesNotContain("Finsam.Pipeline.Publishing", dependencies["Finsam.Pipeline.Disclosure"]);
        Assert.DoesNotContain("Finsam.Pipeline.Publishing", dependencies["Finsam.Pipeline.Versions"]);
        Assert.DoesNotContain("Finsam.Pipeline.Disclosure", dependencies["Finsam.Pipeline.Versions"]);
        Assert.Contains("Finsam.Pipeline.Disclosure", dependencies["Finsam.Pipeline.Publishing"]);
        Assert.Contains("Finsam.Pipeline.Versions", dependencies["Finsam.Pipeline.Disclosure"]);
    }

    [Fact]
    public void Erasure_is_at_the_end_of_the_flow_and_no_room_uses_it()
    {
        var dependencies = NamespaceDependencies(Loaded.Value);

        Assert.Contains("Finsam.Pipeline.Publishing", dependencies["Finsam.Pipeline.Erasure"]);
        Assert.Empty(dependencies.Where(d => d.Key != "Finsam.Pipeline" && d.Value.Contains("Finsam.Pipeline.Erasure")).Select(d => d.Key));
    }

    /// <summary>Each namespace of the core with the other namespaces of the core its types use.</summary>
    private static Dictionary<string, HashSet<string>> NamespaceDependencies(ArchUnitNET.Domain.Architecture architecture) =>
        architecture.Types
            .Where(t => t.Namespace.FullName.StartsWith("Finsam.Pipeline", StringComparison.Ordinal))
            .GroupBy(t => t.Namespace.FullName)
            .ToDictionary(g => g.Key, g => g.SelectMany(t => t.Dependencies).Select(d => d.Target.Namespace?.FullName ?? "")
                .Where(n => n.StartsWith("Finsam.Pipeline", StringComparison.Ordinal) && n != g.Key).ToHashSet());
}

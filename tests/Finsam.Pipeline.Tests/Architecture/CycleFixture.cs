// Two namespaces that use each other, on purpose: NamespaceTests checks that the rule it applies to the core finds them.
namespace Finsam.Pipeline.Tests.Architecture.CycleFixture.Left
{
    public sealed record Invoice(Right.Customer Customer);
}

namespace Finsam.Pipeline.Tests.Architecture.CycleFixture.Right
{
    public sealed record Customer(string Name)
    {
        public Left.Invoice Bill() => new(this);
    }
}

using Platform.Abstractions;

namespace Platform.Abstractions.Tests;

public sealed class PlatformExceptionTests
{
    [Fact]
    public void SetExpressionException_CarriesStructuredFacts()
    {
        var inner = new FormatException("x");
        var ex = new SetExpressionException("bad", "a[b=1", 2, "a", inner);

        Assert.IsAssignableFrom<ValuesException>(ex);
        Assert.IsAssignableFrom<PlatformException>(ex);
        Assert.Equal("a[b=1", ex.Expression);
        Assert.Equal(2, ex.Position);
        Assert.Equal("a", ex.ValuesPath);
        Assert.Same(inner, ex.InnerException);
    }

    [Fact]
    public void ConcretePublicTypes_AreSealedOrBuiltForInheritance()
    {
        // Types meant as bases of a hierarchy are listed; any other public class must be sealed.
        var bases = new HashSet<Type> { typeof(PlatformException), typeof(ValuesException), typeof(ChartException) };
        var unsealed = typeof(PlatformException).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract && !bases.Contains(t))
            .Select(t => t.FullName)
            .ToList();
        Assert.Empty(unsealed);
    }
}

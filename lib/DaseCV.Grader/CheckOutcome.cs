using System.Reflection;

namespace DaseCV.Grader;

/// <summary>A check's result: the fraction of its points earned and what the student should read.</summary>
internal sealed record CheckOutcome(double Fraction, string Message)
{
    /// <summary>Zero points, naming what went wrong: "not implemented" for a stub, else the exception.</summary>
    public static CheckOutcome FromException(Exception e)
    {
        while (e is TargetInvocationException { InnerException: { } inner })
            e = inner;
        if (e is NotImplementedException)
            return new CheckOutcome(0, "not implemented: " + e.Message);
        var frame = e.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return new CheckOutcome(0, $"threw {e.GetType().Name}: {e.Message}" + (frame is null ? "" : $" ({frame})"));
    }
}

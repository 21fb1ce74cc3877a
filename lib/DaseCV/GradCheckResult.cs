namespace DaseCV;

/// <summary>One check of <see cref="GradientCheck.GradCheckSparse"/>: a numerical and an analytic derivative at one element.</summary>
/// <param name="Row">Row of the checked element of x.</param>
/// <param name="Column">Column of the checked element of x.</param>
/// <param name="Numerical">Centred difference <c>(f(x + h) − f(x − h)) / 2h</c>.</param>
/// <param name="Analytic">The analytic gradient at the same element.</param>
/// <param name="RelativeError"><c>|numerical − analytic| / (|numerical| + |analytic|)</c>; NaN when both are 0, as in numpy.</param>
public sealed record GradCheckResult(int Row, int Column, double Numerical, double Analytic, double RelativeError);

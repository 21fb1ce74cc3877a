using DaseCV;
using System.Globalization;
using DaseCV.Notebook;

namespace DaseCV.Tests.Notebook;

public sealed class PyTests
{
    public sealed class TheFMethod
    {
        [Theory]
        [InlineData(1.957841, 6, "1.957841")]
        [InlineData(2.4893945, 6, "2.489394")]   // just below the tie in binary
        [InlineData(0.0078125, 6, "0.007812")]   // an exact tie rounds to even, as CPython
        [InlineData(2.5, 0, "2")]
        [InlineData(-1e-9, 6, "-0.000000")]
        [InlineData(-0.0, 6, "-0.000000")]
        [InlineData(1e20, 2, "100000000000000000000.00")]
        [InlineData(double.PositiveInfinity, 6, "inf")]
        [InlineData(double.NegativeInfinity, 6, "-inf")]
        [InlineData(double.NaN, 6, "nan")]
        public void Should_Format_As_Python_Percent_F(double x, int digits, string expected) =>
            Assert.Equal(expected, Py.F(x, digits));

        [Fact]
        public void Should_Ignore_The_Current_Culture()
        {
            var saved = CultureInfo.CurrentCulture;
            try
            {
                CultureInfo.CurrentCulture = new CultureInfo("de-DE");
                Assert.Equal("1234.500000", Py.F(1234.5));
                Assert.Equal("1.234500e+03", Py.E(1234.5));
            }
            finally
            {
                CultureInfo.CurrentCulture = saved;
            }
        }
    }

    public sealed class TheEMethod
    {
        [Theory]
        [InlineData(6.166928e-08, 6, "6.166928e-08")]
        [InlineData(2.489394, 6, "2.489394e+00")]
        [InlineData(0.0, 6, "0.000000e+00")]
        [InlineData(1e100, 6, "1.000000e+100")]
        [InlineData(-1.5e-300, 3, "-1.500e-300")]
        [InlineData(123456.0, 2, "1.23e+05")]
        [InlineData(12345.0, 0, "1e+04")]
        [InlineData(double.PositiveInfinity, 6, "inf")]
        [InlineData(double.NaN, 6, "nan")]
        public void Should_Format_As_Python_Percent_E(double x, int digits, string expected) =>
            Assert.Equal(expected, Py.E(x, digits));

        [Fact]
        public void Should_Reject_Negative_Digits() =>
            Assert.Throws<ArgumentOutOfRangeException>(() => Py.E(1.0, -1));
    }

    [Theory]
    [InlineData(3.6802720745909845e-08, "3.6802720745909845e-08")]
    [InlineData(1.7985612998927536e-13, "1.7985612998927536e-13")]
    [InlineData(0.017149610222465344, "0.017149610222465344")]
    [InlineData(0.296, "0.296")]
    [InlineData(1.0, "1.0")]
    [InlineData(-2.5e-05, "-2.5e-05")]
    [InlineData(1e16, "1e+16")]
    [InlineData(123456.0, "123456.0")]
    public void Repr_Should_Print_As_Python_Prints_A_Float(double x, string expected) => Assert.Equal(expected, Py.Repr(x));
}

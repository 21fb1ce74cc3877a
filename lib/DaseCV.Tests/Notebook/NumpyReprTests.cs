using DaseCV.Notebook;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Tests.Notebook;

// Every expected string is what numpy 1.24.2 prints for the same float64 values (repr(a), default print options).
public sealed class NumpyReprTests
{
    public sealed class TheFormatMethod
    {
        [Fact]
        public void Should_Print_W_Rows_1_To_3_As_Numpy_Does()
        {
            // np.random.seed(0); W = np.random.randn(3073, 10) * 0.0001; W[1:4], the values at full precision.
            var W = Matrix<double>.Build.DenseOfArray(new double[,]
            {
                { 1.44043571160878e-05, 0.00014542735069629752, 7.610377251469934e-05, 1.2167501649282842e-05, 4.438632327454257e-05, 3.336743273742668e-05, 0.0001494079073157606, -2.051582637658009e-05, 3.130677016509014e-05, -8.540957393017248e-05 },
                { -0.00025529898158340787, 6.536185954403606e-05, 8.644361988595058e-05, -7.42165020406442e-05, 0.00022697546239876078, -0.0001454365674598765, 4.575851730144607e-06, -1.871838500258336e-05, 0.00015327792143584576, 0.0001469358769900285 },
                { 1.549474256969163e-05, 3.781625196021736e-05, -8.877857476301128e-05, -0.0001980796468223927, -3.4791214932615264e-05, 1.5634896910398006e-05, 0.0001230290680727721, 0.00012023798487844114, -3.8732681740795226e-05, -3.0230275057533557e-05 },
            });

            Assert.Equal(
                """
                array([[ 1.44043571e-05,  1.45427351e-04,  7.61037725e-05,
                         1.21675016e-05,  4.43863233e-05,  3.33674327e-05,
                         1.49407907e-04, -2.05158264e-05,  3.13067702e-05,
                        -8.54095739e-05],
                       [-2.55298982e-04,  6.53618595e-05,  8.64436199e-05,
                        -7.42165020e-05,  2.26975462e-04, -1.45436567e-04,
                         4.57585173e-06, -1.87183850e-05,  1.53277921e-04,
                         1.46935877e-04],
                       [ 1.54947426e-05,  3.78162520e-05, -8.87785748e-05,
                        -1.98079647e-04, -3.47912149e-05,  1.56348969e-05,
                         1.23029068e-04,  1.20237985e-04, -3.87326817e-05,
                        -3.02302751e-05]])
                """, NumpyRepr.Format(W));
        }

        [Fact]
        public void Should_Align_Positional_Numbers_On_The_Point()
        {
            var a = Matrix<double>.Build.DenseOfArray(new double[,] { { 1.0, 2.25 }, { -3.5, 100.0 } });

            Assert.Equal("array([[  1.  ,   2.25],\n       [ -3.5 , 100.  ]])", NumpyRepr.Format(a));
        }

        [Theory]
        [InlineData(new[] { 1e-5, 1.5e-5, -2e-100 }, "array([ 1.0e-005,  1.5e-005, -2.0e-100])")]
        [InlineData(new[] { 0.0, 1e-5 }, "array([0.e+00, 1.e-05])")]
        [InlineData(new[] { -0.0, 0.5 }, "array([-0. ,  0.5])")]
        [InlineData(new[] { 1.0 / 3, 2.0 / 3, 1e7 }, "array([3.33333333e-01, 6.66666667e-01, 1.00000000e+07])")]
        [InlineData(new[] { 0.1, 0.2, 0.30000000000000004 }, "array([0.1, 0.2, 0.3])")]
        [InlineData(new[] { 123456789.0, 1.0 }, "array([1.23456789e+08, 1.00000000e+00])")]
        public void Should_Pick_Notation_And_Digits_As_Numpy_Does(double[] values, string expected)
        {
            Assert.Equal(expected, NumpyRepr.Format(Vector<double>.Build.DenseOfArray(values)));
        }

        [Fact]
        public void Should_Pad_Nan_And_Infinities_To_The_Column_Width()
        {
            var a = Matrix<double>.Build.DenseOfArray(new double[,] { { double.NaN, 1.0 }, { double.PositiveInfinity, double.NegativeInfinity } });

            Assert.Equal("array([[ nan,   1.],\n       [ inf, -inf]])", NumpyRepr.Format(a));
        }

        [Fact]
        public void Should_Summarize_More_Than_1000_Elements_By_Their_Edges()
        {
            // np.arange(2000.0).reshape(40, 50) / 7
            var a = Matrix<double>.Build.Dense(40, 50, (i, j) => (i * 50 + j) / 7.0);

            Assert.Equal(
                """
                array([[0.00000000e+00, 1.42857143e-01, 2.85714286e-01, ...,
                        6.71428571e+00, 6.85714286e+00, 7.00000000e+00],
                       [7.14285714e+00, 7.28571429e+00, 7.42857143e+00, ...,
                        1.38571429e+01, 1.40000000e+01, 1.41428571e+01],
                       [1.42857143e+01, 1.44285714e+01, 1.45714286e+01, ...,
                        2.10000000e+01, 2.11428571e+01, 2.12857143e+01],
                       ...,
                       [2.64285714e+02, 2.64428571e+02, 2.64571429e+02, ...,
                        2.71000000e+02, 2.71142857e+02, 2.71285714e+02],
                       [2.71428571e+02, 2.71571429e+02, 2.71714286e+02, ...,
                        2.78142857e+02, 2.78285714e+02, 2.78428571e+02],
                       [2.78571429e+02, 2.78714286e+02, 2.78857143e+02, ...,
                        2.85285714e+02, 2.85428571e+02, 2.85571429e+02]])
                """, NumpyRepr.Format(a));
        }

        [Fact]
        public void Should_Summarize_A_Long_Vector_With_Widths_Of_The_Shown_Items()
        {
            var v = Vector<double>.Build.Dense(1001, i => i);

            Assert.Equal("array([   0.,    1.,    2., ...,  998.,  999., 1000.])", NumpyRepr.Format(v));
        }

        [Fact]
        public void Should_Show_The_Shape_Of_An_Empty_Matrix()
        {
            // MathNet has no 0-row matrix; the shape-based overload is what Format(Matrix) calls.
            Assert.Equal("array([], shape=(0, 3), dtype=float64)", NumpyRepr.Format([0, 3], _ => 0));
        }
    }
}

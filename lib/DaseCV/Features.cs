using static System.FormattableString;
using DaseCV.Data;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV;

/// <summary>Image features: daseCV <c>features.py</c> (HOG, a hue colour histogram, and their extraction over many images).</summary>
/// <remarks>
/// <para>An image is its pixel bytes in (H, W, 3) order, as one row of <see cref="RawImages"/> holds it: pixel (row, col)
/// channel ch is byte (row·W + col)·3 + ch. Images are square (H = W; 32 for CIFAR-10). The feature functions take one
/// image and return one feature vector; <see cref="ExtractFeatures"/> applies several to every image.</para>
/// <para>The numbers are those of the Python functions (same formulas, same quirks, noted where they are): the fixture
/// test compares them with features.py's own output on small images.</para>
/// </remarks>
public static class Features
{
    /// <summary>
    /// Applies every feature function to every image and concatenates each image's feature vectors into one row:
    /// <c>extract_features</c>.
    /// </summary>
    /// <param name="imgs">N images.</param>
    /// <param name="featureFns">k feature functions; the ith takes one image and returns a vector of length F_i, the same for every image.</param>
    /// <param name="verbose">Print <c>Done extracting features for %d / %d images</c> every 1000 images, as the Python does.</param>
    /// <param name="progress">Receives the number of images done (a progress bar); optional.</param>
    /// <returns>Features, shape (N, F_1 + … + F_k): row i is the concatenation of image i's feature vectors.</returns>
    /// <exception cref="ArgumentException">No images or functions, or a function's vector length changes from image to image.</exception>
    public static Matrix<double> ExtractFeatures(RawImages imgs, IReadOnlyList<Func<ReadOnlySpan<byte>, double[]>> featureFns,
        bool verbose = false, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(imgs);
        ArgumentNullException.ThrowIfNull(featureFns);
        if (featureFns.Count == 0) throw new ArgumentException("featureFns is empty; expected at least one feature function.", nameof(featureFns));
        int numImages = imgs.Count;
        if (numImages == 0) throw new ArgumentException("imgs holds no images.", nameof(imgs));

        // Use the first image to determine feature dimensions
        var firstImageFeatures = featureFns.Select(featureFn => featureFn(imgs[0])).ToArray();
        var featureDims = firstImageFeatures.Select(feats => feats.Length).ToArray();

        // Now that we know the dimensions of the features, allocate one (N, F) matrix; MathNet stores it column by
        // column, so row i, feature f is values[i + f·N].
        int totalFeatureDim = featureDims.Sum();
        var values = new double[(long)numImages * totalFeatureDim];
        for (int i = 0; i < numImages; i++)
        {
            int idx = 0;
            for (int k = 0; k < featureFns.Count; k++)
            {
                var feats = i == 0 ? firstImageFeatures[k] : featureFns[k](imgs[i]);
                if (feats.Length != featureDims[k])
                    throw new ArgumentException(
                        Invariant($"featureFns[{k}] returned {feats.Length} features for image {i} but {featureDims[k]} for image 0; ") +
                        "a feature function must return vectors of one length.", nameof(featureFns));
                for (int f = 0; f < feats.Length; f++) values[i + (long)(idx + f) * numImages] = feats[f];
                idx += featureDims[k];
            }
            if (verbose && i % 1000 == 999)
                Console.WriteLine(Invariant($"Done extracting features for {i + 1} / {numImages} images"));
            if (i % 100 == 99 || i == numImages - 1) progress?.Report(i + 1);
        }
        return Matrix<double>.Build.Dense(numImages, totalFeatureDim, values);
    }

    /// <summary>Converts an RGB image to grayscale: <c>rgb2gray</c>, <c>0.299·R + 0.587·G + 0.144·B</c>.</summary>
    /// <param name="rgb">One image, (H, W, 3) bytes.</param>
    /// <returns>The gray image, (H, W) row by row.</returns>
    /// <remarks>
    /// The blue weight is 0.144 as in CS231n's features.py, not the usual 0.114 (a typo upstream that every edition kept;
    /// kept here so that the features are the course's).
    /// </remarks>
    public static double[] Rgb2Gray(ReadOnlySpan<byte> rgb)
    {
        if (rgb.Length % 3 != 0) throw new ArgumentException(Invariant($"rgb has {rgb.Length} bytes; expected 3 per pixel."), nameof(rgb));
        var gray = new double[rgb.Length / 3];
        for (int p = 0; p < gray.Length; p++)
            gray[p] = rgb[3 * p] * 0.299 + rgb[3 * p + 1] * 0.587 + rgb[3 * p + 2] * 0.144;
        return gray;
    }

    /// <summary>Histogram of oriented gradients (HOG) of an image: <c>hog_feature</c>.</summary>
    /// <param name="im">One RGB image, (H, W, 3) bytes, square, H a multiple of 8 (32 for CIFAR-10).</param>
    /// <returns>
    /// 9 orientation bins for each 8×8 cell, length (H/8)·(W/8)·9 (144 for CIFAR-10): the mean gradient magnitude of
    /// the cell's pixels whose orientation falls in the bin, ordered (cell column, cell row, bin).
    /// </returns>
    /// <remarks>
    /// Modified from skimage.feature.hog, as features.py is (Dalal and Triggs, CVPR 2005). Its quirks stay: the
    /// orientation <c>atan2(gy, gx + 1e-15)·180/π + 90</c> lies in (−90°, 270°], and only the part in (0°, 180°) is
    /// binned, so gradients pointing into the other half-plane count nowhere; the last column has gx = 0 and the last
    /// row gy = 0.
    /// </remarks>
    /// <exception cref="ArgumentException">im is not a square RGB image with a side that is a multiple of 8.</exception>
    public static double[] HogFeature(ReadOnlySpan<byte> im)
    {
        int side = SquareSide(im, nameof(im));
        if (side % 8 != 0) throw new ArgumentException(Invariant($"im is {side}×{side}; HOG cells are 8×8, so the side must be a multiple of 8."), nameof(im));

        // convert rgb to grayscale
        var image = Rgb2Gray(im);
        int sx = side, sy = side;  // image size (rows, columns)
        const int orientations = 9;  // number of gradient bins
        const int cx = 8, cy = 8;    // pixels per cell

        // gx[:, :-1] = np.diff(image, axis=1), gy[:-1, :] = np.diff(image, axis=0): the last column / row stay 0.
        var gradMag = new double[sx * sy];
        var gradOri = new double[sx * sy];
        for (int r = 0; r < sx; r++)
            for (int c = 0; c < sy; c++)
            {
                int p = r * sy + c;
                double gx = c < sy - 1 ? image[p + 1] - image[p] : 0.0;
                double gy = r < sx - 1 ? image[p + sy] - image[p] : 0.0;
                gradMag[p] = Math.Sqrt(gx * gx + gy * gy);                           // gradient magnitude
                gradOri[p] = Math.Atan2(gy, gx + 1e-15) * (180 / Math.PI) + 90;      // gradient orientation
            }

        int nCellsx = sx / cx, nCellsy = sy / cy;
        // orientation_histogram (n_cellsx, n_cellsy, orientations), ravelled
        var orientationHistogram = new double[nCellsx * nCellsy * orientations];
        for (int i = 0; i < orientations; i++)
        {
            // the magnitudes of the pixels whose orientation is in [180/9·i, 180/9·(i+1)) and > 0
            double lower = 180.0 / orientations * i, upper = 180.0 / orientations * (i + 1);
            // uniform_filter(temp_mag, size=(cx, cy))[cx/2::cx, cy/2::cy] is the mean over each cx×cy cell: at those
            // centres the filter's window is exactly the cell. The Python's .T puts cell (a, b) at [b, a].
            for (int a = 0; a < nCellsx; a++)
                for (int b = 0; b < nCellsy; b++)
                {
                    double sum = 0;
                    for (int r = a * cx; r < (a + 1) * cx; r++)
                        for (int c = b * cy; c < (b + 1) * cy; c++)
                        {
                            double ori = gradOri[r * sy + c];
                            if (ori < upper && ori >= lower && ori > 0) sum += gradMag[r * sy + c];
                        }
                    orientationHistogram[(b * nCellsx + a) * orientations + i] = sum / (cx * cy);
                }
        }
        return orientationHistogram;
    }

    /// <summary>Colour histogram of an image's hue (HSV colour space): <c>color_histogram_hsv</c>.</summary>
    /// <param name="im">One RGB image, (H, W, 3) bytes.</param>
    /// <param name="nbin">Number of histogram bins, ≥ 1.</param>
    /// <param name="xmin">Minimum pixel value.</param>
    /// <param name="xmax">Maximum pixel value, &gt; xmin.</param>
    /// <param name="normalized">Whether to normalize the histogram (numpy's <c>density=True</c>).</param>
    /// <returns>
    /// Length nbin: the histogram of the hue (scaled to [xmin, xmax]) over nbin equal bins, times each bin's width; with
    /// normalized, the fraction of the pixels in each bin.
    /// </returns>
    /// <remarks>
    /// The hue is matplotlib's <c>rgb_to_hsv(im / xmax)[..., 0]·xmax</c>: 0 for gray pixels; ties between channels go
    /// to the later channel (blue over green over red), as there.
    /// </remarks>
    public static double[] ColorHistogramHsv(ReadOnlySpan<byte> im, int nbin = 10, double xmin = 0, double xmax = 255, bool normalized = true)
    {
        if (im.Length == 0 || im.Length % 3 != 0) throw new ArgumentException(Invariant($"im has {im.Length} bytes; expected 3 per pixel."), nameof(im));
        ArgumentOutOfRangeException.ThrowIfLessThan(nbin, 1);
        if (!(xmax > xmin) || !double.IsFinite(xmin) || !double.IsFinite(xmax))
            throw new ArgumentException(Invariant($"xmin = {xmin}, xmax = {xmax}; expected finite values with xmin < xmax."), nameof(xmax));

        // bins = np.linspace(xmin, xmax, nbin + 1)
        var bins = new double[nbin + 1];
        double step = (xmax - xmin) / nbin;
        for (int k = 0; k < nbin; k++) bins[k] = k * step + xmin;
        bins[nbin] = xmax;

        // np.histogram(hsv[:, :, 0], bins=bins): bin k counts bins[k] ≤ h < bins[k+1]; the last bin also h = xmax.
        var counts = new long[nbin];
        long total = 0;
        for (int p = 0; p < im.Length; p += 3)
        {
            double h = Hue(im[p] / xmax, im[p + 1] / xmax, im[p + 2] / xmax) * xmax;
            if (h < bins[0] || h > bins[nbin]) continue;
            int k = Math.Clamp((int)((h - xmin) / step), 0, nbin - 1);
            while (k > 0 && h < bins[k]) k--;
            while (k < nbin - 1 && h >= bins[k + 1]) k++;
            counts[k]++;
            total++;
        }

        // density=True divides by the bin width and the count; features.py then multiplies by the width again.
        var imhist = new double[nbin];
        for (int k = 0; k < nbin; k++)
        {
            double width = bins[k + 1] - bins[k];
            imhist[k] = (normalized ? counts[k] / width / total : counts[k]) * width;
        }
        return imhist;
    }

    /// <summary>matplotlib's hue of one RGB colour, in [0, 1).</summary>
    private static double Hue(double r, double g, double b)
    {
        double max = Math.Max(r, Math.Max(g, b)), delta = max - Math.Min(r, Math.Min(g, b));
        if (!(delta > 0)) return 0.0;
        double h = 0.0;
        if (r == max) h = (g - b) / delta;        // red is max
        if (g == max) h = 2.0 + (b - r) / delta;  // green is max
        if (b == max) h = 4.0 + (r - g) / delta;  // blue is max
        // Python's % 1.0: the result takes the divisor's sign.
        double hue = h / 6.0 % 1.0;
        return hue < 0 ? hue + 1.0 : hue;
    }

    private static int SquareSide(ReadOnlySpan<byte> im, string name)
    {
        int side = (int)Math.Round(Math.Sqrt(im.Length / 3.0));
        if (im.Length == 0 || side * side * 3 != im.Length)
            throw new ArgumentException(Invariant($"{name} has {im.Length} bytes; expected a square RGB image, H·H·3 bytes (3072 for CIFAR-10)."), name);
        return side;
    }
}

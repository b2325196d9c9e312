package org.vectrain.engine.data;

/**
 * Per-dimension standardisation fitted on the training set: {@code x = (pixel / 255 - mean) / std}
 * with the population standard deviation (ddof 0), as the assignment does. The same statistics are
 * applied to the validation and test sets.
 *
 * <p>The normalised values are never stored: images stay bytes and the kernels apply the affine map
 * {@link #signedAffine} on the fly, folded into W and b (see {@link org.vectrain.engine.data.DataSet}).
 *
 * @param mean per-dimension mean of pixel / 255, D entries
 * @param std per-dimension standard deviation of pixel / 255, D entries; a constant dimension gets 1
 */
public record Normalization(double[] mean, double[] std) {

    /** Fits mean and std on the given images, in double precision. */
    public static Normalization fit(LabeledImages train) {
        int d = LabeledImages.PIXELS;
        int n = train.count();
        long[] sum = new long[d];
        long[] sumSquares = new long[d];
        byte[] pixels = train.pixels();
        for (int i = 0; i < n; i++) {
            int row = i * d;
            for (int j = 0; j < d; j++) {
                long v = pixels[row + j] & 0xFF;
                sum[j] += v;
                sumSquares[j] += v * v;
            }
        }
        double[] mean = new double[d];
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            double m = (double) sum[j] / n;
            // Integer sums are exact, so the variance has no cancellation beyond the last division.
            double variance = ((double) sumSquares[j] / n - m * m);
            double s = Math.sqrt(Math.max(variance, 0.0)) / 255.0;
            mean[j] = m / 255.0;
            std[j] = s > 0 ? s : 1.0;
        }
        return new Normalization(mean, std);
    }

    /**
     * Per-dimension factors {@code a} and {@code c} with {@code x = a q + c}, where {@code q = pixel - 128}
     * is the pixel read as a signed value, as the kernels do: {@code a = 1 / (255 std)},
     * {@code c = 128 a - mean / std}. Computed in double, rounded once to float.
     *
     * @return {scale a, shift c}, D entries each
     */
    public float[][] signedAffine() {
        int d = mean.length;
        float[] scale = new float[d];
        float[] shift = new float[d];
        for (int j = 0; j < d; j++) {
            double a = 1.0 / (255.0 * std[j]);
            scale[j] = (float) a;
            shift[j] = (float) (128.0 * a - mean[j] / std[j]);
        }
        return new float[][] {scale, shift};
    }
}

package org.vectrain.engine.data;

/**
 * Mean and population standard deviation (ddof 0) of each colour channel, on the 0..255 scale, over
 * every pixel of a set of images.
 *
 * @param images how many images were summarised
 * @param mean R, G, B means
 * @param std R, G, B standard deviations
 */
public record ChannelStatistics(long images, double[] mean, double[] std) {

    /** The statistics of the given images, taken together. */
    public static ChannelStatistics of(LabeledImages... sets) {
        Accumulator accumulator = new Accumulator();
        for (LabeledImages set : sets) {
            accumulator.add(set);
        }
        return accumulator.result();
    }

    /** Adds images one set at a time, so that a whole training set need not be in memory at once. */
    public static final class Accumulator {
        private static final int PLANE = LabeledImages.SIDE * LabeledImages.SIDE;
        // Integer sums are exact: 50,000 images x 1024 pixels x 255^2 is about 3.3e12, far below 2^63.
        private final long[] sum = new long[LabeledImages.CHANNELS];
        private final long[] sumSquares = new long[LabeledImages.CHANNELS];
        private long images;

        public Accumulator add(LabeledImages set) {
            byte[] pixels = set.pixels();
            for (int i = 0; i < set.count(); i++) {
                for (int c = 0; c < LabeledImages.CHANNELS; c++) {
                    int start = i * LabeledImages.PIXELS + c * PLANE;
                    long s = 0;
                    long s2 = 0;
                    for (int j = start; j < start + PLANE; j++) {
                        int v = pixels[j] & 0xFF;
                        s += v;
                        s2 += v * v;
                    }
                    sum[c] += s;
                    sumSquares[c] += s2;
                }
            }
            images += set.count();
            return this;
        }

        /** The statistics so far; NaN for every channel while no image has been added. */
        public ChannelStatistics result() {
            double[] mean = new double[LabeledImages.CHANNELS];
            double[] std = new double[LabeledImages.CHANNELS];
            double values = (double) images * PLANE;
            for (int c = 0; c < LabeledImages.CHANNELS; c++) {
                mean[c] = sum[c] / values;
                std[c] = Math.sqrt(Math.max(sumSquares[c] / values - mean[c] * mean[c], 0.0));
            }
            return new ChannelStatistics(images, mean, std);
        }
    }
}

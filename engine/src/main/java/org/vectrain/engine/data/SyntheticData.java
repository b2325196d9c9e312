package org.vectrain.engine.data;

import java.util.SplittableRandom;

/**
 * A seeded data set of CIFAR-like shape for warm-ups, benchmarks and tests: uniform pixel bytes,
 * uniform labels, and an affine map like a normalisation (scale 1/64, small random shifts), so the
 * features are roughly N(0, 1) as real normalised images are.
 */
public final class SyntheticData {
    private SyntheticData() {
    }

    /** {@code images} samples of {@code dim} pixels with labels in 0..{@code classes - 1}, from {@code seed}. */
    public static DataSet of(String name, int images, int dim, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[images * dim];
        random.nextBytes(pixels);
        int[] labels = new int[images];
        for (int i = 0; i < images; i++) {
            labels[i] = random.nextInt(classes);
        }
        float[] scale = new float[dim];
        float[] shift = new float[dim];
        for (int d = 0; d < dim; d++) {
            scale[d] = 1f / 64;
            shift[d] = (float) (0.1 * random.nextGaussian());
        }
        return new DataSet(name, pixels, labels, dim, scale, shift);
    }
}

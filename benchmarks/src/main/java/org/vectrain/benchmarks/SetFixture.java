package org.vectrain.benchmarks;

import java.util.SplittableRandom;
import org.vectrain.engine.model.DataSet;

/** A seeded data set of the real shape: uniform pixel bytes, labels, an affine map like a normalisation. */
final class SetFixture {
    private SetFixture() {
    }

    static DataSet of(int images, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int dim = KernelFixture.DIM;
        byte[] pixels = new byte[images * dim];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        int[] labels = new int[images];
        for (int i = 0; i < images; i++) {
            labels[i] = random.nextInt(KernelFixture.CLASSES);
        }
        float[] scale = new float[dim];
        float[] shift = new float[dim];
        for (int d = 0; d < dim; d++) {
            scale[d] = 1f / 64;
            shift[d] = (float) (0.1 * random.nextGaussian());
        }
        return new DataSet("benchmark", pixels, labels, dim, scale, shift);
    }
}

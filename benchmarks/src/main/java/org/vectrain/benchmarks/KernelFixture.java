package org.vectrain.benchmarks;

import java.util.SplittableRandom;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;

/**
 * Seeded data of the real shape: W 10 x 3072 ~ N(0, 0.01^2), 1,000 images of uniform pixels with an
 * affine map like a normalisation, labels.
 */
final class KernelFixture {
    static final int CLASSES = 10;
    static final int DIM = 3072;
    static final int IMAGES = 1000;
    static final long SEED = 20_240_401L;

    final float[] w = new float[CLASSES * DIM];
    final float[] b = new float[CLASSES];
    final byte[] q = new byte[IMAGES * DIM];
    final float[] a = new float[DIM];
    final float[] c = new float[DIM];
    final int[] labels = new int[IMAGES];
    final int[] rows = new int[IMAGES];

    KernelFixture() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (0.01 * random.nextGaussian());
        }
        for (int i = 0; i < q.length; i++) {
            q[i] = (byte) random.nextInt(256);
        }
        for (int d = 0; d < DIM; d++) {
            a[d] = 1f / 64;
            c[d] = (float) (0.1 * random.nextGaussian());
        }
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = random.nextInt(CLASSES);
            rows[i] = i;
        }
    }

    static Kernels kernels(String kind) {
        return switch (kind) {
            case "vector" -> KernelProvider.vector();
            case "scalar" -> KernelProvider.scalar();
            default -> throw new IllegalArgumentException("kernels: " + kind);
        };
    }
}

package org.vectrain.benchmarks;

import java.util.SplittableRandom;
import org.vectrain.engine.simd.KernelProvider;
import org.vectrain.engine.simd.Kernels;

/** Seeded data of the real shape: W 10 x 3072 ~ N(0, 0.01^2), 1,000 images ~ N(0, 1), labels. */
final class KernelFixture {
    static final int CLASSES = 10;
    static final int DIM = 3072;
    static final int IMAGES = 1000;
    static final long SEED = 20_240_401L;

    final float[] w = new float[CLASSES * DIM];
    final float[] b = new float[CLASSES];
    final float[] x = new float[IMAGES * DIM];
    final int[] labels = new int[IMAGES];
    final int[] rows = new int[IMAGES];

    KernelFixture() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (0.01 * random.nextGaussian());
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
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

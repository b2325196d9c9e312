package org.vectrain.engine.model;

import java.util.random.RandomGenerator;

/**
 * The classifier's parameters: W (K x D, row-major, row k = class k) and b (K). Scores are
 * {@code s = W x + b}, probabilities {@code p = softmax(s)}.
 */
public final class SoftmaxModel {
    /** Standard deviation of the Gaussian initialisation, as in the assignment. */
    public static final double INIT_STD = 0.01;

    private final int classes;
    private final int dim;
    private final float[] w;
    private final float[] b;

    public SoftmaxModel(int classes, int dim, float[] w, float[] b) {
        if (classes < 1 || dim < 1) {
            throw new IllegalArgumentException("shape " + classes + " x " + dim);
        }
        if (w.length != classes * dim || b.length != classes) {
            throw new IllegalArgumentException("W has " + w.length + " entries and b " + b.length + ", expected "
                    + classes + " x " + dim + " and " + classes);
        }
        this.classes = classes;
        this.dim = dim;
        this.w = w;
        this.b = b;
    }

    /**
     * W and b drawn from N(0, 0.01^2), in that order, from {@code random}; with {@code zeroBias} b is
     * 0 instead (the current assignment text), and W is the same draw either way.
     */
    public static SoftmaxModel gaussian(int classes, int dim, RandomGenerator random, boolean zeroBias) {
        float[] w = new float[classes * dim];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (INIT_STD * random.nextGaussian());
        }
        float[] b = new float[classes];
        for (int k = 0; k < classes; k++) {
            double draw = random.nextGaussian();
            b[k] = zeroBias ? 0f : (float) (INIT_STD * draw);
        }
        return new SoftmaxModel(classes, dim, w, b);
    }

    public int classes() {
        return classes;
    }

    public int dim() {
        return dim;
    }

    /** W itself (not a copy), K x D row-major: the trainer updates it in place. */
    public float[] weights() {
        return w;
    }

    /** b itself (not a copy). */
    public float[] bias() {
        return b;
    }

    public SoftmaxModel copy() {
        return new SoftmaxModel(classes, dim, w.clone(), b.clone());
    }

    /** Overwrites this model's parameters with {@code other}'s (same shape). */
    public void copyFrom(SoftmaxModel other) {
        System.arraycopy(other.w, 0, w, 0, w.length);
        System.arraycopy(other.b, 0, b, 0, b.length);
    }
}

package org.vectrain.engine.model;

import java.util.random.RandomGenerator;

/**
 * The two-layer network's parameters: a ReLU hidden layer of m units, {@code h = max(0, W1 x + b1)}, and the
 * classifier on it, {@code s = W2 h + b2}, {@code p = softmax(s)}. W1 is m x D, b1 m, W2 K x m, b2 K.
 *
 * <p>W1 is kept with rows of {@link #stride()} floats, D rounded up to the kernels' block of columns, the columns
 * past D zero: the layout the kernels read and step in place ({@code kernels.TwoLayerKernels}), so a step copies
 * nothing. {@link #w1At} and {@link #w1Rows} give W1 as m x D.
 */
public final class TwoLayerModel {
    /** The most hidden units a network may have: W1 is then 48 MB at D = 3072. */
    public static final int MAX_HIDDEN = 4096;

    private final int classes;
    private final int dim;
    private final int hidden;
    private final int stride;
    private final float[] w1;
    private final float[] b1;
    private final float[] w2;
    private final float[] b2;

    /**
     * A model on the given arrays (kept, not copied): {@code w1} m x {@code stride} with zeros past D, {@code b1} m,
     * {@code w2} K x m, {@code b2} K.
     */
    public TwoLayerModel(int classes, int dim, int hidden, int stride, float[] w1, float[] b1, float[] w2,
            float[] b2) {
        if (classes < 1 || dim < 1 || hidden < 1 || hidden > MAX_HIDDEN || stride < dim) {
            throw new IllegalArgumentException("shape K=" + classes + ", D=" + dim + ", m=" + hidden + ", stride "
                    + stride);
        }
        if (w1.length != hidden * stride || b1.length != hidden || w2.length != classes * hidden
                || b2.length != classes) {
            throw new IllegalArgumentException("W1 has " + w1.length + " entries, b1 " + b1.length + ", W2 "
                    + w2.length + ", b2 " + b2.length + "; expected " + hidden + " x " + stride + ", " + hidden
                    + ", " + classes + " x " + hidden + ", " + classes);
        }
        this.classes = classes;
        this.dim = dim;
        this.hidden = hidden;
        this.stride = stride;
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
    }

    /**
     * The assignment's initialisation: W1 from N(0, 1/D), then W2 from N(0, 1/m), drawn in that order, row by row,
     * from {@code random}; b1 and b2 zero.
     */
    public static TwoLayerModel gaussian(int classes, int dim, int hidden, int stride, RandomGenerator random) {
        float[] w1 = new float[hidden * stride];
        double std1 = 1 / Math.sqrt(dim);
        for (int i = 0; i < hidden; i++) {
            for (int d = 0; d < dim; d++) {
                w1[i * stride + d] = (float) (std1 * random.nextGaussian());
            }
        }
        float[] w2 = new float[classes * hidden];
        double std2 = 1 / Math.sqrt(hidden);
        for (int i = 0; i < w2.length; i++) {
            w2[i] = (float) (std2 * random.nextGaussian());
        }
        return new TwoLayerModel(classes, dim, hidden, stride, w1, new float[hidden], w2, new float[classes]);
    }

    public int classes() {
        return classes;
    }

    public int dim() {
        return dim;
    }

    /** m, the hidden units. */
    public int hidden() {
        return hidden;
    }

    /** The row length of {@link #w1()}: D or more. */
    public int stride() {
        return stride;
    }

    /** W1 itself, m x {@link #stride()}: the trainer steps it in place. */
    public float[] w1() {
        return w1;
    }

    public float[] b1() {
        return b1;
    }

    /** W2 itself, K x m. */
    public float[] w2() {
        return w2;
    }

    public float[] b2() {
        return b2;
    }

    /** W1[i][d]. */
    public float w1At(int i, int d) {
        return w1[i * stride + d];
    }

    /** W1 as m x D rows, a copy: for files and for the reference. */
    public float[] w1Rows() {
        float[] rows = new float[hidden * dim];
        for (int i = 0; i < hidden; i++) {
            System.arraycopy(w1, i * stride, rows, i * dim, dim);
        }
        return rows;
    }

    /** {@code ||W1||^2 + ||W2||^2}, summed in double in index order: the L2 term of the cost over lambda. */
    public double squaredWeights() {
        double sum = 0;
        for (float v : w1) {
            sum += (double) v * v;
        }
        for (float v : w2) {
            sum += (double) v * v;
        }
        return sum;
    }

    /** This network with W1's rows {@code newStride} floats long (at least D), the columns past D zero. */
    public TwoLayerModel withStride(int newStride) {
        if (newStride < dim) {
            throw new IllegalArgumentException("stride " + newStride + " for " + dim + " dimensions");
        }
        float[] rows = new float[hidden * newStride];
        for (int i = 0; i < hidden; i++) {
            System.arraycopy(w1, i * stride, rows, i * newStride, dim);
        }
        return new TwoLayerModel(classes, dim, hidden, newStride, rows, b1.clone(), w2.clone(), b2.clone());
    }

    public TwoLayerModel copy() {
        return new TwoLayerModel(classes, dim, hidden, stride, w1.clone(), b1.clone(), w2.clone(), b2.clone());
    }

    /** Overwrites this model's parameters with {@code other}'s (same shape). */
    public void copyFrom(TwoLayerModel other) {
        System.arraycopy(other.w1, 0, w1, 0, w1.length);
        System.arraycopy(other.b1, 0, b1, 0, b1.length);
        System.arraycopy(other.w2, 0, w2, 0, w2.length);
        System.arraycopy(other.b2, 0, b2, 0, b2.length);
    }
}

package org.vectrain.engine.train;

import org.vectrain.engine.model.SoftmaxModel;

/**
 * The running mean of a model's parameters over the update steps of the tail of a run (Polyak-Ruppert
 * averaging): {@code W_avg = (1/T) Σ_t W_t}, likewise b, over the T iterates added since the last
 * {@link #reset}. Sums are kept in double, entry by entry, so the mean does not depend on the thread count
 * or on how many iterates it holds, and rounds to float once, when it is read.
 */
final class ParameterAverage {
    private final double[] sumW;
    private final double[] sumB;
    private long count;

    /** An empty average for models of {@code classes} x {@code dim}. */
    ParameterAverage(int classes, int dim) {
        this.sumW = new double[classes * dim];
        this.sumB = new double[classes];
    }

    /** Adds the current parameters of {@code model} as one more iterate. */
    void add(SoftmaxModel model) {
        float[] w = model.weights();
        for (int i = 0; i < w.length; i++) {
            sumW[i] += w[i];
        }
        float[] b = model.bias();
        for (int k = 0; k < b.length; k++) {
            sumB[k] += b[k];
        }
        count++;
    }

    /** A copy of the sums in double, W's. */
    double[] sumW() {
        return sumW.clone();
    }

    /** A copy of the sums in double, b's. */
    double[] sumB() {
        return sumB.clone();
    }

    /** An independent copy of this average. */
    ParameterAverage copy() {
        ParameterAverage c = new ParameterAverage(sumB.length, sumW.length / sumB.length);
        c.restore(sumW, sumB, count);
        return c;
    }

    /** Takes the sums and count of an average saved earlier (same shape). */
    void restore(double[] w, double[] b, long iterates) {
        System.arraycopy(w, 0, sumW, 0, sumW.length);
        System.arraycopy(b, 0, sumB, 0, sumB.length);
        count = iterates;
    }

    /** The number of iterates added. */
    long count() {
        return count;
    }

    /** Writes the mean of the iterates added into {@code out} (same shape); needs at least one. */
    void meanInto(SoftmaxModel out) {
        if (count == 0) {
            throw new IllegalStateException("no iterate averaged yet");
        }
        double inv = 1.0 / count;
        float[] w = out.weights();
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (sumW[i] * inv);
        }
        float[] b = out.bias();
        for (int k = 0; k < b.length; k++) {
            b[k] = (float) (sumB[k] * inv);
        }
    }
}

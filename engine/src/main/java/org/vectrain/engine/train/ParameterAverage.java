package org.vectrain.engine.train;

import org.vectrain.engine.model.SoftmaxModel;

/**
 * The running mean of a model's parameters over the update steps of the tail of a run (Polyak-Ruppert
 * averaging): {@code W_avg = (1/T) Σ_t W_t}, likewise b (and every other parameter array), over the T iterates
 * added. Sums are kept in double, entry by entry, so the mean does not depend on the thread count or on how many
 * iterates it holds, and rounds to float once, when it is read.
 */
final class ParameterAverage {
    private final double[][] sums;
    private final double[] sumW;
    private final double[] sumB;
    private long count;

    /** An empty average for models of {@code classes} x {@code dim}. */
    ParameterAverage(int classes, int dim) {
        this(new int[] {classes * dim, classes});
    }

    /** An empty average of parameter arrays of these lengths (W and b first, where a caller reads them back). */
    ParameterAverage(int[] lengths) {
        this.sums = new double[lengths.length][];
        for (int a = 0; a < lengths.length; a++) {
            sums[a] = new double[lengths[a]];
        }
        this.sumW = sums[0];
        this.sumB = sums[1];
    }

    /** Adds the current parameters of {@code model} as one more iterate. */
    void add(SoftmaxModel model) {
        add(model.weights(), model.bias());
    }

    /** Adds the current values of the parameter arrays, in the order of the constructor, as one more iterate. */
    void add(float[]... parameters) {
        for (int a = 0; a < sums.length; a++) {
            double[] sum = sums[a];
            float[] p = parameters[a];
            for (int i = 0; i < sum.length; i++) {
                sum[i] += p[i];
            }
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
        int[] lengths = new int[sums.length];
        for (int a = 0; a < sums.length; a++) {
            lengths[a] = sums[a].length;
        }
        ParameterAverage c = new ParameterAverage(lengths);
        for (int a = 0; a < sums.length; a++) {
            System.arraycopy(sums[a], 0, c.sums[a], 0, sums[a].length);
        }
        c.count = count;
        return c;
    }

    /** Copies of the sums in double, every array in the order of the constructor. */
    double[][] sums() {
        double[][] out = new double[sums.length][];
        for (int a = 0; a < sums.length; a++) {
            out[a] = sums[a].clone();
        }
        return out;
    }

    /** Takes the count and sums of an average saved earlier: the arrays in the order of the constructor. */
    void restore(long iterates, double[]... saved) {
        for (int a = 0; a < sums.length; a++) {
            System.arraycopy(saved[a], 0, sums[a], 0, sums[a].length);
        }
        count = iterates;
    }

    /** The number of iterates added. */
    long count() {
        return count;
    }

    /** Writes the mean of the iterates added into {@code out} (same shape); needs at least one. */
    void meanInto(SoftmaxModel out) {
        meanInto(out.weights(), out.bias());
    }

    /** Writes the mean of the iterates added into the parameter arrays, in the order of the constructor. */
    void meanInto(float[]... out) {
        if (count == 0) {
            throw new IllegalStateException("no iterate averaged yet");
        }
        double inv = 1.0 / count;
        for (int a = 0; a < sums.length; a++) {
            double[] sum = sums[a];
            float[] p = out[a];
            for (int i = 0; i < sum.length; i++) {
                p[i] = (float) (sum[i] * inv);
            }
        }
    }
}

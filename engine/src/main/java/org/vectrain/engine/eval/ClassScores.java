package org.vectrain.engine.eval;

import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.kernels.FoldedWeights;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.layout.SampleBlocks;
import org.vectrain.engine.model.SoftmaxModel;

/**
 * The scores of every sample of a set, for the figures that need more than loss and accuracy (the correct-class
 * histograms of the report) and for predictions. One thread, on the set's {@link SampleBlocks} with the kernel
 * the evaluation passes use ({@link Kernels#blockScores}): the same scores, to the bit, as those whose arg-max
 * gives the accuracy, from a kernel the run has already compiled.
 */
public final class ClassScores {
    private ClassScores() {
    }

    /** {@code S = W x + b} of every sample of {@code set}, class-major: K x n, entry (k, j) at {@code k * n + j}. */
    public static float[] of(Kernels kernels, SoftmaxModel model, DataSet set) {
        int classes = model.classes();
        int dim = model.dim();
        int n = set.size();
        if (n == 0) {
            return new float[0];
        }
        float[] wFolded = new float[model.weights().length];
        float[] bFolded = new float[classes];
        kernels.fold(model.weights(), model.bias(), classes, dim, set.scale(), set.shift(), wFolded, bFolded);
        float[] wTransposed = new float[wFolded.length];
        Kernels.transpose(wFolded, classes, dim, wTransposed);
        SampleBlocks blocks = SampleBlocks.of(set);
        int padded = blocks.blocks() * Kernels.SAMPLE_BLOCK;
        float[] s = new float[classes * padded];
        kernels.blockScores(new FoldedWeights(wTransposed, bFolded, classes, dim), blocks.values(), 0,
                blocks.blocks(), s, padded);
        if (padded == n) {
            return s;
        }
        float[] out = new float[classes * n];
        for (int k = 0; k < classes; k++) {
            System.arraycopy(s, k * padded, out, k * n, n);
        }
        return out;
    }
}

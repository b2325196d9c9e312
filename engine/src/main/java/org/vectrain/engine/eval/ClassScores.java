package org.vectrain.engine.eval;

import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.kernels.FoldedWeights;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.RowSource;
import org.vectrain.engine.kernels.ScoreTile;
import org.vectrain.engine.model.SoftmaxModel;

/**
 * The scores of every sample of a set, for the figures that need more than loss and accuracy (the
 * correct-class histograms of the report). One thread, in {@link Evaluator#CHUNK}-sample blocks.
 */
public final class ClassScores {
    private ClassScores() {
    }

    /** {@code S = W x + b} of every sample of {@code set}, class-major: K x n, entry (k, j) at {@code k * n + j}. */
    public static float[] of(Kernels kernels, SoftmaxModel model, DataSet set) {
        int classes = model.classes();
        int n = set.size();
        float[] wFolded = new float[model.weights().length];
        float[] bFolded = new float[classes];
        kernels.fold(model.weights(), model.bias(), classes, model.dim(), set.scale(), set.shift(), wFolded, bFolded);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        float[] s = new float[classes * n];
        FoldedWeights folded = new FoldedWeights(wFolded, bFolded, classes, model.dim());
        RowSource images = RowSource.whole(set.pixels(), model.dim(), rows);
        for (int start = 0; start < n; start += Evaluator.CHUNK) {
            int count = Math.min(Evaluator.CHUNK, n - start);
            kernels.forwardScores(folded, images, start, count, new ScoreTile(s, start, n));
        }
        return s;
    }
}

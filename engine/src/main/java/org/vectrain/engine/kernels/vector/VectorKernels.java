package org.vectrain.engine.kernels.vector;

import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.LossAccumulator;

/**
 * The Vector API kernels behind the {@link Kernels} contract. Each method states its math and shapes in
 * {@link Kernels}; the work is done by one file per operation: {@link ForwardTiles} (forward scores on rows
 * and quads), {@link GradientTiles} (weight gradient, SGD step, fold), {@link EvaluationBlocks} (scores of
 * evaluation blocks), {@link VectorLosses} (softmax and the other losses, the L2 sum) and
 * {@link VectorTranslation} (flips and translations). The scalar twin is
 * {@link org.vectrain.engine.kernels.scalar.ScalarKernels}. Arguments are assumed valid.
 */
public final class VectorKernels implements Kernels {

    @Override
    public String description() {
        return "Vector API, " + SimdSpecies.describe();
    }

    @Override
    public int lanes() {
        return SimdSpecies.FLOAT.length();
    }

    @Override
    public void fold(float[] w, float[] b, int classes, int dim, float[] a, float[] c, float[] wOut, float[] bOut) {
        GradientTiles.fold(w, b, classes, dim, a, c, wOut, bOut);
    }

    @Override
    public void foldColumns(float[] w, int classes, int dim, float[] a, float[] c, float[] wOut, float[] shiftOut,
            int shiftOffset, int dFrom, int dTo) {
        GradientTiles.foldColumns(w, classes, dim, a, c, wOut, shiftOut, shiftOffset, dFrom, dTo);
    }

    @Override
    public void partialScores(float[] w, float[] b, int classes, int dim, int dFrom, int dTo, byte[] q, int rowLength,
            int firstColumn, int[] rows, int rowStart, int n, float[] s, int sOffset, int ldS) {
        ForwardTiles.partialScores(w, b, classes, dim, dFrom, dTo, q, rowLength, firstColumn, rows, rowStart, n, s,
                sOffset, ldS);
    }

    @Override
    public void quadScores(float[] w, int classes, int dim, int dFrom, int dTo, byte[] quads, int width,
            int firstColumn, int first, int n, float[] s, int sOffset, int ldS) {
        ForwardTiles.quadScores(w, classes, dim, dFrom, dTo, quads, width, firstColumn, first, n, s, sOffset, ldS);
    }

    @Override
    public void blockScores(float[] wTransposed, float[] b, int classes, int dim, byte[] q, int firstBlock,
            int blockCount, float[] s, int ldS) {
        EvaluationBlocks.blockScores(wTransposed, b, classes, dim, q, firstBlock, blockCount, s, ldS);
    }

    @Override
    public void softmaxCrossEntropy(float[] s, int classes, int n, int[] labels, float[] g, float gScale,
            int[] predictions, int predOffset, LossAccumulator acc) {
        VectorLosses.softmaxCrossEntropy(s, classes, n, labels, g, gScale, predictions, predOffset, acc);
    }

    @Override
    public void gradientPart(float[] gT, int classes, int jFrom, int count, byte[] q, int rowLength, int firstColumn,
            int[] rows, int rowStart, float[] out, int dim, int dFrom, int dTo) {
        GradientTiles.gradientPart(gT, classes, jFrom, count, q, rowLength, firstColumn, rows, rowStart, out, dim,
                dFrom, dTo);
    }

    @Override
    public void quadGradient(float[] gT, int classes, int count, byte[] q, int width, int firstColumn, int[] rows,
            int rowStart, float[] out, int dim, int dFrom, int dTo) {
        GradientTiles.quadGradient(gT, classes, count, q, width, firstColumn, rows, rowStart, out, dim, dFrom, dTo);
    }

    @Override
    public void stepFromGradient(float[] gradient, float[] gSum, int classes, int dim, float[] a, float[] c, float[] w,
            float[] wCopy, float twoLambda, float scale, float[] wFolded, float[] shiftOut, int strip, int dFrom,
            int dTo) {
        GradientTiles.stepFromGradient(gradient, gSum, classes, dim, a, c, w, wCopy, twoLambda, scale, wFolded,
                shiftOut, strip, dFrom, dTo);
    }

    @Override
    public double sumOfSquares(float[] a, int from, int to) {
        return VectorLosses.sumOfSquares(a, from, to);
    }
}

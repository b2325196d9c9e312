package org.vectrain.engine.kernels.vector;

import org.vectrain.engine.kernels.Affine;
import org.vectrain.engine.kernels.Columns;
import org.vectrain.engine.kernels.FoldedWeights;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.LossAccumulator;
import org.vectrain.engine.kernels.QuadSource;
import org.vectrain.engine.kernels.RowSource;
import org.vectrain.engine.kernels.ScoreTile;
import org.vectrain.engine.kernels.StepTarget;

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
    public void foldColumns(float[] w, int classes, Affine map, float[] wOut, float[] shiftOut, int shiftOffset,
            Columns columns) {
        GradientTiles.foldColumns(w, classes, columns.width(), map.scale(), map.shift(), wOut, shiftOut, shiftOffset,
                columns.from(), columns.to());
    }

    @Override
    public void partialScores(FoldedWeights weights, Columns columns, RowSource images, int rowStart, int n,
            ScoreTile out) {
        ForwardTiles.partialScores(weights.w(), weights.b(), weights.classes(), weights.dim(), columns.from(),
                columns.to(), images.pixels(), images.rowLength(), images.firstColumn(), images.rows(), rowStart, n,
                out.s(), out.offset(), out.ld());
    }

    @Override
    public void quadScores(FoldedWeights weights, Columns columns, QuadSource images, int first, int n, ScoreTile out) {
        ForwardTiles.quadScores(weights.w(), weights.classes(), weights.dim(), columns.from(), columns.to(),
                images.quads(), images.width(), images.firstColumn(), first, n, out.s(), out.offset(), out.ld());
    }

    @Override
    public void blockScores(FoldedWeights transposed, byte[] q, int firstBlock, int blockCount, float[] s, int ldS) {
        EvaluationBlocks.blockScores(transposed.w(), transposed.b(), transposed.classes(), transposed.dim(), q,
                firstBlock, blockCount, s, ldS);
    }

    @Override
    public void softmaxCrossEntropy(float[] s, int classes, int n, int[] labels, float[] g, float gScale,
            int[] predictions, int predOffset, LossAccumulator acc) {
        VectorLosses.softmaxCrossEntropy(s, classes, n, labels, g, gScale, predictions, predOffset, acc);
    }

    @Override
    public void gradientPart(float[] gT, int classes, int jFrom, int count, RowSource images, int rowStart, float[] out,
            Columns columns) {
        GradientTiles.gradientPart(gT, classes, jFrom, count, images.pixels(), images.rowLength(), images.firstColumn(),
                images.rows(), rowStart, out, columns.width(), columns.from(), columns.to());
    }

    @Override
    public void quadGradient(float[] gT, int classes, int count, QuadSource images, int[] rows, int rowStart,
            float[] out, Columns columns) {
        GradientTiles.quadGradient(gT, classes, count, images.quads(), images.width(), images.firstColumn(), rows,
                rowStart, out, columns.width(), columns.from(), columns.to());
    }

    @Override
    public void stepFromGradient(float[] gradient, float[] gSum, Affine map, StepTarget target, float twoLambda,
            float scale, Columns columns) {
        GradientTiles.stepFromGradient(gradient, gSum, target.classes(), columns.width(), map.scale(), map.shift(),
                target.w(), target.wCopy(), twoLambda, scale, target.wFolded(), target.shiftOut(), target.strip(),
                columns.from(), columns.to());
    }

    @Override
    public double sumOfSquares(float[] a, int from, int to) {
        return VectorLosses.sumOfSquares(a, from, to);
    }
}

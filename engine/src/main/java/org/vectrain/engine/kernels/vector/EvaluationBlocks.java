package org.vectrain.engine.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.scalar.ScalarKernels;

/**
 * Scores of whole blocks of an evaluation set in {@link org.vectrain.engine.layout.SampleBlocks}, for
 * {@link Kernels#blockScores}: {@code S (K x 32 per block) = W' (K x D) Q_block (D x 32) + b'}, and of the
 * two-layer network's hidden layer before its ReLU ({@code TwoLayerKernels#blockHidden}, K the units). Lanes run
 * over samples, so no lane is ever reduced, and the loop over d has no tail: the samples are padded to
 * whole blocks and every d is one step. The scalar twin is {@link ScalarKernels}. Arguments are assumed
 * valid.
 */
final class EvaluationBlocks {
    private static final VectorSpecies<Float> F = SimdSpecies.FLOAT;
    private static final int L = F.length();
    /** Classes of the block-scores register tile: all 10 of CIFAR, so each pixel vector is widened once. */
    static final int BLOCK_CLASSES = 10;
    /** Samples per block. */
    private static final int SAMPLE_BLOCK = Kernels.SAMPLE_BLOCK;

    private EvaluationBlocks() {
    }

    /** {@link Kernels#blockScores}. */
    static void blockScores(float[] wTransposed, float[] b, int classes, int dim, byte[] q, int firstBlock,
            int blockCount, float[] s, int ldS) {
        int fullClasses = classes - classes % BLOCK_CLASSES;
        int blockBytes = SAMPLE_BLOCK * dim;
        int i = 0;
        // Two blocks at a time, one vector of samples from each: two streams from memory per core, which
        // evaluates faster than two vectors from one block (docs/performance.md).
        for (; i + 1 < blockCount; i += 2) {
            int first = (firstBlock + i) * blockBytes;
            for (int v = 0; v < SAMPLE_BLOCK; v += L) {
                int column = i * SAMPLE_BLOCK + v;
                for (int k = 0; k < fullClasses; k += BLOCK_CLASSES) {
                    blockTile10x2(wTransposed, b, k, classes, dim, q, first + v, first + blockBytes + v, s, column,
                            column + SAMPLE_BLOCK, ldS);
                }
                for (int k = fullClasses; k < classes; k++) {
                    blockTile1x2(wTransposed, b, k, classes, dim, q, first + v, first + blockBytes + v, s, column,
                            column + SAMPLE_BLOCK, ldS);
                }
            }
        }
        for (; i < blockCount; i++) {
            int block = (firstBlock + i) * blockBytes;
            for (int v = 0; v < SAMPLE_BLOCK; v += 2 * L) {
                int column = i * SAMPLE_BLOCK + v;
                for (int k = 0; k < fullClasses; k += BLOCK_CLASSES) {
                    blockTile10x2(wTransposed, b, k, classes, dim, q, block + v, block + v + L, s, column, column + L,
                            ldS);
                }
                for (int k = fullClasses; k < classes; k++) {
                    blockTile1x2(wTransposed, b, k, classes, dim, q, block + v, block + v + L, s, column, column + L,
                            ldS);
                }
            }
        }
    }

    /** L signed values from {@code at} (already {@code pixel - 128}), widened to floats. */
    private static FloatVector signedValues(byte[] q, int at) {
        return (FloatVector) PixelVectors.bytes(q, at).convertShape(VectorOperators.B2F, F, 0);
    }

    /**
     * S[k0..k0+10) for two vectors of samples, the one read from {@code from0} (scores to column0) and the one
     * from {@code from1} (to column1): 20 accumulators; per d two widened pixel vectors and ten broadcast
     * weights.
     */
    private static void blockTile10x2(float[] wt, float[] b, int k0, int classes, int dim, byte[] q, int from0,
            int from1, float[] s, int column0, int column1, int ldS) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00;
        FloatVector a60 = a00, a61 = a00, a70 = a00, a71 = a00, a80 = a00, a81 = a00, a90 = a00, a91 = a00;
        int at0 = from0;
        int at1 = from1;
        int w = k0;
        for (int d = 0; d < dim; d++, at0 += SAMPLE_BLOCK, at1 += SAMPLE_BLOCK, w += classes) {
            FloatVector x0 = signedValues(q, at0);
            FloatVector x1 = signedValues(q, at1);
            FloatVector c = FloatVector.broadcast(F, wt[w]);
            a00 = x0.fma(c, a00);
            a01 = x1.fma(c, a01);
            c = FloatVector.broadcast(F, wt[w + 1]);
            a10 = x0.fma(c, a10);
            a11 = x1.fma(c, a11);
            c = FloatVector.broadcast(F, wt[w + 2]);
            a20 = x0.fma(c, a20);
            a21 = x1.fma(c, a21);
            c = FloatVector.broadcast(F, wt[w + 3]);
            a30 = x0.fma(c, a30);
            a31 = x1.fma(c, a31);
            c = FloatVector.broadcast(F, wt[w + 4]);
            a40 = x0.fma(c, a40);
            a41 = x1.fma(c, a41);
            c = FloatVector.broadcast(F, wt[w + 5]);
            a50 = x0.fma(c, a50);
            a51 = x1.fma(c, a51);
            c = FloatVector.broadcast(F, wt[w + 6]);
            a60 = x0.fma(c, a60);
            a61 = x1.fma(c, a61);
            c = FloatVector.broadcast(F, wt[w + 7]);
            a70 = x0.fma(c, a70);
            a71 = x1.fma(c, a71);
            c = FloatVector.broadcast(F, wt[w + 8]);
            a80 = x0.fma(c, a80);
            a81 = x1.fma(c, a81);
            c = FloatVector.broadcast(F, wt[w + 9]);
            a90 = x0.fma(c, a90);
            a91 = x1.fma(c, a91);
        }
        int row0 = k0 * ldS + column0;
        int row1 = k0 * ldS + column1;
        a00.add(b[k0]).intoArray(s, row0);
        a01.add(b[k0]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a10.add(b[k0 + 1]).intoArray(s, row0);
        a11.add(b[k0 + 1]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a20.add(b[k0 + 2]).intoArray(s, row0);
        a21.add(b[k0 + 2]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a30.add(b[k0 + 3]).intoArray(s, row0);
        a31.add(b[k0 + 3]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a40.add(b[k0 + 4]).intoArray(s, row0);
        a41.add(b[k0 + 4]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a50.add(b[k0 + 5]).intoArray(s, row0);
        a51.add(b[k0 + 5]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a60.add(b[k0 + 6]).intoArray(s, row0);
        a61.add(b[k0 + 6]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a70.add(b[k0 + 7]).intoArray(s, row0);
        a71.add(b[k0 + 7]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a80.add(b[k0 + 8]).intoArray(s, row0);
        a81.add(b[k0 + 8]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a90.add(b[k0 + 9]).intoArray(s, row0);
        a91.add(b[k0 + 9]).intoArray(s, row1);
    }

    /** One class past the last full 10-class tile, for the same two vectors of samples as {@link #blockTile10x2}. */
    private static void blockTile1x2(float[] wt, float[] b, int k, int classes, int dim, byte[] q, int from0,
            int from1, float[] s, int column0, int column1, int ldS) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        int at0 = from0;
        int at1 = from1;
        int w = k;
        for (int d = 0; d < dim; d++, at0 += SAMPLE_BLOCK, at1 += SAMPLE_BLOCK, w += classes) {
            FloatVector c = FloatVector.broadcast(F, wt[w]);
            a0 = signedValues(q, at0).fma(c, a0);
            a1 = signedValues(q, at1).fma(c, a1);
        }
        a0.add(b[k]).intoArray(s, k * ldS + column0);
        a1.add(b[k]).intoArray(s, k * ldS + column1);
    }
}

package org.vectrain.engine.kernels.vector;

import org.vectrain.engine.kernels.Affine;
import org.vectrain.engine.kernels.DenseLayer;
import org.vectrain.engine.kernels.FoldedWeights;
import org.vectrain.engine.kernels.RowSource;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.layout.AlignedFloats;

/**
 * The Vector API kernels behind the {@link TwoLayerKernels} contract; the work is done in {@link TwoLayerTiles}.
 * The scalar twin is {@link org.vectrain.engine.kernels.scalar.ScalarTwoLayerKernels}. Arguments are assumed valid.
 */
public final class VectorTwoLayerKernels implements TwoLayerKernels {

    @Override
    public String description() {
        return "Vector API, " + SimdSpecies.describe();
    }

    @Override
    public int lanes() {
        return SimdSpecies.FLOAT.length();
    }

    @Override
    public void pack(RowSource images, int rowStart, int n, int jFrom, int jTo, Affine map, int dim,
            AlignedFloats packed) {
        TwoLayerTiles.pack(images.pixels(), images.rowLength(), images.rows(), rowStart, n, jFrom, jTo, map.scale(),
                map.shift(), dim, packed.array(), packed.start());
    }

    @Override
    public void hiddenForward(AlignedFloats packed, int n, DenseLayer first, int uFrom, int uTo, float[] h) {
        TwoLayerTiles.hiddenForward(packed.array(), packed.start(), n, first, uFrom, uTo, h);
    }

    @Override
    public void blockHidden(FoldedWeights folded, byte[] q, int firstBlock, int blockCount, float[] h, int ldH) {
        EvaluationBlocks.blockScores(folded.w(), folded.b(), folded.classes(), folded.dim(), q, firstBlock, blockCount,
                h, ldH);
        TwoLayerTiles.rectify(h, folded.classes(), blockCount * SAMPLE_BLOCK, ldH);
    }

    @Override
    public void outputScores(float[] h, int n, DenseLayer second, float[] s) {
        TwoLayerTiles.outputScores(h, n, second.w(), second.b(), second.rows(), second.cols(), s);
    }

    @Override
    public void hiddenGradient(float[] g, int n, DenseLayer second, float[] h, int uFrom, int uTo, float[] g1,
            float[] g1Sum) {
        TwoLayerTiles.hiddenGradient(g, n, second.w(), second.rows(), second.cols(), h, uFrom, uTo, g1, g1Sum);
    }

    @Override
    public void outputStep(float[] g, int n, float[] h, DenseLayer second, float twoLambda, float scale, int uFrom,
            int uTo, float[] gradientOut) {
        TwoLayerTiles.outputStep(g, n, h, second, twoLambda, scale, uFrom, uTo, gradientOut);
    }

    @Override
    public void hiddenStep(AlignedFloats packed, int n, float[] g1, float[] g1Sum, DenseLayer first,
            float twoLambda, float scale, int uFrom, int uTo, float[] gradientOut) {
        TwoLayerTiles.hiddenStep(packed.array(), packed.start(), n, g1, g1Sum, first, twoLambda, scale, uFrom, uTo,
                gradientOut);
    }
}

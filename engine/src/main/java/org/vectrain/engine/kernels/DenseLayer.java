package org.vectrain.engine.kernels;

/**
 * A dense layer's parameters as the two-layer kernels take them: W ({@code rows} x {@code cols}, row-major, from
 * {@code w[start]}) and b ({@code rows} entries). The first layer's {@code cols} is its row length,
 * {@link TwoLayerKernels#weightStride}(D), of which the kernels run over the whole blocks; the columns past D are
 * zero and stay zero. Only the first layer's kernels read a {@code start} other than 0: the training step's copy of
 * W1 starts on a cache line ({@link org.vectrain.engine.layout.AlignedFloats}).
 */
public record DenseLayer(float[] w, float[] b, int rows, int cols, int start) {
    /** A layer whose W starts at {@code w[0]}, as the model holds it. */
    public DenseLayer(float[] w, float[] b, int rows, int cols) {
        this(w, b, rows, cols, 0);
    }
}

package org.vectrain.engine.kernels;

/**
 * A dense layer's parameters as the two-layer kernels take them: W ({@code rows} x {@code cols}, row-major) and b
 * ({@code rows} entries). The first layer's {@code cols} is its row length,
 * {@link TwoLayerKernels#weightStride}(D), of which the kernels run over the whole blocks; the columns past D are
 * zero and stay zero.
 */
public record DenseLayer(float[] w, float[] b, int rows, int cols) {
}

package org.vectrain.engine.kernels;

/**
 * A dense layer's parameters as the two-layer kernels take them: W ({@code rows} x {@code cols}, row-major) and b
 * ({@code rows} entries). The first layer's W is m x D' with D' = {@link TwoLayerKernels#paddedDim}(D): the
 * columns past D are zero and stay zero.
 */
public record DenseLayer(float[] w, float[] b, int rows, int cols) {
}

package org.vectrain.engine.kernels;

/**
 * The parameters with the features' affine map folded in ({@link Kernels#fold}): W' (K x D, row-major, or
 * D x K where a kernel says it reads it transposed) and b' (K entries, or null where a kernel adds no bias).
 */
public record FoldedWeights(float[] w, float[] b, int classes, int dim) {
}

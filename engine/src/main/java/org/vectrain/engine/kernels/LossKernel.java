package org.vectrain.engine.kernels;

/**
 * A fused loss over K x n class-major scores, in the shape of {@link Kernels#softmaxCrossEntropy}: adds
 * the summed loss and the number of samples whose arg-max score is the label into {@code acc}; when
 * {@code g} is not null writes {@code G = dLoss/dS * gScale} (K x n); when {@code predictions} is not
 * null writes each sample's arg-max class at {@code predictions[predOffset + j]}. Assumes valid arguments.
 */
@FunctionalInterface
public interface LossKernel {
    void lossAndGradient(float[] s, int classes, int n, int[] labels, float[] g, float gScale, int[] predictions,
            int predOffset, LossAccumulator acc);
}

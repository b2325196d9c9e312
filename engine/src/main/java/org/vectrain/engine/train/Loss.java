package org.vectrain.engine.train;

import java.util.Locale;
import org.vectrain.engine.InputException;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.LossKernel;
import org.vectrain.engine.kernels.scalar.ScalarLosses;
import org.vectrain.engine.kernels.vector.VectorLosses;

/** The training loss ({@code --loss}); every one comes as a fused SIMD kernel with a scalar twin. */
public enum Loss {
    /** Softmax + cross-entropy, the assignment's loss (the default). */
    SOFTMAX,
    /** Multi-class SVM: hinge on score margins, margin 1. */
    SVM,
    /** Multiple binary cross-entropy: one sigmoid per class, the loss divided by K. */
    BCE;

    /** Parses a {@code --loss} value. */
    public static Loss parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InputException("loss", "must be softmax, svm or bce, was '" + text + "'");
        }
    }

    /**
     * What the model gives the correct class of sample j (of K x n class-major scores), the quantity of
     * the report's histograms: the softmax probability {@code p_y} for softmax, the sigmoid
     * {@code sigmoid(s_y)} for BCE, and the score margin {@code s_y - max_{k != y} s_k} for the SVM (whose
     * scores are no probabilities; positive means correctly classified).
     */
    public double correctClassValue(float[] s, int classes, int n, int j, int label) {
        double sy = s[label * n + j];
        return switch (this) {
            case SOFTMAX -> {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    max = Math.max(max, s[k * n + j]);
                }
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    sum += Math.exp(s[k * n + j] - max);
                }
                yield Math.exp(sy - max) / sum;
            }
            case BCE -> 1 / (1 + Math.exp(-sy));
            case SVM -> {
                double other = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    if (k != label) {
                        other = Math.max(other, s[k * n + j]);
                    }
                }
                yield sy - other;
            }
        };
    }

    /** What {@link #correctClassValue} measures, for axis titles. */
    public String correctClassLabel() {
        return switch (this) {
            case SOFTMAX -> "softmax probability of the correct class";
            case BCE -> "sigmoid of the correct class's score";
            case SVM -> "score margin of the correct class (s_y - max other)";
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kernel of this loss for {@code kernels}: the vector version with the Vector API kernels, the
     * scalar twin with the scalar ones. Softmax is {@code kernels}' own, so the default changes nothing.
     */
    public LossKernel kernel(Kernels kernels) {
        boolean vector = kernels.lanes() > 1;
        return switch (this) {
            case SOFTMAX -> kernels.softmaxLoss();
            case SVM -> vector ? VectorLosses::svm : ScalarLosses::svm;
            case BCE -> vector ? VectorLosses::binaryCrossEntropy : ScalarLosses::binaryCrossEntropy;
        };
    }
}

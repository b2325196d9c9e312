package org.vectrain.engine.train;

import java.util.Locale;
import org.vectrain.engine.InputException;
import org.vectrain.engine.reference.ScalarLosses;
import org.vectrain.engine.simd.Kernels;
import org.vectrain.engine.simd.LossKernel;
import org.vectrain.engine.simd.VectorLosses;

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
            throw new InputException("--loss: unknown loss '" + text + "', expected softmax, svm or bce");
        }
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
            case SOFTMAX -> kernels::softmaxCrossEntropy;
            case SVM -> vector ? VectorLosses::svm : ScalarLosses::svm;
            case BCE -> vector ? VectorLosses::binaryCrossEntropy : ScalarLosses::binaryCrossEntropy;
        };
    }
}

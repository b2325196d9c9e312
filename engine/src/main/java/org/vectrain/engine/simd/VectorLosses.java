package org.vectrain.engine.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.vectrain.engine.reference.ScalarLosses;

/**
 * The losses other than softmax cross-entropy, fused and vectorised over samples (lanes = samples j of
 * the class-major K x n scores, so every class row is a contiguous vector), with their scalar twins in
 * {@link ScalarLosses}:
 * <ul>
 *   <li>{@link #svm}: multi-class hinge, {@code L = sum_{k != y} max(0, s_k - s_y + 1)}, gradient
 *       {@code [m_k > 0]} for k != y and minus their count for y;
 *   <li>{@link #binaryCrossEntropy}: a sigmoid per class, {@code L = (1/K) sum_k softplus(s_k) - y_k s_k}
 *       (the binary cross-entropy of {@code sigmoid(s_k)} against the one-hot {@code y_k}), gradient
 *       {@code (sigmoid(s) - y) / K}.
 * </ul>
 */
public final class VectorLosses {
    private static final VectorSpecies<Float> F = SimdSpecies.FLOAT;
    private static final VectorSpecies<Integer> I = SimdSpecies.INT;
    private static final int L = F.length();

    private VectorLosses() {
    }

    /** Multi-class SVM (hinge, margin 1), K x n scores. */
    public static void svm(float[] s, int classes, int n, int[] labels, float[] g, float gScale, int[] predictions,
            int predOffset, LossAccumulator acc) {
        int bound = F.loopBound(n);
        float[] scratch = VectorMath.scratch();
        double lossSum = 0;
        long correct = 0;
        int j = 0;
        // vectorised part: L samples at a time
        for (; j < bound; j += L) {
            IntVector label = IntVector.fromArray(I, labels, j);
            // pass 1: arg-max and the label's score s_y (blended in, no gather)
            FloatVector max = FloatVector.fromArray(F, s, j);
            IntVector argMax = IntVector.zero(I);
            FloatVector sy = max.blend(0f, label.compare(VectorOperators.NE, 0).cast(F));
            for (int k = 1; k < classes; k++) {
                FloatVector sk = FloatVector.fromArray(F, s, k * n + j);
                VectorMask<Float> greater = sk.compare(VectorOperators.GT, max);
                max = max.blend(sk, greater);
                argMax = argMax.blend(k, greater.cast(I));
                sy = sy.blend(sk, label.compare(VectorOperators.EQ, k).cast(F));
            }
            // pass 2: margins m_k = s_k - s_y + 1, the loss and G for k != y
            FloatVector loss = FloatVector.zero(F);
            FloatVector active = FloatVector.zero(F);
            for (int k = 0; k < classes; k++) {
                VectorMask<Float> isLabel = label.compare(VectorOperators.EQ, k).cast(F);
                FloatVector m = FloatVector.fromArray(F, s, k * n + j).sub(sy).add(1f);
                VectorMask<Float> on = m.compare(VectorOperators.GT, 0f).andNot(isLabel);
                loss = loss.add(m.blend(0f, on.not()));
                active = active.add(1f, on);
                if (g != null) {
                    FloatVector.zero(F).blend(gScale, on).intoArray(g, k * n + j);
                }
            }
            if (g != null) {
                // pass 3: the label's row, -gScale * (number of active margins)
                FloatVector gy = active.mul(-gScale);
                for (int k = 0; k < classes; k++) {
                    VectorMask<Float> isLabel = label.compare(VectorOperators.EQ, k).cast(F);
                    FloatVector.fromArray(F, g, k * n + j).blend(gy, isLabel).intoArray(g, k * n + j);
                }
            }
            lossSum += VectorMath.sum(loss, scratch);
            correct += argMax.compare(VectorOperators.EQ, label).trueCount();
            if (predictions != null) {
                argMax.intoArray(predictions, predOffset + j);
            }
        }
        acc.add(lossSum, correct);
        // tail: the last n % L samples, scalar
        for (; j < n; j++) {
            int predicted = ScalarLosses.svmColumn(s, classes, n, j, labels[j], g, gScale, acc);
            if (predictions != null) {
                predictions[predOffset + j] = predicted;
            }
        }
    }

    /** Multiple binary cross-entropy (one sigmoid per class, loss divided by K), K x n scores. */
    public static void binaryCrossEntropy(float[] s, int classes, int n, int[] labels, float[] g, float gScale,
            int[] predictions, int predOffset, LossAccumulator acc) {
        int bound = F.loopBound(n);
        float[] scratch = VectorMath.scratch();
        float perClass = 1f / classes;
        float gPerClass = gScale / classes;
        double lossSum = 0;
        long correct = 0;
        int j = 0;
        // vectorised part: L samples at a time
        for (; j < bound; j += L) {
            IntVector label = IntVector.fromArray(I, labels, j);
            FloatVector max = FloatVector.fromArray(F, s, j);
            IntVector argMax = IntVector.zero(I);
            FloatVector loss = FloatVector.zero(F);
            for (int k = 0; k < classes; k++) {
                FloatVector sk = FloatVector.fromArray(F, s, k * n + j);
                if (k > 0) {
                    VectorMask<Float> greater = sk.compare(VectorOperators.GT, max);
                    max = max.blend(sk, greater);
                    argMax = argMax.blend(k, greater.cast(I));
                }
                VectorMask<Float> isLabel = label.compare(VectorOperators.EQ, k).cast(F);
                // softplus(s) = max(s, 0) + log(1 + e^{-|s|}), stable for any s; minus y s for the label
                FloatVector e = VectorMath.expNonPositive(sk.abs().neg());
                FloatVector onePlusE = e.add(1f);
                FloatVector softplus = sk.max(0f).add(VectorMath.logPositive(onePlusE));
                loss = loss.add(softplus.sub(sk.blend(0f, isLabel.not())));
                if (g != null) {
                    // sigmoid(s) = 1 / (1 + e) for s >= 0, e / (1 + e) below; for the label sigmoid(s) - 1 is
                    // -e / (1 + e) resp. -1 / (1 + e), which avoids the cancellation of subtracting 1
                    VectorMask<Float> negative = sk.compare(VectorOperators.LT, 0f);
                    FloatVector one = FloatVector.broadcast(F, 1f);
                    FloatVector sigmoidTop = one.blend(e, negative);
                    FloatVector complementTop = e.blend(one, negative);
                    sigmoidTop.blend(complementTop.neg(), isLabel).div(onePlusE).mul(gPerClass).intoArray(g, k * n + j);
                }
            }
            lossSum += VectorMath.sum(loss.mul(perClass), scratch);
            correct += argMax.compare(VectorOperators.EQ, label).trueCount();
            if (predictions != null) {
                argMax.intoArray(predictions, predOffset + j);
            }
        }
        acc.add(lossSum, correct);
        // tail: the last n % L samples, scalar
        for (; j < n; j++) {
            int predicted = ScalarLosses.binaryCrossEntropyColumn(s, classes, n, j, labels[j], g, gScale, acc);
            if (predictions != null) {
                predictions[predOffset + j] = predicted;
            }
        }
    }
}

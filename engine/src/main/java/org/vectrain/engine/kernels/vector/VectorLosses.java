package org.vectrain.engine.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.LossAccumulator;
import org.vectrain.engine.kernels.scalar.ScalarKernels;
import org.vectrain.engine.kernels.scalar.ScalarLosses;

/**
 * The losses, fused and vectorised over samples (lanes = samples j of the class-major K x n scores, so
 * every class row is a contiguous vector), with their scalar twins in {@link ScalarKernels} (softmax) and
 * {@link ScalarLosses}:
 * <ul>
 *   <li>{@link #softmaxCrossEntropy}: {@code L = -log p_y}, {@code p = softmax(s)}, gradient {@code p - y};
 *   <li>{@link #svm}: multi-class hinge, {@code L = sum_{k != y} max(0, s_k - s_y + 1)}, gradient
 *       {@code [m_k > 0]} for k != y and minus their count for y;
 *   <li>{@link #binaryCrossEntropy}: a sigmoid per class, {@code L = (1/K) sum_k softplus(s_k) - y_k s_k}
 *       (the binary cross-entropy of {@code sigmoid(s_k)} against the one-hot {@code y_k}), gradient
 *       {@code (sigmoid(s) - y) / K}.
 * </ul>
 * and the sum of squares of the L2 term ({@link #sumOfSquares}).
 */
public final class VectorLosses {
    private static final VectorSpecies<Float> F = SimdSpecies.FLOAT;
    private static final VectorSpecies<Integer> I = SimdSpecies.INT;
    private static final int L = F.length();
    /**
     * The softmax takes a block of L samples through two methods that pass vectors only through the
     * scratch array, at these slots. In one method, C2 sometimes stops inlining the exp, log and
     * lane-sum helpers (its node-count cutoff, NodeCountInliningCutoff in PrintInlining) and boxes the
     * vectors handed to them, which makes the softmax many times slower.
     */
    private static final int MAX_SLOT = 4 * L;
    private static final int SUM_SLOT = 5 * L;
    private static final int LABEL_SCORE_SLOT = 6 * L;

    private VectorLosses() {
    }

    /** Softmax + cross-entropy, fused, stable by max-subtraction ({@link Kernels#softmaxCrossEntropy}). */
    public static void softmaxCrossEntropy(float[] s, int classes, int n, int[] labels, float[] g, float gScale,
            int[] predictions, int predOffset, LossAccumulator acc) {
        int bound = F.loopBound(n);
        float[] scratch = VectorMath.scratch();
        double lossSum = 0;
        long correct = 0;
        int j = 0;
        for (; j < bound; j += L) {
            correct += softmaxExponentials(s, classes, n, labels, g, predictions, predOffset, j, scratch);
            lossSum += softmaxLoss(classes, n, labels, g, gScale, j, scratch);
        }
        acc.add(lossSum, correct);
        // tail: the last n % L samples, scalar
        for (; j < n; j++) {
            int predicted = ScalarKernels.softmaxColumn(s, classes, n, j, labels[j], g, gScale, acc);
            if (predictions != null) {
                predictions[predOffset + j] = predicted;
            }
        }
    }

    /**
     * Samples [j, j + L): the arg-max (its count of correct labels is returned, and it is stored in
     * {@code predictions} when not null), {@code e_k = exp(s_k - max)} (into g when not null), and, at the
     * scratch slots, the max, {@code sum_k e_k} and the label's score.
     */
    private static int softmaxExponentials(float[] s, int classes, int n, int[] labels, float[] g,
            int[] predictions, int predOffset, int j, float[] scratch) {
        IntVector label = IntVector.fromArray(I, labels, j);
        FloatVector max = FloatVector.fromArray(F, s, j);
        IntVector argMax = IntVector.zero(I);
        for (int k = 1; k < classes; k++) {
            FloatVector sk = FloatVector.fromArray(F, s, k * n + j);
            VectorMask<Float> greater = sk.compare(VectorOperators.GT, max);
            max = max.blend(sk, greater);
            argMax = argMax.blend(k, greater.cast(I));
        }
        FloatVector sum = FloatVector.zero(F);
        FloatVector scoreOfLabel = FloatVector.zero(F);
        for (int k = 0; k < classes; k++) {
            FloatVector sk = FloatVector.fromArray(F, s, k * n + j);
            FloatVector e = VectorMath.expNonPositive(sk.sub(max));
            sum = sum.add(e);
            scoreOfLabel = scoreOfLabel.blend(sk, label.compare(VectorOperators.EQ, k).cast(F));
            if (g != null) {
                e.intoArray(g, k * n + j);
            }
        }
        max.intoArray(scratch, MAX_SLOT);
        sum.intoArray(scratch, SUM_SLOT);
        scoreOfLabel.intoArray(scratch, LABEL_SCORE_SLOT);
        if (predictions != null) {
            argMax.intoArray(predictions, predOffset + j);
        }
        return argMax.compare(VectorOperators.EQ, label).trueCount();
    }

    /**
     * Samples [j, j + L), from the scratch slots {@link #softmaxExponentials} filled: their summed loss
     * {@code -log p_y = log(sum_k e_k) + max - s_y}, returned, and when g is not null
     * {@code G = (P - Y) * gScale = e * (gScale / sum) - gScale [k == y]} in place of e.
     */
    private static double softmaxLoss(int classes, int n, int[] labels, float[] g, float gScale, int j,
            float[] scratch) {
        FloatVector max = FloatVector.fromArray(F, scratch, MAX_SLOT);
        FloatVector sum = FloatVector.fromArray(F, scratch, SUM_SLOT);
        FloatVector scoreOfLabel = FloatVector.fromArray(F, scratch, LABEL_SCORE_SLOT);
        FloatVector loss = VectorMath.logPositive(sum).add(max).sub(scoreOfLabel);
        // the lanes summed in butterfly order, as VectorMath.sum does, through an array
        loss.intoArray(scratch, 0);
        double blockLoss = VectorMath.laneSum(scratch, 0);
        if (g != null) {
            IntVector label = IntVector.fromArray(I, labels, j);
            FloatVector scale = FloatVector.broadcast(F, gScale).div(sum);
            for (int k = 0; k < classes; k++) {
                FloatVector gk = FloatVector.fromArray(F, g, k * n + j).mul(scale);
                gk.sub(gScale, label.compare(VectorOperators.EQ, k).cast(F)).intoArray(g, k * n + j);
            }
        }
        return blockLoss;
    }

    /** Elements summed in float lanes before the partial sum moves to double: float error stays ~1e-7 relative. */
    static final int SQUARES_BLOCK = 4096;

    /** Sum of squares of {@code a[from, to)} ({@link Kernels#sumOfSquares}): the L2 term of the cost. */
    public static double sumOfSquares(float[] a, int from, int to) {
        float[] scratch = VectorMath.scratch();
        double sum = 0;
        int i = from;
        int bound = from + F.loopBound(to - from);
        while (i < bound) {
            int blockEnd = Math.min(bound, i + SQUARES_BLOCK);
            FloatVector acc = FloatVector.zero(F);
            for (; i < blockEnd; i += L) {
                FloatVector v = FloatVector.fromArray(F, a, i);
                acc = v.fma(v, acc);
            }
            sum += VectorMath.sum(acc, scratch);
        }
        // tail
        for (; i < to; i++) {
            sum += a[i] * a[i];
        }
        return sum;
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

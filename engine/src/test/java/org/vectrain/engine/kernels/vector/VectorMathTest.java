package org.vectrain.engine.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The deterministic exp, log and lane sum against double-precision Math, over their whole domain of
 * use. Tolerance: 2 ulp of the float result (plus nothing: both are relative bounds).
 */
class VectorMathTest {
    static final int L = SimdSpecies.FLOAT.length();

    @Test
    void expMatchesMathWithinTwoUlpOnTheSoftmaxDomain() {
        SplittableRandom random = new SplittableRandom(11);
        float[] in = new float[L];
        float[] out = new float[L];
        double worstUlps = 0;
        float worstAt = 0;
        for (int round = 0; round < 20_000; round++) {
            for (int i = 0; i < L; i++) {
                in[i] = (float) (round < 10 ? -i * 0.05 * round : -90 * random.nextDouble() * random.nextDouble());
            }
            VectorMath.expNonPositive(FloatVector.fromArray(SimdSpecies.FLOAT, in, 0)).intoArray(out, 0);
            for (int i = 0; i < L; i++) {
                double expected = Math.exp(in[i]);
                if (expected < Float.MIN_NORMAL) {
                    assertTrue(out[i] <= Float.MIN_NORMAL, "exp(" + in[i] + ") flushed towards 0");
                    continue;
                }
                double ulps = Math.abs(out[i] - expected) / Math.ulp((float) expected);
                if (ulps > worstUlps) {
                    worstUlps = ulps;
                    worstAt = in[i];
                }
            }
        }
        assertTrue(worstUlps <= 2, "largest error " + worstUlps + " ulp at x = " + worstAt);
        FloatVector zero = FloatVector.zero(SimdSpecies.FLOAT);
        assertEquals(1f, VectorMath.expNonPositive(zero).lane(0), "exp(0)");
        FloatVector huge = FloatVector.broadcast(SimdSpecies.FLOAT, -1e30f);
        assertEquals(0f, VectorMath.expNonPositive(huge).lane(0), "exp(-1e30)");
        FloatVector minusInf = FloatVector.broadcast(SimdSpecies.FLOAT, Float.NEGATIVE_INFINITY);
        assertEquals(0f, VectorMath.expNonPositive(minusInf).lane(0), "exp(-inf)");
    }

    @Test
    void logMatchesMathWithinTwoUlp() {
        SplittableRandom random = new SplittableRandom(12);
        float[] in = new float[L];
        float[] out = new float[L];
        double worstUlps = 0;
        float worstAt = 0;
        for (int round = 0; round < 20_000; round++) {
            for (int i = 0; i < L; i++) {
                // a softmax sum lies in [1, K]; cover a wider range of normal floats too
                in[i] = round % 2 == 0 ? (float) (1 + 20 * random.nextDouble())
                        : (float) Math.exp(random.nextDouble() * 160 - 80);
            }
            VectorMath.logPositive(FloatVector.fromArray(SimdSpecies.FLOAT, in, 0)).intoArray(out, 0);
            for (int i = 0; i < L; i++) {
                double expected = Math.log(in[i]);
                double ulps = expected == 0 ? Math.abs(out[i]) / Float.MIN_VALUE
                        : Math.abs(out[i] - expected) / Math.ulp((float) expected);
                if (ulps > worstUlps) {
                    worstUlps = ulps;
                    worstAt = in[i];
                }
            }
        }
        assertTrue(worstUlps <= 2, "largest error " + worstUlps + " ulp at x = " + worstAt);
        assertEquals(0f, VectorMath.logPositive(FloatVector.broadcast(SimdSpecies.FLOAT, 1f)).lane(0), "log(1)");
    }

    @Test
    void sumAddsEveryLaneInAFixedOrder() {
        float[] in = new float[L];
        double expected = 0;
        for (int i = 0; i < L; i++) {
            in[i] = 1f / (i + 3);
            expected += in[i];
        }
        FloatVector v = FloatVector.fromArray(SimdSpecies.FLOAT, in, 0);
        float[] scratch = new float[L];
        float first = VectorMath.sum(v, scratch);
        assertEquals(expected, first, 1e-6 * expected);
        for (int i = 0; i < 50_000; i++) {
            assertEquals(Float.floatToRawIntBits(first), Float.floatToRawIntBits(VectorMath.sum(v, scratch)),
                    "the sum is the same bits before and after the JIT compiles it");
        }
    }

    @Test
    void laneSumsOfManyVectorsGiveTheBitsOfTheScalarButterfly() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int count = 1; count <= 32; count++) {
            float[] scratch = VectorMath.scratch();
            float[] copy = new float[count * L];
            for (int i = 0; i < copy.length; i++) {
                copy[i] = (float) (random.nextGaussian() * Math.exp(random.nextInt(-20, 20)));
                scratch[i] = copy[i];
            }
            VectorMath.laneSums(scratch, count);
            for (int v = 0; v < count; v++) {
                double expected = 0;
                double scale = 0;
                for (int l = 0; l < L; l++) {
                    expected += copy[v * L + l];
                    scale += Math.abs(copy[v * L + l]);
                }
                float sum = scratch[VectorMath.SUMS + v];
                assertEquals(Float.floatToRawIntBits(VectorMath.laneSum(copy, v * L)), Float.floatToRawIntBits(sum),
                        "vector " + v + " of " + count);
                assertEquals(expected, sum, 1e-6 * scale, "vector " + v + " of " + count + " against double");
            }
        }
    }

    @Test
    void laneSumsOfAGroupGiveTheBitsOfTheScalarButterflyInVectorOrder() {
        SplittableRandom random = new SplittableRandom(5);
        int at = 3 * L;
        float[] group = new float[at + L * L];
        float[] copy = new float[L * L];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = (float) (random.nextGaussian() * Math.exp(random.nextInt(-20, 20)));
            group[at + i] = copy[i];
        }
        float[] out = new float[L + 2];
        out[0] = -7f;
        out[L + 1] = -7f;
        VectorMath.laneSumsOfGroup(group, at, out, 1);
        for (int v = 0; v < L; v++) {
            double expected = 0;
            double scale = 0;
            for (int l = 0; l < L; l++) {
                expected += copy[v * L + l];
                scale += Math.abs(copy[v * L + l]);
            }
            float[] lanes = java.util.Arrays.copyOfRange(copy, v * L, (v + 1) * L);
            assertEquals(Float.floatToRawIntBits(VectorMath.laneSum(lanes, 0)), Float.floatToRawIntBits(out[1 + v]),
                    "vector " + v);
            assertEquals(expected, out[1 + v], 1e-6 * scale, "vector " + v + " against double");
        }
        assertEquals(-7f, out[0], "the slot before the sums is left alone");
        assertEquals(-7f, out[L + 1], "the slot after the sums is left alone");
    }
}

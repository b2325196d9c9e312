package org.vectrain.engine.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane reductions and transcendental functions built only from exactly rounded lane-wise operations
 * (add, mul, fma, compare, blend, bit shifts), so that they give the same bits whether the JIT has
 * compiled the caller or not.
 *
 * <p>Why not the Vector API's own {@code reduceLanes(ADD)}, {@code EXP} and {@code LOG}: their order of
 * summation and their algorithms are allowed to differ between the interpreter's Java fallback and
 * the compiled intrinsic, so a run's figures would depend on when HotSpot compiled the kernels. With
 * these, the same seed gives the same numbers, bit for bit.
 */
final class VectorMath {
    private static final VectorSpecies<Float> F = SimdSpecies.FLOAT;
    private static final VectorSpecies<Integer> I = SimdSpecies.INT;
    /** Butterfly shuffles lane i -> i ^ s for s = L/2, L/4, ..., 1: a fixed summation tree. */
    private static final VectorShuffle<Float>[] BUTTERFLIES = butterflies();

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in a high part with few significant bits and a low remainder (Cody and Waite). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Below this, exp(x) is under the smallest normal float; the result is flushed to 0. */
    private static final float EXP_UNDERFLOW = -87.33654f;
    /** Adding 1.5 * 2^23 rounds a float of magnitude < 2^22 to an integer, to nearest even. */
    private static final float ROUNDER = 12582912f;
    private static final float SQRT_HALF = 0.707106781186547524f;

    private VectorMath() {
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] butterflies() {
        int lanes = F.length();
        int steps = Integer.numberOfTrailingZeros(lanes);
        VectorShuffle<Float>[] out = new VectorShuffle[steps];
        for (int step = 0, s = lanes / 2; s >= 1; step++, s /= 2) {
            int stride = s;
            out[step] = VectorShuffle.fromOp(F, i -> i ^ stride);
        }
        return out;
    }

    /** Sum of the lanes of {@code v} in a fixed tree order. */
    static float sum(FloatVector v) {
        for (VectorShuffle<Float> butterfly : BUTTERFLIES) {
            v = v.add(v.rearrange(butterfly));
        }
        return v.lane(0);
    }

    /**
     * e^x for x <= 0 (the shifted scores of a softmax), within 2 ulp: x = n ln 2 + r with |r| <= ln 2 / 2,
     * e^r by a degree-6 polynomial (the Cephes expf coefficients), 2^n built in the exponent bits.
     * Results below the smallest normal float are 0.
     */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector clamped = x.max(EXP_UNDERFLOW);
        FloatVector n = clamped.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, ROUNDER)).sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), clamped);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(F, 1.9875691500e-4f);
        p = p.fma(r, FloatVector.broadcast(F, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f));
        FloatVector er = p.fma(r.mul(r), r).add(1f);
        IntVector exponent = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127)
                .lanewise(VectorOperators.LSHL, 23);
        FloatVector result = er.mul(exponent.reinterpretAsFloats());
        return result.blend(0f, x.compare(VectorOperators.LT, EXP_UNDERFLOW));
    }

    /**
     * ln x for positive, finite, normal x (a softmax's sum of exponentials, which is at least 1), within
     * 2 ulp: x = m 2^e with m in [sqrt(1/2), sqrt(2)), ln m by the Cephes logf polynomial in m - 1.
     */
    static FloatVector logPositive(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).sub(127);
        FloatVector m = bits.and(0x007FFFFF).or(0x3F800000).reinterpretAsFloats(); // in [1, 2)
        // Move m to [sqrt(1/2), sqrt(2)) so the polynomial's argument stays small.
        var big = m.compare(VectorOperators.GT, 2 * SQRT_HALF);
        m = m.blend(m.mul(0.5f), big);
        e = e.blend(e.add(1), big.cast(I));
        FloatVector f = m.sub(1f);
        FloatVector z = f.mul(f);
        FloatVector p = FloatVector.broadcast(F, 7.0376836292e-2f);
        p = p.fma(f, FloatVector.broadcast(F, -1.1514610310e-1f));
        p = p.fma(f, FloatVector.broadcast(F, 1.1676998740e-1f));
        p = p.fma(f, FloatVector.broadcast(F, -1.2420140846e-1f));
        p = p.fma(f, FloatVector.broadcast(F, 1.4249322787e-1f));
        p = p.fma(f, FloatVector.broadcast(F, -1.6668057665e-1f));
        p = p.fma(f, FloatVector.broadcast(F, 2.0000714765e-1f));
        p = p.fma(f, FloatVector.broadcast(F, -2.4999993993e-1f));
        p = p.fma(f, FloatVector.broadcast(F, 3.3333331174e-1f));
        FloatVector y = p.mul(f).mul(z);
        FloatVector ef = (FloatVector) e.convert(VectorOperators.I2F, 0);
        y = ef.fma(FloatVector.broadcast(F, LN2_LO), y);
        y = z.fma(FloatVector.broadcast(F, -0.5f), y);
        return f.add(y).add(ef.mul(LN2_HI));
    }
}

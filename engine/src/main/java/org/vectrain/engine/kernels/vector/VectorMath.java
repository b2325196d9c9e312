package org.vectrain.engine.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane reductions and transcendental functions built only from exactly rounded operations (lane-wise
 * add, mul, fma, compare, blend, lane moves, bit shifts; scalar adds in a fixed order), so that they give
 * the same bits whether the JIT has compiled the caller or not.
 *
 * <p>Every lane sum takes the same butterfly order: lanes l and l + L/2 first, then l and l + L/4 of those,
 * down to lanes 0 and 1. {@link #laneSum} does it in scalar code for one vector; {@link #laneSums} does it
 * for many vectors at once with lane moves, and gives the same bits (float addition is commutative, and
 * each sum is associated the same way).
 *
 * <p>Why not the Vector API's own {@code reduceLanes(ADD)}, {@code EXP} and {@code LOG}: their order of
 * summation and their algorithms are allowed to differ between the interpreter's Java fallback and
 * the compiled intrinsic, so a run's figures would depend on when HotSpot compiled the kernels. With
 * these, the same seed gives the same numbers, bit for bit.
 */
final class VectorMath {
    private static final VectorSpecies<Float> F = SimdSpecies.FLOAT;
    private static final VectorSpecies<Integer> I = SimdSpecies.INT;
    private static final int L = F.length();
    /** Vectors of the widest species the scratch array holds, before the sums {@link #laneSums} leaves. */
    private static final int SCRATCH_VECTORS = 32;
    /** Where {@link #laneSums} leaves its sums in the scratch array: after the 32 vectors. */
    static final int SUMS = SCRATCH_VECTORS * 16;
    /** Per-thread space for accumulators on their way to {@link #laneSum} or {@link #laneSums}. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(
            () -> new float[SUMS + SCRATCH_VECTORS]);
    /** Per-thread space for groups of vectors on their way to {@link #laneSumsOfGroup}; grown on demand. */
    private static final ThreadLocal<float[][]> GROUPS = ThreadLocal.withInitial(() -> new float[1][0]);
    /** Per butterfly level (distance L/2, L/4, ... 1): lane l takes lane l ^ distance. */
    private static final VectorShuffle<Float>[] PARTNER;
    /** Per butterfly level: the lanes whose index has the distance's bit set. */
    private static final VectorMask<Float>[] UPPER;
    /**
     * After the butterfly over a group of L vectors, lane l holds the sum of vector SOURCE[l] of the group:
     * the index of l with its bits reversed.
     */
    private static final int[] SOURCE = sources();
    /** {@link #SOURCE} as a shuffle: puts the sum of vector v of a group at lane v. */
    private static final VectorShuffle<Float> IN_VECTOR_ORDER;
    /**
     * The first four levels of {@link #PARTNER} and {@link #UPPER} in fields of their own, which C2 takes
     * as constants (an array element it loads at every use); a level past the last repeats the last and
     * is never used.
     */
    private static final VectorShuffle<Float> PARTNER_0;
    private static final VectorShuffle<Float> PARTNER_1;
    private static final VectorShuffle<Float> PARTNER_2;
    private static final VectorShuffle<Float> PARTNER_3;
    private static final VectorMask<Float> UPPER_0;
    private static final VectorMask<Float> UPPER_1;
    private static final VectorMask<Float> UPPER_2;
    private static final VectorMask<Float> UPPER_3;

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in a high part with few significant bits and a low remainder (Cody and Waite). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Below this, exp(x) is under the smallest normal float; the result is flushed to 0. */
    private static final float EXP_UNDERFLOW = -87.33654f;
    /** Adding 1.5 * 2^23 rounds a float of magnitude < 2^22 to an integer, to nearest even. */
    private static final float ROUNDER = 12582912f;
    private static final float SQRT_HALF = 0.707106781186547524f;

    static {
        int levels = Integer.numberOfTrailingZeros(L);
        @SuppressWarnings("unchecked")
        VectorShuffle<Float>[] partner = new VectorShuffle[levels];
        @SuppressWarnings("unchecked")
        VectorMask<Float>[] upper = new VectorMask[levels];
        for (int level = 0; level < levels; level++) {
            int distance = L >> (level + 1);
            partner[level] = VectorShuffle.fromOp(F, l -> l ^ distance);
            long bits = 0;
            for (int l = 0; l < L; l++) {
                if ((l & distance) != 0) {
                    bits |= 1L << l;
                }
            }
            upper[level] = VectorMask.fromLong(F, bits);
        }
        PARTNER = partner;
        UPPER = upper;
        IN_VECTOR_ORDER = VectorShuffle.fromArray(F, SOURCE, 0);
        PARTNER_0 = partner[0];
        PARTNER_1 = partner[1];
        PARTNER_2 = partner[Math.min(2, levels - 1)];
        PARTNER_3 = partner[Math.min(3, levels - 1)];
        UPPER_0 = upper[0];
        UPPER_1 = upper[1];
        UPPER_2 = upper[Math.min(2, levels - 1)];
        UPPER_3 = upper[Math.min(3, levels - 1)];
    }

    private VectorMath() {
    }

    /**
     * This thread's scratch array, for kernels to store accumulators into (at multiples of the lane
     * count) before summing them with {@link #laneSum}. Fetched once per kernel call.
     */
    static float[] scratch() {
        return SCRATCH.get();
    }

    /**
     * This thread's array of at least {@code floats} floats for groups of accumulators; allocates only
     * when it has to grow.
     */
    static float[] groupScratch(int floats) {
        float[][] holder = GROUPS.get();
        if (holder[0].length < floats) {
            holder[0] = new float[floats];
        }
        return holder[0];
    }

    /**
     * Sum of the {@code L} floats at {@code lanes[from ..]} in butterfly order, in scalar code; the lanes
     * are overwritten with partial sums.
     *
     * <p>Why helpers take arrays, not vectors: inside the large register-tiled kernels C2 stops inlining
     * helpers that take vectors (node count limits), and a vector passed to a call that is not inlined
     * is boxed on the heap.
     */
    static float laneSum(float[] lanes, int from) {
        for (int distance = L / 2; distance >= 1; distance /= 2) {
            for (int l = 0; l < distance; l++) {
                lanes[from + l] += lanes[from + l + distance];
            }
        }
        return lanes[from];
    }

    /**
     * The lane sums of the {@code count} vectors at the start of {@code scratch} (vector v at
     * {@code v * L}), into {@code scratch[SUMS + v]}, with the bits of {@link #laneSum}: a butterfly over
     * groups of L vectors, each level adding two vectors' lanes at once, about 5 vector operations per sum
     * where the scalar form takes L - 1 adds and L loads. Overwrites the vectors; {@code count} is at most
     * 32.
     */
    static void laneSums(float[] scratch, int count) {
        FloatVector zero = FloatVector.zero(F);
        for (int first = 0; first < count; first += L) {
            int base = first * L;
            int live = Math.min(L, count - first);
            for (int level = 0; live > 1; level++) {
                VectorShuffle<Float> partner = PARTNER[level];
                VectorMask<Float> upper = UPPER[level];
                for (int i = 0; 2 * i < live; i++) {
                    FloatVector a = FloatVector.fromArray(F, scratch, base + 2 * i * L);
                    FloatVector b = 2 * i + 1 < live ? FloatVector.fromArray(F, scratch, base + (2 * i + 1) * L) : zero;
                    a.blend(b.rearrange(partner), upper).add(a.rearrange(partner).blend(b, upper))
                            .intoArray(scratch, base + i * L);
                }
                live = (live + 1) / 2;
            }
            // one vector left: lanes not yet paired (when count - first < L) still need their last levels
            for (int level = levelsDone(Math.min(L, count - first)); level < PARTNER.length; level++) {
                FloatVector a = FloatVector.fromArray(F, scratch, base);
                a.blend(zero.rearrange(PARTNER[level]), UPPER[level]).add(a.rearrange(PARTNER[level])
                        .blend(zero, UPPER[level])).intoArray(scratch, base);
            }
            for (int l = 0; l < L; l++) {
                int v = first + SOURCE[l];
                if (v < count) {
                    scratch[SUMS + v] = scratch[base + l];
                }
            }
        }
    }

    /**
     * The lane sums of the L vectors at {@code vectors[at + v * L]}, sum v into {@code out[outAt + v]}, with
     * the bits of {@link #laneSum}: the butterfly of {@link #laneSums} for one whole group, its levels
     * written out so that every shuffle and mask is a constant, and the sums put in order by one
     * shuffle. Overwrites the vectors. For L = 4, 8 or 16 (the species {@link SimdSpecies} allows).
     *
     * <p>Why not {@code laneSums}: its loop over levels takes each shuffle and mask from an array, which
     * made the forward product's lane sums a large share of its time (docs/performance.md).
     */
    static void laneSumsOfGroup(float[] vectors, int at, float[] out, int outAt) {
        pairLevel(vectors, at, L, PARTNER_0, UPPER_0);
        pairLevel(vectors, at, L / 2, PARTNER_1, UPPER_1);
        if (L >= 8) {
            pairLevel(vectors, at, L / 4, PARTNER_2, UPPER_2);
        }
        if (L == 16) {
            pairLevel(vectors, at, 2, PARTNER_3, UPPER_3);
        }
        FloatVector.fromArray(F, vectors, at).rearrange(IN_VECTOR_ORDER).intoArray(out, outAt);
    }

    /** One butterfly level over {@code count} vectors from {@code at}: pair i, vectors 2i and 2i + 1, into vector i. */
    private static void pairLevel(float[] vectors, int at, int count, VectorShuffle<Float> partner,
            VectorMask<Float> upper) {
        for (int i = 0; i < count; i += 2) {
            FloatVector a = FloatVector.fromArray(F, vectors, at + i * L);
            FloatVector b = FloatVector.fromArray(F, vectors, at + (i + 1) * L);
            a.blend(b.rearrange(partner), upper).add(a.rearrange(partner).blend(b, upper))
                    .intoArray(vectors, at + i / 2 * L);
        }
    }

    /** Butterfly levels the pairing loop of {@link #laneSums} runs for a group of {@code vectors}. */
    private static int levelsDone(int vectors) {
        int levels = 0;
        for (int live = vectors; live > 1; live = (live + 1) / 2) {
            levels++;
        }
        return levels;
    }

    private static int[] sources() {
        int levels = Integer.numberOfTrailingZeros(L);
        int[] out = new int[L];
        for (int l = 0; l < L; l++) {
            out[l] = Integer.reverse(l) >>> (32 - levels);
        }
        return out;
    }

    /** Sum of the lanes of {@code v}, in butterfly order, through {@code scratch}. */
    static float sum(FloatVector v, float[] scratch) {
        v.intoArray(scratch, 0);
        return laneSum(scratch, 0);
    }

    /**
     * e^x for x <= 0 (the shifted scores of a softmax), within 2 ulp: x = n ln 2 + r with |r| <= ln 2 / 2,
     * e^r by a degree-6 polynomial (the Cephes expf coefficients), 2^n built in the exponent bits.
     * Results below the smallest normal float are 0.
     */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector clamped = x.max(EXP_UNDERFLOW);
        // t = ROUNDER + n exactly, so n is both t - ROUNDER and the low bits of t's representation;
        // reading it from the bits avoids a float-to-int conversion, which JDK 17 does not compile to one
        // instruction at 512 bits.
        FloatVector t = clamped.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, ROUNDER));
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), clamped);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(F, 1.9875691500e-4f);
        p = p.fma(r, FloatVector.broadcast(F, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f));
        FloatVector er = p.fma(r.mul(r), r).add(1f);
        // (bits(t) + 127) << 23 == (n + 127) << 23: the bits of ROUNDER above the low 9 shift out.
        IntVector exponent = t.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23);
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

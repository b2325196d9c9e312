package org.vectrain.engine.simd;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.vectrain.engine.model.SampleQuads;
import org.vectrain.engine.reference.ScalarKernels;

/**
 * The Vector API kernels. Each method states its math and shapes in {@link Kernels}; the scalar
 * twin with the same math is {@link ScalarKernels}. Arguments are assumed valid.
 *
 * <p>Register tiles: AVX-512 has 32 vector registers. Both GEMMs keep 20 accumulators live
 * (4 samples x 5 classes in the forward pass, 10 classes x 2 vectors of D in the gradient), leaving
 * room for the operands. The forward's accumulators are summed across lanes a group of L samples at a
 * time, where one butterfly gives L scores. The gradient tile spans all ten CIFAR classes, so each pixel
 * vector is widened once per step and feeds twenty FMAs, where a tile of 5 classes would widen every pixel
 * twice. Other class counts run whole tiles of 10 and a scalar tail. Pixels arrive as bytes and are widened
 * to floats in registers (exact: every byte is a float), so memory traffic is a quarter of a float matrix.
 */
final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> F = SimdSpecies.FLOAT;
    private static final VectorSpecies<Integer> I = SimdSpecies.INT;
    /** Bytes with as many lanes as {@link #F}: one load, widened to one float vector. */
    private static final VectorSpecies<Byte> B = SimdSpecies.BYTE;
    private static final int L = F.length();
    /** Flipping it turns an unsigned pixel p into the signed byte p - 128. */
    private static final byte SIGN_BIT = (byte) 0x80;

    /** Samples per forward register tile; each loaded X vector feeds 5 FMAs. */
    static final int FWD_SAMPLES = 4;
    /** Classes per forward register tile (K = 10 is two tiles). */
    static final int FWD_CLASSES = 5;
    /** Classes per gradient register tile: all of CIFAR's K = 10 in one. */
    static final int GRAD_CLASSES = 10;
    /** Vectors of D per gradient register tile: 32 floats of each sample's row (L = 16). */
    static final int GRAD_VECTORS = 2;
    /** Classes per forward edge tile (one sample past the last 4-sample tile). */
    static final int EDGE_CLASSES = 10;
    /** log2 of {@link SampleQuads#MEMBERS}: an image's quad is its index shifted right by this. */
    private static final int QUAD_SHIFT = Integer.numberOfTrailingZeros(SampleQuads.MEMBERS);
    /** Classes of the block-scores register tile: all 10 of CIFAR, so each pixel vector is widened once. */
    static final int BLOCK_CLASSES = 10;
    /**
     * The softmax takes a block of L samples through two methods that pass vectors only through the
     * scratch array, at these slots. In one method, C2 sometimes stops inlining the exp, log and
     * lane-sum helpers (its node-count cutoff, NodeCountInliningCutoff in PrintInlining) and boxes the
     * vectors handed to them, which makes the softmax many times slower.
     */
    private static final int MAX_SLOT = 4 * L;
    private static final int SUM_SLOT = 5 * L;
    private static final int LABEL_SCORE_SLOT = 6 * L;

    @Override
    public String description() {
        return "Vector API, " + SimdSpecies.describe();
    }

    @Override
    public int lanes() {
        return L;
    }

    // ---------------------------------------------------------------------------------------------
    // Fold: W' = W diag(a), b' = b + W c

    @Override
    public void fold(float[] w, float[] b, int classes, int dim, float[] a, float[] c, float[] wOut, float[] bOut) {
        foldColumns(w, classes, dim, a, c, wOut, bOut, 0, 0, dim);
        for (int k = 0; k < classes; k++) {
            bOut[k] = b[k] + bOut[k];
        }
    }

    @Override
    public void foldColumns(float[] w, int classes, int dim, float[] a, float[] c, float[] wOut, float[] shiftOut,
            int shiftOffset, int dFrom, int dTo) {
        float[] scratch = VectorMath.scratch();
        int bound = dFrom + F.loopBound(dTo - dFrom);
        for (int k = 0; k < classes; k++) {
            int row = k * dim;
            FloatVector shift = FloatVector.zero(F);
            int d = dFrom;
            for (; d < bound; d += L) {
                FloatVector wv = FloatVector.fromArray(F, w, row + d);
                wv.mul(FloatVector.fromArray(F, a, d)).intoArray(wOut, row + d);
                shift = wv.fma(FloatVector.fromArray(F, c, d), shift);
            }
            float sum = VectorMath.sum(shift, scratch);
            // tail
            for (; d < dTo; d++) {
                wOut[row + d] = w[row + d] * a[d];
                sum += w[row + d] * c[d];
            }
            shiftOut[shiftOffset + k] = sum;
        }
    }

    /** The pixel {@code p} (stored unsigned) as the signed value {@code p - 128}. */
    private static int signed(byte p) {
        return ScalarKernels.signed(p);
    }

    // ---------------------------------------------------------------------------------------------
    // Forward scores: S (K x n) = W' (K x D) Q_batch^T (D x n) + b'

    /**
     * Samples go in groups of L: the tiles of a group leave their accumulators in a per-thread array, one
     * vector per class and sample, and each class's L scores of the group come out of one lane-sum
     * butterfly ({@link VectorMath#laneSumsOfGroup}), with the same bits as a sum per tile. That is
     * fewer reduction steps than summing each tile's 20 accumulators with {@link VectorMath#laneSums}, and
     * measured faster (docs/performance.md).
     *
     * <p>Both class tiles of a sample tile run one after the other, so the second reads the four images from
     * L1 while the first brings them from memory.
     */
    @Override
    public void partialScores(float[] w, float[] b, int classes, int dim, int dFrom, int dTo, byte[] q, int rowLength,
            int firstColumn, int[] rows, int rowStart, int n, float[] s, int sOffset, int ldS) {
        int fullClasses = classes - classes % FWD_CLASSES;
        int fullSamples = n - n % FWD_SAMPLES;
        float[] scratch = VectorMath.scratch();
        if (fullClasses > 0) {
            float[] group = VectorMath.groupScratch(fullClasses * L * L);
            for (int j = 0; j < fullSamples; j += L) {
                int members = Math.min(L, fullSamples - j);
                for (int r = 0; r < members; r += FWD_SAMPLES) {
                    for (int k = 0; k < fullClasses; k += FWD_CLASSES) {
                        tile4x5(w, k, dim, dFrom, dTo, q, rowLength, firstColumn, rows, rowStart, j + r, group, r);
                    }
                }
                groupScores(group, members, w, b, fullClasses, dim, dFrom, dTo, q, rowLength, firstColumn, rows,
                        rowStart + j, s, sOffset + j, ldS, scratch);
            }
        }
        // Edges: samples past the last full tile (10 classes at a time where there are 10), classes past
        // the last full tile (one dot product each).
        int edgeClasses = classes - classes % EDGE_CLASSES;
        for (int j = 0; j < n; j++) {
            int qRow = rows[rowStart + j] * rowLength - firstColumn;
            int kFrom = fullClasses;
            if (j >= fullSamples) {
                for (int k = 0; k < edgeClasses; k += EDGE_CLASSES) {
                    tile1x10(w, b, k, dim, dFrom, dTo, q, qRow, s, sOffset + k * ldS + j, ldS, scratch);
                }
                kFrom = edgeClasses;
            }
            for (int k = kFrom; k < classes; k++) {
                float dot = dot(w, k * dim + dFrom, q, qRow + dFrom, dTo - dFrom, scratch);
                s[sOffset + k * ldS + j] = b == null ? dot : b[k] + dot;
            }
        }
    }

    /**
     * The scores of the {@code members} samples of a group (rows from {@code rows[rowStart]}) for classes
     * [0, classes), from the accumulators the tiles left in {@code group}: the lane sums, plus b when not
     * null, plus the columns past the last whole vector, to {@code s[c0 + k * ldS + j]}.
     */
    private static void groupScores(float[] group, int members, float[] w, float[] b, int classes, int dim,
            int dFrom, int dTo, byte[] q, int rowLength, int firstColumn, int[] rows, int rowStart, float[] s, int c0,
            int ldS, float[] scratch) {
        int tailFrom = dFrom + F.loopBound(dTo - dFrom);
        for (int k = 0; k < classes; k++) {
            int at = c0 + k * ldS;
            if (members == L) {
                VectorMath.laneSumsOfGroup(group, k * L * L, s, at);
                if (b != null) {
                    for (int j = 0; j < L; j++) {
                        s[at + j] = b[k] + s[at + j];
                    }
                }
            } else {
                VectorMath.laneSumsOfGroup(group, k * L * L, scratch, 0);
                for (int j = 0; j < members; j++) {
                    s[at + j] = b == null ? scratch[j] : b[k] + scratch[j];
                }
            }
            // tail: the last (dTo - dFrom) % L dimensions, scalar
            for (int d = tailFrom; d < dTo; d++) {
                float wv = w[k * dim + d];
                for (int j = 0; j < members; j++) {
                    s[at + j] += wv * signed(q[rows[rowStart + j] * rowLength - firstColumn + d]);
                }
            }
        }
    }

    /**
     * S[k0..k0+10)[j] of one sample past the last 4-sample tile, on columns [dFrom, dTo): ten independent
     * accumulators, where one dot product per class would wait on each fused multiply-add in turn.
     */
    private static void tile1x10(float[] w, float[] b, int k0, int dim, int dFrom, int dTo, byte[] q, int qRow,
            float[] s, int at, int ldS, float[] scratch) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0;
        FloatVector a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
        int w0 = k0 * dim;
        int bound = dFrom + F.loopBound(dTo - dFrom);
        int d = dFrom;
        for (; d < bound; d += L) {
            FloatVector x = pixels(q, qRow + d);
            a0 = x.fma(FloatVector.fromArray(F, w, w0 + d), a0);
            a1 = x.fma(FloatVector.fromArray(F, w, w0 + dim + d), a1);
            a2 = x.fma(FloatVector.fromArray(F, w, w0 + 2 * dim + d), a2);
            a3 = x.fma(FloatVector.fromArray(F, w, w0 + 3 * dim + d), a3);
            a4 = x.fma(FloatVector.fromArray(F, w, w0 + 4 * dim + d), a4);
            a5 = x.fma(FloatVector.fromArray(F, w, w0 + 5 * dim + d), a5);
            a6 = x.fma(FloatVector.fromArray(F, w, w0 + 6 * dim + d), a6);
            a7 = x.fma(FloatVector.fromArray(F, w, w0 + 7 * dim + d), a7);
            a8 = x.fma(FloatVector.fromArray(F, w, w0 + 8 * dim + d), a8);
            a9 = x.fma(FloatVector.fromArray(F, w, w0 + 9 * dim + d), a9);
        }
        a0.intoArray(scratch, 0);
        a1.intoArray(scratch, L);
        a2.intoArray(scratch, 2 * L);
        a3.intoArray(scratch, 3 * L);
        a4.intoArray(scratch, 4 * L);
        a5.intoArray(scratch, 5 * L);
        a6.intoArray(scratch, 6 * L);
        a7.intoArray(scratch, 7 * L);
        a8.intoArray(scratch, 8 * L);
        a9.intoArray(scratch, 9 * L);
        VectorMath.laneSums(scratch, EDGE_CLASSES);
        for (int c = 0; c < EDGE_CLASSES; c++) {
            float sum = scratch[VectorMath.SUMS + c];
            // tail: the last (dTo - dFrom) % L dimensions, scalar
            for (int t = d; t < dTo; t++) {
                sum += w[w0 + c * dim + t] * signed(q[qRow + t]);
            }
            s[at + c * ldS] = b == null ? sum : b[k0 + c] + sum;
        }
    }

    /** L pixels from {@code at} as signed {@code q = pixel - 128} (the top bit flipped), widened to floats. */
    private static FloatVector pixels(byte[] p, int at) {
        return (FloatVector) ByteVector.fromArray(B, p, at).lanewise(VectorOperators.XOR, SIGN_BIT)
                .convertShape(VectorOperators.B2F, F, 0);
    }

    /**
     * The products of 4 samples (from j0) and 5 classes (from k0) over the whole vectors of [dFrom, dTo),
     * 20 accumulators, left unsummed in the group array: class k, member r of the group at
     * {@code group[(k * L + r) * L]}, with this tile's samples members r0 to r0 + 3.
     */
    private static void tile4x5(float[] w, int k0, int dim, int dFrom, int dTo, byte[] q, int rowLength,
            int firstColumn, int[] rows, int rowStart, int j0, float[] group, int r0) {
        int x0 = rows[rowStart + j0] * rowLength - firstColumn;
        int x1 = rows[rowStart + j0 + 1] * rowLength - firstColumn;
        int x2 = rows[rowStart + j0 + 2] * rowLength - firstColumn;
        int x3 = rows[rowStart + j0 + 3] * rowLength - firstColumn;
        int w0 = k0 * dim;
        int w1 = w0 + dim;
        int w2 = w1 + dim;
        int w3 = w2 + dim;
        int w4 = w3 + dim;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00, a04 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00, a34 = a00;
        int bound = dFrom + F.loopBound(dTo - dFrom);
        for (int d = dFrom; d < bound; d += L) {
            FloatVector v0 = pixels(q, x0 + d);
            FloatVector v1 = pixels(q, x1 + d);
            FloatVector v2 = pixels(q, x2 + d);
            FloatVector v3 = pixels(q, x3 + d);
            FloatVector c = FloatVector.fromArray(F, w, w0 + d);
            a00 = v0.fma(c, a00);
            a10 = v1.fma(c, a10);
            a20 = v2.fma(c, a20);
            a30 = v3.fma(c, a30);
            c = FloatVector.fromArray(F, w, w1 + d);
            a01 = v0.fma(c, a01);
            a11 = v1.fma(c, a11);
            a21 = v2.fma(c, a21);
            a31 = v3.fma(c, a31);
            c = FloatVector.fromArray(F, w, w2 + d);
            a02 = v0.fma(c, a02);
            a12 = v1.fma(c, a12);
            a22 = v2.fma(c, a22);
            a32 = v3.fma(c, a32);
            c = FloatVector.fromArray(F, w, w3 + d);
            a03 = v0.fma(c, a03);
            a13 = v1.fma(c, a13);
            a23 = v2.fma(c, a23);
            a33 = v3.fma(c, a33);
            c = FloatVector.fromArray(F, w, w4 + d);
            a04 = v0.fma(c, a04);
            a14 = v1.fma(c, a14);
            a24 = v2.fma(c, a24);
            a34 = v3.fma(c, a34);
        }
        int at = (k0 * L + r0) * L;
        a00.intoArray(group, at);
        a10.intoArray(group, at + L);
        a20.intoArray(group, at + 2 * L);
        a30.intoArray(group, at + 3 * L);
        at += L * L;
        a01.intoArray(group, at);
        a11.intoArray(group, at + L);
        a21.intoArray(group, at + 2 * L);
        a31.intoArray(group, at + 3 * L);
        at += L * L;
        a02.intoArray(group, at);
        a12.intoArray(group, at + L);
        a22.intoArray(group, at + 2 * L);
        a32.intoArray(group, at + 3 * L);
        at += L * L;
        a03.intoArray(group, at);
        a13.intoArray(group, at + L);
        a23.intoArray(group, at + 2 * L);
        a33.intoArray(group, at + 3 * L);
        at += L * L;
        a04.intoArray(group, at);
        a14.intoArray(group, at + L);
        a24.intoArray(group, at + 2 * L);
        a34.intoArray(group, at + 3 * L);
    }

    // ---------------------------------------------------------------------------------------------
    // Forward scores on SampleQuads: P (K x n) = W' (K x D) Q_batch^T (D x n), consecutive images

    /**
     * As {@link #partialScores}, with each 4-sample tile the four members of one quad: their pixels are one
     * offset plus constants, so the tile's loop keeps one pixel offset live instead of four. A last quad that
     * the batch does not fill is computed whole and only its batch members' scores are kept; classes past
     * the last whole tile take one dot product each. Needs L == {@link SampleQuads#UNIT}.
     */
    @Override
    public void quadScores(float[] w, int classes, int dim, int dFrom, int dTo, byte[] quads, int width,
            int firstColumn, int first, int n, float[] s, int sOffset, int ldS) {
        requireQuadLanes();
        int fullClasses = classes - classes % FWD_CLASSES;
        int quadBytes = SampleQuads.MEMBERS * width;
        // where column dFrom of a quad's first member sits, from the quad's start
        int columnOffset = SampleQuads.MEMBERS * (dFrom - firstColumn);
        float[] scratch = VectorMath.scratch();
        if (fullClasses > 0) {
            float[] group = VectorMath.groupScratch(fullClasses * L * L);
            for (int j = 0; j < n; j += L) {
                int members = Math.min(L, n - j);
                for (int r = 0; r < members; r += FWD_SAMPLES) {
                    int at = (first + j + r) / SampleQuads.MEMBERS * quadBytes + columnOffset;
                    for (int k = 0; k < fullClasses; k += FWD_CLASSES) {
                        quadTile4x5(w, k, dim, dFrom, dTo, quads, at, group, r);
                    }
                }
                quadGroupScores(group, members, w, fullClasses, dim, dFrom, dTo, quads, width, firstColumn,
                        first + j, s, sOffset + j, ldS, scratch);
            }
        }
        for (int j = 0; fullClasses < classes && j < n; j++) {
            int image = first + j;
            int at = SampleQuads.offset(image, 0, width) + columnOffset;
            for (int k = fullClasses; k < classes; k++) {
                s[sOffset + k * ldS + j] = quadDot(w, k * dim, dFrom, dTo, quads, at, image, width, firstColumn,
                        scratch);
            }
        }
    }

    /**
     * The products of one quad's four members (group members r0 to r0 + 3) and 5 classes (from k0) over the
     * whole vectors of [dFrom, dTo), the quad's column dFrom at {@code at}; left in the group array as
     * {@link #tile4x5} leaves them.
     */
    private static void quadTile4x5(float[] w, int k0, int dim, int dFrom, int dTo, byte[] q, int at,
            float[] group, int r0) {
        int w0 = k0 * dim;
        int w1 = w0 + dim;
        int w2 = w1 + dim;
        int w3 = w2 + dim;
        int w4 = w3 + dim;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00, a04 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00, a34 = a00;
        int bound = dFrom + F.loopBound(dTo - dFrom);
        int p = at;
        for (int d = dFrom; d < bound; d += L, p += SampleQuads.MEMBERS * L) {
            FloatVector v0 = pixels(q, p);
            FloatVector v1 = pixels(q, p + L);
            FloatVector v2 = pixels(q, p + 2 * L);
            FloatVector v3 = pixels(q, p + 3 * L);
            FloatVector c = FloatVector.fromArray(F, w, w0 + d);
            a00 = v0.fma(c, a00);
            a10 = v1.fma(c, a10);
            a20 = v2.fma(c, a20);
            a30 = v3.fma(c, a30);
            c = FloatVector.fromArray(F, w, w1 + d);
            a01 = v0.fma(c, a01);
            a11 = v1.fma(c, a11);
            a21 = v2.fma(c, a21);
            a31 = v3.fma(c, a31);
            c = FloatVector.fromArray(F, w, w2 + d);
            a02 = v0.fma(c, a02);
            a12 = v1.fma(c, a12);
            a22 = v2.fma(c, a22);
            a32 = v3.fma(c, a32);
            c = FloatVector.fromArray(F, w, w3 + d);
            a03 = v0.fma(c, a03);
            a13 = v1.fma(c, a13);
            a23 = v2.fma(c, a23);
            a33 = v3.fma(c, a33);
            c = FloatVector.fromArray(F, w, w4 + d);
            a04 = v0.fma(c, a04);
            a14 = v1.fma(c, a14);
            a24 = v2.fma(c, a24);
            a34 = v3.fma(c, a34);
        }
        int g = (k0 * L + r0) * L;
        a00.intoArray(group, g);
        a10.intoArray(group, g + L);
        a20.intoArray(group, g + 2 * L);
        a30.intoArray(group, g + 3 * L);
        g += L * L;
        a01.intoArray(group, g);
        a11.intoArray(group, g + L);
        a21.intoArray(group, g + 2 * L);
        a31.intoArray(group, g + 3 * L);
        g += L * L;
        a02.intoArray(group, g);
        a12.intoArray(group, g + L);
        a22.intoArray(group, g + 2 * L);
        a32.intoArray(group, g + 3 * L);
        g += L * L;
        a03.intoArray(group, g);
        a13.intoArray(group, g + L);
        a23.intoArray(group, g + 2 * L);
        a33.intoArray(group, g + 3 * L);
        g += L * L;
        a04.intoArray(group, g);
        a14.intoArray(group, g + L);
        a24.intoArray(group, g + 2 * L);
        a34.intoArray(group, g + 3 * L);
    }

    /**
     * {@link #groupScores} for a group of consecutive images from {@code image} in quads: the lane sums, then
     * the columns past the last whole vector.
     */
    private static void quadGroupScores(float[] group, int members, float[] w, int classes, int dim, int dFrom,
            int dTo, byte[] q, int width, int firstColumn, int image, float[] s, int c0, int ldS, float[] scratch) {
        int tailFrom = dFrom + F.loopBound(dTo - dFrom);
        for (int k = 0; k < classes; k++) {
            int at = c0 + k * ldS;
            if (members == L) {
                VectorMath.laneSumsOfGroup(group, k * L * L, s, at);
            } else {
                VectorMath.laneSumsOfGroup(group, k * L * L, scratch, 0);
                System.arraycopy(scratch, 0, s, at, members);
            }
            // tail: the last (dTo - dFrom) % L dimensions, scalar
            for (int d = tailFrom; d < dTo; d++) {
                float wv = w[k * dim + d];
                for (int j = 0; j < members; j++) {
                    s[at + j] += wv * signed(q[SampleQuads.offset(image + j, d - firstColumn, width)]);
                }
            }
        }
    }

    /** {@link #dot} of W' row {@code wRow} and image {@code image} of a quad plane, its column dFrom at {@code at}. */
    private static float quadDot(float[] w, int wRow, int dFrom, int dTo, byte[] q, int at, int image, int width,
            int firstColumn, float[] scratch) {
        FloatVector acc = FloatVector.zero(F);
        int bound = dFrom + F.loopBound(dTo - dFrom);
        int d = dFrom;
        for (int p = at; d < bound; d += L, p += SampleQuads.MEMBERS * L) {
            acc = FloatVector.fromArray(F, w, wRow + d).fma(pixels(q, p), acc);
        }
        float sum = VectorMath.sum(acc, scratch);
        // tail
        for (; d < dTo; d++) {
            sum += w[wRow + d] * signed(q[SampleQuads.offset(image, d - firstColumn, width)]);
        }
        return sum;
    }

    /**
     * The quad kernels step one vector per unit of a quad: with fewer lanes they would read the wrong pixels,
     * so they refuse ({@link Kernels#readsQuads} keeps training off them).
     */
    private static void requireQuadLanes() {
        if (L != SampleQuads.UNIT) {
            throw new UnsupportedOperationException("the quad kernels need " + SampleQuads.UNIT
                    + "-lane float vectors; these have " + L);
        }
    }

    /** Dot product of w[wFrom, wFrom + len) and the pixels q[qFrom, qFrom + len). */
    private static float dot(float[] w, int wFrom, byte[] q, int qFrom, int len, float[] scratch) {
        FloatVector acc = FloatVector.zero(F);
        int bound = F.loopBound(len);
        int d = 0;
        for (; d < bound; d += L) {
            acc = FloatVector.fromArray(F, w, wFrom + d).fma(pixels(q, qFrom + d), acc);
        }
        float sum = VectorMath.sum(acc, scratch);
        // tail
        for (; d < len; d++) {
            sum += w[wFrom + d] * signed(q[qFrom + d]);
        }
        return sum;
    }

    // ---------------------------------------------------------------------------------------------
    // Block scores: S (K x 32 per block) = W' (K x D) Q_block (D x 32) + b', dimension-major blocks.
    // Lanes run over samples, so no lane is ever reduced, and the loop over d has no tail: the samples
    // are padded to whole blocks and every d is one step.

    @Override
    public void blockScores(float[] wTransposed, float[] b, int classes, int dim, byte[] q, int firstBlock,
            int blockCount, float[] s, int ldS) {
        int fullClasses = classes - classes % BLOCK_CLASSES;
        int blockBytes = SAMPLE_BLOCK * dim;
        int i = 0;
        // Two blocks at a time, one vector of samples from each: two streams from memory per core, which
        // evaluates faster than two vectors from one block (docs/performance.md).
        for (; i + 1 < blockCount; i += 2) {
            int first = (firstBlock + i) * blockBytes;
            for (int v = 0; v < SAMPLE_BLOCK; v += L) {
                int column = i * SAMPLE_BLOCK + v;
                for (int k = 0; k < fullClasses; k += BLOCK_CLASSES) {
                    blockTile10x2(wTransposed, b, k, classes, dim, q, first + v, first + blockBytes + v, s, column,
                            column + SAMPLE_BLOCK, ldS);
                }
                for (int k = fullClasses; k < classes; k++) {
                    blockTile1x2(wTransposed, b, k, classes, dim, q, first + v, first + blockBytes + v, s, column,
                            column + SAMPLE_BLOCK, ldS);
                }
            }
        }
        for (; i < blockCount; i++) {
            int block = (firstBlock + i) * blockBytes;
            for (int v = 0; v < SAMPLE_BLOCK; v += 2 * L) {
                int column = i * SAMPLE_BLOCK + v;
                for (int k = 0; k < fullClasses; k += BLOCK_CLASSES) {
                    blockTile10x2(wTransposed, b, k, classes, dim, q, block + v, block + v + L, s, column, column + L,
                            ldS);
                }
                for (int k = fullClasses; k < classes; k++) {
                    blockTile1x2(wTransposed, b, k, classes, dim, q, block + v, block + v + L, s, column, column + L,
                            ldS);
                }
            }
        }
    }

    /** L signed values from {@code at} (already {@code pixel - 128}), widened to floats. */
    private static FloatVector signedValues(byte[] q, int at) {
        return (FloatVector) ByteVector.fromArray(B, q, at).convertShape(VectorOperators.B2F, F, 0);
    }

    /**
     * S[k0..k0+10) for two vectors of samples, the one read from {@code from0} (scores to column0) and the one
     * from {@code from1} (to column1): 20 accumulators; per d two widened pixel vectors and ten broadcast
     * weights.
     */
    private static void blockTile10x2(float[] wt, float[] b, int k0, int classes, int dim, byte[] q, int from0,
            int from1, float[] s, int column0, int column1, int ldS) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00;
        FloatVector a60 = a00, a61 = a00, a70 = a00, a71 = a00, a80 = a00, a81 = a00, a90 = a00, a91 = a00;
        int at0 = from0;
        int at1 = from1;
        int w = k0;
        for (int d = 0; d < dim; d++, at0 += SAMPLE_BLOCK, at1 += SAMPLE_BLOCK, w += classes) {
            FloatVector x0 = signedValues(q, at0);
            FloatVector x1 = signedValues(q, at1);
            FloatVector c = FloatVector.broadcast(F, wt[w]);
            a00 = x0.fma(c, a00);
            a01 = x1.fma(c, a01);
            c = FloatVector.broadcast(F, wt[w + 1]);
            a10 = x0.fma(c, a10);
            a11 = x1.fma(c, a11);
            c = FloatVector.broadcast(F, wt[w + 2]);
            a20 = x0.fma(c, a20);
            a21 = x1.fma(c, a21);
            c = FloatVector.broadcast(F, wt[w + 3]);
            a30 = x0.fma(c, a30);
            a31 = x1.fma(c, a31);
            c = FloatVector.broadcast(F, wt[w + 4]);
            a40 = x0.fma(c, a40);
            a41 = x1.fma(c, a41);
            c = FloatVector.broadcast(F, wt[w + 5]);
            a50 = x0.fma(c, a50);
            a51 = x1.fma(c, a51);
            c = FloatVector.broadcast(F, wt[w + 6]);
            a60 = x0.fma(c, a60);
            a61 = x1.fma(c, a61);
            c = FloatVector.broadcast(F, wt[w + 7]);
            a70 = x0.fma(c, a70);
            a71 = x1.fma(c, a71);
            c = FloatVector.broadcast(F, wt[w + 8]);
            a80 = x0.fma(c, a80);
            a81 = x1.fma(c, a81);
            c = FloatVector.broadcast(F, wt[w + 9]);
            a90 = x0.fma(c, a90);
            a91 = x1.fma(c, a91);
        }
        int row0 = k0 * ldS + column0;
        int row1 = k0 * ldS + column1;
        a00.add(b[k0]).intoArray(s, row0);
        a01.add(b[k0]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a10.add(b[k0 + 1]).intoArray(s, row0);
        a11.add(b[k0 + 1]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a20.add(b[k0 + 2]).intoArray(s, row0);
        a21.add(b[k0 + 2]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a30.add(b[k0 + 3]).intoArray(s, row0);
        a31.add(b[k0 + 3]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a40.add(b[k0 + 4]).intoArray(s, row0);
        a41.add(b[k0 + 4]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a50.add(b[k0 + 5]).intoArray(s, row0);
        a51.add(b[k0 + 5]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a60.add(b[k0 + 6]).intoArray(s, row0);
        a61.add(b[k0 + 6]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a70.add(b[k0 + 7]).intoArray(s, row0);
        a71.add(b[k0 + 7]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a80.add(b[k0 + 8]).intoArray(s, row0);
        a81.add(b[k0 + 8]).intoArray(s, row1);
        row0 += ldS;
        row1 += ldS;
        a90.add(b[k0 + 9]).intoArray(s, row0);
        a91.add(b[k0 + 9]).intoArray(s, row1);
    }

    /** One class past the last full 10-class tile, for the same two vectors of samples as {@link #blockTile10x2}. */
    private static void blockTile1x2(float[] wt, float[] b, int k, int classes, int dim, byte[] q, int from0,
            int from1, float[] s, int column0, int column1, int ldS) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        int at0 = from0;
        int at1 = from1;
        int w = k;
        for (int d = 0; d < dim; d++, at0 += SAMPLE_BLOCK, at1 += SAMPLE_BLOCK, w += classes) {
            FloatVector c = FloatVector.broadcast(F, wt[w]);
            a0 = signedValues(q, at0).fma(c, a0);
            a1 = signedValues(q, at1).fma(c, a1);
        }
        a0.add(b[k]).intoArray(s, k * ldS + column0);
        a1.add(b[k]).intoArray(s, k * ldS + column1);
    }

    // ---------------------------------------------------------------------------------------------
    // Fused softmax + cross-entropy over K x n scores, vectorised across samples.

    @Override
    public void softmaxCrossEntropy(float[] s, int classes, int n, int[] labels, float[] g, float gScale,
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

    // ---------------------------------------------------------------------------------------------
    // Weight gradient of the batch or a part of it, stored: A (K x D) = G (K x m) Q (m x D), G read
    // sample-major (m x K)

    /**
     * {@code A = G Q} for columns [d, d + 2L) of 10 classes starting at k0, over the samples
     * [jFrom, jFrom + count): 20 accumulators, one pass over those samples, left in {@code scratch}
     * (class-major, 2 vectors per class) for {@link #storeTile}.
     */
    private static void tile10x2(float[] gT, int k0, int classes, int jFrom, int count, byte[] q, int rowLength,
            int firstColumn, int[] rows, int rowStart, int d, float[] scratch) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00;
        FloatVector a60 = a00, a61 = a00, a70 = a00, a71 = a00, a80 = a00, a81 = a00, a90 = a00, a91 = a00;
        int gj = jFrom * classes + k0;
        for (int j = 0; j < count; j++, gj += classes) {
            int at = rows[rowStart + jFrom + j] * rowLength - firstColumn + d;
            FloatVector v0 = pixels(q, at);
            FloatVector v1 = pixels(q, at + L);
            FloatVector c = FloatVector.broadcast(F, gT[gj]);
            a00 = v0.fma(c, a00);
            a01 = v1.fma(c, a01);
            c = FloatVector.broadcast(F, gT[gj + 1]);
            a10 = v0.fma(c, a10);
            a11 = v1.fma(c, a11);
            c = FloatVector.broadcast(F, gT[gj + 2]);
            a20 = v0.fma(c, a20);
            a21 = v1.fma(c, a21);
            c = FloatVector.broadcast(F, gT[gj + 3]);
            a30 = v0.fma(c, a30);
            a31 = v1.fma(c, a31);
            c = FloatVector.broadcast(F, gT[gj + 4]);
            a40 = v0.fma(c, a40);
            a41 = v1.fma(c, a41);
            c = FloatVector.broadcast(F, gT[gj + 5]);
            a50 = v0.fma(c, a50);
            a51 = v1.fma(c, a51);
            c = FloatVector.broadcast(F, gT[gj + 6]);
            a60 = v0.fma(c, a60);
            a61 = v1.fma(c, a61);
            c = FloatVector.broadcast(F, gT[gj + 7]);
            a70 = v0.fma(c, a70);
            a71 = v1.fma(c, a71);
            c = FloatVector.broadcast(F, gT[gj + 8]);
            a80 = v0.fma(c, a80);
            a81 = v1.fma(c, a81);
            c = FloatVector.broadcast(F, gT[gj + 9]);
            a90 = v0.fma(c, a90);
            a91 = v1.fma(c, a91);
        }
        // The accumulators leave the registers through the scratch array, and storeTile reads them
        // back: a helper taking vectors may not be inlined in a method this large (C2's node limits),
        // and a vector passed to a call that is not inlined is boxed on the heap.
        a00.intoArray(scratch, 0);
        a01.intoArray(scratch, L);
        a10.intoArray(scratch, 2 * L);
        a11.intoArray(scratch, 3 * L);
        a20.intoArray(scratch, 4 * L);
        a21.intoArray(scratch, 5 * L);
        a30.intoArray(scratch, 6 * L);
        a31.intoArray(scratch, 7 * L);
        a40.intoArray(scratch, 8 * L);
        a41.intoArray(scratch, 9 * L);
        a50.intoArray(scratch, 10 * L);
        a51.intoArray(scratch, 11 * L);
        a60.intoArray(scratch, 12 * L);
        a61.intoArray(scratch, 13 * L);
        a70.intoArray(scratch, 14 * L);
        a71.intoArray(scratch, 15 * L);
        a80.intoArray(scratch, 16 * L);
        a81.intoArray(scratch, 17 * L);
        a90.intoArray(scratch, 18 * L);
        a91.intoArray(scratch, 19 * L);
    }

    /** {@code A = G Q} for columns [d, d + L) of 10 classes from k0, samples [jFrom, jFrom + count), to scratch. */
    private static void tile10x1(float[] gT, int k0, int classes, int jFrom, int count, byte[] q, int rowLength,
            int firstColumn, int[] rows, int rowStart, int d, float[] scratch) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0;
        FloatVector a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
        int gj = jFrom * classes + k0;
        for (int j = 0; j < count; j++, gj += classes) {
            FloatVector v = pixels(q, rows[rowStart + jFrom + j] * rowLength - firstColumn + d);
            a0 = v.fma(FloatVector.broadcast(F, gT[gj]), a0);
            a1 = v.fma(FloatVector.broadcast(F, gT[gj + 1]), a1);
            a2 = v.fma(FloatVector.broadcast(F, gT[gj + 2]), a2);
            a3 = v.fma(FloatVector.broadcast(F, gT[gj + 3]), a3);
            a4 = v.fma(FloatVector.broadcast(F, gT[gj + 4]), a4);
            a5 = v.fma(FloatVector.broadcast(F, gT[gj + 5]), a5);
            a6 = v.fma(FloatVector.broadcast(F, gT[gj + 6]), a6);
            a7 = v.fma(FloatVector.broadcast(F, gT[gj + 7]), a7);
            a8 = v.fma(FloatVector.broadcast(F, gT[gj + 8]), a8);
            a9 = v.fma(FloatVector.broadcast(F, gT[gj + 9]), a9);
        }
        a0.intoArray(scratch, 0);
        a1.intoArray(scratch, L);
        a2.intoArray(scratch, 2 * L);
        a3.intoArray(scratch, 3 * L);
        a4.intoArray(scratch, 4 * L);
        a5.intoArray(scratch, 5 * L);
        a6.intoArray(scratch, 6 * L);
        a7.intoArray(scratch, 7 * L);
        a8.intoArray(scratch, 8 * L);
        a9.intoArray(scratch, 9 * L);
    }

    @Override
    public void gradientPart(float[] gT, int classes, int jFrom, int count, byte[] q, int rowLength,
            int firstColumn, int[] rows, int rowStart, float[] out, int dim, int dFrom, int dTo) {
        int strip = GRAD_VECTORS * L;
        int fullClasses = classes - classes % GRAD_CLASSES;
        float[] scratch = VectorMath.scratch();
        int d = dFrom;
        for (; d + strip <= dTo; d += strip) {
            for (int k = 0; k < fullClasses; k += GRAD_CLASSES) {
                tile10x2(gT, k, classes, jFrom, count, q, rowLength, firstColumn, rows, rowStart, d, scratch);
                storeTile(scratch, out, k, dim, d, GRAD_VECTORS);
            }
        }
        for (; d + L <= dTo; d += L) {
            for (int k = 0; k < fullClasses; k += GRAD_CLASSES) {
                tile10x1(gT, k, classes, jFrom, count, q, rowLength, firstColumn, rows, rowStart, d, scratch);
                storeTile(scratch, out, k, dim, d, 1);
            }
        }
        int vectorEnd = d;
        // tail: columns past the last whole vector, and classes past the last whole tile, scalar
        for (int k = 0; k < classes; k++) {
            for (int col = k < fullClasses ? vectorEnd : dFrom; col < dTo; col++) {
                float sum = 0f;
                for (int j = jFrom; j < jFrom + count; j++) {
                    sum += gT[j * classes + k] * signed(q[rows[rowStart + j] * rowLength - firstColumn + col]);
                }
                out[k * dim + col] = sum;
            }
        }
    }

    // The quad tiles below repeat the row tiles but for how a sample's pixels are found: each layout has its
    // own tiles with its offsets as constants, since one tile for both layouts (each sample's start read from
    // an array, its second vector at a distance passed in) slows the row gradient (docs/performance.md).

    /** {@link #tile10x2} on a quad plane, the strip's columns at {@code columnAt} in each quad. */
    private static void quadTile10x2(float[] gT, int k0, int classes, int count, byte[] q, int quadBytes, int[] rows,
            int rowStart, int columnAt, float[] scratch) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00;
        FloatVector a60 = a00, a61 = a00, a70 = a00, a71 = a00, a80 = a00, a81 = a00, a90 = a00, a91 = a00;
        int gj = k0;
        for (int j = 0; j < count; j++, gj += classes) {
            int image = rows[rowStart + j];
            int at = (image >> QUAD_SHIFT) * quadBytes + (image & (SampleQuads.MEMBERS - 1)) * L + columnAt;
            FloatVector v0 = pixels(q, at);
            FloatVector v1 = pixels(q, at + SampleQuads.MEMBERS * L);
            FloatVector c = FloatVector.broadcast(F, gT[gj]);
            a00 = v0.fma(c, a00);
            a01 = v1.fma(c, a01);
            c = FloatVector.broadcast(F, gT[gj + 1]);
            a10 = v0.fma(c, a10);
            a11 = v1.fma(c, a11);
            c = FloatVector.broadcast(F, gT[gj + 2]);
            a20 = v0.fma(c, a20);
            a21 = v1.fma(c, a21);
            c = FloatVector.broadcast(F, gT[gj + 3]);
            a30 = v0.fma(c, a30);
            a31 = v1.fma(c, a31);
            c = FloatVector.broadcast(F, gT[gj + 4]);
            a40 = v0.fma(c, a40);
            a41 = v1.fma(c, a41);
            c = FloatVector.broadcast(F, gT[gj + 5]);
            a50 = v0.fma(c, a50);
            a51 = v1.fma(c, a51);
            c = FloatVector.broadcast(F, gT[gj + 6]);
            a60 = v0.fma(c, a60);
            a61 = v1.fma(c, a61);
            c = FloatVector.broadcast(F, gT[gj + 7]);
            a70 = v0.fma(c, a70);
            a71 = v1.fma(c, a71);
            c = FloatVector.broadcast(F, gT[gj + 8]);
            a80 = v0.fma(c, a80);
            a81 = v1.fma(c, a81);
            c = FloatVector.broadcast(F, gT[gj + 9]);
            a90 = v0.fma(c, a90);
            a91 = v1.fma(c, a91);
        }
        // The accumulators leave the registers through the scratch array, and storeTile reads them
        // back: a helper taking vectors may not be inlined in a method this large (C2's node limits),
        // and a vector passed to a call that is not inlined is boxed on the heap.
        a00.intoArray(scratch, 0);
        a01.intoArray(scratch, L);
        a10.intoArray(scratch, 2 * L);
        a11.intoArray(scratch, 3 * L);
        a20.intoArray(scratch, 4 * L);
        a21.intoArray(scratch, 5 * L);
        a30.intoArray(scratch, 6 * L);
        a31.intoArray(scratch, 7 * L);
        a40.intoArray(scratch, 8 * L);
        a41.intoArray(scratch, 9 * L);
        a50.intoArray(scratch, 10 * L);
        a51.intoArray(scratch, 11 * L);
        a60.intoArray(scratch, 12 * L);
        a61.intoArray(scratch, 13 * L);
        a70.intoArray(scratch, 14 * L);
        a71.intoArray(scratch, 15 * L);
        a80.intoArray(scratch, 16 * L);
        a81.intoArray(scratch, 17 * L);
        a90.intoArray(scratch, 18 * L);
        a91.intoArray(scratch, 19 * L);
    }

    /** {@link #tile10x1} on a quad plane. */
    private static void quadTile10x1(float[] gT, int k0, int classes, int count, byte[] q, int quadBytes, int[] rows,
            int rowStart, int columnAt, float[] scratch) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0;
        FloatVector a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
        int gj = k0;
        for (int j = 0; j < count; j++, gj += classes) {
            int image = rows[rowStart + j];
            FloatVector v = pixels(q, (image >> QUAD_SHIFT) * quadBytes + (image & (SampleQuads.MEMBERS - 1)) * L
                    + columnAt);
            a0 = v.fma(FloatVector.broadcast(F, gT[gj]), a0);
            a1 = v.fma(FloatVector.broadcast(F, gT[gj + 1]), a1);
            a2 = v.fma(FloatVector.broadcast(F, gT[gj + 2]), a2);
            a3 = v.fma(FloatVector.broadcast(F, gT[gj + 3]), a3);
            a4 = v.fma(FloatVector.broadcast(F, gT[gj + 4]), a4);
            a5 = v.fma(FloatVector.broadcast(F, gT[gj + 5]), a5);
            a6 = v.fma(FloatVector.broadcast(F, gT[gj + 6]), a6);
            a7 = v.fma(FloatVector.broadcast(F, gT[gj + 7]), a7);
            a8 = v.fma(FloatVector.broadcast(F, gT[gj + 8]), a8);
            a9 = v.fma(FloatVector.broadcast(F, gT[gj + 9]), a9);
        }
        a0.intoArray(scratch, 0);
        a1.intoArray(scratch, L);
        a2.intoArray(scratch, 2 * L);
        a3.intoArray(scratch, 3 * L);
        a4.intoArray(scratch, 4 * L);
        a5.intoArray(scratch, 5 * L);
        a6.intoArray(scratch, 6 * L);
        a7.intoArray(scratch, 7 * L);
        a8.intoArray(scratch, 8 * L);
        a9.intoArray(scratch, 9 * L);
    }

    /** Needs L == {@link SampleQuads#UNIT}. */
    @Override
    public void quadGradient(float[] gT, int classes, int count, byte[] q, int width, int firstColumn,
            int[] rows, int rowStart, float[] out, int dim, int dFrom, int dTo) {
        requireQuadLanes();
        int quadBytes = SampleQuads.MEMBERS * width;
        int strip = GRAD_VECTORS * L;
        int fullClasses = classes - classes % GRAD_CLASSES;
        float[] scratch = VectorMath.scratch();
        int d = dFrom;
        for (; d + strip <= dTo; d += strip) {
            for (int k = 0; k < fullClasses; k += GRAD_CLASSES) {
                quadTile10x2(gT, k, classes, count, q, quadBytes, rows, rowStart,
                        SampleQuads.MEMBERS * (d - firstColumn), scratch);
                storeTile(scratch, out, k, dim, d, GRAD_VECTORS);
            }
        }
        for (; d + L <= dTo; d += L) {
            for (int k = 0; k < fullClasses; k += GRAD_CLASSES) {
                quadTile10x1(gT, k, classes, count, q, quadBytes, rows, rowStart,
                        SampleQuads.MEMBERS * (d - firstColumn), scratch);
                storeTile(scratch, out, k, dim, d, 1);
            }
        }
        int vectorEnd = d;
        // tail: columns past the last whole vector, and classes past the last whole tile, scalar
        for (int k = 0; k < classes; k++) {
            for (int col = k < fullClasses ? vectorEnd : dFrom; col < dTo; col++) {
                float sum = 0f;
                for (int j = 0; j < count; j++) {
                    sum += gT[j * classes + k] * signed(q[SampleQuads.offset(rows[rowStart + j], col - firstColumn,
                            width)]);
                }
                out[k * dim + col] = sum;
            }
        }
    }

    /** The accumulators a tile left in {@code scratch} (class-major, {@code vectors} per class) into P. */
    private static void storeTile(float[] scratch, float[] out, int k0, int dim, int d, int vectors) {
        for (int k = 0; k < GRAD_CLASSES; k++) {
            for (int v = 0; v < vectors; v++) {
                FloatVector.fromArray(F, scratch, (k * vectors + v) * L).intoArray(out, (k0 + k) * dim + d + v * L);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Step from the stored gradient A, refolded: dW = A diag(a) + gSum c^T + 2 lambda W,
    // W <- W + scale dW, W' = W diag(a), shift[strip][k] = sum over the strip of W[k][d] c[d]

    @Override
    public void stepFromGradient(float[] gradient, float[] gSum, int classes, int dim, float[] a,
            float[] c, float[] w, float[] wCopy, float twoLambda, float scale, float[] wFolded, float[] shiftOut,
            int strip, int dFrom, int dTo) {
        float[] scratch = VectorMath.scratch();
        FloatVector twoLambdaV = FloatVector.broadcast(F, twoLambda);
        for (int s0 = dFrom; s0 < dTo; s0 += strip) {
            int s1 = Math.min(dTo, s0 + strip);
            int bound = s0 + F.loopBound(s1 - s0);
            // Classes a group of L at a time: their shift vectors wait in scratch for one lane-sum butterfly
            // (same bits as a sum per class, fewer reduction steps).
            for (int k0 = 0; k0 < classes; k0 += L) {
                int k1 = Math.min(classes, k0 + L);
                for (int k = k0; k < k1; k++) {
                    int row = k * dim;
                    FloatVector gSumV = FloatVector.broadcast(F, gSum[k]);
                    FloatVector shift = FloatVector.zero(F);
                    int d = s0;
                    for (; d < bound; d += L) {
                        FloatVector acc = FloatVector.fromArray(F, gradient, row + d);
                        FloatVector av = FloatVector.fromArray(F, a, d);
                        FloatVector cv = FloatVector.fromArray(F, c, d);
                        FloatVector wv = FloatVector.fromArray(F, w, row + d);
                        FloatVector grad = wv.fma(twoLambdaV, acc.fma(av, cv.mul(gSumV)));
                        wv = wv.add(grad.mul(scale));
                        wv.intoArray(w, row + d);
                        if (wCopy != null) {
                            wv.intoArray(wCopy, row + d);
                        }
                        wv.mul(av).intoArray(wFolded, row + d);
                        shift = wv.fma(cv, shift);
                    }
                    shift.intoArray(scratch, (k - k0) * L);
                    // tail: the strip's last (s1 - s0) % L columns, scalar (their shift terms come after the lane sum)
                    for (; d < s1; d++) {
                        float acc = gradient[row + d];
                        float wkd = w[row + d];
                        wkd += scale * (acc * a[d] + gSum[k] * c[d] + twoLambda * wkd);
                        w[row + d] = wkd;
                        if (wCopy != null) {
                            wCopy[row + d] = wkd;
                        }
                        wFolded[row + d] = wkd * a[d];
                    }
                }
                VectorMath.laneSumsOfGroup(scratch, 0, scratch, VectorMath.SUMS);
                for (int k = k0; k < k1; k++) {
                    float sum = scratch[VectorMath.SUMS + k - k0];
                    for (int d = bound; d < s1; d++) {
                        sum += w[k * dim + d] * c[d];
                    }
                    shiftOut[s0 / strip * classes + k] = sum;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** Elements summed in float lanes before the partial sum moves to double: float error stays ~1e-7 relative. */
    static final int SQUARES_BLOCK = 4096;

    @Override
    public double sumOfSquares(float[] a, int from, int to) {
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
}

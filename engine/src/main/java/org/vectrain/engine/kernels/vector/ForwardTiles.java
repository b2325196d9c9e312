package org.vectrain.engine.kernels.vector;

import static org.vectrain.engine.kernels.vector.PixelVectors.pixels;
import static org.vectrain.engine.kernels.vector.PixelVectors.requireQuadLanes;
import static org.vectrain.engine.kernels.vector.PixelVectors.signed;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.scalar.ScalarKernels;
import org.vectrain.engine.layout.SampleQuads;

/**
 * Forward scores of a batch on folded parameters, {@code S (K x n) = W' (K x D) Q_batch^T (D x n) + b'}, for
 * {@link Kernels#partialScores} (images in rows) and {@link Kernels#quadScores} (images in
 * {@link SampleQuads}); each row tile sits beside its quad twin. The scalar twin is {@link ScalarKernels}.
 *
 * <p>Register tile: 4 samples x 5 classes, 20 accumulators live (AVX-512 has 32 vector registers), each
 * loaded pixel vector feeding 5 FMAs. The accumulators are summed across lanes a group of L samples at a
 * time, where one butterfly gives L scores. Pixels arrive as bytes and are widened to floats in registers
 * (exact: every byte is a float), so memory traffic is a quarter of a float matrix. Arguments are assumed
 * valid.
 */
final class ForwardTiles {
    private static final VectorSpecies<Float> F = SimdSpecies.FLOAT;
    private static final int L = F.length();

    /** Samples per forward register tile; each loaded X vector feeds 5 FMAs. */
    static final int FWD_SAMPLES = 4;
    /** Classes per forward register tile (K = 10 is two tiles). */
    static final int FWD_CLASSES = 5;
    /**
     * Whether a 4-sample tile runs as two 2-sample tiles: 10 accumulators instead of 20, which fit the 16
     * vector registers of AVX2, the 256-bit species' hardware (AVX-512 and ARM's NEON have 32). Each score
     * sums the same products in the same order either way, so the bits do not change.
     */
    static final boolean SPLIT_TILES = L == 8;
    /** Classes per forward edge tile (one sample past the last 4-sample tile). */
    static final int EDGE_CLASSES = 10;

    private ForwardTiles() {
    }

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
    static void partialScores(float[] w, float[] b, int classes, int dim, int dFrom, int dTo, byte[] q, int rowLength,
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
                        if (SPLIT_TILES) {
                            tile2x5(w, k, dim, dFrom, dTo, q, rowLength, firstColumn, rows, rowStart, j + r, group, r);
                            tile2x5(w, k, dim, dFrom, dTo, q, rowLength, firstColumn, rows, rowStart, j + r + 2, group,
                                    r + 2);
                        } else {
                            tile4x5(w, k, dim, dFrom, dTo, q, rowLength, firstColumn, rows, rowStart, j + r, group, r);
                        }
                    }
                }
                groupScores(group, members, w, b, fullClasses, dim, dFrom, dTo, q, rowLength, firstColumn, rows,
                        rowStart + j, s, sOffset + j, ldS, scratch);
            }
        }
        // Edges: samples past the last full tile (10 classes at a time where there are 10), classes past
        // the last full tile (one dot product each).
        int edgeClasses = classes - classes % EDGE_CLASSES;
        int vectorLen = PixelVectors.vectorEnd(dFrom, dTo, dim) - dFrom;
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
                float dot = dot(w, k * dim + dFrom, q, qRow + dFrom, dTo - dFrom, vectorLen, scratch);
                s[sOffset + k * ldS + j] = b == null ? dot : b[k] + dot;
            }
        }
    }

    /**
     * As {@link #partialScores}, with each 4-sample tile the four members of one quad: their pixels are one
     * offset plus constants, so the tile's loop keeps one pixel offset live instead of four. A last quad that
     * the batch does not fill is computed whole and only its batch members' scores are kept; classes past
     * the last whole tile take one dot product each. Needs L == {@link SampleQuads#UNIT}.
     */
    static void quadScores(float[] w, int classes, int dim, int dFrom, int dTo, byte[] quads, int width,
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
     * The scores of the {@code members} samples of a group (rows from {@code rows[rowStart]}) for classes
     * [0, classes), from the accumulators the tiles left in {@code group}: the lane sums, plus b when not
     * null, plus the columns past the last whole vector, to {@code s[c0 + k * ldS + j]}.
     */
    private static void groupScores(float[] group, int members, float[] w, float[] b, int classes, int dim,
            int dFrom, int dTo, byte[] q, int rowLength, int firstColumn, int[] rows, int rowStart, float[] s, int c0,
            int ldS, float[] scratch) {
        int tailFrom = PixelVectors.vectorEnd(dFrom, dTo, dim);
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

    /** As {@link #tile4x5} for 2 samples (from j0): 10 accumulators, members r0 and r0 + 1 of the group. */
    private static void tile2x5(float[] w, int k0, int dim, int dFrom, int dTo, byte[] q, int rowLength,
            int firstColumn, int[] rows, int rowStart, int j0, float[] group, int r0) {
        int x0 = rows[rowStart + j0] * rowLength - firstColumn;
        int x1 = rows[rowStart + j0 + 1] * rowLength - firstColumn;
        int w0 = k0 * dim;
        int w1 = w0 + dim;
        int w2 = w1 + dim;
        int w3 = w2 + dim;
        int w4 = w3 + dim;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00, a04 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00;
        int bound = PixelVectors.vectorEnd(dFrom, dTo, dim);
        for (int d = dFrom; d < bound; d += L) {
            FloatVector v0 = pixels(q, x0 + d);
            FloatVector v1 = pixels(q, x1 + d);
            FloatVector c = FloatVector.fromArray(F, w, w0 + d);
            a00 = v0.fma(c, a00);
            a10 = v1.fma(c, a10);
            c = FloatVector.fromArray(F, w, w1 + d);
            a01 = v0.fma(c, a01);
            a11 = v1.fma(c, a11);
            c = FloatVector.fromArray(F, w, w2 + d);
            a02 = v0.fma(c, a02);
            a12 = v1.fma(c, a12);
            c = FloatVector.fromArray(F, w, w3 + d);
            a03 = v0.fma(c, a03);
            a13 = v1.fma(c, a13);
            c = FloatVector.fromArray(F, w, w4 + d);
            a04 = v0.fma(c, a04);
            a14 = v1.fma(c, a14);
        }
        int at = (k0 * L + r0) * L;
        a00.intoArray(group, at);
        a10.intoArray(group, at + L);
        at += L * L;
        a01.intoArray(group, at);
        a11.intoArray(group, at + L);
        at += L * L;
        a02.intoArray(group, at);
        a12.intoArray(group, at + L);
        at += L * L;
        a03.intoArray(group, at);
        a13.intoArray(group, at + L);
        at += L * L;
        a04.intoArray(group, at);
        a14.intoArray(group, at + L);
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
        int bound = PixelVectors.vectorEnd(dFrom, dTo, dim);
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
     * S[k0..k0+10)[j] of one sample past the last 4-sample tile, on columns [dFrom, dTo): ten independent
     * accumulators, where one dot product per class would wait on each fused multiply-add in turn.
     */
    private static void tile1x10(float[] w, float[] b, int k0, int dim, int dFrom, int dTo, byte[] q, int qRow,
            float[] s, int at, int ldS, float[] scratch) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0;
        FloatVector a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
        int w0 = k0 * dim;
        int bound = PixelVectors.vectorEnd(dFrom, dTo, dim);
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
     * Dot product of w[wFrom, wFrom + len) and the pixels q[qFrom, qFrom + len), whole vectors over the first
     * {@code vectorLen} ({@link PixelVectors#vectorEnd}).
     */
    private static float dot(float[] w, int wFrom, byte[] q, int qFrom, int len, int vectorLen, float[] scratch) {
        FloatVector acc = FloatVector.zero(F);
        int bound = vectorLen;
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
}

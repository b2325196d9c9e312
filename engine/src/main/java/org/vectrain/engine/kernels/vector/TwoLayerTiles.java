package org.vectrain.engine.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.vectrain.engine.kernels.DenseLayer;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.kernels.scalar.ScalarKernels;

/**
 * The two-layer network's kernels ({@link TwoLayerKernels}, which states their math and shapes) on the species of
 * {@link SimdSpecies}. The scalar twin is {@link org.vectrain.engine.kernels.scalar.ScalarTwoLayerKernels}.
 *
 * <p>The two GEMMs with D read the packed batch, a block of {@link TwoLayerKernels#DEPTH_BLOCK} columns at a
 * time, so a block of it (400 KB for 100 samples) is read from L2 by the tiles of every unit:
 * <ul>
 *   <li>the forward product {@code H = W1 X} (m x D' times D' x n) in register tiles of {@link #FORWARD_UNITS}
 *       units x {@link #FORWARD_SAMPLES} samples, vectors along D: 16 accumulators (8 on 16-register CPUs),
 *       each a dot product whose lanes carry their partial sums from block to block and are reduced once, after
 *       the last ({@link VectorMath#laneSumsOfGroup});
 *   <li>the weight gradient {@code dW1 = G1 X^T} (m x n times n x D') in tiles of {@link #STEP_UNITS} units x
 *       {@link #STEP_VECTORS} vectors of D, the sum over the batch in registers, and the update of those W1
 *       entries done from the registers: the gradient is never stored.
 * </ul>
 * The second layer's products (K x m by m x n and its transposes) are small beside these: vectors along the
 * batch, one unit or class at a time. A tile at the edge of the units or the batch repeats its last unit or sample
 * where it lacks one and keeps only its own results, so every size runs whole tiles. Every output has one
 * accumulator and sums its terms in the contract's order, so its bits do not depend on the tile it was in; all but
 * the forward product and dW2 (which reduce lanes) give the scalar twin's bits too. Arguments are assumed valid.
 */
final class TwoLayerTiles {
    private static final VectorSpecies<Float> F = SimdSpecies.FLOAT;
    private static final int L = F.length();
    private static final int BLOCK = TwoLayerKernels.DEPTH_BLOCK;
    private static final int ROW = TwoLayerKernels.PACKED_ROW;

    /** Units per forward register tile. */
    static final int FORWARD_UNITS = 4;
    /**
     * Samples per forward register tile: 4 x 4 accumulators with 32 vector registers (AVX-512, NEON), 4 x 2 with 16
     * (AVX2, SSE), so that the tile and its operands stay in registers.
     */
    static final int FORWARD_SAMPLES = L >= 16 ? 4 : 2;
    /**
     * Units per weight-gradient register tile, each sample's G1 values that many broadcasts against 2 vectors of
     * features: 8 x 2 accumulators where there are 32 registers, 4 x 2 where there are 16.
     */
    static final int STEP_UNITS = L >= 16 ? 8 : 4;
    /** Units of the narrow weight-gradient tile ({@link #stepTile4x2}), for the last few units of a range. */
    private static final int NARROW_UNITS = 4;
    /** Vectors of D per weight-gradient register tile. */
    static final int STEP_VECTORS = 2;
    /** Per thread: the row offsets a tile reads, set per tile so that an edge tile can repeat its last row. */
    private static final ThreadLocal<int[]> OFFSETS = ThreadLocal.withInitial(() -> new int[16]);
    /** Per thread: the forward tiles' per-lane partial sums from one block to the next; grown on demand. */
    private static final ThreadLocal<float[][]> PARTIALS = ThreadLocal.withInitial(() -> new float[1][0]);
    /** Per thread: the weight-gradient tiles' rows of G1 side by side; grown on demand. */
    private static final ThreadLocal<float[][]> GROUPED = ThreadLocal.withInitial(() -> new float[1][0]);
    /** Sample vectors per tile of the second layer's products. */
    private static final int SAMPLE_VECTORS = 4;

    private TwoLayerTiles() {
    }

    /**
     * {@link TwoLayerKernels#pack} from {@code packed[start]}: features {@code scale * q + shift}, a product then a
     * sum as the twin rounds.
     */
    static void pack(byte[] pixels, int rowLength, int[] rows, int rowStart, int n, int jFrom, int jTo,
            float[] scale, float[] shift, int dim, float[] packed, int start) {
        int padded = TwoLayerKernels.paddedDim(dim);
        int vectorEnd = PixelVectors.vectorEnd(0, dim, dim);
        for (int j = jFrom; j < jTo; j++) {
            int image = rows[rowStart + j] * rowLength;
            int d = 0;
            for (; d < vectorEnd; d += L) {
                int block = d / BLOCK;
                FloatVector x = PixelVectors.pixels(pixels, image + d).mul(FloatVector.fromArray(F, scale, d))
                        .add(FloatVector.fromArray(F, shift, d));
                x.intoArray(packed, start + (block * n + j) * ROW + d - block * BLOCK);
            }
            tail:
            for (; d < padded; d++) {
                int block = d / BLOCK;
                float x = d < dim ? scale[d] * ScalarKernels.signed(pixels[image + d]) + shift[d] : 0f;
                packed[start + (block * n + j) * ROW + d - block * BLOCK] = x;
            }
        }
    }

    /**
     * {@link TwoLayerKernels#hiddenForward} on the batch packed from {@code x[xStart]}: per block, the tiles add
     * their dot products into H; then {@code H = max(0, b1 + H)}. A tile at the edge of the units or the batch repeats
     * its last unit or sample in the places it lacks, and only its own values are kept.
     */
    static void hiddenForward(float[] x, int xStart, int n, DenseLayer first, int uFrom, int uTo, float[] h) {
        float[] w = first.w();
        float[] b = first.b();
        int padded = first.cols();
        float[] scratch = VectorMath.scratch();
        int[] at = OFFSETS.get();
        int blocks = padded / BLOCK;
        int tileFloats = FORWARD_UNITS * FORWARD_SAMPLES * L;
        int sampleTiles = (n + FORWARD_SAMPLES - 1) / FORWARD_SAMPLES;
        int unitTiles = (uTo - uFrom + FORWARD_UNITS - 1) / FORWARD_UNITS;
        float[] partial = atLeast(PARTIALS, unitTiles * sampleTiles * tileFloats);
        for (int block = 0; block < blocks; block++) {
            int wColumn = first.start() + block * BLOCK;
            int xBlock = xStart + block * n * ROW;
            // 0: the first block starts from zero; 2: the last reduces the lanes; 1: between, partial sums carry on;
            // 3: a single block does both
            int position = blocks == 1 ? 3 : block == blocks - 1 ? 2 : block == 0 ? 0 : 1;
            int tile = 0;
            for (int i = uFrom; i < uTo; i += FORWARD_UNITS) {
                int units = Math.min(FORWARD_UNITS, uTo - i);
                for (int r = 0; r < FORWARD_UNITS; r++) {
                    at[r] = (i + Math.min(r, units - 1)) * padded + wColumn;
                }
                for (int j = 0; j < n; j += FORWARD_SAMPLES, tile++) {
                    int samples = Math.min(FORWARD_SAMPLES, n - j);
                    for (int c = 0; c < FORWARD_SAMPLES; c++) {
                        at[FORWARD_UNITS + c] = xBlock + (j + Math.min(c, samples - 1)) * ROW;
                    }
                    int partialAt = tile * tileFloats;
                    if (FORWARD_SAMPLES == 4) {
                        forwardTile4x4(x, w, at, partial, partialAt, position, scratch);
                    } else {
                        forwardTile4x2(x, w, at, partial, partialAt, position, scratch);
                    }
                    if (position >= 2) {
                        for (int r = 0; r < units; r++) {
                            float bias = b[i + r];
                            for (int c = 0; c < samples; c++) {
                                h[(i + r) * n + j + c] = Math.max(0f,
                                        bias + scratch[VectorMath.SUMS + r * FORWARD_SAMPLES + c]);
                            }
                        }
                    }
                }
            }
        }
    }

    /** This thread's array held in {@code holder}, at least {@code floats} long: grown when it is not. */
    private static float[] atLeast(ThreadLocal<float[][]> holder, int floats) {
        float[][] own = holder.get();
        if (own[0].length < floats) {
            own[0] = new float[floats];
        }
        return own[0];
    }

    /**
     * Dot products of 4 rows of W1 (from {@code at[0..3]}) with 4 samples of the packed batch (from
     * {@code at[4..7]}) over a block, one vector of lane sums per pair, carried from block to block in
     * {@code partial} from {@code partialAt}: {@code position} 0 starts them at zero (the first block), 1 goes on
     * from them, 2 goes on and then reduces the lanes into {@code scratch[SUMS + r * 4 + c]}
     * ({@link VectorMath#laneSumsOfGroup}; the last block), 3 does both (a single block). Each lane sums its columns
     * in order over the whole of D, so the bits do not depend on the block size.
     */
    private static void forwardTile4x4(float[] x, float[] w, int[] at, float[] partial, int partialAt,
            int position, float[] scratch) {
        int w0At = at[0];
        int w1At = at[1];
        int w2At = at[2];
        int w3At = at[3];
        int x0At = at[4];
        int x1At = at[5];
        int x2At = at[6];
        int x3At = at[7];
        boolean fresh = position == 0 || position == 3;
        FloatVector a00 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt);
        FloatVector a01 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + L);
        FloatVector a02 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 2 * L);
        FloatVector a03 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 3 * L);
        FloatVector a10 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 4 * L);
        FloatVector a11 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 5 * L);
        FloatVector a12 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 6 * L);
        FloatVector a13 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 7 * L);
        FloatVector a20 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 8 * L);
        FloatVector a21 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 9 * L);
        FloatVector a22 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 10 * L);
        FloatVector a23 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 11 * L);
        FloatVector a30 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 12 * L);
        FloatVector a31 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 13 * L);
        FloatVector a32 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 14 * L);
        FloatVector a33 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 15 * L);
        for (int t = 0; t < BLOCK; t += L) {
            FloatVector x0 = FloatVector.fromArray(F, x, x0At + t);
            FloatVector x1 = FloatVector.fromArray(F, x, x1At + t);
            FloatVector x2 = FloatVector.fromArray(F, x, x2At + t);
            FloatVector x3 = FloatVector.fromArray(F, x, x3At + t);
            FloatVector w0 = FloatVector.fromArray(F, w, w0At + t);
            a00 = w0.fma(x0, a00);
            a01 = w0.fma(x1, a01);
            a02 = w0.fma(x2, a02);
            a03 = w0.fma(x3, a03);
            FloatVector w1 = FloatVector.fromArray(F, w, w1At + t);
            a10 = w1.fma(x0, a10);
            a11 = w1.fma(x1, a11);
            a12 = w1.fma(x2, a12);
            a13 = w1.fma(x3, a13);
            FloatVector w2 = FloatVector.fromArray(F, w, w2At + t);
            a20 = w2.fma(x0, a20);
            a21 = w2.fma(x1, a21);
            a22 = w2.fma(x2, a22);
            a23 = w2.fma(x3, a23);
            FloatVector w3 = FloatVector.fromArray(F, w, w3At + t);
            a30 = w3.fma(x0, a30);
            a31 = w3.fma(x1, a31);
            a32 = w3.fma(x2, a32);
            a33 = w3.fma(x3, a33);
        }
        if (position < 2) {
            a00.intoArray(partial, partialAt);
            a01.intoArray(partial, partialAt + L);
            a02.intoArray(partial, partialAt + 2 * L);
            a03.intoArray(partial, partialAt + 3 * L);
            a10.intoArray(partial, partialAt + 4 * L);
            a11.intoArray(partial, partialAt + 5 * L);
            a12.intoArray(partial, partialAt + 6 * L);
            a13.intoArray(partial, partialAt + 7 * L);
            a20.intoArray(partial, partialAt + 8 * L);
            a21.intoArray(partial, partialAt + 9 * L);
            a22.intoArray(partial, partialAt + 10 * L);
            a23.intoArray(partial, partialAt + 11 * L);
            a30.intoArray(partial, partialAt + 12 * L);
            a31.intoArray(partial, partialAt + 13 * L);
            a32.intoArray(partial, partialAt + 14 * L);
            a33.intoArray(partial, partialAt + 15 * L);
            return;
        }
        a00.intoArray(scratch, 0);
        a01.intoArray(scratch, L);
        a02.intoArray(scratch, 2 * L);
        a03.intoArray(scratch, 3 * L);
        a10.intoArray(scratch, 4 * L);
        a11.intoArray(scratch, 5 * L);
        a12.intoArray(scratch, 6 * L);
        a13.intoArray(scratch, 7 * L);
        a20.intoArray(scratch, 8 * L);
        a21.intoArray(scratch, 9 * L);
        a22.intoArray(scratch, 10 * L);
        a23.intoArray(scratch, 11 * L);
        a30.intoArray(scratch, 12 * L);
        a31.intoArray(scratch, 13 * L);
        a32.intoArray(scratch, 14 * L);
        a33.intoArray(scratch, 15 * L);
        for (int group = 0; group < 16; group += L) {
            VectorMath.laneSumsOfGroup(scratch, group * L, scratch, VectorMath.SUMS + group);
        }
    }

    /**
     * Dot products of 4 rows of W1 (from {@code at[0..3]}) with 2 samples of the packed batch (from
     * {@code at[4..5]}) over a block, one vector of lane sums per pair, carried from block to block in
     * {@code partial} from {@code partialAt}: {@code position} 0 starts them at zero (the first block), 1 goes on
     * from them, 2 goes on and then reduces the lanes into {@code scratch[SUMS + r * 2 + c]}
     * ({@link VectorMath#laneSumsOfGroup}; the last block), 3 does both (a single block). Each lane sums its columns
     * in order over the whole of D, so the bits do not depend on the block size.
     */
    private static void forwardTile4x2(float[] x, float[] w, int[] at, float[] partial, int partialAt,
            int position, float[] scratch) {
        int w0At = at[0];
        int w1At = at[1];
        int w2At = at[2];
        int w3At = at[3];
        int x0At = at[4];
        int x1At = at[5];
        boolean fresh = position == 0 || position == 3;
        FloatVector a00 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt);
        FloatVector a01 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + L);
        FloatVector a10 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 2 * L);
        FloatVector a11 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 3 * L);
        FloatVector a20 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 4 * L);
        FloatVector a21 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 5 * L);
        FloatVector a30 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 6 * L);
        FloatVector a31 = fresh ? FloatVector.zero(F) : FloatVector.fromArray(F, partial, partialAt + 7 * L);
        for (int t = 0; t < BLOCK; t += L) {
            FloatVector x0 = FloatVector.fromArray(F, x, x0At + t);
            FloatVector x1 = FloatVector.fromArray(F, x, x1At + t);
            FloatVector w0 = FloatVector.fromArray(F, w, w0At + t);
            a00 = w0.fma(x0, a00);
            a01 = w0.fma(x1, a01);
            FloatVector w1 = FloatVector.fromArray(F, w, w1At + t);
            a10 = w1.fma(x0, a10);
            a11 = w1.fma(x1, a11);
            FloatVector w2 = FloatVector.fromArray(F, w, w2At + t);
            a20 = w2.fma(x0, a20);
            a21 = w2.fma(x1, a21);
            FloatVector w3 = FloatVector.fromArray(F, w, w3At + t);
            a30 = w3.fma(x0, a30);
            a31 = w3.fma(x1, a31);
        }
        if (position < 2) {
            a00.intoArray(partial, partialAt);
            a01.intoArray(partial, partialAt + L);
            a10.intoArray(partial, partialAt + 2 * L);
            a11.intoArray(partial, partialAt + 3 * L);
            a20.intoArray(partial, partialAt + 4 * L);
            a21.intoArray(partial, partialAt + 5 * L);
            a30.intoArray(partial, partialAt + 6 * L);
            a31.intoArray(partial, partialAt + 7 * L);
            return;
        }
        a00.intoArray(scratch, 0);
        a01.intoArray(scratch, L);
        a10.intoArray(scratch, 2 * L);
        a11.intoArray(scratch, 3 * L);
        a20.intoArray(scratch, 4 * L);
        a21.intoArray(scratch, 5 * L);
        a30.intoArray(scratch, 6 * L);
        a31.intoArray(scratch, 7 * L);
        for (int group = 0; group < 8; group += L) {
            VectorMath.laneSumsOfGroup(scratch, group * L, scratch, VectorMath.SUMS + group);
        }
    }

    /** {@code H = max(0, H)} on the first {@code columns} of {@code rows} rows {@code ldH} apart. */
    static void rectify(float[] h, int rows, int columns, int ldH) {
        int vectorEnd = F.loopBound(columns);
        for (int i = 0; i < rows; i++) {
            int row = i * ldH;
            int c = 0;
            for (; c < vectorEnd; c += L) {
                FloatVector.fromArray(F, h, row + c).max(0f).intoArray(h, row + c);
            }
            tail:
            for (; c < columns; c++) {
                h[row + c] = Math.max(0f, h[row + c]);
            }
        }
    }

    /** {@link TwoLayerKernels#outputScores}: vectors along the batch, the sum over units in order. */
    static void outputScores(float[] h, int n, float[] w, float[] b, int classes, int units, float[] s) {
        int tile = SAMPLE_VECTORS * L;
        int fullTiles = n / tile * tile;
        int vectors = F.loopBound(n);
        for (int k = 0; k < classes; k++) {
            FloatVector bias = FloatVector.broadcast(F, b[k]);
            int j = 0;
            for (; j < fullTiles; j += tile) {
                FloatVector a0 = bias, a1 = bias, a2 = bias, a3 = bias;
                for (int i = 0; i < units; i++) {
                    FloatVector wk = FloatVector.broadcast(F, w[k * units + i]);
                    int row = i * n + j;
                    a0 = wk.fma(FloatVector.fromArray(F, h, row), a0);
                    a1 = wk.fma(FloatVector.fromArray(F, h, row + L), a1);
                    a2 = wk.fma(FloatVector.fromArray(F, h, row + 2 * L), a2);
                    a3 = wk.fma(FloatVector.fromArray(F, h, row + 3 * L), a3);
                }
                a0.intoArray(s, k * n + j);
                a1.intoArray(s, k * n + j + L);
                a2.intoArray(s, k * n + j + 2 * L);
                a3.intoArray(s, k * n + j + 3 * L);
            }
            for (; j < vectors; j += L) {
                FloatVector a = bias;
                for (int i = 0; i < units; i++) {
                    a = FloatVector.broadcast(F, w[k * units + i]).fma(FloatVector.fromArray(F, h, i * n + j), a);
                }
                a.intoArray(s, k * n + j);
            }
            tail:
            for (; j < n; j++) {
                float sum = b[k];
                for (int i = 0; i < units; i++) {
                    sum = Math.fma(w[k * units + i], h[i * n + j], sum);
                }
                s[k * n + j] = sum;
            }
        }
    }

    /** {@link TwoLayerKernels#hiddenGradient}: vectors along the batch, the sum over classes in order, masked. */
    static void hiddenGradient(float[] g, int n, float[] w, int classes, int units, float[] h, int uFrom, int uTo,
            float[] g1, float[] g1Sum) {
        int tile = SAMPLE_VECTORS * L;
        int fullTiles = n / tile * tile;
        int vectors = F.loopBound(n);
        FloatVector zero = FloatVector.zero(F);
        for (int i = uFrom; i < uTo; i++) {
            int row = i * n;
            int j = 0;
            for (; j < fullTiles; j += tile) {
                FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero;
                for (int k = 0; k < classes; k++) {
                    FloatVector wk = FloatVector.broadcast(F, w[k * units + i]);
                    int gRow = k * n + j;
                    a0 = wk.fma(FloatVector.fromArray(F, g, gRow), a0);
                    a1 = wk.fma(FloatVector.fromArray(F, g, gRow + L), a1);
                    a2 = wk.fma(FloatVector.fromArray(F, g, gRow + 2 * L), a2);
                    a3 = wk.fma(FloatVector.fromArray(F, g, gRow + 3 * L), a3);
                }
                masked(a0, h, row + j).intoArray(g1, row + j);
                masked(a1, h, row + j + L).intoArray(g1, row + j + L);
                masked(a2, h, row + j + 2 * L).intoArray(g1, row + j + 2 * L);
                masked(a3, h, row + j + 3 * L).intoArray(g1, row + j + 3 * L);
            }
            for (; j < vectors; j += L) {
                FloatVector a = zero;
                for (int k = 0; k < classes; k++) {
                    a = FloatVector.broadcast(F, w[k * units + i]).fma(FloatVector.fromArray(F, g, k * n + j), a);
                }
                masked(a, h, row + j).intoArray(g1, row + j);
            }
            tail:
            for (; j < n; j++) {
                float sum = 0f;
                for (int k = 0; k < classes; k++) {
                    sum = Math.fma(w[k * units + i], g[k * n + j], sum);
                }
                g1[row + j] = h[row + j] > 0f ? sum : 0f;
            }
            // in order of j, as the twin sums it: n adds beside the K n FMAs above
            float rowSum = 0f;
            for (int c = 0; c < n; c++) {
                rowSum += g1[row + c];
            }
            g1Sum[i] = rowSum;
        }
    }

    /** {@code v} where the hidden values at {@code at} are positive, else 0: the ReLU's derivative applied. */
    private static FloatVector masked(FloatVector v, float[] h, int at) {
        FloatVector zero = FloatVector.zero(F);
        return zero.blend(v, FloatVector.fromArray(F, h, at).compare(VectorOperators.GT, 0f));
    }

    /** {@link TwoLayerKernels#outputStep}: each dW2 entry a dot product along the batch, lanes reduced. */
    static void outputStep(float[] g, int n, float[] h, DenseLayer second, float twoLambda, float scale, int uFrom,
            int uTo, float[] gradientOut) {
        float[] w = second.w();
        int classes = second.rows();
        int units = second.cols();
        float[] scratch = VectorMath.scratch();
        int vectors = F.loopBound(n);
        for (int k = 0; k < classes; k++) {
            for (int i = uFrom; i < uTo; i++) {
                FloatVector acc = FloatVector.zero(F);
                int j = 0;
                for (; j < vectors; j += L) {
                    acc = FloatVector.fromArray(F, g, k * n + j).fma(FloatVector.fromArray(F, h, i * n + j), acc);
                }
                float sum = VectorMath.sum(acc, scratch);
                tail:
                for (; j < n; j++) {
                    sum = Math.fma(g[k * n + j], h[i * n + j], sum);
                }
                float gradient = Math.fma(twoLambda, w[k * units + i], sum);
                if (gradientOut == null) {
                    w[k * units + i] = Math.fma(scale, gradient, w[k * units + i]);
                } else {
                    gradientOut[k * units + i] = gradient;
                }
            }
        }
        if (uFrom == 0 && uTo > 0) {
            TwoLayerKernels.outputBiasStep(g, n, second, scale, gradientOut);
        }
    }

    /**
     * {@link TwoLayerKernels#hiddenStep}: per block, tiles of {@link #STEP_UNITS} units x {@link #STEP_VECTORS}
     * vectors of D sum over the batch, then step (or store) their entries of W1. A tile at the edge of the units
     * repeats its last unit in the places it lacks and steps only its own.
     */
    static void hiddenStep(float[] x, int xStart, int n, float[] g1, float[] g1Sum, DenseLayer first,
            float twoLambda, float scale, int uFrom, int uTo, float[] gradientOut) {
        float[] w = first.w();
        float[] b = first.b();
        int units = first.rows();
        int padded = first.cols();
        int wStart = first.start();
        // each tile's rows of G1 side by side, [tile][j][r]: one address for the broadcasts of a sample; made once,
        // read by every block. A last tile of at most NARROW_UNITS units is a narrow one, its rows that many apart.
        int tileFloats = STEP_UNITS * n;
        float[] grouped = atLeast(GROUPED, (uTo - uFrom + STEP_UNITS - 1) / STEP_UNITS * tileFloats);
        for (int i = uFrom, at = 0; i < uTo; i += STEP_UNITS, at += tileFloats) {
            int live = Math.min(STEP_UNITS, uTo - i);
            int width = stepTileWidth(live);
            for (int r = 0; r < width; r++) {
                int row = (i + Math.min(r, live - 1)) * n;
                for (int j = 0; j < n; j++) {
                    grouped[at + j * width + r] = g1[row + j];
                }
            }
        }
        for (int block = 0; block < padded / BLOCK; block++) {
            int xBlock = xStart + block * n * ROW;
            int column = block * BLOCK;
            for (int i = uFrom, at = 0; i < uTo; i += STEP_UNITS, at += tileFloats) {
                int live = Math.min(STEP_UNITS, uTo - i);
                for (int t = 0; t < BLOCK; t += STEP_VECTORS * L) {
                    if (stepTileWidth(live) == 8) {
                        stepTile8x2(x, xBlock + t, n, grouped, at, w, wStart + i * padded + column + t, wStart,
                                padded, live, twoLambda, scale, gradientOut);
                    } else {
                        stepTile4x2(x, xBlock + t, n, grouped, at, w, wStart + i * padded + column + t, wStart,
                                padded, live, twoLambda, scale, gradientOut);
                    }
                }
            }
        }
        for (int i = uFrom; i < uTo; i++) {
            if (gradientOut == null) {
                b[i] = Math.fma(scale, g1Sum[i], b[i]);
            } else {
                gradientOut[units * padded + i] = g1Sum[i];
            }
        }
    }

    /**
     * Units of the dW1 tile for the last {@code live} units of a range: {@link #STEP_UNITS}, or a narrow 4-unit
     * tile where at most 4 are left, so that a range of 26 units costs 3.5 tiles of 8, not 4, and the threads'
     * shares of m = 50 (24 and 26 units) take about as long. The tile changes no bit: each unit has one accumulator
     * either way.
     */
    private static int stepTileWidth(int live) {
        return live <= NARROW_UNITS ? NARROW_UNITS : STEP_UNITS;
    }

    /**
     * The dW1 tile of 8 units (their G1 values side by side in {@code grouped}, sample j's from
     * {@code groupAt + 8 j}) x 2 vectors of D from {@code xAt} in the packed batch, summed over the batch; the first
     * {@code live} units' rows of W1 (from {@code wAt}) stepped.
     */
    private static void stepTile8x2(float[] x, int xAt, int n, float[] grouped, int groupAt, float[] w,
            int wAt, int wStart, int padded, int live, float twoLambda, float scale, float[] gradientOut) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00;
        FloatVector a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00;
        FloatVector a40 = a00, a41 = a00;
        FloatVector a50 = a00, a51 = a00;
        FloatVector a60 = a00, a61 = a00;
        FloatVector a70 = a00, a71 = a00;
        for (int j = 0; j < n; j++) {
            int at = xAt + j * ROW;
            FloatVector x0 = FloatVector.fromArray(F, x, at);
            FloatVector x1 = FloatVector.fromArray(F, x, at + L);
            int g = groupAt + 8 * j;
            FloatVector g0 = FloatVector.broadcast(F, grouped[g]);
            a00 = g0.fma(x0, a00);
            a01 = g0.fma(x1, a01);
            FloatVector g1 = FloatVector.broadcast(F, grouped[g + 1]);
            a10 = g1.fma(x0, a10);
            a11 = g1.fma(x1, a11);
            FloatVector g2 = FloatVector.broadcast(F, grouped[g + 2]);
            a20 = g2.fma(x0, a20);
            a21 = g2.fma(x1, a21);
            FloatVector g3 = FloatVector.broadcast(F, grouped[g + 3]);
            a30 = g3.fma(x0, a30);
            a31 = g3.fma(x1, a31);
            FloatVector g4 = FloatVector.broadcast(F, grouped[g + 4]);
            a40 = g4.fma(x0, a40);
            a41 = g4.fma(x1, a41);
            FloatVector g5 = FloatVector.broadcast(F, grouped[g + 5]);
            a50 = g5.fma(x0, a50);
            a51 = g5.fma(x1, a51);
            FloatVector g6 = FloatVector.broadcast(F, grouped[g + 6]);
            a60 = g6.fma(x0, a60);
            a61 = g6.fma(x1, a61);
            FloatVector g7 = FloatVector.broadcast(F, grouped[g + 7]);
            a70 = g7.fma(x0, a70);
            a71 = g7.fma(x1, a71);
        }
        float[] sums = VectorMath.scratch();
        a00.intoArray(sums, 0);
        a01.intoArray(sums, L);
        a10.intoArray(sums, 2 * L);
        a11.intoArray(sums, 3 * L);
        a20.intoArray(sums, 4 * L);
        a21.intoArray(sums, 5 * L);
        a30.intoArray(sums, 6 * L);
        a31.intoArray(sums, 7 * L);
        a40.intoArray(sums, 8 * L);
        a41.intoArray(sums, 9 * L);
        a50.intoArray(sums, 10 * L);
        a51.intoArray(sums, 11 * L);
        a60.intoArray(sums, 12 * L);
        a61.intoArray(sums, 13 * L);
        a70.intoArray(sums, 14 * L);
        a71.intoArray(sums, 15 * L);
        stepRows(sums, w, wAt, wStart, padded, live, twoLambda, scale, gradientOut);
    }

    /**
     * {@link #stepTile8x2} of 4 units (G1 values 4 apart in {@code grouped}), for CPUs of 16 vector registers, and
     * for the last 4 or fewer units of a range.
     */
    private static void stepTile4x2(float[] x, int xAt, int n, float[] grouped, int groupAt, float[] w,
            int wAt, int wStart, int padded, int live, float twoLambda, float scale, float[] gradientOut) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00;
        FloatVector a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00;
        for (int j = 0; j < n; j++) {
            int at = xAt + j * ROW;
            FloatVector x0 = FloatVector.fromArray(F, x, at);
            FloatVector x1 = FloatVector.fromArray(F, x, at + L);
            int q = groupAt + 4 * j;
            FloatVector g = FloatVector.broadcast(F, grouped[q]);
            a00 = g.fma(x0, a00);
            a01 = g.fma(x1, a01);
            g = FloatVector.broadcast(F, grouped[q + 1]);
            a10 = g.fma(x0, a10);
            a11 = g.fma(x1, a11);
            g = FloatVector.broadcast(F, grouped[q + 2]);
            a20 = g.fma(x0, a20);
            a21 = g.fma(x1, a21);
            g = FloatVector.broadcast(F, grouped[q + 3]);
            a30 = g.fma(x0, a30);
            a31 = g.fma(x1, a31);
        }
        float[] sums = VectorMath.scratch();
        a00.intoArray(sums, 0);
        a01.intoArray(sums, L);
        a10.intoArray(sums, 2 * L);
        a11.intoArray(sums, 3 * L);
        a20.intoArray(sums, 4 * L);
        a21.intoArray(sums, 5 * L);
        a30.intoArray(sums, 6 * L);
        a31.intoArray(sums, 7 * L);
        stepRows(sums, w, wAt, wStart, padded, live, twoLambda, scale, gradientOut);
    }

    /**
     * The W1 entries of a weight-gradient tile from its summed gradients, left in {@code sums} two vectors per
     * unit: for the first {@code live} units (rows {@code padded} apart from {@code wAt}), {@code dW = sum +
     * 2 lambda W}, then {@code W += scale dW}, or dW stored into {@code gradientOut} ({@code wStart} before W's
     * index). The sums come through an
     * array, not as vectors: a helper the JIT does not inline into a large tile would box vectors handed to it.
     */
    private static void stepRows(float[] sums, float[] w, int wAt, int wStart, int padded, int live, float twoLambda,
            float scale, float[] gradientOut) {
        FloatVector lambdas = FloatVector.broadcast(F, twoLambda);
        FloatVector scales = FloatVector.broadcast(F, scale);
        for (int r = 0; r < live; r++) {
            for (int v = 0; v < STEP_VECTORS; v++) {
                int at = wAt + r * padded + v * L;
                FloatVector weights = FloatVector.fromArray(F, w, at);
                FloatVector gradient = weights.fma(lambdas,
                        FloatVector.fromArray(F, sums, (r * STEP_VECTORS + v) * L));
                if (gradientOut == null) {
                    gradient.fma(scales, weights).intoArray(w, at);
                } else {
                    gradient.intoArray(gradientOut, at - wStart);
                }
            }
        }
    }
}

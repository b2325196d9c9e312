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
 * The weight gradient of a batch or a part of it, stored, {@code A (K x D) = G (K x m) Q (m x D)} with G read
 * sample-major (m x K), for {@link Kernels#gradientPart} (images in rows) and {@link Kernels#quadGradient}
 * (images in {@link SampleQuads}), each row tile beside its quad twin; the SGD step from the stored
 * gradient with the new W folded at once ({@link Kernels#stepFromGradient}); and the fold itself
 * ({@code W' = W diag(a)}, {@code b' = b + W c}). The scalar twin is {@link ScalarKernels}.
 *
 * <p>Register tile: all ten CIFAR classes x 2 vectors of D, 20 accumulators live, so each pixel vector is
 * widened once per step and feeds twenty FMAs, where a tile of 5 classes would widen every pixel twice.
 * Other class counts run whole tiles of 10 and a scalar tail. The quad tiles repeat the row tiles but for
 * how a sample's pixels are found: each layout has its own tiles with its offsets as constants, since one
 * tile for both layouts (each sample's start read from an array, its second vector at a distance passed
 * in) slows the row gradient (docs/performance.md). Arguments are assumed valid.
 */
final class GradientTiles {
    private static final VectorSpecies<Float> F = SimdSpecies.FLOAT;
    private static final int L = F.length();
    /** log2 of {@link SampleQuads#MEMBERS}: an image's quad is its index shifted right by this. */
    private static final int QUAD_SHIFT = Integer.numberOfTrailingZeros(SampleQuads.MEMBERS);

    /** Classes per gradient register tile: all of CIFAR's K = 10 in one. */
    static final int GRAD_CLASSES = 10;
    /** Vectors of D per gradient register tile: 32 floats of each sample's row (L = 16). */
    static final int GRAD_VECTORS = 2;

    private GradientTiles() {
    }

    /** {@link Kernels#gradientPart} on images in rows. */
    static void gradientPart(float[] gT, int classes, int jFrom, int count, byte[] q, int rowLength,
            int firstColumn, int[] rows, int rowStart, float[] out, int dim, int dFrom, int dTo) {
        int strip = GRAD_VECTORS * L;
        int fullClasses = classes - classes % GRAD_CLASSES;
        float[] scratch = VectorMath.scratch();
        // with 4 lanes, the last columns of an image go to the tail (PixelVectors#vectorEnd)
        int d = dFrom;
        for (; d + strip <= dTo && d + strip + PixelVectors.OVERREAD <= dim; d += strip) {
            for (int k = 0; k < fullClasses; k += GRAD_CLASSES) {
                tile10x2(gT, k, classes, jFrom, count, q, rowLength, firstColumn, rows, rowStart, d, scratch);
                storeTile(scratch, out, k, dim, d, GRAD_VECTORS);
            }
        }
        for (; d + L <= dTo && d + L + PixelVectors.OVERREAD <= dim; d += L) {
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

    /** Needs L == {@link SampleQuads#UNIT}. */
    static void quadGradient(float[] gT, int classes, int count, byte[] q, int width, int firstColumn,
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

    /** The accumulators a tile left in {@code scratch} (class-major, {@code vectors} per class) into P. */
    private static void storeTile(float[] scratch, float[] out, int k0, int dim, int d, int vectors) {
        for (int k = 0; k < GRAD_CLASSES; k++) {
            for (int v = 0; v < vectors; v++) {
                FloatVector.fromArray(F, scratch, (k * vectors + v) * L).intoArray(out, (k0 + k) * dim + d + v * L);
            }
        }
    }

    /**
     * {@link Kernels#stepFromGradient}: {@code dW = A diag(a) + gSum c^T + 2 lambda W}, {@code W <- W + scale dW},
     * W' and the strips' shifts.
     */
    static void stepFromGradient(float[] gradient, float[] gSum, int classes, int dim, float[] a,
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

    /** {@link Kernels#fold}: {@code W' = W diag(a)}, {@code b' = b + W c}. */
    static void fold(float[] w, float[] b, int classes, int dim, float[] a, float[] c, float[] wOut, float[] bOut) {
        foldColumns(w, classes, dim, a, c, wOut, bOut, 0, 0, dim);
        for (int k = 0; k < classes; k++) {
            bOut[k] = b[k] + bOut[k];
        }
    }

    /** {@link Kernels#foldColumns}: the fold on the columns {@code [dFrom, dTo)}. */
    static void foldColumns(float[] w, int classes, int dim, float[] a, float[] c, float[] wOut, float[] shiftOut,
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
}

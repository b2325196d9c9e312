package org.vectrain.engine.kernels.vector;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Translation of a CIFAR image (3 planes of 32 x 32 bytes, row-major) by (dx, dy) with edge replication,
 * optionally after a horizontal flip, with the Vector API: each output row is one source row (row
 * {@code clamp(y - dy)}) rearranged by one 256-bit shuffle, one per (flip, dx), made once. Scalar twin and
 * statement of the math: {@code org.vectrain.engine.kernels.scalar.ImageTranslation#translateInto}.
 */
public final class VectorTranslation {
    /** 256 bits = 32 bytes = one row of one plane, whatever the float species is. */
    private static final VectorSpecies<Byte> ROW = ByteVector.SPECIES_256;
    private static final int SIDE = 32;
    private static final int PLANES = 3;
    /** Largest |dx|, |dy|; equal to {@code ImageTranslation.MAX_SHIFT}, which the tests check. */
    public static final int MAX_SHIFT = 8;
    /** [flip ? 1 : 0][dx + MAX_SHIFT]: lane x takes source column m(clamp(x - dx)). */
    private static final VectorShuffle<Byte>[][] SHUFFLES = shuffles();

    private VectorTranslation() {
    }

    /**
     * Writes the image at {@code src[srcOffset ..]}, mirrored left-right when {@code flip}, then moved by
     * (dx, dy), to {@code dst[dstOffset ..]}; |dx|, |dy| <= {@link #MAX_SHIFT}, ranges must not overlap.
     */
    public static void translateInto(byte[] src, int srcOffset, byte[] dst, int dstOffset, boolean flip, int dx,
            int dy) {
        VectorShuffle<Byte> shuffle = SHUFFLES[flip ? 1 : 0][dx + MAX_SHIFT];
        for (int c = 0; c < PLANES; c++) {
            for (int y = 0; y < SIDE; y++) {
                int sy = Math.min(SIDE - 1, Math.max(0, y - dy));
                ByteVector.fromArray(ROW, src, srcOffset + (c * SIDE + sy) * SIDE).rearrange(shuffle)
                        .intoArray(dst, dstOffset + (c * SIDE + y) * SIDE);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Byte>[][] shuffles() {
        VectorShuffle<Byte>[][] out = new VectorShuffle[2][2 * MAX_SHIFT + 1];
        for (int f = 0; f < 2; f++) {
            boolean flip = f == 1;
            for (int dx = -MAX_SHIFT; dx <= MAX_SHIFT; dx++) {
                int shift = dx;
                out[f][dx + MAX_SHIFT] = VectorShuffle.fromOp(ROW, x -> {
                    int sx = Math.min(SIDE - 1, Math.max(0, x - shift));
                    return flip ? SIDE - 1 - sx : sx;
                });
            }
        }
        return out;
    }
}

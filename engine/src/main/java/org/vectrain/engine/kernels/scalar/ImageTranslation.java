package org.vectrain.engine.kernels.scalar;

import org.vectrain.engine.data.LabeledImages;

/**
 * Small translations of CIFAR images as stored (planes R, G, B of 32 x 32 pixels, row-major), optionally
 * after a horizontal flip: the content moves by (dx, dy) pixels, right and down for positive values, the
 * same in every plane; what moves past an edge is dropped and the uncovered border repeats the edge pixels
 * (edge replication, so no artificial black or grey frame appears). Scalar twin of
 * {@code org.vectrain.engine.kernels.vector.VectorTranslation}, and the statement of the math:
 * <pre>
 *   out(c, y, x) = in(c, clamp(y - dy), m(clamp(x - dx))),   clamp(v) = min(31, max(0, v)),
 *   m(x) = 31 - x with the flip, else x.
 * </pre>
 * A flip mirrors every row of every plane; planes and rows stay where they are (it is NOT the reversal of
 * the whole 3072-vector, which would also swap the R and B planes and turn the image upside down). A flip
 * alone is the move (0, 0) of a flipped image: one shuffle per row in the vector twin.
 *
 * <p>Flips and translations act on the raw bytes: the kernels then normalise whatever pixel sits at
 * position d with dimension d's statistics ("flip and move, then normalise").
 */
public final class ImageTranslation {
    /** Largest accepted |dx| and |dy| ({@code --translate}): a quarter of the image side. */
    public static final int MAX_SHIFT = 8;
    private static final int SIDE = LabeledImages.SIDE;
    private static final int PLANES = LabeledImages.CHANNELS;

    private ImageTranslation() {
    }

    /**
     * Writes the image at {@code src[srcOffset .. srcOffset + 3072)}, mirrored left-right when {@code flip},
     * then moved by (dx, dy), to {@code dst[dstOffset .. dstOffset + 3072)}. |dx|, |dy| <= {@link #MAX_SHIFT};
     * the ranges must not overlap.
     */
    public static void translateInto(byte[] src, int srcOffset, byte[] dst, int dstOffset, boolean flip, int dx,
            int dy) {
        for (int c = 0; c < PLANES; c++) {
            for (int y = 0; y < SIDE; y++) {
                int from = srcOffset + (c * SIDE + clamp(y - dy)) * SIDE;
                int to = dstOffset + (c * SIDE + y) * SIDE;
                for (int x = 0; x < SIDE; x++) {
                    int sx = clamp(x - dx);
                    dst[to + x] = src[from + (flip ? SIDE - 1 - sx : sx)];
                }
            }
        }
    }

    static int clamp(int v) {
        return Math.min(SIDE - 1, Math.max(0, v));
    }
}

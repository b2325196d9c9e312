package org.vectrain.engine.train;

import org.vectrain.engine.data.LabeledImages;

/**
 * Horizontal flips of CIFAR images as stored: three planes (R, G, B) of 32 x 32 pixels, row-major.
 * A flip mirrors every row of every plane; planes and rows stay where they are. It is NOT the reversal
 * of the whole 3072-vector, which would also swap the R and B planes and turn the image upside down.
 *
 * <p>Flips act on the raw bytes; the kernels then apply dimension d's normalisation to whatever pixel
 * sits at position d, so a flipped image is normalised exactly as if it had been read from the file
 * that way ("flip, then normalise").
 */
public final class HorizontalFlip {
    /** Bytes of one image, 3 x 32 x 32. */
    public static final int IMAGE = LabeledImages.PIXELS;
    private static final int SIDE = LabeledImages.SIDE;
    /** Rows of all planes together: each is mirrored on its own. */
    private static final int ROWS = LabeledImages.CHANNELS * SIDE;

    private HorizontalFlip() {
    }

    /**
     * Writes the flipped image at {@code src[srcOffset .. srcOffset + 3072)} to
     * {@code dst[dstOffset .. dstOffset + 3072)}. The ranges must not overlap.
     */
    public static void flipInto(byte[] src, int srcOffset, byte[] dst, int dstOffset) {
        for (int r = 0; r < ROWS; r++) {
            int from = srcOffset + r * SIDE;
            int to = dstOffset + r * SIDE + SIDE - 1;
            for (int x = 0; x < SIDE; x++) {
                dst[to - x] = src[from + x];
            }
        }
    }
}

package org.vectrain.engine.train;

import org.vectrain.engine.data.LabeledImages;

/**
 * Horizontal flips of CIFAR images as stored: three planes (R, G, B) of 32 x 32 pixels, row-major.
 * A flip mirrors every row of every plane; planes and rows stay where they are. It is NOT the reversal
 * of the whole 3072-vector, which would also swap the R and B planes and turn the image upside down.
 *
 * <p>Flips act on the raw bytes; the kernels then apply dimension d's normalisation to whatever pixel
 * sits at position d, so a flipped image is normalised exactly as if it had been read from the file
 * that way ("flip, then normalise"). A flip is done as the translation (0, 0) of a flipped image
 * ({@link ImageTranslation#translateInto}, vector twin {@code VectorTranslation}): one shuffle per row.
 */
public final class HorizontalFlip {
    /** Bytes of one image, 3 x 32 x 32. */
    public static final int IMAGE = LabeledImages.PIXELS;

    private HorizontalFlip() {
    }
}

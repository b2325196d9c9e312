package org.vectrain.engine.train;

import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.kernels.scalar.ImageTranslation;
import org.vectrain.engine.kernels.vector.VectorTranslation;

/**
 * A batch's images copied out of their set, each flipped or moved as the epoch's draws say, for a step to read in
 * place of the set: {@link #pixels()} holds image j of the batch at row j, {@link #rows()} is 0, 1, 2, ...
 * Made on the first augmented step of a run, reused after.
 */
final class AugmentedBatch {
    private final byte[] pixels;
    private final int[] rows;
    /** Flip and move with the Vector API when the kernels use it (the module is then present), else scalar. */
    private final boolean vectorFlip;

    AugmentedBatch(int maxBatch, boolean vectorFlip) {
        this.pixels = new byte[maxBatch * LabeledImages.PIXELS];
        this.rows = new int[maxBatch];
        for (int j = 0; j < maxBatch; j++) {
            rows[j] = j;
        }
        this.vectorFlip = vectorFlip;
    }

    /** The copied images, one per row. */
    byte[] pixels() {
        return pixels;
    }

    /** 0, 1, 2, ...: row j of {@link #pixels()} is sample j of the batch. */
    int[] rows() {
        return rows;
    }

    /**
     * Copies the images {@code rows[rowStart .. rowStart + n)} of {@code set}, flipping those marked in
     * {@code flipped} (may be null) and moving those {@code moves} (may be null) gives a non-zero shift.
     */
    void gather(DataSet set, int[] setRows, int rowStart, int n, boolean[] flipped, byte[] moves) {
        int dim = set.dim();
        if (dim != LabeledImages.PIXELS) {
            throw new IllegalArgumentException("flips and translations need CIFAR images of " + LabeledImages.PIXELS
                    + " pixels, the set has " + dim);
        }
        byte[] src = set.pixels();
        for (int j = 0; j < n; j++) {
            int i = setRows[rowStart + j];
            boolean flip = flipped != null && flipped[i];
            int dx = moves == null ? 0 : moves[2 * i];
            int dy = moves == null ? 0 : moves[2 * i + 1];
            if (flip || dx != 0 || dy != 0) {
                // a flip alone is the move (0, 0) of a flipped image: one shuffle per row either way
                if (vectorFlip) {
                    VectorTranslation.translateInto(src, i * dim, pixels, j * dim, flip, dx, dy);
                } else {
                    ImageTranslation.translateInto(src, i * dim, pixels, j * dim, flip, dx, dy);
                }
            } else {
                System.arraycopy(src, i * dim, pixels, j * dim, dim);
            }
        }
    }
}

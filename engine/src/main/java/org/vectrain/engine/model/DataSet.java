package org.vectrain.engine.model;

import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.data.Normalization;

/**
 * A labelled set ready for the kernels: normalised features as an n x D float matrix (sample-major,
 * one image per row, as in the CIFAR records), labels as ints, and the raw images for augmentation
 * and display.
 *
 * @param name for messages and reports, e.g. "train"
 * @param x n x D features
 * @param labels n labels in 0..K-1
 * @param dim D
 * @param raw the images these features came from (may be null for synthetic sets)
 */
public record DataSet(String name, float[] x, int[] labels, int dim, LabeledImages raw) {

    public DataSet {
        if (dim < 1 || x.length != (long) labels.length * dim) {
            throw new IllegalArgumentException(name + ": " + x.length + " features for " + labels.length
                    + " samples of dimension " + dim);
        }
    }

    /** Normalises {@code images} with {@code normalization}. */
    public static DataSet of(String name, LabeledImages images, Normalization normalization) {
        int[] labels = new int[images.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = images.label(i);
        }
        return new DataSet(name, normalization.apply(images), labels, LabeledImages.PIXELS, images);
    }

    public int size() {
        return labels.length;
    }

    /** The first {@code n} samples (a copy), for quick experiments and tests. */
    public DataSet head(int n) {
        return new DataSet(name, java.util.Arrays.copyOf(x, n * dim), java.util.Arrays.copyOf(labels, n), dim,
                raw == null ? null : raw.slice(0, n, raw.source()));
    }
}

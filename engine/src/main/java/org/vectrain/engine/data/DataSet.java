package org.vectrain.engine.data;

import java.util.Arrays;

/**
 * A labelled set as the kernels read it: the pixel bytes as in the files (unsigned), n x D
 * sample-major (one image per row, as in the CIFAR records), and the per-dimension affine map
 * {@code x = scale * q + shift} of the signed value {@code q = pixel - 128} that gives the normalised
 * features.
 *
 * <p>Why bytes: the features are never materialised as floats. Scores are
 * {@code W x + b = (W diag(scale)) q + (b + W shift)}, so the kernels fold the map into W and b once
 * per batch and read a quarter of the memory a float matrix would take, which is what an evaluation
 * pass is bound by. The bytes are shared with the {@link LabeledImages} they came from, not copied.
 *
 * @param name for messages and reports, e.g. "train"
 * @param pixels n x D pixel bytes (unsigned)
 * @param labels n labels in 0..K-1
 * @param dim D
 * @param scale D factors of the affine map
 * @param shift D offsets of the affine map
 */
public record DataSet(String name, byte[] pixels, int[] labels, int dim, float[] scale, float[] shift) {

    public DataSet {
        if (dim < 1 || pixels.length != (long) labels.length * dim || scale.length != dim || shift.length != dim) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixels, " + scale.length + " scales, "
                    + shift.length + " shifts for " + labels.length + " samples of dimension " + dim);
        }
    }

    /** {@code images} with {@code normalization} as their affine map. */
    public static DataSet of(String name, LabeledImages images, Normalization normalization) {
        int[] labels = new int[images.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = images.label(i);
        }
        float[][] affine = normalization.signedAffine();
        return new DataSet(name, images.pixels(), labels, LabeledImages.PIXELS, affine[0], affine[1]);
    }

    public int size() {
        return labels.length;
    }

    /** Feature d of sample i, {@code scale[d] * (pixel - 128) + shift[d]}, in double (for references and tests). */
    public double feature(int i, int d) {
        return (double) scale[d] * ((pixels[i * dim + d] & 0xFF) - 128) + shift[d];
    }

    /** The first {@code n} samples (a copy), for quick experiments and tests. */
    public DataSet head(int n) {
        return new DataSet(name, Arrays.copyOf(pixels, n * dim), Arrays.copyOf(labels, n), dim, scale, shift);
    }

    /** The first {@code n} samples cut to their first {@code d} dimensions (a copy), for reduced problems. */
    public DataSet crop(int n, int d) {
        byte[] cut = new byte[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(pixels, i * dim, cut, i * d, d);
        }
        return new DataSet(name, cut, Arrays.copyOf(labels, n), d, Arrays.copyOf(scale, d), Arrays.copyOf(shift, d));
    }
}

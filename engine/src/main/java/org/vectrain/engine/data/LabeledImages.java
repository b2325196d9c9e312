package org.vectrain.engine.data;

import java.util.Arrays;

/**
 * Raw CIFAR-10 images as stored in the files: {@code count} records of {@link #PIXELS} unsigned
 * bytes (R plane, G plane, B plane, each 32 x 32 row-major) and one label in 0..9 each.
 *
 * @param pixels count x 3072 bytes, sample-major; read a value with {@code pixels[i] & 0xFF}
 * @param labels count labels, each in 0..{@code CLASSES - 1}
 * @param source where the images came from (a file name, or a description), for messages
 */
public record LabeledImages(byte[] pixels, byte[] labels, String source) {
    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int PIXELS = SIDE * SIDE * CHANNELS;
    public static final int CLASSES = 10;

    public LabeledImages {
        if (pixels.length != labels.length * PIXELS) {
            throw new IllegalArgumentException(source + ": " + pixels.length + " pixel bytes for "
                    + labels.length + " labels");
        }
    }

    public int count() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i];
    }

    /** Counts of each label, index = class. */
    public int[] labelCounts() {
        int[] counts = new int[CLASSES];
        for (byte label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** Records [from, to) as a new set. */
    public LabeledImages slice(int from, int to, String name) {
        return new LabeledImages(Arrays.copyOfRange(pixels, from * PIXELS, to * PIXELS),
                Arrays.copyOfRange(labels, from, to), name);
    }

    /** The given sets one after another, in order. */
    public static LabeledImages concat(String name, LabeledImages... parts) {
        int total = 0;
        for (LabeledImages part : parts) {
            total += part.count();
        }
        byte[] pixels = new byte[total * PIXELS];
        byte[] labels = new byte[total];
        int at = 0;
        for (LabeledImages part : parts) {
            System.arraycopy(part.pixels, 0, pixels, at * PIXELS, part.pixels.length);
            System.arraycopy(part.labels, 0, labels, at, part.count());
            at += part.count();
        }
        return new LabeledImages(pixels, labels, name);
    }
}

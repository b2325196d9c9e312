package org.vectrain.engine.data;

import org.vectrain.engine.InputException;

/**
 * The most images one batch file may hold, checked against the file's size before anything is
 * allocated. An official batch holds {@link #BATCH_RECORDS}; a larger limit is for data sets of larger
 * batches, and is still bounded by what one Java array can hold.
 *
 * @param max the most images per batch file, in 1..{@link #MAX_RECORDS}
 * @param name how messages name the setting that raises the limit, e.g. a command-line flag
 */
public record RecordLimit(int max, String name) {
    /** Images in an official CIFAR-10 batch file, and the limit unless one is given. */
    public static final int BATCH_RECORDS = 10_000;
    /** The most images one batch can hold: their pixels must fit one Java array. */
    public static final int MAX_RECORDS = (Integer.MAX_VALUE - 8) / LabeledImages.PIXELS;
    /** The limit of an official batch. */
    public static final RecordLimit DEFAULT = new RecordLimit(BATCH_RECORDS, "the records limit");

    public RecordLimit {
        if (max < 1 || max > MAX_RECORDS) {
            throw new InputException(name + ": " + max + " must be in 1.." + MAX_RECORDS);
        }
    }

    /** Refuses {@code records} images in {@code source} when they are more than this limit allows. */
    void check(long records, String source) {
        if (records > max) {
            throw new InputException(source + ": " + records + " images, more than the " + max + " allowed per batch"
                    + " file (an official batch has " + BATCH_RECORDS + "; raise " + name + " to read more)");
        }
    }
}

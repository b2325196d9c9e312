package org.vectrain.engine.data;

import java.util.Locale;
import org.vectrain.engine.InputException;

/**
 * How the batches become training, validation and test sets.
 *
 * <ul>
 *   <li>{@link #STANDARD}: train on {@code data_batch_1}, validate on {@code data_batch_2}, test on
 *       {@code test_batch} (the assignment's setting).
 *   <li>{@link #ALL}: {@code data_batch_1..5} in order, the last {@code validation} images for
 *       validation and the rest (49,000 by default) for training; test on {@code test_batch}.
 * </ul>
 */
public enum Split {
    STANDARD, ALL;

    /** Validation images held out of the 50,000 by {@link #ALL} unless a size is given. */
    public static final int DEFAULT_ALL_VALIDATION = 1000;

    public static Split parse(String text, String flag) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InputException(flag + ": unknown split '" + text + "', expected standard or all");
        }
    }

    /** The batches this split reads. */
    public java.util.List<String> batches() {
        return this == STANDARD ? java.util.List.of("data_batch_1", "data_batch_2", "test_batch") : CifarSource.BATCHES;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads the batches this split needs from {@code source}.
     *
     * @param validation validation images for {@link #ALL} (ignored by {@link #STANDARD}, which
     *     validates on a whole batch)
     */
    public SplitImages load(CifarSource source, int validation) {
        LabeledImages test = source.read("test_batch");
        if (this == STANDARD) {
            return new SplitImages(source.read("data_batch_1"), source.read("data_batch_2"), test);
        }
        LabeledImages[] parts = new LabeledImages[5];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = source.read("data_batch_" + (i + 1));
        }
        LabeledImages all = LabeledImages.concat("data_batch_1..5", parts);
        if (validation < 1 || validation >= all.count()) {
            throw new InputException("validationSize", "must be in 1.." + (all.count() - 1) + ", was " + validation);
        }
        int trainCount = all.count() - validation;
        return new SplitImages(all.slice(0, trainCount, "train (data_batch_1..5)"),
                all.slice(trainCount, all.count(), "validation (last " + validation + ")"), test);
    }

    /** The three sets of one split, still as raw bytes. */
    public record SplitImages(LabeledImages train, LabeledImages validation, LabeledImages test) {
    }
}

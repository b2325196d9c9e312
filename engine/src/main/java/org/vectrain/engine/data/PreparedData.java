package org.vectrain.engine.data;

import java.util.List;
import java.util.Locale;
import org.vectrain.engine.MemoryBudget;

/**
 * The three sets of one split, normalised by the training set's statistics and ready for the
 * kernels, with the class names and the raw images kept beside the features.
 */
public record PreparedData(Split split, int validationSize, DataSet train, DataSet validation, DataSet test,
        Normalization normalization, List<String> classNames, String source) {

    /**
     * Bytes a run holds per image at its peak: the pixels as read, their copies while the all split is
     * assembled, the evaluation layout of every set and the training layouts of the training set.
     */
    public static final long BYTES_PER_IMAGE = 5L * LabeledImages.PIXELS;

    /**
     * Reads, checks and normalises the batches {@code split} needs from {@code source}, once the memory
     * their sizes imply is known to fit the heap.
     */
    public static PreparedData load(CifarSource source, Split split, int validationSize) {
        long bound = 0;
        for (String batch : split.batches()) {
            bound += source.imageBound(batch);
        }
        MemoryBudget.require(bound * BYTES_PER_IMAGE, source.folder() + ": split " + split.id() + " (up to "
                + bound + " images)");
        Split.SplitImages images = split.load(source, validationSize);
        Normalization normalization = Normalization.fit(images.train());
        return new PreparedData(split, images.validation().count(),
                DataSet.of("train", images.train(), normalization),
                DataSet.of("validation", images.validation(), normalization),
                DataSet.of("test", images.test(), normalization),
                normalization, source.classNames(), source.layout().name().toLowerCase(Locale.ROOT)
                        + " layout at " + source.folder());
    }
}

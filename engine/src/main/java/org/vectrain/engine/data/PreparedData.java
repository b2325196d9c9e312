package org.vectrain.engine.data;

import java.util.List;
import java.util.Locale;

/**
 * The three sets of one split, normalised by the training set's statistics and ready for the
 * kernels, with the class names and the raw images kept beside the features.
 */
public record PreparedData(Split split, int validationSize, DataSet train, DataSet validation, DataSet test,
        Normalization normalization, List<String> classNames, String source) {

    /** Reads, checks and normalises the batches {@code split} needs from {@code source}. */
    public static PreparedData load(CifarSource source, Split split, int validationSize) {
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

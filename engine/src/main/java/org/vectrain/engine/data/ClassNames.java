package org.vectrain.engine.data;

import java.util.List;
import org.vectrain.engine.InputException;

/** The CIFAR-10 class names and the check applied to names read from a meta file. */
public final class ClassNames {
    /** The official names, in label order, used when a data folder has no meta file. */
    public static final List<String> DEFAULT = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");

    private ClassNames() {
    }

    static List<String> check(List<String> names, String source) {
        if (names.size() != LabeledImages.CLASSES) {
            throw new InputException(source + ": expected " + LabeledImages.CLASSES + " class names, found "
                    + names.size());
        }
        return List.copyOf(names);
    }
}

package org.vectrain.engine.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One copy of CIFAR-10 on disk, in one of its layouts. Batches are read on demand and every read
 * checks the file whole.
 */
public interface CifarSource {
    /** The five training batches and the test batch, by their official names. */
    List<String> BATCHES = List.of("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
            "data_batch_5", "test_batch");

    CifarLayout layout();

    /** The folder that holds the batch files. */
    Path folder();

    /** The file that holds the named batch (one of {@link #BATCHES}). */
    Path file(String batch);

    /** Reads one batch by its official name, for example {@code data_batch_1}. */
    LabeledImages read(String batch);

    /** The ten class names, in label order, from the layout's meta file. */
    List<String> classNames();
}

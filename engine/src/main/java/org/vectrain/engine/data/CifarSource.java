package org.vectrain.engine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.vectrain.engine.InputException;

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

    /** This source, reading batch files of at most {@code limit} images. */
    CifarSource withRecordLimit(RecordLimit limit);

    /**
     * The most images the named batch file can hold, from its size alone, without reading it: what the
     * memory of a run is checked against before the data is read. 0 when the file is missing.
     *
     * @throws InputException when the size alone shows more images than the record limit allows
     */
    long imageBound(String batch);

    /** The size of {@code file}, or 0 when it is missing or not a plain file (its read reports that). */
    static long fileSize(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}

package org.vectrain.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CIFAR-10 in the official Python layout: a folder like {@code cifar-10-batches-py/} of pickles. */
public final class PythonCifarSource implements CifarSource {
    static final String META_FILE = "batches.meta";

    private final Path folder;
    private final RecordLimit limit;

    public PythonCifarSource(Path folder) {
        this(folder, RecordLimit.DEFAULT);
    }

    public PythonCifarSource(Path folder, RecordLimit limit) {
        this.folder = folder;
        this.limit = limit;
    }

    /** Whether {@code folder} looks like the Python layout (it has the first training batch). */
    public static boolean recognises(Path folder) {
        return Files.isRegularFile(folder.resolve("data_batch_1"));
    }

    @Override
    public CifarLayout layout() {
        return CifarLayout.PYTHON;
    }

    @Override
    public Path folder() {
        return folder;
    }

    @Override
    public Path file(String batch) {
        return folder.resolve(batch);
    }

    @Override
    public LabeledImages read(String batch) {
        LabeledImages images = CifarPickleReader.readBatch(file(batch), limit);
        return new LabeledImages(images.pixels(), images.labels(), batch);
    }

    @Override
    public CifarSource withRecordLimit(RecordLimit recordLimit) {
        return new PythonCifarSource(folder, recordLimit);
    }

    @Override
    public long imageBound(String batch) {
        return CifarSource.fileSize(file(batch)) / LabeledImages.PIXELS;
    }

    @Override
    public List<String> classNames() {
        Path meta = folder.resolve(META_FILE);
        return Files.isRegularFile(meta) ? CifarPickleReader.readLabelNames(meta) : ClassNames.DEFAULT;
    }
}

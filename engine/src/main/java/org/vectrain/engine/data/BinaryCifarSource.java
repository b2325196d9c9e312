package org.vectrain.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CIFAR-10 in the official binary layout: a folder like {@code cifar-10-batches-bin/}. */
public final class BinaryCifarSource implements CifarSource {
    static final String META_FILE = "batches.meta.txt";

    private final Path folder;
    private final RecordLimit limit;

    public BinaryCifarSource(Path folder) {
        this(folder, RecordLimit.DEFAULT);
    }

    public BinaryCifarSource(Path folder, RecordLimit limit) {
        this.folder = folder;
        this.limit = limit;
    }

    /** Whether {@code folder} looks like the binary layout (it has the first training batch). */
    public static boolean recognises(Path folder) {
        return Files.isRegularFile(folder.resolve("data_batch_1.bin"));
    }

    @Override
    public CifarLayout layout() {
        return CifarLayout.BINARY;
    }

    @Override
    public Path folder() {
        return folder;
    }

    @Override
    public Path file(String batch) {
        return folder.resolve(batch + ".bin");
    }

    @Override
    public LabeledImages read(String batch) {
        LabeledImages images = CifarBinaryReader.read(file(batch), limit);
        return new LabeledImages(images.pixels(), images.labels(), batch);
    }

    @Override
    public CifarSource withRecordLimit(RecordLimit recordLimit) {
        return new BinaryCifarSource(folder, recordLimit);
    }

    @Override
    public long imageBound(String batch) {
        long records = CifarSource.fileSize(file(batch)) / CifarBinaryReader.RECORD_BYTES;
        limit.check(records, file(batch).toString());
        return records;
    }

    @Override
    public List<String> classNames() {
        Path meta = folder.resolve(META_FILE);
        if (!Files.isRegularFile(meta)) {
            return ClassNames.DEFAULT;
        }
        return ClassNames.readText(meta);
    }
}

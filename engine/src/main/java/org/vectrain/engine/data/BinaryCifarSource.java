package org.vectrain.engine.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.vectrain.engine.InputException;

/** CIFAR-10 in the official binary layout: a folder like {@code cifar-10-batches-bin/}. */
public final class BinaryCifarSource implements CifarSource {
    static final String META_FILE = "batches.meta.txt";

    private final Path folder;

    public BinaryCifarSource(Path folder) {
        this.folder = folder;
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
        LabeledImages images = CifarBinaryReader.read(file(batch));
        return new LabeledImages(images.pixels(), images.labels(), batch);
    }

    @Override
    public List<String> classNames() {
        Path meta = folder.resolve(META_FILE);
        if (!Files.isRegularFile(meta)) {
            return ClassNames.DEFAULT;
        }
        try {
            List<String> names = Files.readAllLines(meta, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(line -> !line.isEmpty()).toList();
            return ClassNames.check(names, meta.toString());
        } catch (IOException e) {
            throw new InputException(meta + ": cannot read (" + e.getMessage() + ")", e);
        }
    }
}

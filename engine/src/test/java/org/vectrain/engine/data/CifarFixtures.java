package org.vectrain.engine.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small CIFAR-10 files and tarballs made on the fly, the committed pickle fixtures, and the real data. */
public final class CifarFixtures {
    /** Images in every generated batch. */
    public static final int IMAGES = 3;

    private CifarFixtures() {
    }

    /** Pixel j of image i in every fixture, generated or pickled (see make_fixtures.py). */
    public static int pixel(int i, int j) {
        return (31 * i + 7 * j) % 256;
    }

    /** A binary batch of {@code count} records: image i has label {@code (i + shift) % 10}, pixels {@link #pixel}. */
    public static byte[] binaryBatch(int count, int shift) {
        byte[] bytes = new byte[count * CifarBinaryReader.RECORD_BYTES];
        for (int i = 0; i < count; i++) {
            int at = i * CifarBinaryReader.RECORD_BYTES;
            bytes[at] = (byte) ((i + shift) % LabeledImages.CLASSES);
            for (int j = 0; j < LabeledImages.PIXELS; j++) {
                bytes[at + 1 + j] = (byte) pixel(i, j);
            }
        }
        return bytes;
    }

    /** Writes {@code parent/cifar-10-batches-py/}: every batch a copy of the protocol 4 fixture, and a meta pickle. */
    public static Path pythonFolder(Path parent) {
        Path folder = parent.resolve("cifar-10-batches-py");
        try {
            Files.createDirectories(folder);
            for (String batch : CifarSource.BATCHES) {
                Files.copy(pickle("py3_protocol4.pkl"), folder.resolve(batch));
            }
            Files.copy(pickle("meta_py2.pkl"), folder.resolve(PythonCifarSource.META_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder;
    }

    /** A committed fixture from {@code src/test/resources/pickle/}. */
    public static Path pickle(String name) {
        URL url = CifarFixtures.class.getResource("/pickle/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no pickle fixture " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.vectrain.engine.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

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

    /** {@link #binaryBatch} as images. */
    public static LabeledImages images(int count, int shift) {
        byte[] bytes = binaryBatch(count, shift);
        try {
            return CifarBinaryReader.read(new ByteArrayInputStream(bytes), bytes.length, "fixture");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code parent/cifar-10-batches-bin/}: all six batches of {@link #IMAGES} records, and the meta file. */
    public static Path binaryFolder(Path parent) {
        Path folder = parent.resolve(CifarSources.BINARY_FOLDER);
        try {
            Files.createDirectories(folder);
            for (int b = 0; b < CifarSource.BATCHES.size(); b++) {
                Files.write(folder.resolve(CifarSource.BATCHES.get(b) + ".bin"), binaryBatch(IMAGES, b));
            }
            Files.writeString(folder.resolve(BinaryCifarSource.META_FILE),
                    String.join("\n", ClassNames.DEFAULT) + "\n\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder;
    }

    /**
     * Writes {@code parent/cifar-10-batches-bin/} with the six batches of {@code images} records each, batch b
     * made with shift b, and no meta file (the default class names apply).
     */
    public static Path batchesFolder(Path parent, int images) {
        Path folder = parent.resolve(CifarSources.BINARY_FOLDER);
        try {
            Files.createDirectories(folder);
            for (int b = 0; b < CifarSource.BATCHES.size(); b++) {
                Files.write(folder.resolve(CifarSource.BATCHES.get(b) + ".bin"), binaryBatch(images, b));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder;
    }

    /** Writes {@code parent/cifar-10-batches-py/}: every batch a copy of the protocol 4 fixture, and a meta pickle. */
    public static Path pythonFolder(Path parent) {
        Path folder = parent.resolve(CifarSources.PYTHON_FOLDER);
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

    /** The real binary CIFAR-10 folder from VECTRAIN_TEST_DATA; skips the test, visibly, when it is absent. */
    public static Path realData() {
        String dir = System.getenv("VECTRAIN_TEST_DATA");
        boolean present = dir != null && !dir.isBlank() && Files.isDirectory(Path.of(dir));
        if (!present) {
            System.out.println("SKIPPED: real CIFAR-10 not available; run with -Dvectrain.data=DIR to include this test");
        }
        assumeTrue(present, "real CIFAR-10 not available (VECTRAIN_TEST_DATA unset; pass -Dvectrain.data=DIR)");
        return Path.of(dir);
    }

    /** Builds a .tar.gz entry by entry, including entries no honest archive has. */
    public static final class Tarball {
        private final List<TarArchiveEntry> entries = new ArrayList<>();
        private final List<byte[]> contents = new ArrayList<>();

        public Tarball file(String name, byte[] content) {
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setSize(content.length);
            return add(entry, content);
        }

        public Tarball folder(String name) {
            return add(new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true), new byte[0]);
        }

        public Tarball link(String name, String target, byte type) {
            TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
            entry.setLinkName(target);
            return add(entry, new byte[0]);
        }

        public Tarball symlink(String name, String target) {
            return link(name, target, TarConstants.LF_SYMLINK);
        }

        public Tarball hardlink(String name, String target) {
            return link(name, target, TarConstants.LF_LINK);
        }

        public Tarball device(String name) {
            return add(new TarArchiveEntry(name, TarConstants.LF_CHR, true), new byte[0]);
        }

        /** The binary layout in {@code cifar-10-batches-bin/}, as the official tarball has it. */
        public Tarball binaryLayout() {
            folder(CifarSources.BINARY_FOLDER);
            for (int b = 0; b < CifarSource.BATCHES.size(); b++) {
                file(CifarSources.BINARY_FOLDER + "/" + CifarSource.BATCHES.get(b) + ".bin", binaryBatch(IMAGES, b));
            }
            return file(CifarSources.BINARY_FOLDER + "/" + BinaryCifarSource.META_FILE,
                    String.join("\n", ClassNames.DEFAULT).getBytes(StandardCharsets.UTF_8));
        }

        private Tarball add(TarArchiveEntry entry, byte[] content) {
            entries.add(entry);
            contents.add(content);
            return this;
        }

        public byte[] bytes() {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(buffer))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (int i = 0; i < entries.size(); i++) {
                    tar.putArchiveEntry(entries.get(i));
                    tar.write(contents.get(i));
                    tar.closeArchiveEntry();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return buffer.toByteArray();
        }

        public Path write(Path file) {
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(bytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return file;
        }
    }
}

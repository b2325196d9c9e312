package org.vectrain.engine.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.data.pickle.RestrictedUnpickler;
import org.vectrain.engine.fuzz.FuzzHarness;

/**
 * Fuzzes the restricted pickle reader and the batch check on top of it, as {@link
 * CifarPickleReader#readBatch} runs them: any bytes give a batch whose pixels and labels agree, or an
 * InputException; no other exception, and nothing but data is ever built. Long run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl engine test -Dtest=CifarPickleReaderFuzzTest#readBatch}.
 */
class CifarPickleReaderFuzzTest {
    /** Opcodes and names that mutations splice in: memo, framing, globals allowed and forbidden. */
    private static final List<byte[]> DICTIONARY = List.of(bytes(0x80, 2), bytes(0x80, 5), bytes(0x95), bytes(0x94),
            bytes('h', 0), bytes('q', 0), bytes('j', 0, 0, 0, 0), bytes(0x93), bytes('R'), bytes('b'), bytes('('),
            bytes('t'), bytes('e'), bytes('u'), bytes('.'), bytes(0x8a, 8), bytes(0x8e), bytes(0x96), bytes('B'),
            "cnumpy.core.multiarray\n_reconstruct\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
            "cnumpy\nndarray\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
            "cnumpy\ndtype\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
            "c_codecs\nencode\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
            "cos\nsystem\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
            bytes(0x8c, 8, 'b', 'u', 'i', 'l', 't', 'i', 'n', 's', 0x8c, 4, 'e', 'v', 'a', 'l', 0x93));

    @FuzzTest(maxDuration = "10m")
    void readBatch(byte[] input) {
        FuzzHarness.check(input, CifarPickleReaderFuzzTest::target);
    }

    @Test
    void boundedMutationSweep() {
        FuzzHarness.Report report = FuzzHarness.sweep(CifarPickleReaderFuzzTest.class, "readBatch", DICTIONARY, 4000,
                20261127L, CifarPickleReaderFuzzTest::target);
        assertTrue(report.accepted() > 10 && report.refused() > 1000, report.toString());
    }

    static void target(byte[] input) {
        Object root = RestrictedUnpickler.load(input, "fuzz.pkl");
        LabeledImages images = CifarPickleReader.toImages(root, "fuzz.pkl");
        if ((long) images.count() * LabeledImages.PIXELS != images.pixels().length
                || images.labels().length != images.count()) {
            throw new AssertionError(images.count() + " images with " + images.pixels().length + " pixel bytes and "
                    + images.labels().length + " labels");
        }
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** The meta reader from a file (the 64 KiB cap is crossed by large inputs): ten names, or an InputException. */
    @FuzzTest(maxDuration = "10m")
    void readLabelNames(byte[] input) {
        FuzzHarness.check(input, CifarPickleReaderFuzzTest::metaTarget);
    }

    @Test
    void labelNamesMutationSweep() {
        FuzzHarness.Report report = FuzzHarness.sweep(CifarPickleReaderFuzzTest.class, "readLabelNames", DICTIONARY,
                1000, 20261127L, CifarPickleReaderFuzzTest::metaTarget);
        assertTrue(report.accepted() > 5 && report.refused() > 100, report.toString());
    }

    static void metaTarget(byte[] input) throws java.io.IOException {
        try (org.vectrain.engine.fuzz.ScratchFolder scratch = new org.vectrain.engine.fuzz.ScratchFolder(
                "vectrain-fuzz-meta")) {
            java.nio.file.Path file = java.nio.file.Files.write(scratch.path().resolve(PythonCifarSource.META_FILE),
                    input);
            java.util.List<String> names = CifarPickleReader.readLabelNames(file);
            if (names.size() != LabeledImages.CLASSES) {
                throw new AssertionError(names.size() + " names");
            }
        }
    }
}

package org.vectrain.engine.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.fuzz.FuzzHarness;

/**
 * Fuzzes {@link CifarBinaryReader}: any bytes give one image per whole record, each labelled 0..9,
 * or an InputException. Long run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl engine test -Dtest=CifarBinaryReaderFuzzTest#read}.
 */
class CifarBinaryReaderFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void read(byte[] input) {
        FuzzHarness.check(input, CifarBinaryReaderFuzzTest::target);
    }

    @Test
    void boundedMutationSweep() {
        FuzzHarness.Report report = FuzzHarness.sweep(CifarBinaryReaderFuzzTest.class, "read", List.of(), 1500,
                20261127L, CifarBinaryReaderFuzzTest::target);
        assertTrue(report.accepted() > 10 && report.refused() > 100, report.toString());
    }

    static void target(byte[] input) throws IOException {
        LabeledImages images = CifarBinaryReader.read(new ByteArrayInputStream(input), input.length, "fuzz.bin");
        if ((long) images.count() * CifarBinaryReader.RECORD_BYTES != input.length) {
            throw new AssertionError(images.count() + " images from " + input.length + " bytes");
        }
        for (int i = 0; i < images.count(); i++) {
            int label = images.label(i);
            if (label < 0 || label >= LabeledImages.CLASSES) {
                throw new AssertionError("label " + label + " of image " + i);
            }
        }
    }

    /** The limit of the file-level target: small, so that mutated files cross it. */
    static final RecordLimit TWO_RECORDS = new RecordLimit(2, "the fuzz limit");

    /**
     * The reader from a file, as a data folder's source reads it, with a limit of two records: checks made on
     * the file's size (the record limit, a folder in place of a file) come before anything is allocated.
     */
    @FuzzTest(maxDuration = "10m")
    void readFile(byte[] input) {
        FuzzHarness.check(input, CifarBinaryReaderFuzzTest::fileTarget);
    }

    @Test
    void fileMutationSweep() {
        FuzzHarness.Report report = FuzzHarness.sweep(CifarBinaryReaderFuzzTest.class, "readFile", List.of(), 500,
                20261127L, CifarBinaryReaderFuzzTest::fileTarget);
        assertTrue(report.accepted() > 10 && report.refused() > 100, report.toString());
    }

    static void fileTarget(byte[] input) throws IOException {
        try (org.vectrain.engine.fuzz.ScratchFolder scratch = new org.vectrain.engine.fuzz.ScratchFolder(
                "vectrain-fuzz-bin")) {
            java.nio.file.Path file = java.nio.file.Files.write(scratch.path().resolve("data_batch_1.bin"), input);
            LabeledImages images = CifarBinaryReader.read(file, TWO_RECORDS);
            if (images.count() > TWO_RECORDS.max()
                    || (long) images.count() * CifarBinaryReader.RECORD_BYTES != input.length) {
                throw new AssertionError(images.count() + " images from " + input.length + " bytes");
            }
        }
    }
}

package org.vectrain.engine.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.fuzz.FuzzHarness;
import org.vectrain.engine.fuzz.ScratchFolder;

/**
 * Fuzzes the {@code batches.meta.txt} reader as a data folder's source reads it, from a file (so the 64 KiB
 * cap is crossed by large inputs): ten short printable names, or an InputException. Long run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl engine test -Dtest=ClassNamesFuzzTest#metaText}.
 */
class ClassNamesFuzzTest {
    private static final List<byte[]> DICTIONARY = List.of("\n".getBytes(), "\r\n".getBytes(), " ".getBytes(),
            "airplane".getBytes(), new byte[] {(byte) 0xC3, (byte) 0xA9}, new byte[] {(byte) 0xFF}, new byte[] {0});

    @FuzzTest(maxDuration = "10m")
    void metaText(byte[] input) {
        FuzzHarness.check(input, ClassNamesFuzzTest::target);
    }

    @Test
    void boundedMutationSweep() {
        FuzzHarness.Report report = FuzzHarness.sweep(ClassNamesFuzzTest.class, "metaText", DICTIONARY, 1000, 20261127L,
                ClassNamesFuzzTest::target);
        assertTrue(report.accepted() > 5 && report.refused() > 100, report.toString());
    }

    static void target(byte[] input) throws IOException {
        try (ScratchFolder scratch = new ScratchFolder("vectrain-fuzz-meta")) {
            Path folder = scratch.path();
            Files.write(folder.resolve(BinaryCifarSource.META_FILE), input);
            List<String> names = new BinaryCifarSource(folder).classNames();
            if (names.size() != LabeledImages.CLASSES) {
                throw new AssertionError(names.size() + " names");
            }
            for (String name : names) {
                if (name.isEmpty() || name.length() > ClassNames.MAX_NAME_CHARS
                        || name.chars().anyMatch(Character::isISOControl)) {
                    throw new AssertionError("name '" + name + "' accepted");
                }
            }
        }
    }
}

package org.vectrain.engine.compare;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.fuzz.FuzzHarness;
import org.vectrain.engine.fuzz.ScratchFolder;
import org.vectrain.engine.train.RunFiles;

/**
 * Fuzzes compare's reader of a run folder's {@code summary.json}, from a file and with a summary limit of
 * 64 KiB (so large inputs cross it): per-epoch figures for every epoch of both sets, or an InputException.
 * Long run: {@code JAZZER_FUZZ=1 ./mvnw -pl engine test -Dtest=RunRecordFuzzTest#read}.
 */
class RunRecordFuzzTest {
    private static final long LIMIT = 64 << 10;
    private static final List<byte[]> DICTIONARY = tokens("\"format\"", "\"history\"", "\"epoch\"", "\"train\"",
            "\"val\"", "\"loss\"", "\"cost\"", "\"accuracy\"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "1e308",
            "-0", "[", "]", "{", "}", ",", ":", "null", "true", "2147483648");

    /** Loads the JSON parser's classes, a one-time cost the per-input allocation bound must not count. */
    @BeforeAll
    static void loadParser() throws IOException {
        try (ScratchFolder scratch = new ScratchFolder("vectrain-fuzz-summary")) {
            Files.writeString(scratch.path().resolve("warm.json"), "{\"a\": [1.5, \"NaN\", {\"b\": null}]}");
            org.vectrain.engine.io.JsonFiles.readTree(scratch.path().resolve("warm.json"));
        }
    }

    @FuzzTest(maxDuration = "10m")
    void read(byte[] input) {
        FuzzHarness.check(input, RunRecordFuzzTest::target);
    }

    @Test
    void boundedMutationSweep() {
        FuzzHarness.Report report = FuzzHarness.sweep(RunRecordFuzzTest.class, "read", DICTIONARY, 600, 20261127L,
                RunRecordFuzzTest::target);
        assertTrue(report.accepted() > 5 && report.refused() > 100, report.toString());
    }

    static void target(byte[] input) throws IOException {
        try (ScratchFolder scratch = new ScratchFolder("vectrain-fuzz-summary")) {
            Files.write(scratch.path().resolve(RunFiles.SUMMARY), input);
            RunRecord record = RunRecord.read(scratch.path(), "RUN_A", LIMIT);
            int epochs = record.epochs();
            for (RunRecord.EvalSet set : RunRecord.EvalSet.values()) {
                for (RunRecord.Figure figure : RunRecord.Figure.values()) {
                    if (epochs < 1 || record.values(set, figure).length != epochs) {
                        throw new AssertionError(set + " " + figure + ": " + record.values(set, figure).length
                                + " values for " + epochs + " epochs");
                    }
                }
            }
        }
    }

    static List<byte[]> tokens(String... texts) {
        return Arrays.stream(texts).map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }
}

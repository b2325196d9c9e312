package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.fuzz.FuzzHarness;

/**
 * Fuzzes the parsing of search flag values (lists {@code a,b,c} and ranges {@code low..high[:count]}) and the
 * grid and random searches made of them: candidates with positive finite η and λ ranges and batch sizes of at
 * least 1, never more than {@link HyperSearch#MAX_CANDIDATES}, or an InputException. Long run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl engine test -Dtest=HyperSearchFuzzTest#values}.
 */
class HyperSearchFuzzTest {
    private static final List<byte[]> DICTIONARY = tokens("..", ":", ",", "e", "-", "+", "NaN", "Infinity", "0x1p",
            "2147483647", "2147483648", "1e-320", " ");

    @FuzzTest(maxDuration = "10m")
    void values(byte[] input) {
        FuzzHarness.check(input, HyperSearchFuzzTest::target);
    }

    @Test
    void boundedMutationSweep() {
        FuzzHarness.Report report = FuzzHarness.sweep(HyperSearchFuzzTest.class, "values", DICTIONARY, 3000, 20261127L,
                HyperSearchFuzzTest::target);
        assertTrue(report.accepted() > 20 && report.refused() > 100, report.toString());
    }

    static void target(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        HyperSearch.Values values = HyperSearch.Values.parse("--etas", text);
        HyperSearch.Values one = HyperSearch.Values.parse("--lambdas", "0.1");
        HyperSearch.Values batches = HyperSearch.Values.parse("--batches", "100");
        HyperSearch.checkSize(HyperSearch.gridSize(one, values, batches), 1, "--etas");
        List<HyperSearch.Candidate> grid = HyperSearch.grid(one, values, batches);
        if (grid.size() != values.size() || grid.size() > HyperSearch.MAX_CANDIDATES) {
            throw new AssertionError(grid.size() + " candidates for " + values.size() + " values");
        }
        HyperSearch.Values asBatches = HyperSearch.Values.parse("--batches", text);
        List<HyperSearch.Candidate> drawn = HyperSearch.random(3, one, values, asBatches, new SplittableRandom(1));
        for (HyperSearch.Candidate c : drawn) {
            if (c.batchSize() < 1) {
                throw new AssertionError("batch size " + c.batchSize());
            }
        }
    }

    static List<byte[]> tokens(String... texts) {
        return Arrays.stream(texts).map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }
}

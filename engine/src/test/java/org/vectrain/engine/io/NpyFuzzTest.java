package org.vectrain.engine.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.fuzz.FuzzHarness;

/**
 * Fuzzes {@link Npy#decode}: any bytes give a float array whose shape describes its data, or an
 * InputException. Long run: {@code JAZZER_FUZZ=1 ./mvnw -pl engine test -Dtest=NpyFuzzTest#decode}
 * (stops after the {@code maxDuration} below; new inputs go to {@code .cifuzz-corpus/}).
 */
class NpyFuzzTest {
    /** Header pieces a mutation can drop in whole: keys, literals and dtypes of the one dictionary NumPy writes. */
    private static final List<byte[]> DICTIONARY = tokens("\u0093NUMPY", "'descr'", "'fortran_order'", "'shape'",
            "True", "False", "'<f4'", "'<f8'", "'>f4'", "'|u1'", "(", ")", ",", "L", "{", "}", ": ", "\n",
            "4294967295", "2147483648", "99999999999");

    @FuzzTest(maxDuration = "10m")
    void decode(byte[] input) {
        FuzzHarness.check(input, NpyFuzzTest::target);
    }

    @Test
    void boundedMutationSweep() {
        FuzzHarness.Report report = FuzzHarness.sweep(NpyFuzzTest.class, "decode", DICTIONARY, 4000, 20261127L,
                NpyFuzzTest::target);
        assertTrue(report.accepted() > 10 && report.refused() > 1000, report.toString());
    }

    static void target(byte[] input) {
        Npy.FloatArray array = Npy.decode(input, "fuzz.npy");
        long count = 1;
        for (int dimension : array.shape()) {
            count *= dimension;
        }
        if (count != array.data().length) {
            throw new AssertionError("shape " + array + " does not describe " + array.data().length + " values");
        }
    }

    static List<byte[]> tokens(String... texts) {
        return java.util.Arrays.stream(texts).map(t -> t.getBytes(StandardCharsets.ISO_8859_1)).toList();
    }
}

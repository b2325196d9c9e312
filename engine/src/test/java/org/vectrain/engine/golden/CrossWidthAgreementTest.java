package org.vectrain.engine.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.compare.RunComparison;
import org.vectrain.engine.compare.RunRecord;
import org.vectrain.engine.compare.Tolerances;
import org.vectrain.engine.data.CifarFixtures;

/**
 * The same short training ({@link WidthRun}: the golden λ = 0.1 run, 3 epochs on 2,000 real images) in
 * separate JVMs, one per kernel choice, since the species is fixed per JVM: {@code -Dvectrain.simd=scalar},
 * {@code 128}, {@code 256} and {@code 512} (where the CPU has 512-bit vectors), and, when another JDK is installed, the
 * widest kernels again on that JDK. Every run must agree with the 512-bit (else the widest) run of this JDK
 * under {@link Tolerances#defaults()}, the defaults of {@code vectrain compare}.
 *
 * <p>Why they differ at all: the kernels reduce their lanes in a fixed order, but a dot product over
 * D = 3072 is summed as 16 partial sums on 512-bit vectors, 8 on 256-bit ones and one running sum in the
 * scalar twins; each grouping rounds differently, by about 1e-7 relative per score, and training carries that
 * on. Measured against 512-bit: losses within 7e-8 absolute (4e-8 relative), final W within
 * 1.4e-7 (256-bit) and 2.2e-7 (scalar) relative in the Frobenius norm, 50 times inside the tolerance. The
 * same width on JDK 17 and JDK 25 was bit-identical; the test reports that, but does not require it.
 *
 * <p>Other JDK: the system property {@code vectrain.other.jdk} (a Java home), else the first of the locations
 * {@code .ci/run} probes for JDK 25.
 */
class CrossWidthAgreementTest {
    static final List<String> OTHER_JDKS = List.of("/usr/lib/jvm/temurin-25-jdk-amd64", "/usr/lib/jvm/temurin-25-jdk",
            "/usr/lib/jvm/java-25-openjdk-amd64");
    static final long TIMEOUT_SECONDS = 120;

    @Test
    void widthsAndJdksAgreeWithinFloatTolerance(@TempDir Path tmp) throws Exception {
        CifarFixtures.realData();
        String ownJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        boolean has512 = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
        Map<String, RunRecord> runs = new LinkedHashMap<>();
        List<String> modes = new ArrayList<>(List.of("scalar", "128", "256"));
        if (has512) {
            modes.add("512");
        } else {
            System.out.println("CrossWidthAgreementTest: this CPU has no 512-bit vectors; 512 not run");
        }
        // All JVMs at once: each trains on one thread, and most of their time is start-up and reading data.
        Map<String, Launched> launched = new LinkedHashMap<>();
        for (String mode : modes) {
            launched.put(mode, Launched.start(ownJava, mode, tmp.resolve(mode)));
        }
        String reference = modes.get(modes.size() - 1);
        Path other = otherJdk();
        if (other != null) {
            launched.put(reference + " on " + other.getFileName(),
                    Launched.start(other.resolve("bin").resolve("java").toString(), reference, tmp.resolve("other")));
        }
        for (Map.Entry<String, Launched> e : launched.entrySet()) {
            runs.put(e.getKey(), e.getValue().finish());
        }

        RunRecord ref = runs.get(reference);
        StringBuilder report = new StringBuilder("against " + reference + " (" + ref.kernels() + "):\n");
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, RunRecord> e : runs.entrySet()) {
            if (e.getKey().equals(reference)) {
                continue;
            }
            RunComparison c = RunComparison.of(e.getValue(), ref, Tolerances.defaults());
            boolean identical = Arrays.equals(e.getValue().weights(), ref.weights());
            report.append(String.format(Locale.ROOT, "  %-28s %s%s%n", e.getKey() + ":", c.verdict(),
                    identical ? " (bit-identical W)" : ""));
            if (!c.agree()) {
                failed.add(e.getKey());
            }
        }
        System.out.print(report);
        assertTrue(failed.isEmpty(), "disagree: " + failed + "\n" + report);
    }

    /** One child JVM running {@link WidthRun}, its output going to a log file. */
    private record Launched(String what, Process process, Path log, Path out) {
        static Launched start(String java, String mode, Path out) throws IOException {
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> command = List.of(java, "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC",
                    "-Dvectrain.simd=" + mode, "-cp", classPath, WidthRun.class.getName(),
                    out.toString());
            Path log = Files.createTempFile(out.getParent(), "width-" + mode, ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Launched(mode + " with " + java, process, log, out);
        }

        RunRecord finish() throws IOException, InterruptedException {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(what + ": no result within " + TIMEOUT_SECONDS + " s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), what + " failed:\n" + output);
            output.lines().filter(l -> !l.startsWith("WARNING: Using incubator")).forEach(System.out::println);
            return RunRecord.read(out, what);
        }
    }

    private static Path otherJdk() {
        String given = System.getProperty("vectrain.other.jdk", "");
        List<String> candidates = given.isBlank() ? OTHER_JDKS : List.of(given);
        Path own = Path.of(System.getProperty("java.home")).toAbsolutePath().normalize();
        for (String candidate : candidates) {
            Path home = Path.of(candidate).toAbsolutePath().normalize();
            if (Files.isExecutable(home.resolve("bin").resolve("java")) && !home.equals(own)) {
                return home;
            }
        }
        return null;
    }
}

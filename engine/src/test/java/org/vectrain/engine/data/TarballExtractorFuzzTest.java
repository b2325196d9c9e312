package org.vectrain.engine.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.fuzz.FuzzHarness;

/**
 * Fuzzes {@link TarballExtractor#extractInto} in a scratch folder: any archive gives one complete,
 * marked top-level folder, or an InputException; either way nothing is written outside the target
 * folder and no temporary folder is left behind.
 *
 * <p>The input is the uncompressed tar, gzipped here, so that mutations reach the tar headers rather
 * than break the gzip checksum; an input that already starts with the gzip magic is used as it is.
 * Long run: {@code JAZZER_FUZZ=1 ./mvnw -pl engine test -Dtest=TarballExtractorFuzzTest#extract}.
 */
class TarballExtractorFuzzTest {
    private static final List<byte[]> DICTIONARY = Tokens.of("../", "/", "\\", "./", "cifar-10-batches-bin/",
            "ustar\u000000", "ustar  \u0000", "././@LongLink", "././@PaxHeader", "path=", "linkpath=", "size=", "\n",
            "00000000000", "77777777777", "0000644\u0000", "1", "2", "3", "4", "5", "6", "7", "x", "g", "L", "K", "S");

    @FuzzTest(maxDuration = "10m")
    void extract(byte[] input) {
        FuzzHarness.check(input, TarballExtractorFuzzTest::target);
    }

    @Test
    void boundedMutationSweep() {
        FuzzHarness.Report report = FuzzHarness.sweep(TarballExtractorFuzzTest.class, "extract", DICTIONARY, 600,
                20261127L, TarballExtractorFuzzTest::target);
        assertTrue(report.accepted() > 5 && report.refused() > 100, report.toString());
    }

    /**
     * The input is the compressed file as it is, so that mutations reach the gzip layer: compression
     * amplification (a few kilobytes that inflate to gigabytes of headers or data) and multi-member streams.
     * Long run: {@code JAZZER_FUZZ=1 ./mvnw -pl engine test -Dtest=TarballExtractorFuzzTest#extractGzip}.
     */
    @FuzzTest(maxDuration = "10m")
    void extractGzip(byte[] input) {
        FuzzHarness.check(input, TarballExtractorFuzzTest::compressedTarget);
    }

    @Test
    void compressedMutationSweep() {
        FuzzHarness.Report report = FuzzHarness.sweep(TarballExtractorFuzzTest.class, "extractGzip", DICTIONARY, 200,
                20261127L, TarballExtractorFuzzTest::compressedTarget);
        assertTrue(report.accepted() > 0 && report.refused() > 50, report.toString());
    }

    static void target(byte[] input) throws IOException {
        compressedTarget(gzip(input));
    }

    static void compressedTarget(byte[] compressed) throws IOException {
        Path scratch = Files.createTempDirectory("vectrain-fuzz-tar");
        try {
            Path tarball = Files.write(Files.createDirectory(scratch.resolve("in")).resolve("fuzz.tar.gz"), compressed);
            Path parent = scratch.resolve("out");
            Path extracted = null;
            try {
                extracted = TarballExtractor.extractInto(tarball, parent);
                if (!extracted.getParent().equals(parent) || !Files.isRegularFile(extracted.resolve(TarballExtractor.MARKER))) {
                    throw new AssertionError("extracted to " + extracted + " without its marker");
                }
            } finally {
                checkNothingElseWritten(scratch, parent, extracted);
            }
        } finally {
            delete(scratch);
        }
    }

    /** Only the input archive and, after a success, the one extracted folder may exist in the scratch folder. */
    private static void checkNothingElseWritten(Path scratch, Path parent, Path extracted) throws IOException {
        try (Stream<Path> paths = Files.walk(scratch)) {
            for (Path path : paths.toList()) {
                boolean allowed = path.equals(scratch) || path.startsWith(scratch.resolve("in")) || path.equals(parent)
                        || (extracted != null && path.startsWith(extracted));
                if (!allowed) {
                    throw new AssertionError("left behind " + scratch.relativize(path));
                }
            }
        }
    }

    private static byte[] gzip(byte[] input) throws IOException {
        if (input.length >= 2 && (input[0] & 0xFF) == 0x1f && (input[1] & 0xFF) == 0x8b) {
            return input;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out)) {
            gz.write(input);
        }
        return out.toByteArray();
    }

    private static void delete(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Dictionary tokens as ISO-8859-1 bytes. */
    private static final class Tokens {
        static List<byte[]> of(String... texts) {
            return java.util.Arrays.stream(texts).map(t -> t.getBytes(StandardCharsets.ISO_8859_1)).toList();
        }
    }
}

package org.vectrain.engine.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.vectrain.engine.InputException;

/**
 * The contract every fuzz target checks, and the bounded mutation sweep that runs in every build.
 *
 * <p>Contract: given any bytes, a reader returns a result or throws {@link InputException} whose
 * message is one line. Any other throwable (an {@link ArrayIndexOutOfBoundsException}, an
 * {@link OutOfMemoryError}, an {@link IllegalStateException} ...) is a bug. The sweep adds two
 * bounds Jazzer does not check for Java: the bytes allocated while reading one input must stay within
 * {@link #ALLOCATION_PER_BYTE} times its length plus {@link #ALLOCATION_SLACK} (so no length from the
 * file is trusted before it is checked), and no input may take longer than {@link #MAX_MILLIS}.
 */
public final class FuzzHarness {
    /** Bytes a reader may allocate per input byte: copies, decoded arrays, boxed pickle values. */
    public static final long ALLOCATION_PER_BYTE = 64;
    /** Fixed allowance: read buffers (the binary reader's is 3 MB), gzip and tar state, messages. */
    public static final long ALLOCATION_SLACK = 16L << 20;
    /** Longest time one input may take; generous for a shared CI machine, far below any hang. */
    public static final long MAX_MILLIS = 5_000;
    /** How the corpus files a coverage-guided run kept are named: cov- and their SHA-1's first 12 hex digits. */
    static final String COVERAGE_PREFIX = "cov-";

    /** What a target does with one input; exceptions other than {@link InputException} are findings. */
    @FunctionalInterface
    public interface Target {
        void accept(byte[] input) throws Exception;
    }

    /**
     * Figures of one sweep.
     *
     * @param inputs inputs run, seeds included
     * @param accepted inputs the reader returned a result for
     * @param refused inputs refused with an {@link InputException}
     * @param maxAllocatedBytes the most bytes allocated for one input
     * @param slowestMillis the longest time one input took
     */
    public record Report(int inputs, int accepted, int refused, long maxAllocatedBytes, double slowestMillis) {
    }

    private FuzzHarness() {
    }

    /**
     * Runs {@code target} on {@code input} and enforces the contract; used by the {@code @FuzzTest}s,
     * where Jazzer reports whatever escapes as a finding with the input that caused it.
     *
     * @return whether the reader accepted the input (false: refused with an InputException)
     */
    public static boolean check(byte[] input, Target target) {
        try {
            target.accept(input);
            return true;
        } catch (InputException e) {
            String message = e.getMessage();
            if (message == null || message.isBlank() || message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
                throw new AssertionError("an InputException message must be one line of text, got: " + message, e);
            }
            return false;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("a checked " + e.getClass().getSimpleName() + " escaped the reader", e);
        }
    }

    /**
     * Replays the committed corpus of {@code testClass}'s {@code method}, then {@code mutations}
     * inputs mutated with {@code seed} from its hand-written seeds (the inputs a coverage-guided run kept,
     * named {@value #COVERAGE_PREFIX}..., are mostly broken already and would leave few mutations to pass
     * the reader); fails on the first input that breaks the contract, saving it under
     * {@code target/fuzz-failures/} to replay.
     */
    public static Report sweep(Class<?> testClass, String method, List<byte[]> dictionary, int mutations, long seed,
            Target target) {
        List<byte[]> corpus = corpus(testClass, method);
        List<byte[]> handWritten = corpus(testClass, method, false);
        String name = testClass.getSimpleName() + "#" + method;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SeededMutator mutator = new SeededMutator(handWritten.isEmpty() ? corpus : handWritten, dictionary, seed);
        int accepted = 0;
        long maxAllocated = 0;
        long slowest = 0;
        int total = corpus.size() + mutations;
        for (int i = 0; i < total; i++) {
            byte[] input = i < corpus.size() ? corpus.get(i) : mutator.next();
            String which = i < corpus.size() ? "seed " + i : "mutation " + (i - corpus.size()) + " of seed " + seed;
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            try {
                if (check(input, target)) {
                    accepted++;
                }
            } catch (Throwable e) {
                throw new AssertionError(name + ": " + which + " broke the contract (" + e + "); input saved to "
                        + save(name, i, input), e);
            }
            long nanos = System.nanoTime() - start;
            long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            long budget = ALLOCATION_PER_BYTE * input.length + ALLOCATION_SLACK;
            if (allocated > budget) {
                throw new AssertionError(name + ": " + which + " of " + input.length + " bytes allocated " + allocated
                        + " bytes, more than " + budget + "; input saved to " + save(name, i, input));
            }
            if (nanos > MAX_MILLIS * 1_000_000) {
                throw new AssertionError(name + ": " + which + " took " + nanos / 1_000_000 + " ms; input saved to "
                        + save(name, i, input));
            }
            maxAllocated = Math.max(maxAllocated, allocated);
            slowest = Math.max(slowest, nanos);
        }
        Report report = new Report(total, accepted, total - accepted, maxAllocated, slowest / 1e6);
        System.out.printf(Locale.ROOT, "fuzz sweep %s: %d inputs (%d seeds + %d mutations, seed %d): %d read, %d refused"
                + " with InputException, 0 other outcomes; most allocated %.1f MB, slowest %.1f ms%n", name, total,
                corpus.size(), mutations, seed, accepted, total - accepted, maxAllocated / 1e6, report.slowestMillis());
        return report;
    }

    /** The committed seed corpus: every file in the resource folder {@code <Class>Inputs/<method>/}, by name. */
    public static List<byte[]> corpus(Class<?> testClass, String method) {
        return corpus(testClass, method, true);
    }

    /** The corpus files in name order, with or without those a coverage-guided run added. */
    private static List<byte[]> corpus(Class<?> testClass, String method, boolean withCoverage) {
        String folder = testClass.getSimpleName() + "Inputs/" + method;
        URL url = testClass.getResource(folder);
        if (url == null) {
            throw new IllegalStateException("no seed corpus " + folder + " next to " + testClass.getName());
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            List<byte[]> out = new ArrayList<>();
            for (Path file : files.filter(Files::isRegularFile).sorted()
                    .filter(f -> withCoverage || !f.getFileName().toString().startsWith(COVERAGE_PREFIX)).toList()) {
                out.add(Files.readAllBytes(file));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path save(String name, int index, byte[] input) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
            return Files.write(dir.resolve(name.replace('#', '-') + "-" + index + ".bin"), input).toAbsolutePath();
        } catch (IOException e) {
            return Path.of("(not saved: " + e.getMessage() + ")");
        }
    }
}

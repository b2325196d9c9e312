package org.vectrain.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.vectrain.engine.InputException;

/**
 * The numpy/OpenBLAS baseline ({@code numpy_epoch.py} of the shared bench folder) run as a child process,
 * the way its header says gives the fastest numpy: one OpenBLAS thread, with the two variables that pin
 * OpenBLAS to its AVX2 kernels removed from its environment. It prints one JSON line with its medians.
 *
 * <p>The script reads real images only from {@code data_batch_1.bin} and evaluates {@code n + 20,000}
 * images; {@link Epoch#scaledTo} sets its evaluation against the number of images vectrain evaluates.
 */
public final class NumpyBaseline {
    /** Images of one binary CIFAR-10 batch file: the most the script reads as real training data. */
    public static final int REAL_IMAGES = 10_000;
    /** Images the script evaluates besides its training set: a validation and a test set of 10,000. */
    public static final int EXTRA_EVALUATED = 20_000;
    /** Environment variables that pin OpenBLAS to its AVX2 kernels, removed for the fastest numpy. */
    static final List<String> PINS = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");
    /** Longest a run may take by default, s: far more than the script's five epochs need. */
    static final long TIMEOUT_SECONDS = 600;
    /** Lines of the script's output quoted when it fails, and at most this many characters of them. */
    private static final int QUOTED_LINES = 3;
    private static final int QUOTED_CHARS = 400;
    /** Thread-safe once made; one for every line parsed. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String python;
    private final Path script;
    private final long timeoutMillis;

    private NumpyBaseline(String python, Path script, long timeoutMillis) {
        this.python = python;
        this.script = script;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * The baseline {@code script} run with the {@code python} executable. Refuses a script that is not a
     * readable file (an {@link InputException} naming {@code --numpy}).
     */
    public static NumpyBaseline of(String python, Path script) {
        if (!Files.isRegularFile(script) || !Files.isReadable(script)) {
            throw new InputException("--numpy: " + script + " is not a readable file (expected numpy_epoch.py, "
                    + "the numpy baseline)");
        }
        if (python.isBlank()) {
            throw new InputException("--python: the Python executable must not be empty");
        }
        return new NumpyBaseline(python, script, TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    }

    /** The same baseline with another time limit per run (for tests of a script that hangs). */
    NumpyBaseline withTimeout(long millis) {
        return new NumpyBaseline(python, script, millis);
    }

    /**
     * One run of the baseline's medians.
     *
     * @param trainMillis median training pass, ms
     * @param evalMillis median evaluation of its three sets, ms
     * @param n its training images
     * @param evaluated images its evaluation covers
     * @param realData whether it trained on real images (else Gaussian data of the same shape)
     * @param openblasCore the OpenBLAS kernel set numpy ran, as the script names it
     * @param threads the OpenBLAS threads it ran with
     */
    public record Epoch(double trainMillis, double evalMillis, int n, int evaluated, boolean realData,
            String openblasCore, int threads) {
        public double epochMillis() {
            return trainMillis + evalMillis;
        }

        /** The same run with its evaluation time scaled to {@code images} evaluated images. */
        public Epoch scaledTo(int images) {
            return new Epoch(trainMillis, evalMillis * images / evaluated, n, images, realData, openblasCore, threads);
        }
    }

    /**
     * The command that runs the baseline for {@code n} training images: on the real images of
     * {@code binaryFolder} when it holds the script's three batch files and {@code n} fits in one, else
     * on Gaussian data (the script's timing does not depend on the values).
     */
    List<String> command(int n, int batch, int epochs, Path binaryFolder) {
        return command(n, batch, epochs, binaryFolder, 0);
    }

    /** As {@link #command(int, int, int, Path)}, for the two-layer network of {@code hidden} units when above 0. */
    List<String> command(int n, int batch, int epochs, Path binaryFolder, int hidden) {
        List<String> command = new ArrayList<>(List.of(python, script.toString(), "--n", Integer.toString(n),
                "--batch", Integer.toString(batch), "--epochs", Integer.toString(epochs)));
        if (hidden > 0) {
            command.add("--hidden");
            command.add(Integer.toString(hidden));
        }
        if (readsRealData(n, binaryFolder)) {
            command.add("--data");
            command.add(binaryFolder.toString());
        }
        return command;
    }

    private static boolean readsRealData(int n, Path binaryFolder) {
        return binaryFolder != null && n <= REAL_IMAGES && Files.isRegularFile(binaryFolder.resolve("data_batch_1.bin"))
                && Files.isRegularFile(binaryFolder.resolve("data_batch_2.bin"))
                && Files.isRegularFile(binaryFolder.resolve("test_batch.bin"));
    }

    /**
     * Runs the baseline once (see {@link #command}) with {@code threads} OpenBLAS threads and returns its
     * medians. A Python that cannot be started, a script that fails or prints no result line, or a run past
     * its time limit ({@link #TIMEOUT_SECONDS} s) is an {@link InputException} that quotes the end of the
     * script's output.
     */
    public Epoch run(int n, int batch, int epochs, Path binaryFolder, int threads) {
        return run(n, batch, epochs, binaryFolder, threads, 0);
    }

    /** As {@link #run(int, int, int, Path, int)}, for the two-layer network of {@code hidden} units when above 0. */
    public Epoch run(int n, int batch, int epochs, Path binaryFolder, int threads, int hidden) {
        return parse(execute(command(n, batch, epochs, binaryFolder, hidden), threads), readsRealData(n, binaryFolder),
                threads);
    }

    /**
     * Checks, in a second or two, that the baseline can run at all: the script's {@code --help}, which
     * imports numpy first. Fails as {@link #run} does, so a missing Python or numpy is reported before
     * any epoch is timed.
     */
    public void check() {
        execute(List.of(python, script.toString(), "--help"), 1);
    }

    /**
     * Runs {@code command} in the fastest numpy's environment with {@code threads} OpenBLAS threads and returns
     * its output (stdout and stderr).
     */
    private String execute(List<String> command, int threads) {
        Path log;
        try {
            log = Files.createTempFile("vectrain-numpy", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary file for the numpy baseline's output", e);
        }
        try {
            // output to a file, not a pipe, so that the wait below can time out on a script that hangs
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            fastestNumpy(builder.environment(), threads);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new InputException("--python: cannot run " + python + ": " + e.getMessage(), e);
            }
            try {
                if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new InputException("--numpy: " + script + " ran longer than " + timeoutMillis / 1000.0
                            + " s and was stopped");
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new InputException("--numpy: interrupted while " + script + " ran", e);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new InputException("--numpy: " + String.join(" ", command) + " exited with status "
                        + process.exitValue() + "; its last output: " + tail(output));
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the numpy baseline's output from " + log, e);
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // a temporary file left behind is harmless
            }
        }
    }

    /**
     * The environment for the fastest numpy (the script's header): its AVX2 pins removed, {@code threads}
     * OpenBLAS threads (the caller tries one and as many as it compares with, and takes the faster).
     */
    static void fastestNumpy(Map<String, String> env, int threads) {
        PINS.forEach(env::remove);
        env.put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
    }

    /** The result line of the script's output: the last line that is a JSON object with its medians. */
    Epoch parse(String output, boolean realData, int threads) {
        String[] lines = output.split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (!line.startsWith("{")) {
                continue;
            }
            try {
                JsonNode json = MAPPER.readTree(line);
                JsonNode train = json.get("train_ms_per_epoch");
                JsonNode eval = json.get("eval_ms_per_epoch");
                JsonNode n = json.get("n");
                if (train != null && train.isNumber() && eval != null && eval.isNumber() && n != null && n.isInt()
                        && train.asDouble() > 0 && eval.asDouble() > 0) {
                    JsonNode core = json.get("openblas_core");
                    return new Epoch(train.asDouble(), eval.asDouble(), n.asInt(), n.asInt() + EXTRA_EVALUATED,
                            realData, core == null ? "unknown" : core.asText(), threads);
                }
            } catch (JsonProcessingException e) {
                // not the result line; an earlier line may be
            }
        }
        throw new InputException("--numpy: " + script + " printed no result line (a JSON object with positive "
                + "train_ms_per_epoch and eval_ms_per_epoch, and n); its last output: " + tail(output));
    }

    /** The last lines of the script's output on one line, as an error quotes them. */
    private static String tail(String output) {
        if (output.isBlank()) {
            return "(nothing)";
        }
        List<String> lines = output.strip().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        String text = String.join(" | ", lines.subList(Math.max(0, lines.size() - QUOTED_LINES), lines.size()));
        return text.length() <= QUOTED_CHARS ? text : "..." + text.substring(text.length() - QUOTED_CHARS);
    }
}

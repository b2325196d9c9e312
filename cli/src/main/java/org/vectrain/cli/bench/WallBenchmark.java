package org.vectrain.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.vectrain.engine.InputException;

/**
 * Times whole vectrain processes, as a user waits for them: the suite, a 40-epoch train and a 1-epoch suite,
 * each started afresh (JVM start, data read, warm-up, epochs, plots, files), in rounds so that a slow spell
 * of a shared machine touches every workload alike. Each child records its phases (the suite's
 * {@code timings.json}, train's {@code summary.json}); they come back with its wall time.
 */
public final class WallBenchmark {
    /** Set by the {@code ./vectrain} launcher to its own path: children are then started as the user starts them. */
    public static final String LAUNCHER_ENV = "VECTRAIN_LAUNCHER";
    /** The longest one child may take before it is stopped and the benchmark fails. */
    static final long TIMEOUT_SECONDS = 900;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A command timed as a whole process, and where it writes its phases. */
    public record Workload(String name, List<String> arguments, boolean suite) {
        /** The phases the child recorded, read from its output folder; missing from a build that records none. */
        JsonNode timings(Path out) throws IOException {
            Path file = out.resolve(suite ? "timings.json" : "summary.json");
            if (!Files.exists(file)) {
                return MissingNode.getInstance();
            }
            JsonNode json = MAPPER.readTree(file.toFile());
            return suite ? json : json.path("timings");
        }
    }

    /** One child: its workload, the wall time from its start to its exit as this process saw it, its phases. */
    public record Run(Workload workload, int round, double wallSeconds, JsonNode timings) {
    }

    /** The suite, a 40-epoch train (the defaults of both) and a suite of one epoch per setting. */
    public static List<Workload> standardWorkloads() {
        return List.of(new Workload("suite", List.of("suite"), true),
                new Workload("train", List.of("train"), false),
                new Workload("suite --epochs 1", List.of("suite", "--epochs", "1"), true));
    }

    private final List<String> launch;
    private final List<String> common;

    /**
     * @param launch the command that starts vectrain ({@link #launchCommand()})
     * @param common arguments given to every workload (the data folder, the threads)
     */
    public WallBenchmark(List<String> launch, List<String> common) {
        this.launch = List.copyOf(launch);
        this.common = List.copyOf(common);
    }

    /**
     * How to start vectrain as this process was started: through the launcher when it started this one (its
     * JVM options, such as huge pages, are part of what a user waits for), else this JVM with its own
     * options and jar.
     */
    public static List<String> launchCommand() {
        String launcher = System.getenv(LAUNCHER_ENV);
        if (launcher != null && !launcher.isBlank() && Files.isExecutable(Path.of(launcher))) {
            return List.of(launcher);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-jar");
        command.add(ownJar().toString());
        return command;
    }

    private static Path ownJar() {
        try {
            return Path.of(WallBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the vectrain jar is", e);
        }
    }

    /**
     * Runs every workload once per round, in turn, each with its output in a fresh temporary folder that is
     * deleted after its phases are read; {@code afterEach} sees every run as it ends.
     *
     * @throws InputException when a child fails or runs too long, with the end of its output (the command
     *     line reports it as it reports a failing numpy script: exit code 2, no stack trace)
     */
    public List<Run> run(List<Workload> workloads, int rounds, Consumer<Run> afterEach) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("vectrain-wall");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            List<Run> runs = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                for (Workload workload : workloads) {
                    Run run = runOnce(workload, round, scratch);
                    runs.add(run);
                    afterEach.accept(run);
                }
            }
            return runs;
        } finally {
            deleteTree(scratch);
        }
    }

    private Run runOnce(Workload workload, int round, Path scratch) {
        Path out = scratch.resolve("round-" + round + "-" + workload.name().replaceAll("[^A-Za-z0-9]+", "-"));
        Path log = scratch.resolve("child.log");
        List<String> command = new ArrayList<>(launch);
        command.addAll(workload.arguments());
        command.addAll(common);
        command.addAll(List.of("--quiet", "--out", out.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        try {
            long start = System.nanoTime();
            Process child = builder.start();
            boolean ended = child.waitFor(TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            double wall = (System.nanoTime() - start) / 1e9;
            if (!ended) {
                // the launcher passes SIGTERM on to its JVM; only what outlives that is killed
                child.destroy();
                if (!child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    child.descendants().forEach(ProcessHandle::destroyForcibly);
                    child.destroyForcibly();
                }
                throw new InputException("--wall: '" + String.join(" ", command) + "' took more than "
                        + TIMEOUT_SECONDS + " s");
            }
            if (child.exitValue() != 0) {
                throw new InputException("--wall: '" + String.join(" ", command) + "' failed with exit code "
                        + child.exitValue() + ": " + lastLines(log));
            }
            JsonNode timings = workload.timings(out);
            return new Run(workload, round, wall, timings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while timing " + workload.name(), e);
        } finally {
            deleteTree(out);
        }
    }

    /** The middle run of {@code runs} by wall time (for an even count, the faster middle one). */
    public static Run median(List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(Run::wallSeconds));
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static String lastLines(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    /** Deletes a child's output folder; what cannot be deleted stays (it is in a scratch folder). */
    private static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

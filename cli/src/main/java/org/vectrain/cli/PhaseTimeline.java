package org.vectrain.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The phases of this process as a user waits for them: when each began and how long it took, on which
 * thread, counted from the JVM's start; and how much of the machine the process left idle.
 *
 * <p>One timeline per process ({@link #process()}); phases on several threads (the suite's settings run
 * side by side) may overlap. Reading the clock is all a phase costs, so every run records its phases and
 * {@code --timings} only decides whether they are printed.
 */
public final class PhaseTimeline {
    /** Linux's USER_HZ, the unit of the start time in {@code /proc/self/stat}: 100 on x86 and ARM. */
    private static final double LINUX_TICKS_PER_SECOND = 100.0;

    private static volatile PhaseTimeline process = new PhaseTimeline();

    /** Nanosecond clock reading taken when this timeline began. */
    private final long originNanos;
    /** Seconds from the JVM's start to this timeline's origin; NaN where the OS does not say. */
    private final double jvmToOriginSeconds;
    private final List<Phase> phases = new ArrayList<>();

    /** A phase: a name, its thread, its start from the JVM's start and its length, in seconds. */
    public record Phase(String name, String thread, double startSeconds, double seconds) {
    }

    private PhaseTimeline() {
        originNanos = System.nanoTime();
        jvmToOriginSeconds = secondsSinceProcessStart();
    }

    /**
     * Seconds since this process started, or NaN where the OS does not say. On Linux from the kernel's own
     * counts since boot ({@code /proc/self/stat}'s start time in clock ticks of 1/100 s, {@code /proc/uptime}), to
     * about 0.01 s: {@link ProcessHandle.Info#startInstant()} adds the start time to the boot time, which the kernel
     * gives in whole seconds, and so can be up to a second off on every run.
     */
    static double secondsSinceProcessStart() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // the fields after the command name, which is in parentheses and may hold spaces: state is field 3,
            // the start time field 22
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long startTicks = Long.parseLong(fields[22 - 3]);
            double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).trim().split(" ")[0]);
            double seconds = uptime - startTicks / LINUX_TICKS_PER_SECOND;
            if (seconds >= 0 && seconds < 3600) {
                return seconds;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a /proc unlike it: the portable reading below
        }
        Instant now = Instant.now();
        return ProcessHandle.current().info().startInstant()
                .map(started -> Duration.between(started, now).toNanos() / 1e9)
                .orElse(Double.NaN);
    }

    /** The timeline of this process. */
    public static PhaseTimeline process() {
        return process;
    }

    /** Starts the process's timeline again, at the start of a command (and of each command a test runs in-process). */
    static void restart() {
        process = new PhaseTimeline();
    }

    /** The {@link System#nanoTime()} reading at which this timeline began. */
    public long originNanos() {
        return originNanos;
    }

    /** Starts a phase on the calling thread; closing the returned handle ends it. */
    public Running begin(String name) {
        return new Running(name, System.nanoTime());
    }

    /** Runs {@code work} on the calling thread as the phase {@code name} and returns what it gives. */
    public <T> T time(String name, Supplier<T> work) {
        try (Running phase = begin(name)) {
            return work.get();
        }
    }

    /** A phase that has begun; {@link #close()} records it. */
    public final class Running implements AutoCloseable {
        private final String name;
        private final long startNanos;

        private Running(String name, long startNanos) {
            this.name = name;
            this.startNanos = startNanos;
        }

        @Override
        public void close() {
            add(name, Thread.currentThread().getName(), startNanos, System.nanoTime());
        }
    }

    /** Records a phase measured elsewhere, with {@link System#nanoTime()} readings. */
    public void add(String name, String thread, long startNanos, long endNanos) {
        Phase phase = new Phase(name, thread, seconds(startNanos), (endNanos - startNanos) / 1e9);
        synchronized (phases) {
            phases.add(phase);
        }
    }

    /** The phases recorded so far, in the order they began; the first is the JVM's own start-up where known. */
    public List<Phase> phases() {
        List<Phase> all = new ArrayList<>();
        if (!Double.isNaN(jvmToOriginSeconds)) {
            all.add(new Phase("JVM start to main", "main", 0, jvmToOriginSeconds));
        }
        synchronized (phases) {
            all.addAll(phases);
        }
        all.sort(Comparator.comparingDouble(Phase::startSeconds));
        return all;
    }

    /** Seconds from the JVM's start (or, where unknown, from this timeline's origin) to now. */
    public double wallSeconds() {
        return seconds(System.nanoTime());
    }

    private double seconds(long nanos) {
        return (Double.isNaN(jvmToOriginSeconds) ? 0 : jvmToOriginSeconds) + (nanos - originNanos) / 1e9;
    }

    /** The process's CPU time so far, all threads (the JIT compiler's and the collector's too); NaN if unknown. */
    public static double cpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    /** The timeline as JSON: wall, CPU and idle core time, and every phase. */
    public ObjectNode toJson() {
        double wall = wallSeconds();
        double cpu = cpuSeconds();
        int cores = Runtime.getRuntime().availableProcessors();
        ObjectNode json = new ObjectMapper().createObjectNode();
        putSeconds(json, "wall_s", wall);
        putSeconds(json, "cpu_s", cpu);
        json.put("cores", cores);
        putSeconds(json, "idle_core_s", cores * wall - cpu);
        ArrayNode list = json.putArray("phases");
        for (Phase p : phases()) {
            ObjectNode phase = list.addObject().put("name", p.name()).put("thread", p.thread());
            putSeconds(phase, "start_s", p.startSeconds());
            putSeconds(phase, "s", p.seconds());
        }
        return json;
    }

    /** The timeline as a table for a terminal: one phase a line, then wall, CPU and idle time. */
    public String toText() {
        List<Phase> all = phases();
        int width = "phase".length();
        for (Phase p : all) {
            width = Math.max(width, p.name().length());
        }
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%-" + width + "s %8s %8s  %s%n", "phase", "start s", "took s",
                "thread"));
        for (Phase p : all) {
            text.append(String.format(Locale.ROOT, "%-" + width + "s %8.3f %8.3f  %s%n", p.name(), p.startSeconds(),
                    p.seconds(), p.thread()));
        }
        text.append(summaryLine()).append(System.lineSeparator());
        return text.toString();
    }

    /** {@code wall 7.10 s from the JVM's start; CPU 9.80 s of the 14.20 core-seconds 2 cores had (31 % idle)}. */
    public String summaryLine() {
        double wall = wallSeconds();
        double cpu = cpuSeconds();
        int cores = Runtime.getRuntime().availableProcessors();
        return String.format(Locale.ROOT, "wall %.2f s from the JVM's start; CPU %.2f s of the %.2f core-seconds "
                + "%d %s had (%.0f %% idle)", wall, cpu, cores * wall, cores, cores == 1 ? "core" : "cores",
                100 * (1 - cpu / (cores * wall)));
    }

    /** Seconds to 0.1 ms; null where a figure is unknown (JSON has no NaN). */
    private static void putSeconds(ObjectNode json, String field, double seconds) {
        if (Double.isFinite(seconds)) {
            json.put(field, Math.round(seconds * 1e4) / 1e4);
        } else {
            json.putNull(field);
        }
    }
}

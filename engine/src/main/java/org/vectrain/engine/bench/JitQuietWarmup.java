package org.vectrain.engine.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * When a benchmark's warm-up ends: after at least its minimum of epochs, once the JIT has compiled nothing for
 * {@link EpochBenchmark#QUIET_EPOCHS} epochs in a row, or {@link EpochBenchmark#MAX_EXTRA_WARMUP} epochs past the
 * minimum, whichever comes first (a JVM that does not report compilation time stops at the minimum).
 */
final class JitQuietWarmup {
    private final int minimum;
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    private final boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
    private long lastJitMillis;
    private int quietEpochs;
    private int epochs;
    private boolean quiet;
    private boolean warming;

    /** A warm-up of at least {@code minimum} epochs; none at all when it is 0. */
    JitQuietWarmup(int minimum) {
        this.minimum = minimum;
        this.lastJitMillis = jitTimed ? jit.getTotalCompilationTime() : 0;
        this.warming = minimum > 0;
    }

    /** Whether the next epoch is still part of the warm-up. */
    boolean warming() {
        return warming;
    }

    /** Counts a warm-up epoch just run and decides whether the warm-up goes on. */
    void epochDone() {
        epochs++;
        if (jitTimed) {
            long jitMillis = jit.getTotalCompilationTime();
            quietEpochs = jitMillis == lastJitMillis ? quietEpochs + 1 : 0;
            lastJitMillis = jitMillis;
        }
        quiet = jitTimed && quietEpochs >= EpochBenchmark.QUIET_EPOCHS;
        boolean capped = epochs >= minimum + EpochBenchmark.MAX_EXTRA_WARMUP;
        warming = epochs < minimum || jitTimed && !quiet && !capped;
    }

    /** The warm-up epochs run. */
    int epochs() {
        return epochs;
    }

    /** Whether the warm-up ended with the JIT quiet. */
    boolean jitQuiet() {
        return quiet;
    }
}

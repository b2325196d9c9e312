package org.vectrain.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Floating-point work done, in units of 10^9 flops. In throughput mode with a time unit of seconds
 * JMH reports it as a rate: the {@code :gflop} row of a result reads directly as GFLOP/s, beside the
 * calls per second of the primary row.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class FlopCounter {
    /** Adds {@code flops} floating-point operations. */
    public void add(long flops) {
        gflop += flops * 1e-9;
    }

    /** Public so JMH can read it: GFLOP done in this iteration. */
    public double gflop;

    @Setup(Level.Iteration)
    public void clear() {
        gflop = 0;
    }
}

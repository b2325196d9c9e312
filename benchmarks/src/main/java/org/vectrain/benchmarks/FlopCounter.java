package org.vectrain.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Floating-point operations done per iteration; JMH reports it as a rate, which at a time unit of
 * nanoseconds reads directly as GFLOP/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class FlopCounter {
    /** Public so JMH can read it; GFLOP/s at the benchmark's nanosecond time unit. */
    public long gflops;

    @Setup(Level.Iteration)
    public void clear() {
        gflops = 0;
    }
}

package org.vectrain.engine.train;

import java.util.Arrays;

/**
 * Where the time of {@link SgdStep}'s steps goes, summed over the steps since the last {@link #reset()}:
 * the wall time of each phase (the parallel forward product, the serial part on the calling thread
 * between the two parallel phases, the parallel update) and how long each column part was busy inside
 * the parallel phases. A phase's wall time beyond its slowest part is the handoff between threads and the
 * wait for the slower part.
 *
 * <p>Each part writes only its own counters, on the thread that runs it; the pool's end of a phase
 * publishes them to the caller. Read it between steps, not during one.
 */
public final class StepProfile {
    /** Counters of one column part, padded apart so that the two parts' threads write separate cache lines. */
    private static final int STRIDE = 16;
    private static final int FORWARD = 0;
    private static final int UPDATE = 1;

    private final long[] partNanos = new long[SgdStep.COLUMN_PARTS * STRIDE];
    private long steps;
    private long stepNanos;
    private long forwardNanos;
    private long serialNanos;
    private long updateNanos;

    /** Forgets every step so far. */
    public void reset() {
        steps = 0;
        stepNanos = 0;
        forwardNanos = 0;
        serialNanos = 0;
        updateNanos = 0;
        Arrays.fill(partNanos, 0);
    }

    void addStep(long total, long forward, long serial, long update) {
        steps++;
        stepNanos += total;
        forwardNanos += forward;
        serialNanos += serial;
        updateNanos += update;
    }

    void addForwardPart(int part, long nanos) {
        partNanos[part * STRIDE + FORWARD] += nanos;
    }

    void addUpdatePart(int part, long nanos) {
        partNanos[part * STRIDE + UPDATE] += nanos;
    }

    /** Steps profiled since the last reset. */
    public long steps() {
        return steps;
    }

    /** Mean wall time of a whole step, µs (NaN before the first step). */
    public double stepMicros() {
        return perStep(stepNanos);
    }

    /** Mean wall time of the parallel forward phase, µs. */
    public double forwardMicros() {
        return perStep(forwardNanos);
    }

    /** Mean time of the serial part between the parallel phases (scores added, softmax, G transposed), µs. */
    public double serialMicros() {
        return perStep(serialNanos);
    }

    /** Mean wall time of the parallel update phase (gradient, update and refold, strip by strip), µs. */
    public double updateMicros() {
        return perStep(updateNanos);
    }

    /** Mean time column part {@code part} was busy in the forward phase, µs. */
    public double forwardPartMicros(int part) {
        return perStep(partNanos[part * STRIDE + FORWARD]);
    }

    /** Mean time column part {@code part} was busy in the update phase, µs. */
    public double updatePartMicros(int part) {
        return perStep(partNanos[part * STRIDE + UPDATE]);
    }

    private double perStep(long nanos) {
        return steps == 0 ? Double.NaN : nanos / 1e3 / steps;
    }
}

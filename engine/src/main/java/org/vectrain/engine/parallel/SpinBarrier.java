package org.vectrain.engine.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A reusable barrier for the threads of one {@link WorkerPool#run} call that meet many times inside it
 * (once per training step, tens of microseconds apart), where parking and waking would cost more than
 * the step. Waiters spin, then yield, then sleep briefly ({@link #pause}), so that a descheduled
 * partner on a busy machine, or one the scheduler put on the same core, can run.
 *
 * <p>A party that fails calls {@link #breakBarrier()}, and every waiter, present or future, throws
 * instead of waiting for it forever.
 */
public final class SpinBarrier {
    /** Busy rounds (tens of microseconds) before a waiter starts yielding. */
    static final int SPINS_BEFORE_YIELD = 1 << 12;
    /** Yields before a waiter starts sleeping. */
    static final int YIELDS_BEFORE_SLEEP = 64;
    /** One sleep of a waiter whose partner is very late: short, as the wait ends when the partner arrives. */
    static final long SLEEP_NANOS = 20_000;

    private final int parties;
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int generation;
    private volatile boolean broken;

    public SpinBarrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be at least 1, was " + parties);
        }
        this.parties = parties;
    }

    /** Waits until all parties have arrived; everything written before by any of them is then visible. */
    public void await() {
        if (parties == 1) {
            return;
        }
        int seen = generation;
        if (arrived.incrementAndGet() == parties) {
            arrived.set(0);
            generation = seen + 1;
            return;
        }
        int spins = 0;
        while (generation == seen) {
            if (broken) {
                throw new IllegalStateException("another thread of the step failed");
            }
            pause(++spins);
        }
    }

    /**
     * One round of waiting: a spin, then (the partner is late: descheduled, or sharing this core) a
     * yield, then short sleeps, so that a waiter never holds a core its partner needs.
     */
    static void pause(int round) {
        if (round < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else if (round < SPINS_BEFORE_YIELD + YIELDS_BEFORE_SLEEP) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(SLEEP_NANOS);
        }
    }

    /** Releases every waiter with an exception: a party failed and will not arrive. */
    public void breakBarrier() {
        broken = true;
    }
}

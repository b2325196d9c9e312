package org.vectrain.engine.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Persistent workers that run the parts of one step together with the calling thread.
 *
 * <p>A training step at n_batch = 100 is tens of microseconds of work, so waking threads through an
 * executor would cost as much as the work. Workers spin briefly between steps and park after
 * {@link #SPIN_ROUNDS} idle rounds. Which thread runs which part is left to chance ({@link #run}) or
 * fixed ({@link #runPinned}); either way callers make results independent of it by giving each part
 * its own output and combining in part order.
 *
 * <p>One task at a time can also run aside ({@link #runAside}) on the last worker while the caller goes on:
 * the evaluation of one epoch beside the training pass of the next. Until that task is done, runs go
 * inline on the caller, so the caller never waits for the busy worker.
 */
public final class WorkerPool implements AutoCloseable {
    /** Idle spins (about 100 us) before a worker parks; covers the gap between two training steps. */
    static final int SPIN_ROUNDS = 1 << 14;

    private final int threads;
    private final Thread[] workers;
    private final AtomicInteger nextPart = new AtomicInteger();
    private final AtomicInteger finishedWorkers = new AtomicInteger();
    private volatile IntConsumer body;
    private volatile int parts;
    /** Whether the parts of the current run are pinned: thread t runs parts t, t + threads, ... */
    private volatile boolean pinned;
    private volatile long generation;
    private volatile boolean closed;
    private volatile Throwable failure;
    /**
     * Per worker, 1 while it is parked or about to park. A run unparks only those: unparking a spinning
     * worker needlessly adds a noticeable share to a run's hand-over (docs/performance.md).
     */
    private final AtomicIntegerArray parked;
    /** The task handed to the last worker to run aside, until it takes it; null otherwise. */
    private volatile Runnable asideTask;
    /** True from {@link #runAside} until its task has returned (written by the caller, then the worker). */
    private volatile boolean asideRunning;
    private volatile Throwable asideFailure;

    /** A pool of {@code threads} threads in all, the caller included; 1 runs everything inline. */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        this.parked = new AtomicIntegerArray(threads);
        for (int i = 0; i < workers.length; i++) {
            int index = i + 1;
            Thread t = new Thread(() -> workerLoop(index), "vectrain-worker-" + index);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** Threads in all, the caller included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body.accept(p)} for every part p in [0, parts) and returns when all are done.
     * Rethrows the first exception a part threw. Not reentrant: one step at a time.
     */
    public void run(int partCount, IntConsumer work) {
        run(partCount, work, false);
    }

    /**
     * As {@link #run}, but part p always runs on the same thread, thread {@code p % threads()} (the caller
     * is thread 0): data a part writes in one call stays in that core's cache for the next call.
     */
    public void runPinned(int partCount, IntConsumer work) {
        run(partCount, work, true);
    }

    /**
     * Hands {@code task} to the last worker and returns at once; until the task has returned
     * ({@link #asideRunning()}), {@link #run} and {@link #runPinned} run every part on the caller. One task at
     * a time, from the thread that owns the pool; {@link #awaitAside} waits for it and rethrows what it threw.
     *
     * @throws IllegalStateException for a pool of one thread, or while another task runs aside
     */
    public void runAside(Runnable task) {
        if (workers.length == 0) {
            throw new IllegalStateException("a pool of one thread has no worker to run a task aside");
        }
        if (asideRunning) {
            throw new IllegalStateException("a task is already running aside");
        }
        asideFailure = null;
        asideRunning = true;
        asideTask = task;
        // asideTask is written before parked is read, and the worker writes parked before it reads asideTask
        // again (the same handshake as a run's generation)
        int index = workers.length;
        if (parked.get(index) != 0) {
            LockSupport.unpark(workers[index - 1]);
        }
    }

    /** Whether the task last handed to {@link #runAside} is still running. */
    public boolean asideRunning() {
        return asideRunning;
    }

    /** Waits until no task runs aside, spinning; rethrows what the task threw, once. */
    public void awaitAside() {
        while (asideRunning) {
            Thread.onSpinWait();
        }
        Throwable t = asideFailure;
        asideFailure = null;
        if (t != null) {
            rethrow(t);
        }
    }

    private void run(int partCount, IntConsumer work, boolean pin) {
        if (workers.length == 0 || partCount <= 1 || asideRunning) {
            for (int p = 0; p < partCount; p++) {
                work.accept(p);
            }
            return;
        }
        failure = null;
        body = work;
        parts = partCount;
        pinned = pin;
        nextPart.set(0);
        finishedWorkers.set(0);
        generation++;
        // generation is written before parked is read, and a worker writes parked before it reads generation
        // again, so either the worker sees this run or this run sees it park (all volatile accesses)
        for (int i = 0; i < workers.length; i++) {
            if (parked.get(i + 1) != 0) {
                LockSupport.unpark(workers[i]);
            }
        }
        claimParts(0);
        while (finishedWorkers.get() < workers.length) {
            Thread.onSpinWait();
        }
        Throwable t = failure;
        if (t != null) {
            rethrow(t);
        }
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    private void claimParts(int index) {
        IntConsumer work = body;
        int count = parts;
        if (pinned) {
            for (int p = index; p < count; p += threads) {
                runPart(work, p);
            }
        } else {
            int p;
            while ((p = nextPart.getAndIncrement()) < count) {
                runPart(work, p);
            }
        }
    }

    private void runPart(IntConsumer work, int p) {
        try {
            work.accept(p);
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            }
        }
    }

    /** Whether worker {@code index} has a task to run aside: only the last worker is handed any. */
    private boolean handedAside(int index) {
        return index == workers.length && asideTask != null;
    }

    private void workerLoop(int index) {
        long seen = 0;
        while (true) {
            int idle = 0;
            while (generation == seen && !handedAside(index) && !closed) {
                if (++idle < SPIN_ROUNDS) {
                    Thread.onSpinWait();
                } else {
                    parked.set(index, 1);
                    if (generation == seen && !handedAside(index) && !closed) {
                        LockSupport.park(this);
                    }
                    parked.set(index, 0);
                }
            }
            if (closed) {
                return;
            }
            if (handedAside(index)) {
                // a run does not start while the task runs, so this worker is not missed by one
                Runnable aside = asideTask;
                asideTask = null;
                try {
                    aside.run();
                } catch (Throwable t) {
                    asideFailure = t;
                }
                asideRunning = false;
                continue;
            }
            seen = generation;
            claimParts(index);
            finishedWorkers.incrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
    }
}

package org.vectrain.cli.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Where the outputs of finished runs (plots, model files, summary) are written: on the calling thread, or on
 * threads of their own while the next runs train.
 *
 * <p>Why: writing a run's folder is drawing and file system work, much of it waiting for the disk to take
 * each file (see {@link org.vectrain.engine.io.AtomicFiles}); done on the threads that train, it holds up the
 * next run's training, and a core idles while the disk works.
 */
final class OutputQueue implements AutoCloseable {
    private final ExecutorService threads;
    private final List<Future<?>> pending = new ArrayList<>();

    private OutputQueue(ExecutorService threads) {
        this.threads = threads;
    }

    /** Writes every output on the thread that hands it over, before {@link #submit} returns. */
    static OutputQueue inline() {
        return new OutputQueue(null);
    }

    /** Writes the outputs on {@code count} threads of their own, in the order they were handed over. */
    static OutputQueue background(int count) {
        return new OutputQueue(Executors.newFixedThreadPool(count, task -> {
            Thread t = new Thread(task, "vectrain-outputs");
            t.setDaemon(true);
            return t;
        }));
    }

    /** Writes {@code outputs} now, or hands them to this queue's threads. */
    void submit(Runnable outputs) {
        if (threads == null) {
            outputs.run();
            return;
        }
        synchronized (pending) {
            pending.add(threads.submit(outputs));
        }
    }

    /** Waits until every output handed over is written; throws the first failure as it was thrown. */
    void awaitAll() {
        List<Future<?>> all;
        synchronized (pending) {
            all = new ArrayList<>(pending);
        }
        Throwable first = null;
        for (Future<?> f : all) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing the runs' outputs", e);
            }
        }
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error err) {
            throw err;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
    }

    /** Waits for the outputs still being written, then ends the threads. */
    @Override
    public void close() {
        if (threads == null) {
            return;
        }
        try {
            awaitAll();
        } finally {
            threads.shutdown();
        }
    }
}

package org.vectrain.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * Runs independent trainings side by side, one per core, each on a trainer of its own.
 *
 * <p>Why: at n_batch = 100 a training step is short and mostly waits on memory, so a second
 * thread inside one run gains little, while two runs at once use both cores fully. Every result is
 * independent of the thread count (see {@link SgdStep}), so running side by side changes no figure.
 */
public final class ParallelRuns {
    private ParallelRuns() {
    }

    /** The threads each of {@code jobs} runs gets when {@link #run} runs them on {@code threads} threads. */
    public static int threadsPerRun(int threads, int jobs) {
        return Math.max(1, threads / Math.max(1, Math.min(threads, jobs)));
    }

    /**
     * Applies every job to a {@link Trainer} and returns the results in job order. With fewer jobs than
     * threads, each job's trainer gets the spare threads.
     *
     * @param threads threads in all
     * @throws RuntimeException the first exception a job threw, after the others have finished
     */
    public static <R> List<R> run(Kernels kernels, int threads, List<Function<Trainer, R>> jobs) {
        int side = Math.max(1, Math.min(threads, jobs.size()));
        int perRun = threadsPerRun(threads, jobs.size());
        List<R> results = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            results.add(null);
        }
        AtomicInteger next = new AtomicInteger();
        Throwable[] failure = new Throwable[1];
        Runnable worker = () -> {
            try (WorkerPool pool = new WorkerPool(perRun)) {
                Trainer trainer = new Trainer(kernels, pool);
                int i;
                while ((i = next.getAndIncrement()) < jobs.size()) {
                    R result = jobs.get(i).apply(trainer);
                    synchronized (results) {
                        results.set(i, result);
                    }
                }
            } catch (RuntimeException | Error e) {
                synchronized (failure) {
                    if (failure[0] == null) {
                        failure[0] = e;
                    }
                }
                next.set(jobs.size());
            }
        };
        List<Thread> helpers = new ArrayList<>();
        for (int t = 1; t < side; t++) {
            Thread helper = new Thread(worker, "vectrain-run-" + t);
            helper.start();
            helpers.add(helper);
        }
        worker.run();
        for (Thread helper : helpers) {
            try {
                helper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the runs", e);
            }
        }
        if (failure[0] instanceof RuntimeException re) {
            throw re;
        }
        if (failure[0] instanceof Error err) {
            throw err;
        }
        synchronized (results) {
            return List.copyOf(results);
        }
    }
}

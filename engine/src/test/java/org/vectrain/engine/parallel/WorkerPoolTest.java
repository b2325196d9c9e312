package org.vectrain.engine.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Every part runs exactly once; pinned parts always run on the same thread; failures reach the caller. */
class WorkerPoolTest {

    @Test
    void pinnedPartsRunOnceEachOnThreadPartModuloThreads() {
        try (WorkerPool pool = new WorkerPool(2)) {
            Thread[] ranOn = new Thread[5];
            AtomicIntegerArray runs = new AtomicIntegerArray(5);
            for (int round = 0; round < 50; round++) {
                Thread[] now = new Thread[5];
                pool.runPinned(5, p -> {
                    now[p] = Thread.currentThread();
                    runs.incrementAndGet(p);
                });
                if (round == 0) {
                    System.arraycopy(now, 0, ranOn, 0, 5);
                }
                for (int p = 0; p < 5; p++) {
                    assertSame(ranOn[p], now[p], "part " + p + " in round " + round);
                }
            }
            for (int p = 0; p < 5; p++) {
                assertEquals(50, runs.get(p), "runs of part " + p);
            }
            assertSame(Thread.currentThread(), ranOn[0], "part 0 runs on the caller");
            assertSame(ranOn[0], ranOn[2]);
            assertSame(ranOn[1], ranOn[3]);
            assertNotSame(ranOn[0], ranOn[1]);
        }
    }

    @Test
    void unpinnedPartsRunOnceEach() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicIntegerArray runs = new AtomicIntegerArray(7);
            for (int round = 0; round < 50; round++) {
                pool.run(7, runs::incrementAndGet);
            }
            for (int p = 0; p < 7; p++) {
                assertEquals(50, runs.get(p), "runs of part " + p);
            }
        }
    }

    @Test
    void runsWakeWorkersThatHaveParkedAndWorkersThatSpin() throws InterruptedException {
        // runs far apart let the workers park (after about 100 µs idle), runs back to back find them spinning.
        // A lost wake-up would hang the caller, which spins without heeding interrupts: the runs go on a daemon
        // thread with a deadline, so that such a bug fails this test and does not hold the JVM.
        AtomicIntegerArray runs = new AtomicIntegerArray(6);
        Throwable[] failure = new Throwable[1];
        Thread caller = new Thread(() -> {
            try (WorkerPool pool = new WorkerPool(3)) {
                for (int round = 0; round < 200; round++) {
                    if (round % 20 == 0) {
                        Thread.sleep(20);
                    }
                    pool.runPinned(6, runs::incrementAndGet);
                }
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "worker-pool-test-caller");
        caller.setDaemon(true);
        caller.start();
        caller.join(30_000);
        assertFalse(caller.isAlive(), "200 runs did not finish in 30 s: a worker was not woken");
        assertNull(failure[0]);
        for (int p = 0; p < 6; p++) {
            assertEquals(200, runs.get(p), "runs of part " + p);
        }
    }

    @Test
    void aFailingPartIsRethrownToTheCaller() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.runPinned(2, p -> {
                if (p == 1) {
                    throw new IllegalStateException("part 1 failed");
                }
            }));
            assertEquals("part 1 failed", e.getMessage());
            // the pool still works afterwards
            AtomicIntegerArray runs = new AtomicIntegerArray(2);
            pool.runPinned(2, runs::incrementAndGet);
            assertEquals(1, runs.get(0));
            assertEquals(1, runs.get(1));
        }
    }

    @Test
    void aTaskAsideRunsOnTheLastWorkerWhileRunsGoInlineOnTheCaller() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(3)) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Thread[] asideOn = new Thread[1];
            pool.runAside(() -> {
                asideOn[0] = Thread.currentThread();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(pool.asideRunning());
            assertThrows(IllegalStateException.class, () -> pool.runAside(() -> { }), "one task at a time");
            for (int round = 0; round < 20; round++) {
                Thread[] now = new Thread[3];
                pool.runPinned(3, p -> now[p] = Thread.currentThread());
                for (int p = 0; p < 3; p++) {
                    assertSame(Thread.currentThread(), now[p], "part " + p + " runs on the caller while the worker is busy");
                }
            }
            release.countDown();
            pool.awaitAside();
            assertFalse(pool.asideRunning());
            assertEquals("vectrain-worker-2", asideOn[0].getName(), "the last worker runs the task");
            Thread[] now = new Thread[3];
            pool.runPinned(3, p -> now[p] = Thread.currentThread());
            assertNotSame(now[0], now[1], "the workers are back");
            assertSame(asideOn[0], now[2]);
        }
    }

    @Test
    void aTaskAsideWakesAParkedWorkerAndItsFailureReachesTheCaller() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(2)) {
            Thread.sleep(20);  // the worker parks after about 100 µs idle
            AtomicIntegerArray ran = new AtomicIntegerArray(1);
            pool.runAside(() -> ran.incrementAndGet(0));
            pool.awaitAside();
            assertEquals(1, ran.get(0));
            Thread.sleep(20);
            pool.runAside(() -> {
                throw new IllegalStateException("aside failed");
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, pool::awaitAside);
            assertEquals("aside failed", e.getMessage());
            pool.awaitAside();  // rethrown once
            AtomicIntegerArray runs = new AtomicIntegerArray(2);
            pool.runPinned(2, runs::incrementAndGet);
            assertEquals(1, runs.get(1), "the pool still works afterwards");
        }
        try (WorkerPool alone = new WorkerPool(1)) {
            assertThrows(IllegalStateException.class, () -> alone.runAside(() -> { }), "no worker to run it");
        }
    }
}

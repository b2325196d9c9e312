package org.vectrain.engine.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The training pass's barrier: reusable round after round, and never a deadlock when a party fails. */
class SpinBarrierTest {

    @Test
    void everyRoundSeesAllWritesOfTheRoundBefore() {
        int parties = 3;
        int rounds = 2000;
        SpinBarrier barrier = new SpinBarrier(parties);
        AtomicIntegerArray arrivals = new AtomicIntegerArray(rounds);
        int[][] seen = new int[parties][rounds];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Thread[] threads = new Thread[parties];
            for (int t = 0; t < parties; t++) {
                int id = t;
                threads[t] = new Thread(() -> {
                    for (int r = 0; r < rounds; r++) {
                        arrivals.incrementAndGet(r);
                        barrier.await();
                        seen[id][r] = arrivals.get(r);
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
        });
        for (int t = 0; t < parties; t++) {
            for (int r = 0; r < rounds; r++) {
                assertEquals(parties, seen[t][r], "thread " + t + " round " + r);
            }
        }
    }

    @Test
    void aBrokenBarrierReleasesItsWaiters() {
        SpinBarrier barrier = new SpinBarrier(2);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Thread breaker = new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                barrier.breakBarrier();
            });
            breaker.start();
            assertThrows(IllegalStateException.class, barrier::await);
            breaker.join();
        });
    }

    @Test
    void oneParty() {
        SpinBarrier barrier = new SpinBarrier(1);
        barrier.await();
        barrier.await();
        assertThrows(IllegalArgumentException.class, () -> new SpinBarrier(0));
    }
}

package org.vectrain.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.InputException;

/** The output folder lock: one holder at a time, across threads and processes; released on close; stale ones taken over. */
class OutputLockTest {
    @TempDir
    Path tmp;

    /** Holds the lock on the folder given as argument until its standard input closes; says "locked" once it holds it. */
    public static void main(String[] args) throws Exception {
        OutputLock lock = OutputLock.acquire(Path.of(args[0]), "--out");
        System.out.println("locked");
        System.out.flush();
        while (System.in.read() >= 0) {
            // Wait for the test to close our input (or kill us).
        }
        lock.close();
    }

    private Process holder(Path folder) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                OutputLockTest.class.getName(), folder.toString())).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", out.readLine(), "the child holds the lock");
        return child;
    }

    @Test
    void oneHolderAtATimeAndTheFileIsEmptiedOnClose() throws IOException {
        Path lockFile = tmp.resolve(OutputLock.FILE);
        OutputLock lock = OutputLock.acquire(tmp, "--out");
        try {
            // Only the size: opening the file again in the holding process would release its lock.
            assertTrue(Files.size(lockFile) > 0, "the file names its owner");
            String message = assertThrows(InputException.class, () -> OutputLock.acquire(tmp, "--out")).getMessage();
            assertTrue(message.startsWith("--out " + tmp + ": in use by another vectrain run (pid "
                    + ProcessHandle.current().pid()), message);
        } finally {
            lock.close();
        }
        assertEquals(0, Files.size(lockFile), "released: the lock file is empty");
        OutputLock.acquire(tmp, "--out").close();
    }

    @Test
    void anotherProcessHoldingTheFolderIsNamedAndAKilledOnesLockIsTakenOver() throws Exception {
        Process child = holder(tmp);
        try {
            String message = assertThrows(InputException.class, () -> OutputLock.acquire(tmp, "--out")).getMessage();
            assertTrue(message.contains("in use by another vectrain run (pid " + child.pid() + ";"), message);
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals("pid " + child.pid() + "\n", Files.readString(tmp.resolve(OutputLock.FILE)),
                "a killed holder leaves its lock file behind");
        OutputLock taken = OutputLock.acquire(tmp, "--out");
        assertTrue(Files.size(tmp.resolve(OutputLock.FILE)) > 0, "taken over: the file names its new owner");
        taken.close();
        Process second = holder(tmp);
        second.getOutputStream().close();
        assertTrue(second.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, Files.size(tmp.resolve(OutputLock.FILE)), "a holder that ends releases the folder");
    }

    @Test
    void threadsRacingForOneFolderNeverBothHoldIt() throws Exception {
        for (int round = 0; round < 50; round++) {
            int[] holders = new int[1];
            int[] most = new int[1];
            Runnable racer = () -> {
                OutputLock lock;
                try {
                    lock = OutputLock.acquire(tmp, "--out");
                } catch (InputException refused) {
                    return;
                }
                synchronized (holders) {
                    most[0] = Math.max(most[0], ++holders[0]);
                }
                Thread.onSpinWait();
                synchronized (holders) {
                    holders[0]--;
                }
                lock.close();
            };
            Thread a = new Thread(racer);
            Thread b = new Thread(racer);
            a.start();
            b.start();
            a.join();
            b.join();
            assertEquals(1, most[0], "round " + round);
        }
    }
}

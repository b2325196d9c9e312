package org.vectrain.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.io.JsonFiles;
import org.vectrain.engine.io.OutputLock;
import picocli.CommandLine;

/**
 * Two runs started together into one output folder, 20 times: one holds the folder and the other is
 * refused with exit 2 and one line (or, when the first has finished before the second starts, the second
 * replaces it whole). Either way every file in the folder belongs to one run, checked byte for byte against
 * that seed's run made alone.
 */
class ConcurrentRunsTest {
    private static final int ROUNDS = 20;
    /** Files whose bytes depend only on the seed. */
    private static final List<String> DETERMINISTIC = List.of("W.npy", "b.npy", "init/W.npy", "init/b.npy",
            "montage.png", "accuracy.png", "loss_cost.png", "confusion.png", "confusion.csv", "correct_class.png",
            "mean.npy", "std.npy", "model.json", "checkpoint/epoch-0001-W.npy", "checkpoint/epoch-0001-b.npy");
    /**
     * Files that hold timings besides the seed's figures, and args.txt, which records the command line of
     * the process: here both runs share one process, where the launcher gives each run its own.
     */
    private static final List<String> TIMED = List.of("summary.json", "history.csv", "checkpoint/state.json",
            "args.txt");

    @TempDir
    Path tmp;

    private record Outcome(int exit, String err) {
    }

    private static Outcome train(Path data, Path out, int seed) {
        CommandLine cli = Main.newCommandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        int exit = Main.run(cli, "train", "--data", data.toString(), "--out", out.toString(), "--quiet", "--epochs", "1",
                "--batch", "8", "--threads", "1", "--seed", Integer.toString(seed));
        return new Outcome(exit, err.toString());
    }

    @Test
    void twoRunsIntoOneFolderNeverMix() throws Exception {
        Path data = CifarFixtures.batchesFolder(tmp, 16);
        Path[] alone = {tmp.resolve("alone-1"), tmp.resolve("alone-2")};
        for (int s = 0; s < 2; s++) {
            assertEquals(ExitCodes.OK, train(data, alone[s], s + 1).exit());
        }
        int refusals = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Path out = tmp.resolve("shared");
            CountDownLatch start = new CountDownLatch(1);
            Outcome[] outcomes = new Outcome[2];
            List<Thread> runs = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                int seed = s + 1;
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    outcomes[seed - 1] = train(data, out, seed);
                });
                t.start();
                runs.add(t);
            }
            start.countDown();
            for (Thread t : runs) {
                t.join();
            }
            boolean bothOk = outcomes[0].exit() == ExitCodes.OK && outcomes[1].exit() == ExitCodes.OK;
            for (Outcome o : outcomes) {
                if (o.exit() != ExitCodes.OK) {
                    refusals++;
                    assertEquals(ExitCodes.USAGE, o.exit(), o.err());
                    assertEquals(1, o.err().strip().lines().count(), o.err());
                    assertTrue(o.err().startsWith("vectrain: --out " + out + ": in use by another vectrain run (pid "),
                            o.err());
                }
            }
            assertTrue(bothOk || outcomes[0].exit() == ExitCodes.OK || outcomes[1].exit() == ExitCodes.OK,
                    "round " + round + ": one run completes");
            checkOneRun(out, alone, "round " + round);
        }
        System.out.println("concurrent runs: " + ROUNDS + " rounds, " + refusals + " runs refused as the folder was in use");
    }

    /** Every file in {@code out} is that of the one seed its summary names, and the lock file is released. */
    private static void checkOneRun(Path out, Path[] alone, String when) throws IOException {
        int seed = JsonFiles.readTree(out.resolve("summary.json")).at("/config/seed").asInt();
        Path reference = alone[seed - 1];
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = out.relativize(file).toString().replace(File.separatorChar, '/');
                if (DETERMINISTIC.contains(name)) {
                    assertArrayEquals(Files.readAllBytes(reference.resolve(name)), Files.readAllBytes(file),
                            when + ": " + name + " is not that of seed " + seed);
                } else if (name.equals(OutputLock.FILE)) {
                    assertEquals(0, Files.size(file), when + ": the lock is released");
                } else {
                    assertTrue(TIMED.contains(name), when + ": unexpected " + name);
                }
            }
        }
        List<String> history = Files.readAllLines(out.resolve("history.csv"));
        List<String> expected = Files.readAllLines(reference.resolve("history.csv"));
        assertEquals(expected.size(), history.size(), when);
        for (int i = 1; i < history.size(); i++) {
            assertEquals(withoutTimes(expected.get(i)), withoutTimes(history.get(i)), when + ": history.csv row " + i);
        }
        assertFalse(Files.exists(out.resolve("summary.json.tmp")));
    }

    /** A history row without its last two columns, the training and evaluation times. */
    private static String withoutTimes(String row) {
        String[] cells = row.split(",");
        return String.join(",", java.util.Arrays.copyOf(cells, cells.length - 2));
    }
}

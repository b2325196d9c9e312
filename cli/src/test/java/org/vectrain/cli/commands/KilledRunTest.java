package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.CliRun;
import org.vectrain.cli.Main;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.io.JsonFiles;
import org.vectrain.engine.io.Npy;
import org.vectrain.engine.io.OutputLock;

/**
 * {@code vectrain train} in a child JVM killed with SIGKILL ({@link Process#destroyForcibly}) at seeded
 * random points, into a folder that already holds a complete run. After every kill each file in the
 * folder must be whole (JSON parses, PNG decodes, .npy reads, CSV rows agree), leftovers must be
 * recognisable temporary files ({@code .name.<hex>.tmp}), and a {@code summary.json}, which claims a
 * complete run, must be newer than every other output: never the old summary beside new plots.
 *
 * <p>The child runs {@link Main} from this test's class path rather than {@code cli/target/vectrain.jar}:
 * in {@code mvn verify} the tests run before the jar is built, and an older jar would test old code.
 * Half the kills come after a random delay (mostly start-up and training), half a random few
 * milliseconds after the first output file appears, so that the writing phase is hit on any machine load.
 */
class KilledRunTest {
    /** Kills per run of this test; each costs one child JVM start and a short training run. */
    private static final int KILLS = 4;
    /** Seed of the kill points; change it to explore others, the test must pass for every seed. */
    private static final long SEED = 20261127L;
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9a-f]+\\.tmp");
    private static final List<String> OUTPUTS = List.of("summary.json", "history.csv", "W.npy", "b.npy", "init/W.npy",
            "init/b.npy", "accuracy.png", "loss_cost.png", "montage.png", "confusion.png", "confusion.csv",
            "correct_class.png", "model.json", "mean.npy", "std.npy", "args.txt");
    /** The checkpoint of a whole epoch: its state and that epoch's arrays. */
    private static final Pattern CHECKPOINT = Pattern.compile(
            "checkpoint/(state\\.json|epoch-[0-9]{4,}-(best-|average-)?[Wb]\\.npy)");

    @TempDir
    Path tmp;

    @Test
    void aKilledRunNeverLeavesAPartialOrMixedOutput() throws Exception {
        Path data = CifarFixtures.batchesFolder(tmp, 32);
        Path out = tmp.resolve("run");
        CliRun.of("train", "--data", data.toString(), "--out", out.toString(), "--quiet", "--epochs", "2", "--batch",
                "8").assertOk();
        checkFolder(out, "the first, complete run");

        Random random = new Random(SEED);
        List<String> outcomes = new ArrayList<>();
        for (int kill = 0; kill < KILLS; kill++) {
            boolean afterFirstWrite = kill % 2 == 1;
            Process child = new ProcessBuilder(javaCommand(data, out, 100 + kill)).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("child-" + kill + ".log").toFile()).start();
            long started = System.nanoTime();
            FileTime before = newest(out);
            if (afterFirstWrite) {
                while (child.isAlive() && newest(out).compareTo(before) <= 0 && !hasTemporary(out)) {
                    Thread.sleep(1);
                }
                Thread.sleep(random.nextInt(120));
            } else {
                child.waitFor(random.nextInt(3000), TimeUnit.MILLISECONDS);
            }
            boolean alive = child.isAlive();
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child ends after SIGKILL");
            String when = (afterFirstWrite ? "after the first write" : "after a random delay") + ", "
                    + (System.nanoTime() - started) / 1_000_000 + " ms";
            int leftovers = checkFolder(out, "kill " + kill + " (" + when + ")");
            outcomes.add("kill " + kill + " " + when + ": " + (alive ? "killed" : "had finished") + ", "
                    + (Files.exists(out.resolve("summary.json")) ? "summary kept or complete" : "no summary (incomplete)")
                    + ", " + leftovers + " temporary files left");
        }
        outcomes.forEach(line -> System.out.println("killed run: " + line));
        // A later run completes in the same folder whatever a kill left there.
        CliRun.of("train", "--data", data.toString(), "--out", out.toString(), "--quiet", "--epochs", "1", "--batch",
                "8").assertOk();
        checkFolder(out, "the run after the kills");
    }

    /**
     * A rerun of {@code suite} into a folder holding a complete report, killed once it has written a setting:
     * the old report must be gone by then, never left to describe the new settings.
     */
    @Test
    void aKilledSuiteRerunLeavesNoOldReportBesideNewSettings() throws Exception {
        // The assignment's settings take batches of 100.
        Path data = CifarFixtures.batchesFolder(tmp, 128);
        Path out = tmp.resolve("report");
        CliRun.of("suite", "--data", data.toString(), "--out", out.toString(), "--quiet", "--epochs", "2",
                "--settings", "1,2", "--no-gradcheck").assertOk();
        assertTrue(Files.isRegularFile(out.resolve("report.html")));
        FileTime before = newest(out);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "suite", "--data", data.toString(),
                "--out", out.toString(), "--quiet", "--epochs", "1", "--settings", "1,2,3,4", "--no-gradcheck",
                "--threads", "1").redirectErrorStream(true).redirectOutput(tmp.resolve("suite.log").toFile()).start();
        while (child.isAlive() && newest(out).compareTo(before) <= 0) {
            Thread.sleep(1);
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child ends after SIGKILL");
        FileTime report = Files.exists(out.resolve("report.html")) ? Files.getLastModifiedTime(out.resolve("report.html"))
                : null;
        if (report != null) {
            assertTrue(report.compareTo(newest(out)) >= 0, "a report left in the folder is the newest file: it "
                    + "describes what is there");
        }
        for (String name : List.of("report.md", "test_accuracy.md", "test_accuracy.csv")) {
            assertTrue(report != null || !Files.exists(out.resolve(name)), name + " of the old run left behind");
        }
    }

    private List<String> javaCommand(Path data, Path out, long seed) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "train", "--data", data.toString(), "--out", out.toString(), "--quiet",
                "--epochs", "1", "--batch", "8", "--threads", "1", "--seed", Long.toString(seed));
    }

    /** Checks every file under {@code out}; returns how many recognisable temporary files were left. */
    private static int checkFolder(Path out, String when) throws IOException {
        int temporary = 0;
        FileTime summaryTime = null;
        FileTime newestOutput = FileTime.fromMillis(0);
        String newestName = "";
        try (Stream<Path> paths = Files.walk(out)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                String name = out.relativize(path).toString().replace(File.separatorChar, '/');
                String file = path.getFileName().toString();
                if (TEMPORARY.matcher(file).matches()) {
                    temporary++;
                    continue;
                }
                if (name.equals(OutputLock.FILE)) {
                    // Left by the killed run with its pid; the next run takes it over.
                    continue;
                }
                assertTrue(OUTPUTS.contains(name) || CHECKPOINT.matcher(name).matches(),
                        when + ": unexpected file " + name);
                checkWhole(path, name, when);
                FileTime time = Files.getLastModifiedTime(path);
                if (name.equals("summary.json")) {
                    summaryTime = time;
                } else if (time.compareTo(newestOutput) > 0) {
                    newestOutput = time;
                    newestName = name;
                }
            }
        }
        if (summaryTime != null) {
            assertTrue(summaryTime.compareTo(newestOutput) >= 0, when + ": summary.json (" + summaryTime
                    + ") is older than " + newestName + " (" + newestOutput + "): it describes another run");
        }
        return temporary;
    }

    private static void checkWhole(Path path, String name, String when) throws IOException {
        String what = when + ": " + name;
        if (name.endsWith(".json")) {
            assertFalse(JsonFiles.readTree(path).isMissingNode(), what);
        } else if (name.endsWith(".png")) {
            assertNotNull(ImageIO.read(path.toFile()), what + " decodes");
        } else if (name.endsWith(".npy")) {
            assertTrue(Npy.read(path).data().length > 0, what);
        } else if (name.endsWith(".csv")) {
            List<String> lines = Files.readAllLines(path);
            assertTrue(lines.size() >= 2, what + " has a header and a row");
            long columns = lines.get(0).chars().filter(c -> c == ',').count();
            for (String line : lines) {
                assertEquals(columns, line.chars().filter(c -> c == ',').count(), what + " row: " + line);
            }
        }
    }

    private static FileTime newest(Path out) throws IOException {
        try (Stream<Path> paths = Files.walk(out)) {
            FileTime newest = FileTime.fromMillis(0);
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                String name = path.getFileName().toString();
                if (TEMPORARY.matcher(name).matches() || name.equals(OutputLock.FILE)) {
                    continue;
                }
                FileTime time;
                try {
                    time = Files.getLastModifiedTime(path);
                } catch (NoSuchFileException e) {
                    // Listed, then deleted or replaced by the child before we read its time.
                    continue;
                }
                newest = time.compareTo(newest) > 0 ? time : newest;
            }
            return newest;
        } catch (java.io.UncheckedIOException e) {
            // A temporary file renamed away while walking: look again on the next poll.
            return FileTime.fromMillis(0);
        }
    }

    private static boolean hasTemporary(Path out) throws IOException {
        try (Stream<Path> paths = Files.walk(out)) {
            // The probe file of the --out check is temporary too, but comes before any output.
            return paths.map(p -> p.getFileName().toString())
                    .anyMatch(name -> TEMPORARY.matcher(name).matches() && !name.startsWith(".write-probe."));
        } catch (java.io.UncheckedIOException e) {
            return true;
        }
    }
}

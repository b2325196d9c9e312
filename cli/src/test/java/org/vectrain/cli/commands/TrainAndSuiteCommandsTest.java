package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.CliRun;
import org.vectrain.cli.ExitCodes;
import org.vectrain.engine.data.CifarBinaryReader;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.io.JsonFiles;
import org.vectrain.engine.io.Npy;

/**
 * {@code vectrain train} and {@code vectrain suite} end to end on a small generated data folder:
 * every output a run promises, the validation of every flag, divergence, and reproducibility.
 */
class TrainAndSuiteCommandsTest {
    /** Images per generated batch: enough for a few batches of 16, small enough to train in milliseconds. */
    static final int IMAGES = 48;

    @TempDir
    Path tmp;

    /** {@code tmp/cifar-10-batches-bin/} with {@link #IMAGES} records in each of the six batches. */
    Path data() throws IOException {
        return data(IMAGES);
    }

    /** {@code tmp/cifar-10-batches-bin/} with {@code images} records in each of the six batches. */
    Path data(int images) throws IOException {
        Path folder = CifarFixtures.batchesFolder(tmp, images);
        assertEquals(images * CifarBinaryReader.RECORD_BYTES, Files.size(folder.resolve("test_batch.bin")));
        return folder;
    }

    /** {@code vectrain train} on {@code data} into {@code out}, with small defaults that {@code more} may override. */
    CliRun train(Path data, Path out, String... more) {
        List<String> overrides = List.of(more);
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", data.toString(), "--out",
                out.toString(), "--quiet"));
        String[][] defaults = {{"--epochs", "3"}, {"--batch", "16"}, {"--eta", "0.01"}, {"--lambda", "0.1"}};
        for (String[] flag : defaults) {
            if (!overrides.contains(flag[0])) {
                args.addAll(List.of(flag));
            }
        }
        args.addAll(overrides);
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void trainWritesEveryPromisedOutput() throws IOException {
        Path out = tmp.resolve("run");
        train(data(), out).assertOk();
        for (String name : List.of("summary.json", "history.csv", "W.npy", "b.npy", "init/W.npy", "init/b.npy",
                "accuracy.png", "loss_cost.png", "montage.png")) {
            assertTrue(Files.size(out.resolve(name)) > 0, name);
        }
        try (Stream<Path> files = Files.walk(out)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary files left");
        }
        JsonNode summary = JsonFiles.readTree(out.resolve("summary.json"));
        assertEquals("completed", summary.get("status").asText());
        assertEquals(0.1, summary.at("/config/lambda").asDouble());
        assertEquals(16, summary.at("/config/n_batch").asInt());
        assertEquals(3, summary.get("history").size());
        for (String set : List.of("train", "val")) {
            for (String figure : List.of("loss", "cost", "accuracy")) {
                assertTrue(summary.at("/history/2/" + set + "/" + figure).isNumber(), set + " " + figure);
            }
        }
        for (String figure : List.of("loss", "cost", "accuracy")) {
            assertTrue(summary.at("/test/" + figure).isNumber(), "test " + figure);
        }
        for (String timing : List.of("train_ms_per_epoch", "eval_ms_per_epoch", "total_ms")) {
            assertTrue(summary.at("/timing/" + timing).isNumber(), timing);
        }
        for (String env : List.of("jdk", "vector_species", "threads", "cpu")) {
            assertFalse(summary.at("/environment/" + env).isMissingNode(), env);
        }
        // the process's phases, in the order they began, each with its thread, start and length
        JsonNode timings = summary.get("timings");
        List<String> phases = new java.util.ArrayList<>();
        double lastStart = 0;
        for (JsonNode phase : timings.get("phases")) {
            phases.add(phase.get("name").asText());
            assertTrue(phase.get("start_s").asDouble() >= lastStart, "phases in the order they began");
            assertTrue(phase.get("s").asDouble() >= 0 && !phase.get("thread").asText().isEmpty(), phase.toString());
            lastStart = phase.get("start_s").asDouble();
        }
        for (String phase : List.of("data read", "evaluation layout", "kernel warm-up", "waiting for the warm-up",
                "epochs", "accuracy plot", "loss and cost plot", "weight montage", "confusion plot",
                "correct-class histogram")) {
            assertTrue(phases.contains(phase), phase + " in " + phases);
        }
        assertTrue(timings.get("wall_s").asDouble() > timings.get("phases").get(0).get("s").asDouble());
        assertTrue(timings.get("cores").asInt() >= 1 && timings.get("cpu_s").asDouble() > 0, timings.toString());
        Npy.FloatArray w = Npy.read(out.resolve("W.npy"));
        assertArrayEquals(new int[] {10, 3072}, w.shape());
        assertArrayEquals(new int[] {10, 1}, Npy.read(out.resolve("b.npy")).shape());
        assertArrayEquals(new int[] {10, 3072}, Npy.read(out.resolve("init/W.npy")).shape());
        assertEquals(4, Files.readAllLines(out.resolve("history.csv")).size(), "header and three epochs");
        BufferedImage montage = ImageIO.read(out.resolve("montage.png").toFile());
        assertTrue(montage.getWidth() > 5 * 32 && montage.getHeight() > 2 * 32, "montage holds ten 32 x 32 images");
        assertTrue(ImageIO.read(out.resolve("accuracy.png").toFile()).getWidth() > 0);
    }

    @Test
    void sameSeedSameWeightsAndInitReproducesARun() throws IOException {
        Path data = data();
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path c = tmp.resolve("c");
        train(data, a, "--shuffle", "--seed", "5").assertOk();
        train(data, b, "--shuffle", "--seed", "5", "--threads", "1").assertOk();
        train(data, c, "--shuffle", "--seed", "5", "--init", a.resolve("init").toString()).assertOk();
        float[] w = Npy.read(a.resolve("W.npy")).data();
        assertArrayEquals(w, Npy.read(b.resolve("W.npy")).data(), "same seed, other thread count");
        assertArrayEquals(w, Npy.read(c.resolve("W.npy")).data(), "--init from the first run's initial weights");
        Path d = tmp.resolve("d");
        train(data, d, "--shuffle", "--seed", "6").assertOk();
        assertFalse(java.util.Arrays.equals(w, Npy.read(d.resolve("W.npy")).data()), "another seed, other weights");
    }

    @Test
    void everyBadFlagIsRefusedByName() throws IOException {
        Path data = data();
        Path out = tmp.resolve("bad");
        train(data, out, "--eta", "0").assertRefused("--eta");
        train(data, out, "--eta", "-1").assertRefused("--eta");
        train(data, out, "--eta", "NaN").assertRefused("--eta");
        train(data, out, "--eta", "Infinity").assertRefused("--eta");
        train(data, out, "--lambda", "-0.5").assertRefused("--lambda");
        train(data, out, "--batch", "0").assertRefused("--batch");
        train(data, out, "--batch", "49").assertRefused("--batch", "49", "48");
        train(data, out, "--epochs", "0").assertRefused("--epochs");
        train(data, out, "--threads", "0").assertRefused("--threads");
        train(data, out, "--split", "most").assertRefused("--split", "most");
        train(data, out, "--eta", "fast").assertRefused("--eta");
        train(data, out, "--init", tmp.resolve("nowhere").toString()).assertRefused("--init", "nowhere");
        assertFalse(Files.exists(out.resolve("summary.json")), "nothing written for a refused run");

        Path wrongShape = Files.createDirectories(tmp.resolve("wrong-shape"));
        Npy.write(wrongShape.resolve("W.npy"), new float[10 * 3071], 10, 3071);
        Npy.write(wrongShape.resolve("b.npy"), new float[10], 10, 1);
        train(data, out, "--init", wrongShape.toString()).assertRefused("--init", "W.npy", "3071");

        Path notAFolder = Files.writeString(tmp.resolve("a-file"), "x");
        train(data, notAFolder, new String[0]).assertRefused("--out");
        CliRun noData = CliRun.of("train", "--data", tmp.resolve("empty").toString(), "--quiet");
        assertEquals(ExitCodes.USAGE, noData.exit(), noData.err());
    }

    @Test
    void divergenceIsReportedAndRecordedNotThrown() throws IOException {
        Path out = tmp.resolve("diverged");
        CliRun run = train(data(), out, "--eta", "1000000", "--epochs", "20");
        assertEquals(ExitCodes.CHECK_FAILED, run.exit(), run.err());
        assertTrue(run.err().contains("diverged"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
        JsonNode summary = JsonFiles.readTree(out.resolve("summary.json"));
        assertEquals("diverged", summary.get("status").asText());
        assertTrue(summary.get("divergence").asText().contains("epoch"));
        assertTrue(summary.get("history").size() < 20, "stopped early");
        assertTrue(summary.get("test").isNull());
    }

    @Test
    void suiteWritesTheReportAndTheAccuracyTable() throws IOException {
        Path out = tmp.resolve("report");
        // the assignment's settings use batches of 100
        CliRun run = CliRun.of("suite", "--data", data(120).toString(), "--out", out.toString(), "--epochs", "2",
                "--settings", "2,4", "--quiet");
        run.assertOk();
        for (String name : List.of("report.md", "report.html", "test_accuracy.md", "test_accuracy.csv",
                "setting-2/summary.json", "setting-4/montage.png", "setting-4/loss_cost.png")) {
            assertTrue(Files.size(out.resolve(name)) > 0, name);
        }
        assertFalse(Files.exists(out.resolve("setting-1")), "only the chosen settings run");
        String markdown = Files.readString(out.resolve("report.md"));
        for (String section : List.of("## Summary", "## Training curves", "## Per-class test accuracy",
                "## Gradient check: all 24 comparisons within their thresholds", "## Environment and timing")) {
            assertTrue(markdown.contains(section), section);
        }
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("data:image/png;base64,"), "images embedded");
        assertFalse(html.contains("src=\"setting-"), "no image linked from outside the HTML file");
        // The reader's results come first: the accuracy table, the curves of every setting and the montages,
        // then the per-setting curves; the gradient check follows, folded.
        int summary = html.indexOf("<h2>Summary</h2>");
        int table = html.indexOf("test accuracy</th>");
        int curves = html.indexOf("alt=\"Training and validation accuracy per epoch of each setting");
        int montages = html.indexOf("alt=\"Weights of setting 2");
        int training = html.indexOf("<h2>Training curves</h2>");
        int gradients = html.indexOf("<details>\n<summary><h2>Gradient check");
        assertTrue(0 < summary && summary < table && table < curves && curves < montages && montages < training
                && training < gradients, "summary first, gradient check later and folded");
        BufferedImage smallMultiples = ImageIO.read(out.resolve("curves.png").toFile());
        assertEquals(2 * 560, smallMultiples.getWidth(),
                "two settings side by side");
        // --quiet still prints the one-line result
        assertEquals(1, run.out().lines().count(), run.out());
        assertTrue(run.out().startsWith("test accuracy: setting 2 ") && run.out().contains(", setting 4 ")
                && run.out().contains("report: "), run.out());
        List<String> csv = Files.readAllLines(out.resolve("test_accuracy.csv"));
        assertEquals(3, csv.size(), "header and two settings");
        assertTrue(csv.get(1).startsWith("2,"), csv.get(1));
    }

    @Test
    void timingsPrintsThePhasesAndTheSuiteKeepsThem() throws IOException {
        Path out = tmp.resolve("timed");
        CliRun run = CliRun.of("suite", "--data", data(120).toString(), "--out", out.toString(), "--epochs", "1",
                "--settings", "1,3", "--quiet", "--no-gradcheck", "--timings");
        run.assertOk();
        for (String line : List.of("phase ", "setting-1: epochs", "setting-3: weight montage", "curves of every setting",
                "report", "wall ")) {
            assertTrue(run.out().contains(line), line + " in\n" + run.out());
        }
        JsonNode timings = JsonFiles.readTree(out.resolve("timings.json"));
        List<String> threads = new java.util.ArrayList<>();
        for (JsonNode phase : timings.get("phases")) {
            if (phase.get("name").asText().endsWith(": epochs")) {
                threads.add(phase.get("thread").asText());
            }
        }
        assertEquals(2, threads.size(), timings.toString());
        assertTrue(Files.readString(out.resolve("report.md")).contains("setting-3: epochs"),
                "the report lists the phases");
    }

    @Test
    void trainQuietPrintsTheResultLineAndTheAssignmentsNamesAreAccepted() throws IOException {
        Path out = tmp.resolve("quiet");
        CliRun run = CliRun.of("train", "--data", data().toString(), "--out", out.toString(), "--quiet",
                "--n_epochs", "2", "--n_batch", "16", "--eta", "0.01");
        run.assertOk();
        assertEquals(1, run.out().lines().count(), run.out());
        assertTrue(run.out().startsWith("test accuracy ") && run.out().endsWith("outputs in " + out + "\n"),
                run.out());
        JsonNode summary = JsonFiles.readTree(out.resolve("summary.json"));
        assertEquals(16, summary.at("/config/n_batch").asInt());
        assertEquals(2, summary.at("/config/n_epochs").asInt());
    }

    @Test
    void aRunWithoutDataLeavesNoOutputFolder() {
        Path missing = tmp.resolve("no-data");
        for (String command : List.of("train", "suite", "search")) {
            Path out = tmp.resolve("out-" + command).resolve("nested");
            CliRun run = CliRun.of(command, "--data", missing.toString(), "--out", out.toString());
            run.assertRefused(missing + " (from --data): no such folder", "check the path",
                    "vectrain download --data " + missing);
            assertFalse(Files.exists(tmp.resolve("out-" + command)), command + " created no folder");
        }
    }

    @Test
    void settingsSideBySidePrintTheirLinesGroupedInOrder() throws IOException {
        CliRun run = CliRun.of("suite", "--data", data(120).toString(), "--out", tmp.resolve("r").toString(),
                "--epochs", "3", "--settings", "3,4", "--threads", "2", "--no-gradcheck");
        run.assertOk();
        List<String> epochs = run.out().lines().filter(l -> l.contains("  epoch ")).toList();
        assertEquals(6, epochs.size(), run.out());
        for (int i = 0; i < 6; i++) {
            String expected = (i < 3 ? "setting 3 (" : "setting 4 (");
            assertTrue(epochs.get(i).startsWith(expected) && epochs.get(i).contains("epoch " + (i % 3 + 1) + "/3"),
                    run.out());
        }
        int column = epochs.get(0).indexOf("  epoch ");
        assertTrue(epochs.stream().allMatch(l -> l.indexOf("  epoch ") == column), "labels padded to one width");
        CliRun one = CliRun.of("suite", "--data", data(120).toString(), "--out", tmp.resolve("one").toString(),
                "--epochs", "1", "--settings", "2", "--no-gradcheck");
        one.assertOk();
        assertFalse(one.out().contains("1 settings") || one.out().contains("1 threads"), one.out());
        assertTrue(Files.readString(tmp.resolve("one/report.md")).contains(", in 1 setting of the assignment."));
        assertEquals("1 setting", ProgressDisplay.count(1, "setting"));
        assertEquals("4 settings", ProgressDisplay.count(4, "setting"));
    }

    @Test
    void suiteRefusesBadSettings() throws IOException {
        Path data = data();
        CliRun.of("suite", "--data", data.toString(), "--out", tmp.resolve("r").toString(), "--settings", "5",
                "--quiet").assertRefused("--settings", "5");
        CliRun.of("suite", "--data", data.toString(), "--out", tmp.resolve("r").toString(), "--settings", "1,1",
                "--quiet").assertRefused("--settings");
        CliRun.of("suite", "--data", data.toString(), "--out", tmp.resolve("r").toString(), "--epochs", "0",
                "--quiet").assertRefused("--epochs");
    }
}

package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.CliRun;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.io.JsonFiles;

/** {@code vectrain search} on a small generated data folder: its outputs, order and refusals. */
class SearchCommandTest {
    @TempDir
    Path tmp;

    Path data() throws IOException {
        Path folder = CifarFixtures.batchesFolder(tmp, 48);
        return folder;
    }

    @Test
    void gridWritesSortedTablePlotAndTheChosenRun() throws IOException {
        Path out = tmp.resolve("search");
        CliRun.of("search", "--data", data().toString(), "--out", out.toString(), "--quiet", "--epochs", "2",
                "--lambdas", "0,0.1", "--etas", "0.01,0.001", "--batches", "8,16", "--keep-best").assertOk();
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 8, csv.size(), String.join("\n", csv));
        double previous = Double.POSITIVE_INFINITY;
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",");
            double val = Double.parseDouble(cells[6].replace("%", "").strip());
            assertTrue(val <= previous, "sorted by validation accuracy: " + csv);
            previous = val;
        }
        assertTrue(Files.size(out.resolve("validation_accuracy.png")) > 0);
        assertTrue(Files.readString(out.resolve("results.md")).startsWith("| rank |"));
        JsonNode best = JsonFiles.readTree(out.resolve("best/summary.json"));
        assertTrue(best.get("test").get("accuracy").isNumber(), "the chosen run's test accuracy");
        String[] first = csv.get(1).split(",");
        assertEquals(Double.parseDouble(first[1]), best.get("config").get("lambda").asDouble());
        assertEquals(Integer.parseInt(first[3]), best.get("config").get("n_batch").asInt());
        assertTrue(Files.size(out.resolve("best/W.npy")) > 0);
    }

    @Test
    void theLogShowsNoFigureThatWasNotMeasuredAndTheChosenRunHasThePlotsOfAnyRun() throws IOException {
        Path out = tmp.resolve("search");
        CliRun run = CliRun.of("search", "--data", data().toString(), "--out", out.toString(), "--epochs", "2",
                "--lambdas", "0,0.1", "--etas", "0.01", "--batches", "16", "--threads", "2");
        run.assertOk();
        // Training figures are measured only for each run's final model: the epoch lines leave them out.
        assertTrue(!run.out().contains("NaN"), run.out());
        List<String> epochLines = run.out().lines().filter(l -> l.contains("  epoch ") && l.contains(" val loss "))
                .toList();
        assertEquals(4, epochLines.size(), run.out());
        assertTrue(epochLines.stream().allMatch(l -> l.contains("val loss") && !l.contains("train loss")), run.out());
        // runs side by side print grouped, in order: both epochs of λ=0, then both of λ=0.1
        assertTrue(epochLines.get(0).startsWith("λ=0, ") && epochLines.get(1).startsWith("λ=0, ")
                && epochLines.get(2).startsWith("λ=0.1, ") && epochLines.get(3).startsWith("λ=0.1, "), run.out());
        // a plain-text table: no Markdown escapes such as n\_batch
        assertTrue(run.out().contains("n_batch") && !run.out().contains("\\_") && !run.out().contains("|"), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("chosen on validation accuracy: ")), run.out());
        for (String plot : List.of("accuracy.png", "loss_cost.png", "montage.png", "confusion.png",
                "correct_class.png")) {
            assertTrue(Files.size(out.resolve("best").resolve(plot)) > 0, plot);
        }
    }

    @Test
    void quietPrintsTheResultLineOnly() throws IOException {
        CliRun run = CliRun.of("search", "--data", data().toString(), "--out", tmp.resolve("q").toString(),
                "--epochs", "1", "--batches", "16", "--quiet");
        run.assertOk();
        assertEquals(1, run.out().lines().count(), run.out());
        assertTrue(run.out().startsWith("chosen on validation accuracy: λ=0.1, n_batch=16"), run.out());
        assertTrue(run.out().contains("test ") && run.out().contains("outputs in "), run.out());
    }

    @Test
    void randomSearchAndRefusals() throws IOException {
        Path out = tmp.resolve("random");
        CliRun.of("search", "--data", data().toString(), "--out", out.toString(), "--quiet", "--epochs", "1",
                "--random", "3", "--lambdas", "1e-3..1", "--etas", "1e-3..1e-2", "--batches", "16").assertOk();
        assertEquals(4, Files.readAllLines(out.resolve("results.csv")).size());
        String d = data().toString();
        CliRun.of("search", "--data", d, "--out", out.toString(), "--preset", "huge").assertRefused("--preset");
        CliRun.of("search", "--data", d, "--out", out.toString(), "--etas", "x").assertRefused("--etas");
        CliRun.of("search", "--data", d, "--out", out.toString(), "--batches", "1..8").assertRefused("--batches");
        CliRun.of("search", "--data", d, "--out", out.toString(), "--random", "0").assertRefused("--random");
        CliRun.of("search", "--data", d, "--out", out.toString(), "--batches", "500").assertRefused("--batches", "500");
        CliRun.of("search", "--data", d, "--out", out.toString(), "--dropout", "0.5").assertRefused("--dropout",
                "--hidden");
        CliRun.of("search", "--data", d, "--out", out.toString(), "--hidden", "0").assertRefused("--hidden");
        CliRun.of("search", "--data", d, "--out", out.toString(), "--hidden", "8", "--dropout", "1")
                .assertRefused("--dropout");
    }

    @Test
    void twoLayerSearchRanksItsRunsAndWritesTheChosenNetwork() throws IOException {
        Path out = tmp.resolve("two-layer");
        CliRun run = CliRun.of("search", "--data", data().toString(), "--out", out.toString(), "--hidden", "12",
                "--dropout", "0.2", "--epochs", "3", "--lambdas", "0,0.01,1", "--etas", "0.05", "--batches", "16");
        run.assertOk();
        // the training set measured once per run, for the model it returns: no unmeasured figure is printed
        assertTrue(!run.out().contains("NaN"), run.out());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 3, csv.size(), String.join("\n", csv));
        double previous = Double.POSITIVE_INFINITY;
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",");
            double validation = Double.parseDouble(cells[6].replace("%", "").strip());
            assertTrue(cells[5].contains("%"), "the training accuracy of the returned model: " + line);
            assertTrue(validation <= previous, "sorted by validation accuracy: " + csv);
            previous = validation;
        }
        assertTrue(Files.size(out.resolve("validation_accuracy.png")) > 0);
        for (String file : new String[] {"W1.npy", "b1.npy", "W2.npy", "b2.npy", "model.json", "accuracy.png",
            "confusion.png"}) {
            assertTrue(Files.size(out.resolve("best").resolve(file)) > 0, file);
        }
        JsonNode summary = JsonFiles.readTree(out.resolve("best").resolve("summary.json"));
        assertEquals(12, summary.path("network").path("hidden").asInt(), summary.toString());
        assertEquals(0.2, summary.path("network").path("dropout").asDouble(), summary.toString());
        assertTrue(summary.path("test").path("accuracy").isNumber(), summary.toString());
        String last = run.out().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("chosen on validation accuracy: ") && last.contains("dropout 0.2, 12 hidden units"),
                run.out());
    }
}

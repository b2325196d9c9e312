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

/** {@code vectrain suite --bonus} on a small generated data folder: the Bonus section and its files. */
class SuiteBonusTest {
    @TempDir
    Path tmp;

    @Test
    void bonusAddsGridImprovementsAndSection() throws IOException {
        Path data = CifarFixtures.batchesFolder(tmp, 128);
        Path out = tmp.resolve("report");
        CliRun.of("suite", "--data", data.toString(), "--out", out.toString(), "--quiet", "--epochs", "2",
                "--settings", "2", "--no-gradcheck", "--bonus", "--val-size", "40").assertOk();
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## Bonus"), report);
        assertTrue(report.contains("Per-class test accuracy"), report);
        assertEquals(1 + 18, Files.readAllLines(out.resolve("bonus/grid/results.csv")).size());
        List<String> improvements = Files.readAllLines(out.resolve("bonus/improvements.csv"));
        assertEquals(1 + 10, improvements.size());
        assertTrue(Files.size(out.resolve("bonus/i-svm/correct_class.png")) > 0);
        assertTrue(report.contains("Other losses"), report);
        // the improvements run on the selection split: a tenth of the 640 images held out for validation
        JsonNode flips = JsonFiles.readTree(out.resolve("bonus/c-flips/summary.json"));
        assertTrue(flips.get("config").get("flip").asBoolean());
        assertEquals(576, flips.get("config").get("data").get("train_size").asInt());
        JsonNode last = JsonFiles.readTree(out.resolve("bonus/h-final/summary.json")).get("config");
        assertEquals("cyclic", last.get("schedule").get("kind").asText());
        int batch = last.get("n_batch").asInt();
        assertEquals(2 * ((576 + batch - 1) / batch), last.get("schedule").get("half_cycle_steps").asInt(),
                "n_s: 2 epochs of updates of the grid's n_batch");
        assertEquals(2, last.get("average_from").asInt(), "from epoch 5, or the last of a shorter run");
        assertEquals(1, last.get("translate").asInt());
        // and the best on validation is trained again on the all split
        JsonNode chosen = JsonFiles.readTree(out.resolve("bonus/chosen-all/summary.json"));
        assertEquals(600, chosen.get("config").get("data").get("train_size").asInt());
        assertTrue(report.contains("### Result"), report);
        JsonNode best = JsonFiles.readTree(out.resolve("bonus/e-best-epoch/summary.json"));
        assertTrue(best.get("best_epoch").asInt() >= 1);
        assertTrue(Files.size(out.resolve("bonus/f-tuned/confusion.png")) > 0);
    }
}

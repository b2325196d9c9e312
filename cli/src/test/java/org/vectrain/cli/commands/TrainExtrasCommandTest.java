package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.CliRun;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.io.JsonFiles;

/** The training extras' flags of {@code vectrain train}: their validation and what they write. */
class TrainExtrasCommandTest {
    @TempDir
    Path tmp;

    Path data() throws IOException {
        Path folder = CifarFixtures.batchesFolder(tmp, 48);
        return folder;
    }

    CliRun train(Path out, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("train", "--data", data().toString(), "--out", out.toString(),
                "--quiet", "--epochs", "4", "--batch", "16", "--eta", "0.01"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void extrasAreRecordedInSummaryAndHistory() throws IOException {
        Path out = tmp.resolve("run");
        train(out, "--flip", "--shuffle", "--schedule", "step", "--step-every", "2", "--step-factor", "0.5",
                "--keep-best", "--patience", "3").assertOk();
        JsonNode summary = JsonFiles.readTree(out.resolve("summary.json"));
        JsonNode config = summary.get("config");
        assertTrue(config.get("flip").asBoolean());
        assertEquals("step", config.get("schedule").get("kind").asText());
        assertEquals(2, config.get("schedule").get("every").asInt());
        assertTrue(config.get("keep_best").asBoolean());
        assertEquals(3, config.get("patience").asInt());
        int best = summary.get("best_epoch").asInt();
        assertTrue(best >= 1 && best <= 4, "best epoch " + best);
        assertEquals(best, summary.get("model_epoch").asInt());
        assertEquals(0.005, summary.get("history").get(2).get("eta").asDouble(), 1e-15);
        assertEquals(10, summary.get("test_per_class_accuracy").size());
        List<String> confusion = Files.readAllLines(out.resolve("confusion.csv"));
        assertEquals(11, confusion.size());
        assertTrue(confusion.get(0).startsWith("true\\predicted,airplane,automobile"), confusion.get(0));
        long total = 0;
        for (String row : confusion.subList(1, 11)) {
            for (String cell : row.substring(row.indexOf(',') + 1).split(",")) {
                total += Long.parseLong(cell);
            }
        }
        assertEquals(summary.get("test").get("count") == null ? 48 : summary.get("test").get("count").asLong(), total);
        assertTrue(Files.size(out.resolve("confusion.png")) > 0);
        List<String> csv = Files.readAllLines(out.resolve("history.csv"));
        assertTrue(csv.get(3).startsWith("3,0.005,"), csv.get(3));
    }

    @Test
    void cosineScheduleLogsFallingEta() throws IOException {
        Path out = tmp.resolve("cos");
        train(out, "--schedule", "cosine", "--eta-min", "0.001").assertOk();
        JsonNode history = JsonFiles.readTree(out.resolve("summary.json")).get("history");
        assertEquals(0.01, history.get(0).get("eta").asDouble(), 1e-15);
        for (int i = 1; i < history.size(); i++) {
            assertTrue(history.get(i).get("eta").asDouble() < history.get(i - 1).get("eta").asDouble());
        }
    }

    @Test
    void cyclicScheduleTranslationsAndAveragingAreRecorded() throws IOException {
        Path out = tmp.resolve("cyc");
        train(out, "--schedule", "cyclic", "--eta-min", "0.001", "--half-cycle", "3", "--average-from", "3",
                "--flip", "--translate", "2").assertOk();
        JsonNode summary = JsonFiles.readTree(out.resolve("summary.json"));
        JsonNode schedule = summary.get("config").get("schedule");
        assertEquals("cyclic", schedule.get("kind").asText());
        assertEquals(0.001, schedule.get("eta_min").asDouble(), 0);
        assertEquals(3, schedule.get("half_cycle_steps").asInt());
        assertEquals(3, summary.get("config").get("average_from").asInt());
        assertEquals(2, summary.get("config").get("translate").asInt());
        assertTrue(summary.get("config").get("label").asText().contains("cyclic from 0.001, n_s=3"));
        for (JsonNode epoch : summary.get("history")) {
            double eta = epoch.get("eta").asDouble();
            assertTrue(eta >= 0.001 && eta <= 0.01, "η " + eta + " within the cycle");
        }
    }

    @Test
    void otherLossesTrainAndAreRecorded() throws IOException {
        for (String loss : new String[] {"svm", "bce"}) {
            Path out = tmp.resolve(loss);
            train(out, "--loss", loss).assertOk();
            JsonNode summary = JsonFiles.readTree(out.resolve("summary.json"));
            assertEquals(loss, summary.get("config").get("loss").asText());
            assertTrue(summary.get("test").get("loss").asDouble() > 0, loss);
        }
    }

    @Test
    void badValuesAreRefusedNamingTheFlag() throws IOException {
        train(tmp.resolve("f"), "--loss", "l2").assertRefused("--loss", "l2");
        train(tmp.resolve("a"), "--schedule", "linear").assertRefused("--schedule", "linear");
        train(tmp.resolve("b"), "--schedule", "step", "--step-every", "0").assertRefused("--step-every");
        train(tmp.resolve("c"), "--schedule", "step", "--step-factor", "2").assertRefused("--step-factor");
        train(tmp.resolve("d"), "--schedule", "cosine", "--eta-min", "0.5").assertRefused("--eta-min", "--eta");
        train(tmp.resolve("e"), "--patience", "-1").assertRefused("--patience");
        train(tmp.resolve("g"), "--schedule", "cyclic", "--half-cycle", "0").assertRefused("--half-cycle");
        train(tmp.resolve("h"), "--schedule", "cyclic", "--eta-min", "0.01").assertRefused("--eta-min", "--eta");
        train(tmp.resolve("i"), "--average-from", "5").assertRefused("--average-from", "0..4");
        train(tmp.resolve("j"), "--average-from", "-2").assertRefused("--average-from");
        train(tmp.resolve("k"), "--translate", "9").assertRefused("--translate", "0..8");
        train(tmp.resolve("l"), "--translate", "-1").assertRefused("--translate");
    }
}

package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.CliRun;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.io.Npy;

/**
 * A trained run folder used as a model: its files alone give the recorded test accuracy (plain arithmetic,
 * no engine code), {@code evaluate} repeats the run's figures exactly, {@code predict} reads images, batches
 * and arrays and refuses bad ones as documented, and {@code train --resume} continues to the same bits.
 */
class ModelCommandsTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path run;

    @BeforeAll
    static void trainOnce() throws Exception {
        data = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        int shift = 0;
        for (String batch : CifarSource.BATCHES) {
            Files.write(data.resolve(batch + ".bin"), CifarFixtures.binaryBatch(64, shift++));
        }
        run = tmp.resolve("run");
        CliRun.of("train", "--data", data.toString(), "--out", run.toString(), "--quiet", "--epochs", "3", "--batch",
                "16", "--lambda", "0.01", "--eta", "0.01", "--shuffle", "--flip").assertOk();
    }

    @Test
    void theFilesAloneGiveTheRecordedTestAccuracy() throws Exception {
        float[] w = Npy.read(run.resolve("W.npy")).data();
        float[] b = Npy.read(run.resolve("b.npy")).data();
        double[] mean = Npy.readDoubles(run.resolve("mean.npy")).data();
        double[] std = Npy.readDoubles(run.resolve("std.npy")).data();
        JsonNode card = new ObjectMapper().readTree(run.resolve("model.json").toFile());
        int k = card.get("classes").asInt();
        int d = card.get("dim").asInt();
        byte[] batch = Files.readAllBytes(data.resolve("test_batch.bin"));
        int n = batch.length / (d + 1);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = b[c];
                for (int j = 0; j < d; j++) {
                    double x = ((batch[i * (d + 1) + 1 + j] & 0xFF) / 255.0 - mean[j]) / std[j];
                    s += w[c * d + j] * x;
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            correct += best == (batch[i * (d + 1)] & 0xFF) ? 1 : 0;
        }
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertEquals(summary.at("/test/accuracy").asDouble(), (double) correct / n);
        assertEquals("softmax", card.get("loss").asText());
        assertEquals(10, card.get("class_names").size());
        assertTrue(summary.at("/provenance/command_line").asText().startsWith("vectrain train --data"));
    }

    @Test
    void evaluateRepeatsTheRunsFigures() throws Exception {
        CliRun r = CliRun.of("evaluate", run.toString(), "--data", data.toString(), "--out",
                tmp.resolve("eval").toString());
        r.assertOk();
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        JsonNode eval = new ObjectMapper().readTree(tmp.resolve("eval/evaluation.json").toFile());
        assertEquals(summary.at("/test/accuracy").asDouble(), eval.get("accuracy").asDouble());
        assertEquals(summary.at("/test/loss").asDouble(), eval.get("loss").asDouble());
        assertEquals(summary.at("/test/cost").asDouble(), eval.get("cost").asDouble());
        assertTrue(r.out().contains("accuracy " + summary.at("/test/accuracy").asDouble()), r.out());
        assertTrue(Files.size(tmp.resolve("eval/misclassified.png")) > 0);
        assertEquals(Files.readString(run.resolve("confusion.csv")), Files.readString(tmp.resolve("eval/confusion.csv")));
    }

    @Test
    void predictReadsImagesBatchesAndArraysAndRefusesBadOnes() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        byte[] test = Files.readAllBytes(data.resolve("test_batch.bin"));
        for (int i = 0; i < 3; i++) {
            BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            for (int p = 0; p < 1024; p++) {
                int at = i * 3073 + 1;
                image.setRGB(p % 32, p / 32, (test[at + p] & 0xFF) << 16 | (test[at + 1024 + p] & 0xFF) << 8
                        | (test[at + 2048 + p] & 0xFF));
            }
            ImageIO.write(image, "png", images.resolve("img" + i + ".png").toFile());
        }
        // a 32 x 32 PNG gives exactly the pixels of its record: the same prediction as the batch's
        CliRun fromPng = CliRun.of("predict", run.toString(), images.resolve("img0.png").toString());
        fromPng.assertOk();
        CliRun fromBatch = CliRun.of("predict", run.toString(), data.resolve("test_batch.bin").toString());
        fromBatch.assertOk();
        assertEquals(64, fromBatch.out().lines().count());
        assertEquals(fromPng.out().strip().split("\t", 2)[1], fromBatch.out().lines().findFirst().orElseThrow()
                .split("\t", 2)[1].replaceAll("\tlabel .*", ""));

        byte[] records = new byte[2 * 3072];
        for (int i = 0; i < 2; i++) {
            System.arraycopy(test, i * 3073 + 1, records, i * 3072, 3072);
        }
        Npy.writeBytes(tmp.resolve("ok.npy"), records, 2, 3072);
        CliRun fromNpy = CliRun.of("predict", "--json", run.toString(), tmp.resolve("ok.npy").toString());
        fromNpy.assertOk();
        assertEquals(2, new ObjectMapper().readTree(fromNpy.out()).get("predictions").size());

        Npy.writeBytes(tmp.resolve("wrong.npy"), Arrays.copyOf(records, 2 * 100), 2, 100);
        CliRun.of("predict", run.toString(), tmp.resolve("wrong.npy").toString()).assertRefused("wrong.npy", "shape");
        Files.writeString(tmp.resolve("text.png"), "not an image\n");
        CliRun.of("predict", run.toString(), tmp.resolve("text.png").toString()).assertRefused("text.png",
                "not a PNG or JPEG");
        byte[] png = Files.readAllBytes(images.resolve("img1.png"));
        Files.write(tmp.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
        CliRun.of("predict", run.toString(), tmp.resolve("cut.png").toString()).assertRefused("cut.png", "decode");

        // one bad file in a folder: reported and skipped, unless --strict
        Files.copy(tmp.resolve("cut.png"), images.resolve("img9.png"));
        CliRun lenient = CliRun.of("predict", run.toString(), images.toString());
        lenient.assertOk();
        assertEquals(3, lenient.out().lines().count());
        assertTrue(lenient.err().contains("skipped") && lenient.err().contains("img9.png"), lenient.err());
        CliRun.of("predict", "--strict", run.toString(), images.toString()).assertRefused("img9.png");

        Path broken = Files.createDirectories(tmp.resolve("broken"));
        for (String f : new String[] {"W.npy", "b.npy", "mean.npy", "model.json"}) {
            Files.copy(run.resolve(f), broken.resolve(f));
        }
        CliRun.of("predict", broken.toString(), images.resolve("img0.png").toString()).assertRefused("std.npy");
    }

    @Test
    void resumingAfterKOfNEpochsGivesTheBitsOfNInOneGo() throws Exception {
        Path part = tmp.resolve("part");
        CliRun.of("train", "--data", data.toString(), "--out", part.toString(), "--quiet", "--epochs", "1", "--batch",
                "16", "--lambda", "0.01", "--eta", "0.01", "--shuffle", "--flip").assertOk();
        CliRun.of("train", "--resume", part.toString(), "--epochs", "3", "--data", data.toString(), "--quiet")
                .assertOk();
        assertArrayEquals(Files.readAllBytes(run.resolve("W.npy")), Files.readAllBytes(part.resolve("W.npy")));
        assertArrayEquals(Files.readAllBytes(run.resolve("b.npy")), Files.readAllBytes(part.resolve("b.npy")));
        JsonNode summary = new ObjectMapper().readTree(part.resolve("summary.json").toFile());
        assertEquals(3, summary.get("history").size());
        assertEquals(1, summary.get("resumed_after_epoch").asInt());
        CliRun.of("train", "--resume", part.toString(), "--lambda", "1").assertRefused("--lambda");

        // a run killed after its first epoch: no summary yet, a checkpoint of epoch 1, which resume takes
        Path killed = tmp.resolve("killed");
        CliRun.of("train", "--data", data.toString(), "--out", killed.toString(), "--quiet", "--epochs", "1",
                "--batch", "16", "--lambda", "0.01", "--eta", "0.01", "--shuffle", "--flip").assertOk();
        for (String f : new String[] {"summary.json", "W.npy", "b.npy", "history.csv"}) {
            Files.delete(killed.resolve(f));
        }
        CliRun.of("train", "--resume", killed.toString(), "--epochs", "3", "--data", data.toString(), "--quiet")
                .assertOk();
        assertArrayEquals(Files.readAllBytes(run.resolve("W.npy")), Files.readAllBytes(killed.resolve("W.npy")));
        // the recorded command replays the run
        Path replayed = tmp.resolve("replayed");
        CliRun.of("train", "@" + run.resolve("args.txt"), "--out", replayed.toString()).assertOk();
        assertArrayEquals(Files.readAllBytes(run.resolve("W.npy")), Files.readAllBytes(replayed.resolve("W.npy")));
    }
}

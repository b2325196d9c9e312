package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.CliRun;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.io.Npy;

/**
 * {@code vectrain train --hidden M}: the assignment's one cycle on real CIFAR-10 lands where the course's does, the
 * folder holds the network's four arrays and a summary, the bits do not depend on the thread count, a run resumed
 * from its checkpoint ends with the bits of the run in one go, and the options it does not take are refused by
 * name.
 */
class TwoLayerTrainCommandTest {
    @TempDir
    Path tmp;

    private static CliRun oneCycle(String data, Path out, String threads) {
        return CliRun.of("train", "--data", data, "--hidden", "50", "--lambda", "0.01", "--eta", "0.1", "--schedule",
                "cyclic", "--eta-min", "1e-5", "--half-cycle", "500", "--epochs", "10", "--threads", threads, "--out",
                out.toString(), "--quiet");
    }

    @Test
    void oneCycleOnRealDataReachesTheAssignmentsAccuracyAndWritesTheNetwork() throws IOException {
        String data = CifarFixtures.realData().toString();
        Path out = tmp.resolve("one-cycle");
        CliRun run = oneCycle(data, out, "2");
        run.assertOk();
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        double accuracy = summary.path("test").path("accuracy").asDouble();
        // DD2424 Assignment 2 reports about 46 % after one cycle of n_s = 500 at λ = 0.01, m = 50
        assertTrue(accuracy > 0.43 && accuracy < 0.49, "test accuracy " + accuracy);
        assertEquals(50, summary.path("network").path("hidden").asInt(), summary.toString());
        assertEquals(10, summary.path("history").size(), summary.toString());
        int[][] shapes = {{50, 3072}, {50, 1}, {10, 50}, {10, 1}};
        String[] files = {"W1.npy", "b1.npy", "W2.npy", "b2.npy"};
        for (int f = 0; f < files.length; f++) {
            assertArrayEquals(shapes[f], Npy.read(out.resolve(files[f]), 1 << 20).shape(), files[f]);
            assertTrue(Files.exists(out.resolve("init").resolve(files[f])), "init/" + files[f]);
        }
        for (String file : new String[] {"mean.npy", "std.npy", "history.csv", "confusion.csv", "accuracy.png",
            "loss_cost.png", "confusion.png"}) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        assertTrue(run.out().contains("test accuracy"), run.out());

        Path single = tmp.resolve("one-thread");
        oneCycle(data, single, "1").assertOk();
        for (String file : files) {
            assertArrayEquals(Files.readAllBytes(out.resolve(file)), Files.readAllBytes(single.resolve(file)),
                    file + " on one thread and on two");
        }
        // the folder stands alone as a model: evaluate gives the run's test figures to the last bit, predict its
        // predictions
        CliRun evaluated = CliRun.of("evaluate", out.toString(), "--data", data, "--quiet");
        evaluated.assertOk();
        JsonNode figures = new ObjectMapper().readTree(out.resolve("evaluation-test").resolve("evaluation.json")
                .toFile());
        assertEquals(summary.path("test").path("loss").asDouble(), figures.path("loss").asDouble(), 0.0);
        assertEquals(summary.path("test").path("cost").asDouble(), figures.path("cost").asDouble(), 0.0);
        assertEquals(summary.path("test").path("accuracy").asDouble(), figures.path("accuracy").asDouble(), 0.0);
        CliRun predicted = CliRun.of("predict", out.toString(), Path.of(data).resolve("test_batch.bin").toString(),
                "--json");
        predicted.assertOk();
        JsonNode predictions = new ObjectMapper().readTree(predicted.out()).path("predictions");
        int correct = 0;
        for (JsonNode p : predictions) {
            correct += p.path("class").asText().equals(p.path("label").asText()) ? 1 : 0;
        }
        assertEquals(10000, predictions.size());
        assertEquals(Math.round(accuracy * 10000), correct, "predict's classes against the test labels");
        JsonNode card = new ObjectMapper().readTree(out.resolve("model.json").toFile());
        assertEquals("two-layer network", card.path("kind").asText(), card.toString());
        assertEquals(50, card.path("hidden").asInt(), card.toString());

        // --init from the run's init/ starts from the same weights: the same run, to the byte
        Path again = tmp.resolve("from-init");
        CliRun.of("train", "--data", data, "--hidden", "50", "--init", out.resolve("init").toString(), "--lambda",
                "0.01", "--eta", "0.1", "--schedule", "cyclic", "--eta-min", "1e-5", "--half-cycle", "500", "--epochs",
                "10", "--out", again.toString(), "--quiet").assertOk();
        for (String file : files) {
            assertArrayEquals(Files.readAllBytes(out.resolve(file)), Files.readAllBytes(again.resolve(file)),
                    file + " from --init of the run's own init/");
        }

        CliRun compared = CliRun.of("compare", out.toString(), single.toString());
        compared.assertOk();
        assertTrue(compared.out().contains("AGREE") && compared.out().contains("‖Wa − Wb‖/‖Wb‖ = 0.00e+00"),
                "compare reads both layers' weights:\n" + compared.out());
    }

    @Test
    void dropoutTrainsWithAugmentationAndGivesTheSameBitsOnOneThreadAndTwo() throws IOException {
        String data = CifarFixtures.realData().toString();
        Path[] outs = {tmp.resolve("dropout-2"), tmp.resolve("dropout-1")};
        for (int t = 0; t < 2; t++) {
            CliRun.of("train", "--data", data, "--hidden", "64", "--dropout", "0.3", "--lambda", "0.001", "--eta",
                    "0.1", "--schedule", "cyclic", "--eta-min", "1e-5", "--half-cycle", "200", "--epochs", "4",
                    "--shuffle", "--flip", "--translate", "2", "--threads", t == 0 ? "2" : "1", "--out",
                    outs[t].toString(), "--quiet").assertOk();
        }
        JsonNode summary = new ObjectMapper().readTree(outs[0].resolve("summary.json").toFile());
        assertEquals(0.3, summary.path("network").path("dropout").asDouble(), summary.toString());
        double accuracy = summary.path("test").path("accuracy").asDouble();
        // two cycles on 10,000 images: well above chance, below the undropped network's 46 %
        assertTrue(accuracy > 0.35 && accuracy < 0.50, "test accuracy " + accuracy);
        for (String file : new String[] {"W1.npy", "b1.npy", "W2.npy", "b2.npy"}) {
            assertArrayEquals(Files.readAllBytes(outs[0].resolve(file)), Files.readAllBytes(outs[1].resolve(file)),
                    file + " on one thread and on two");
        }
    }

    @Test
    void resumingAfterKOfNEpochsGivesTheBitsOfNInOneGo() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        int shift = 0;
        for (String batch : CifarSource.BATCHES) {
            Files.write(data.resolve(batch + ".bin"), CifarFixtures.binaryBatch(64, shift++));
        }
        Path whole = tmp.resolve("whole");
        Path part = tmp.resolve("part");
        Path killed = tmp.resolve("killed");
        trainSmall(data, whole, "3");
        trainSmall(data, part, "1");
        trainSmall(data, killed, "1");
        assertTrue(Files.exists(part.resolve("checkpoint").resolve("state.json")), "a checkpoint of epoch 1");
        CliRun.of("train", "--resume", part.toString(), "--epochs", "3", "--data", data.toString(), "--quiet")
                .assertOk();
        for (String file : new String[] {"W1.npy", "b1.npy", "W2.npy", "b2.npy"}) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(file)), Files.readAllBytes(part.resolve(file)),
                    file + " resumed after 1 of 3 epochs");
        }
        JsonNode summary = new ObjectMapper().readTree(part.resolve("summary.json").toFile());
        JsonNode wholeSummary = new ObjectMapper().readTree(whole.resolve("summary.json").toFile());
        assertEquals(3, summary.path("history").size(), summary.toString());
        assertEquals(1, summary.path("resumed_after_epoch").asInt(), summary.toString());
        assertEquals(7, summary.path("network").path("hidden").asInt(), summary.toString());
        assertEquals(0.2, summary.path("network").path("dropout").asDouble(), summary.toString());
        assertEquals(wholeSummary.path("test"), summary.path("test"));
        assertEquals(wholeSummary.path("history").get(2).path("val"), summary.path("history").get(2).path("val"));
        // the resumed run's args.txt replays the whole run
        Path replayed = tmp.resolve("replayed");
        CliRun.of("train", "@" + part.resolve("args.txt"), "--out", replayed.toString()).assertOk();
        assertArrayEquals(Files.readAllBytes(whole.resolve("W1.npy")), Files.readAllBytes(replayed.resolve("W1.npy")),
                "W1.npy of the resumed run's args.txt replayed");
        CliRun.of("train", "--resume", part.toString(), "--hidden", "7").assertRefused("--hidden", "--resume");
        CliRun.of("train", "--resume", part.toString(), "--dropout", "0.5").assertRefused("--dropout", "--resume");
        CliRun.of("train", "--resume", part.toString(), "--epochs", "0", "--data", data.toString())
                .assertRefused("--epochs");

        // a damaged checkpoint is refused naming the file, never a stack trace: arrays of another (consistent) shape,
        // a width of 0
        Path fewerClasses = copyOf(killed, tmp.resolve("fewer-classes"));
        Npy.write(fewerClasses.resolve("checkpoint").resolve("epoch-0001-W2.npy"), new float[5 * 7], 5, 7);
        Npy.write(fewerClasses.resolve("checkpoint").resolve("epoch-0001-b2.npy"), new float[5], 5, 1);
        CliRun.of("train", "--resume", fewerClasses.toString(), "--data", data.toString())
                .assertRefused("epoch-0001-W2.npy", "[5, 7]", "[10, 7]");
        Path noWidth = copyOf(killed, tmp.resolve("no-width"));
        Path state = noWidth.resolve("checkpoint").resolve("state.json");
        Files.writeString(state, Files.readString(state).replace("\"hidden\" : 7", "\"hidden\" : 0"));
        CliRun.of("train", "--resume", noWidth.toString(), "--data", data.toString())
                .assertRefused("state.json", "network.hidden 0");

        // a run killed after its first epoch: no summary or arrays yet, a checkpoint of epoch 1, which resume takes
        for (String file : new String[] {"summary.json", "W1.npy", "b1.npy", "W2.npy", "b2.npy", "history.csv"}) {
            Files.delete(killed.resolve(file));
        }
        CliRun.of("train", "--resume", killed.toString(), "--epochs", "3", "--data", data.toString(), "--quiet")
                .assertOk();
        assertArrayEquals(Files.readAllBytes(whole.resolve("W1.npy")), Files.readAllBytes(killed.resolve("W1.npy")),
                "W1.npy of the killed run resumed");
    }

    /** A copy of run folder {@code from} and its checkpoint at {@code to}. */
    private static Path copyOf(Path from, Path to) throws IOException {
        Files.createDirectories(to.resolve("checkpoint"));
        for (Path file : new Path[] {Path.of("args.txt"), Path.of("checkpoint")}) {
            if (Files.isDirectory(from.resolve(file))) {
                try (var files = Files.list(from.resolve(file))) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.copy(f, to.resolve(file).resolve(f.getFileName()));
                    }
                }
            } else {
                Files.copy(from.resolve(file), to.resolve(file));
            }
        }
        return to;
    }

    /** Shuffled, flipped, moved, with dropout, averaging and the best epoch kept: every stream a resume redraws. */
    private static void trainSmall(Path data, Path out, String epochs) {
        CliRun.of("train", "--data", data.toString(), "--hidden", "7", "--dropout", "0.2", "--batch", "16",
                "--lambda", "0.01", "--eta", "0.05", "--shuffle", "--flip", "--translate", "1", "--average-from", "1",
                "--keep-best", "--epochs", epochs, "--out", out.toString(), "--quiet").assertOk();
    }

    @Test
    void anInitFolderOfAnotherShapeIsRefusedBeforeTheDataIsRead() throws IOException {
        Path init = Files.createDirectories(tmp.resolve("init"));
        Npy.write(init.resolve("W1.npy"), new float[4 * 3072], 4, 3072);
        Npy.write(init.resolve("b1.npy"), new float[4], 4, 1);
        Npy.write(init.resolve("W2.npy"), new float[10 * 4], 10, 4);
        Npy.write(init.resolve("b2.npy"), new float[10], 10, 1);
        Path nothing = tmp.resolve("no-data");
        CliRun.of("train", "--data", nothing.toString(), "--hidden", "5", "--init", init.toString())
                .assertRefused("--init", "W1.npy", "[4, 3072]", "[5, 3072]");
        float[] bad = new float[10 * 4];
        bad[7] = Float.NaN;
        Npy.write(init.resolve("W2.npy"), bad, 10, 4);
        CliRun.of("train", "--data", nothing.toString(), "--hidden", "4", "--init", init.toString())
                .assertRefused("--init", "W2.npy", "NaN");
        assertFalse(Files.exists(tmp.resolve("runs")));
    }

    @Test
    void optionsOfTheOneLayerModelAreRefusedByName() {
        Path empty = tmp.resolve("nothing");
        CliRun.of("train", "--data", empty.toString(), "--hidden", "0").assertRefused("--hidden", "0");
        CliRun.of("train", "--data", empty.toString(), "--hidden", "9000").assertRefused("--hidden");
        CliRun.of("train", "--data", empty.toString(), "--hidden", "5", "--init", tmp.toString())
                .assertRefused("--init", "W1.npy");
        CliRun.of("train", "--data", empty.toString(), "--hidden", "5", "--resume", tmp.toString())
                .assertRefused("--resume");
        CliRun.of("train", "--data", empty.toString(), "--dropout", "0.5").assertRefused("--dropout", "--hidden");
        CliRun.of("train", "--data", empty.toString(), "--hidden", "5", "--dropout", "0.95")
                .assertRefused("--dropout", "0.95");
        CliRun.of("train", "--data", empty.toString(), "--hidden", "5", "--dropout", "-0.1")
                .assertRefused("--dropout");
        assertFalse(Files.exists(tmp.resolve("runs")));
    }
}

package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.CliRun;
import org.vectrain.engine.bench.EpochBenchmark;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.data.CifarSource;

/** {@code vectrain bench} on a small generated data folder: the JSON has every promised field. */
class BenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void jsonHasEveryPromisedField() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        for (String batch : CifarSource.BATCHES) {
            Files.write(folder.resolve(batch + ".bin"), CifarFixtures.binaryBatch(64, 1));
        }
        CliRun run = CliRun.of("bench", "--data", folder.toString(), "--batch", "16", "--epochs", "1", "--warmup",
                "0", "--json");
        run.assertOk();
        JsonNode json = new ObjectMapper().readTree(run.out());
        for (String key : List.of("train_ms", "eval_ms", "epoch_ms", "threads", "peak_gflops", "bandwidth_gbs",
                "limit_ms", "epoch_over_limit")) {
            assertTrue(json.get(key).isNumber(), key + " in " + json);
            assertTrue(json.get(key).asDouble() > 0, key + " > 0 in " + json);
        }
        assertEquals(0, json.get("warmup_epochs").asInt(), "--warmup 0 runs no warm-up: " + json);
        assertTrue(json.get("jit_quiet").isBoolean(), "jit_quiet in " + json);

        CliRun warmed = CliRun.of("bench", "--data", folder.toString(), "--batch", "16", "--epochs", "1",
                "--warmup", "2", "--json");
        warmed.assertOk();
        JsonNode after = new ObjectMapper().readTree(warmed.out());
        int warmup = after.get("warmup_epochs").asInt();
        // at least the minimum; beyond it only while the JIT is compiling, and at most a capped number more
        int cap = 2 + EpochBenchmark.MAX_EXTRA_WARMUP;
        assertTrue(warmup >= 2 && warmup <= cap, "warm-up epochs in 2.." + cap + ": " + after);
        assertTrue(warmup == 2 || after.get("jit_quiet").asBoolean() || warmup == cap,
                "warm-up went past its minimum, so it ended quiet or at its cap: " + after);
        assertTrue(json.get("step_us") == null, "no step phases unless asked: " + json);
        assertFalse(json.get("overlapped").asBoolean(), "a cold start runs the passes in turn: " + json);
        boolean twoThreads = after.get("threads").asInt() >= 2;
        assertEquals(twoThreads, after.get("overlapped").asBoolean(), "evaluation beside training: " + after);
        for (String key : List.of("train_ms", "eval_ms", "epoch_ms")) {
            assertTrue(after.get(key).asDouble() > 0, key + " > 0 in " + after);
        }
        CliRun sequential = CliRun.of("bench", "--data", folder.toString(), "--batch", "16", "--epochs", "1",
                "--warmup", "1", "--sequential", "--json");
        sequential.assertOk();
        JsonNode inTurn = new ObjectMapper().readTree(sequential.out());
        assertFalse(inTurn.get("overlapped").asBoolean(), "--sequential: " + inTurn);
        assertEquals(inTurn.get("train_ms").asDouble() + inTurn.get("eval_ms").asDouble(),
                inTurn.get("epoch_ms").asDouble(), 0.02, "in turn, an epoch is the two passes: " + inTurn);

        CliRun timed = CliRun.of("bench", "--data", folder.toString(), "--batch", "16", "--epochs", "3",
                "--warmup", "1", "--phases", "--json");
        timed.assertOk();
        JsonNode step = new ObjectMapper().readTree(timed.out()).get("step_us");
        for (String key : List.of("step", "forward", "serial", "update")) {
            assertTrue(step.get(key).asDouble() > 0, key + " in " + step);
        }
        for (String phase : List.of("forward", "update")) {
            JsonNode parts = step.get(phase + "_parts");
            assertEquals(2, parts.size(), phase + " parts in " + step);
            for (JsonNode part : parts) {
                // a part's busy time lies inside its phase, epoch by epoch, so for the medians too
                assertTrue(part.asDouble() >= 0 && part.asDouble() <= step.get(phase).asDouble(), phase + ": " + step);
            }
        }
        CliRun.of("bench", "--data", folder.toString(), "--batch", "65").assertRefused("--batch", "65");
        CliRun.of("bench", "--data", folder.toString(), "--epochs", "0").assertRefused("--epochs");
    }

    @Test
    void hiddenTimesTheTwoLayerNetworkAndPassesItsWidthToNumpy() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        for (String batch : CifarSource.BATCHES) {
            Files.write(folder.resolve(batch + ".bin"), CifarFixtures.binaryBatch(64, 1));
        }
        Path calls = tmp.resolve("hidden-calls.txt");
        Path script = Files.writeString(tmp.resolve("fake_numpy_hidden.sh"), "if [ \"$1\" = --help ]; then exit 0; fi\n"
                + "echo \"$@\" >> '" + calls + "'\n"
                + "echo '{\"n\": 64, \"openblas_core\": \"Zen\", \"train_ms_per_epoch\": 50, "
                + "\"eval_ms_per_epoch\": 50, \"epoch_ms\": 100}'\n");
        CliRun run = CliRun.of("bench", "--data", folder.toString(), "--batch", "16", "--epochs", "1", "--warmup",
                "0", "--hidden", "7", "--json", "--rounds", "1", "--numpy", script.toString(), "--python", "/bin/sh");
        run.assertOk();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals(7, json.get("hidden").asInt(), json.toString());
        assertTrue(json.get("epoch_ms").asDouble() > 0, json.toString());
        // an epoch of 64 training and 3 x 64 evaluated images: 2 m D + 2 K m flops per image and pass
        double perImage = 2.0 * 7 * 3072 + 2.0 * 10 * 7;
        assertEquals(perImage * (2 * 64 + 3 * 64), json.get("train_gflops").asDouble() * json.get("train_ms").asDouble()
                * 1e6 + json.get("eval_gflops").asDouble() * json.get("eval_ms").asDouble() * 1e6, perImage * 20);
        for (String line : Files.readAllLines(calls)) {
            assertTrue(line.contains("--hidden 7"), line);
        }
        CliRun.of("bench", "--data", folder.toString(), "--hidden", "0").assertRefused("--hidden", "0");
        CliRun.of("bench", "--data", folder.toString(), "--hidden", "5", "--phases").assertRefused("--phases");
    }

    @Test
    void numpyRunsInEveryRoundAndTheMedianRoundIsSetAgainstItsFastest() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        for (String batch : CifarSource.BATCHES) {
            Files.write(folder.resolve(batch + ".bin"), CifarFixtures.binaryBatch(64, 1));
        }
        // stands in for numpy_epoch.py (run by /bin/sh in place of Python): answers the check (--help), records
        // its OpenBLAS threads and arguments, and trains in 90.5 and 80 ms in round 1 (1 and 2 threads), in
        // 70.25 and 75 ms in round 2
        Path calls = tmp.resolve("calls.txt");
        Path script = Files.writeString(tmp.resolve("fake_numpy_epoch.sh"), "if [ \"$1\" = --help ]; then exit 0; fi\n"
                + "echo \"$OPENBLAS_NUM_THREADS $@\" >> '" + calls + "'\n"
                + "case $(wc -l < '" + calls + "') in 1) train=90.5;; 2) train=80.0;; 3) train=70.25;; *) train=75.0;; esac\n"
                + "echo '{\"n\": 64, \"openblas_core\": \"Zen\", \"train_ms_per_epoch\": '$train', "
                + "\"eval_ms_per_epoch\": 20.0}'\n");
        CliRun run = CliRun.of("bench", "--data", folder.toString(), "--batch", "16", "--epochs", "1", "--warmup", "0",
                "--numpy", script.toString(), "--python", "/bin/sh", "--rounds", "2", "--threads", "2", "--json");
        run.assertOk();
        JsonNode json = new ObjectMapper().readTree(run.out());
        JsonNode rounds = json.get("rounds");
        assertEquals(2, rounds.size(), "rounds in " + json);
        // numpy's evaluation covers its 64 + 20,000 images, scaled to the 3 x 64 vectrain evaluates
        double scaledEval = 20.0 * 192 / 20_064;
        assertEquals(scaledEval, rounds.get(0).get("numpy_eval_ms").asDouble(), 0.01, json.toString());
        // each round: numpy with 1 OpenBLAS thread, then with vectrain's 2, and the faster counts
        assertEquals(List.of("1", "2", "1", "2"), Files.readAllLines(calls).stream().map(l -> l.split(" ")[0]).toList());
        assertEquals(80.0 + scaledEval, rounds.get(0).get("numpy_epoch_ms").asDouble(), 0.01, json.toString());
        assertEquals(2, rounds.get(0).get("numpy_threads").asInt(), json.toString());
        assertEquals(90.5 + scaledEval, rounds.get(0).get("numpy_runs").get(0).get("epoch_ms").asDouble(), 0.01);
        assertEquals(70.25 + scaledEval, rounds.get(1).get("numpy_epoch_ms").asDouble(), 0.01, json.toString());
        assertEquals(1, rounds.get(1).get("numpy_threads").asInt(), json.toString());
        // the faster of the two middle rounds for an even count, here the faster one
        double first = rounds.get(0).get("epoch_ms").asDouble();
        double second = rounds.get(1).get("epoch_ms").asDouble();
        assertEquals(Math.min(first, second), json.get("epoch_ms").asDouble(), 1e-9, json.toString());
        assertEquals(first <= second ? 1 : 2, json.get("median_round").asInt(), json.toString());
        JsonNode numpy = json.get("numpy");
        assertEquals(70.25 + scaledEval, numpy.get("fastest_epoch_ms").asDouble(), 0.01, json.toString());
        assertEquals(1, numpy.get("threads").asInt(), json.toString());
        assertEquals("[1,2]", numpy.get("threads_tried").toString(), json.toString());
        // the speedup comes from the unrounded epoch; epoch_ms is printed to 0.01 ms, which at these tiny
        // epochs is a few per cent, so the check allows exactly that rounding (and the speedup's own)
        double fastest = numpy.get("fastest_epoch_ms").asDouble();
        double epoch = json.get("epoch_ms").asDouble();
        double speedup = numpy.get("speedup").asDouble();
        assertTrue(speedup >= fastest / (epoch + 0.005) - 0.005 && speedup <= fastest / (epoch - 0.005) + 0.005,
                "speedup " + speedup + " against " + fastest + " / " + epoch + ": " + json);
        assertEquals(192, numpy.get("n_eval_scaled_to").asInt());
        // the fixture is the binary layout with 64 images a file, so numpy reads them, with vectrain's n and batch
        assertEquals("real", numpy.get("data").asText());
        assertEquals("Zen", numpy.get("openblas_core").asText());
        assertEquals(java.util.Collections.nCopies(4, "--n 64 --batch 16 --epochs 5 --data " + folder),
                Files.readAllLines(calls).stream().map(line -> line.substring(line.indexOf("--n"))).toList());

        CliRun table = CliRun.of("bench", "--data", folder.toString(), "--batch", "16", "--epochs", "1", "--warmup",
                "0", "--numpy", script.toString(), "--python", "/bin/sh", "--rounds", "1", "--threads", "1");
        table.assertOk();
        // a fifth run of the script, the only one at one vectrain thread
        assertTrue(table.out().contains("numpy's fastest 75.19 ms") && table.out().contains("scaled to the 192")
                && table.out().contains("fastest with 1 thread;"), table.out());

        // refused by the check, before any epoch is timed
        Path failing = Files.writeString(tmp.resolve("failing.sh"), "echo 'No module named numpy'\nexit 1\n");
        CliRun refused = CliRun.of("bench", "--data", folder.toString(), "--batch", "16", "--epochs", "1", "--warmup",
                "0", "--numpy", failing.toString(), "--python", "/bin/sh");
        refused.assertRefused("--numpy", "No module named numpy");
        CliRun.of("bench", "--data", folder.toString(), "--numpy", tmp.resolve("missing.py").toString())
                .assertRefused("--numpy", "missing.py");
        CliRun.of("bench", "--data", folder.toString(), "--rounds", "0").assertRefused("--rounds");
    }
}

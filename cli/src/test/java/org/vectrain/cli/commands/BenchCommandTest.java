package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}

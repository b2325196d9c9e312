package org.vectrain.cli.commands;

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
        CliRun.of("bench", "--data", folder.toString(), "--batch", "65").assertRefused("--batch", "65");
        CliRun.of("bench", "--data", folder.toString(), "--epochs", "0").assertRefused("--epochs");
    }
}

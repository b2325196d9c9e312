package org.vectrain.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.InputException;

/**
 * The numpy baseline's command, environment and result line, with shell scripts standing in for
 * numpy_epoch.py (run by {@code /bin/sh} in place of Python), so no numpy is needed.
 */
class NumpyBaselineTest {
    private static final String RESULT = "{\"baseline\": \"numpy\", \"n\": 64, \"openblas_core\": \"Zen\", "
            + "\"train_ms_per_epoch\": 40.5, \"eval_ms_per_epoch\": 42.25, \"epoch_ms\": 82.75}";

    @TempDir
    Path tmp;

    private Path script(String body) throws IOException {
        return Files.writeString(tmp.resolve("fake_numpy_epoch.sh"), body);
    }

    private Path binaryFolder() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        for (String file : List.of("data_batch_1.bin", "data_batch_2.bin", "test_batch.bin")) {
            Files.write(folder.resolve(file), new byte[1]);
        }
        return folder;
    }

    @Test
    void refusesAScriptThatIsNotAFile() {
        InputException e = assertThrows(InputException.class,
                () -> NumpyBaseline.of("python3", tmp.resolve("numpy_epoch.py")));
        assertTrue(e.getMessage().startsWith("--numpy: ") && e.getMessage().contains("numpy_epoch.py"), e.getMessage());
    }

    @Test
    void readsRealImagesOnlyWhenTheyFitInTheScriptsOneBatchFile() throws IOException {
        NumpyBaseline baseline = NumpyBaseline.of("python3", script("true"));
        Path folder = binaryFolder();
        List<String> real = baseline.command(10_000, 100, 5, folder);
        assertEquals(List.of("python3", tmp.resolve("fake_numpy_epoch.sh").toString(), "--n", "10000", "--batch", "100",
                "--epochs", "5", "--data", folder.toString()), real);
        assertFalse(baseline.command(49_000, 100, 5, folder).contains("--data"), "the all split: Gaussian data");
        assertFalse(baseline.command(100, 100, 5, tmp).contains("--data"), "no batch files: Gaussian data");
        assertFalse(baseline.command(100, 100, 5, null).contains("--data"));
    }

    @Test
    void runsWithTheAskedOpenBlasThreadsAndItsAvx2PinsRemoved() throws IOException {
        Map<String, String> env = new HashMap<>(Map.of("OPENBLAS_CORETYPE", "Haswell", "OPENBLAS_L2_SIZE", "1048576",
                "OPENBLAS_NUM_THREADS", "2", "HOME", "/root"));
        NumpyBaseline.fastestNumpy(env, 1);
        assertEquals(Map.of("OPENBLAS_NUM_THREADS", "1", "HOME", "/root"), env);

        // the child sees the thread count; the script echoes it back as its core name
        NumpyBaseline baseline = NumpyBaseline.of("/bin/sh", script("echo 'loading'\n"
                + "echo '{\"n\": 64, \"openblas_core\": \"threads='\"$OPENBLAS_NUM_THREADS\"'\", "
                + "\"train_ms_per_epoch\": 40.5, \"eval_ms_per_epoch\": 42.25}'\n"));
        NumpyBaseline.Epoch epoch = baseline.run(64, 16, 5, binaryFolder(), 1);
        assertEquals(new NumpyBaseline.Epoch(40.5, 42.25, 64, 64 + NumpyBaseline.EXTRA_EVALUATED, true, "threads=1",
                1), epoch);
        assertEquals(82.75, epoch.epochMillis(), 1e-12);
        assertEquals("threads=2", baseline.run(64, 16, 5, binaryFolder(), 2).openblasCore());
    }

    @Test
    void takesTheLastResultLineAndScalesOnlyTheEvaluation() throws IOException {
        NumpyBaseline baseline = NumpyBaseline.of("/bin/sh", script("true"));
        String output = "{\"progress\": 1}\n" + RESULT.replace("40.5", "99.0") + "\nnot json {\n" + RESULT + "\n";
        NumpyBaseline.Epoch epoch = baseline.parse(output, false, 1);
        assertEquals(40.5, epoch.trainMillis());
        assertEquals(20_064, epoch.evaluated());
        assertFalse(epoch.realData());
        assertEquals("Zen", epoch.openblasCore());
        // half the images evaluated: half the evaluation time, the same training time
        NumpyBaseline.Epoch scaled = epoch.scaledTo(10_032);
        assertEquals(40.5, scaled.trainMillis());
        assertEquals(21.125, scaled.evalMillis(), 1e-12);
        assertEquals(10_032, scaled.evaluated());
    }

    @Test
    void aFailingOrSilentScriptIsAClearError() throws IOException {
        NumpyBaseline failing = NumpyBaseline.of("/bin/sh",
                script("echo 'Traceback (most recent call last):'\necho \"ModuleNotFoundError: No module named 'numpy'\"\n"
                        + "exit 1\n"));
        InputException e = assertThrows(InputException.class, () -> failing.run(100, 100, 5, null, 1));
        assertTrue(e.getMessage().startsWith("--numpy: ") && e.getMessage().contains("exited with status 1")
                && e.getMessage().contains("No module named 'numpy'"), e.getMessage());

        NumpyBaseline silent = NumpyBaseline.of("/bin/sh", script("echo '{\"n\": 100, \"train_ms_per_epoch\": 0}'\n"));
        e = assertThrows(InputException.class, () -> silent.run(100, 100, 5, null, 1));
        assertTrue(e.getMessage().contains("printed no result line") && e.getMessage().contains("train_ms_per_epoch"),
                e.getMessage());

        NumpyBaseline noPython = NumpyBaseline.of(tmp.resolve("no-python").toString(), script("true"));
        e = assertThrows(InputException.class, () -> noPython.run(100, 100, 5, null, 1));
        assertTrue(e.getMessage().startsWith("--python: cannot run "), e.getMessage());
    }

    @Test
    void aScriptThatHangsIsStoppedAtItsTimeLimit() throws IOException {
        NumpyBaseline hanging = NumpyBaseline.of("/bin/sh", script("exec sleep 60\n")).withTimeout(300);
        long start = System.nanoTime();
        InputException e = assertThrows(InputException.class, () -> hanging.run(100, 100, 5, null, 1));
        assertTrue(e.getMessage().contains("ran longer than 0.3 s"), e.getMessage());
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "stopped, not waited out");
    }

    @Test
    void theCheckRunsTheScriptsHelpAndFailsAsARunWould() throws IOException {
        NumpyBaseline fine = NumpyBaseline.of("/bin/sh", script("[ \"$1\" = --help ] && echo 'usage: numpy_epoch.py'\n"));
        fine.check();
        NumpyBaseline noNumpy = NumpyBaseline.of("/bin/sh", script("echo \"ModuleNotFoundError: No module named 'numpy'\"\n"
                + "exit 1\n"));
        InputException e = assertThrows(InputException.class, noNumpy::check);
        assertTrue(e.getMessage().contains("--help exited with status 1") && e.getMessage().contains("'numpy'"),
                e.getMessage());
    }
}

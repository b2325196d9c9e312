package org.vectrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code vectrain} launcher on a fresh clone (no jar yet) on a machine without CIFAR-10: a command that
 * reads the data is refused at once, with the way to get it, before a minute's build and without creating
 * its output folder. The launcher is run from a copy in a folder with no build files, so that a build, had
 * it started, would fail with another message.
 */
class LauncherTest {
    @TempDir
    Path tmp;

    private record Result(int exit, String err) {
    }

    private Result launch(String... args) throws IOException, InterruptedException {
        Path launcher = tmp.resolve("clone/vectrain");
        Files.createDirectories(launcher.getParent().resolve("cli"));
        Files.copy(Path.of("..", "vectrain"), launcher, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = builder.environment();
        env.remove("VECTRAIN_DATA");
        env.remove("XDG_CACHE_HOME");
        env.put("HOME", tmp.resolve("home").toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        String err = new String(process.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the launcher finished");
        return new Result(process.exitValue(), err);
    }

    @Test
    void aFirstRunWithoutDataIsRefusedBeforeTheBuild() throws Exception {
        Result run = launch("suite", "--out", tmp.resolve("report").toString());
        assertEquals(ExitCodes.USAGE, run.exit(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().startsWith("vectrain: no CIFAR-10 data: no --data given, VECTRAIN_DATA is not set and "
                + tmp.resolve("home/.cache/vectrain") + " does not exist; run '"), run.err());
        assertTrue(run.err().contains(" download' to fetch it") && run.err().contains("--data DIR"), run.err());
        assertFalse(run.err().contains("building"), "no build started: " + run.err());
        assertFalse(Files.exists(tmp.resolve("report")), "no report folder");
    }

    @Test
    void helpAndCommandsGivenDataStillBuild() throws Exception {
        for (String[] args : List.of(new String[] {"suite", "--help"}, new String[] {"train", "--data", "x"},
                new String[] {"download"})) {
            Result run = launch(args);
            assertTrue(run.err().contains("building the command line jar"), String.join(" ", args) + ": " + run.err());
        }
    }
}

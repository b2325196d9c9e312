package org.vectrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.io.OutputLock;

/**
 * The {@code ./vectrain} launcher stopped while it trains, as {@code kill}, Ctrl-C and a closed terminal
 * stop it: SIGTERM to the launcher alone, SIGINT and SIGHUP to its whole process group (what a terminal
 * sends). No process it started may survive it, and the output folder must be left as a killed run leaves
 * it: its lock released, nothing written after the launcher has ended.
 *
 * <p>The launcher runs from a copy in a scratch folder whose {@code cli/target/vectrain.jar} is a jar of
 * only a manifest, naming {@link Main} and this test's class path, so that it runs the code under test
 * (in {@code mvn verify} the real jar is built after the tests).
 */
class LauncherSignalTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "SIG{0} to the {1}")
    @CsvSource({"TERM, launcher, 143", "INT, process group, 130", "HUP, process group, 129"})
    void aStoppedLauncherLeavesNoJvmAndAConsistentFolder(String signal, String target, int expectedExit)
            throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid")),
                "setsid is needed to give the launcher its own process group");
        Path root = launcherCopy();
        Path data = CifarFixtures.batchesFolder(tmp, 256);
        Path out = tmp.resolve("out");
        ProcessBuilder builder = new ProcessBuilder("setsid", root.resolve("vectrain").toString(), "train", "--data",
                data.toString(), "--out", out.toString(), "--quiet", "--epochs", "50000", "--batch", "8", "--threads",
                "1").redirectErrorStream(true).redirectOutput(tmp.resolve("launcher.log").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("VECTRAIN_JAVA_OPTS");
        Process launcher = builder.start();
        Path lock = out.resolve(OutputLock.FILE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (launcher.isAlive() && !(Files.isRegularFile(lock) && Files.size(lock) > 0)) {
            assertTrue(System.nanoTime() < deadline, "the run did not start: " + log());
            Thread.sleep(20);
        }
        assertTrue(launcher.isAlive(), "the run ended early: " + log());
        List<ProcessHandle> started = launcher.descendants().toList();
        assertTrue(started.stream().anyMatch(p -> p.info().command().orElse("").endsWith("/java")),
                "the launcher started a JVM: " + started.stream().map(p -> p.info().command().orElse("?")).toList());
        // Let it train for a moment.
        Thread.sleep(500);
        String destination = target.equals("launcher") ? Long.toString(launcher.pid()) : "-" + launcher.pid();
        Process kill = new ProcessBuilder("kill", "-" + signal, "--", destination).inheritIO().start();
        assertEquals(0, kill.waitFor());
        assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the launcher ends: " + log());
        int exit = launcher.exitValue();
        List<String> survivors = new ArrayList<>();
        for (ProcessHandle p : started) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                survivors.add(p.info().command().orElse("?") + " (pid " + p.pid() + ")");
                p.destroyForcibly();
            }
        }
        assertEquals(List.of(), survivors, "processes that outlived the launcher");
        assertEquals(expectedExit, exit, "the launcher ends as stopped by SIG" + signal + ": " + log());
        Map<String, Long> left = listing(out);
        Thread.sleep(1000);
        assertEquals(left, listing(out), "nothing is written after the launcher has ended");
        Map<String, Long> sizes = sizes(left);
        assertEquals(0L, sizes.get(OutputLock.FILE), "the lock is released: " + sizes);
        for (String name : sizes.keySet()) {
            // While training, a run writes its start and the checkpoint of each whole epoch, nothing else.
            assertTrue(name.equals(OutputLock.FILE) || name.startsWith("init/") || name.startsWith("checkpoint/"),
                    "a run stopped while training wrote " + name + ": " + sizes);
        }
    }

    private String log() throws IOException {
        Path log = tmp.resolve("launcher.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** A copy of the launcher beside a manifest-only jar that runs {@link Main} from this test's class path. */
    private Path launcherCopy() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path script = Files.copy(repositoryRoot().resolve("vectrain"), root.resolve("vectrain"));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.createDirectories(root.resolve("cli").resolve("target")).resolve("vectrain.jar");
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            classPath.add(Path.of(entry).toAbsolutePath().toUri().toString());
        }
        attributes.put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.flush();
        }
        return root;
    }

    /** The repository's root: the folder above this module's, which holds the launcher. */
    private static Path repositoryRoot() {
        Path module = Path.of("").toAbsolutePath();
        Path root = Files.isRegularFile(module.resolve("vectrain")) ? module : module.getParent();
        assertTrue(Files.isRegularFile(root.resolve("vectrain")), "no launcher in " + root);
        return root;
    }

    /** Every file under {@code folder} with its size and modification time. */
    private static Map<String, Long> listing(Path folder) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(p).toString(), Files.size(p) * 1_000_000_000_000L
                        + Files.getLastModifiedTime(p).toMillis() % 1_000_000_000_000L);
            }
        }
        return files;
    }

    private static Map<String, Long> sizes(Map<String, Long> listing) {
        Map<String, Long> sizes = new TreeMap<>();
        listing.forEach((name, value) -> sizes.put(name, value / 1_000_000_000_000L));
        return sizes;
    }
}

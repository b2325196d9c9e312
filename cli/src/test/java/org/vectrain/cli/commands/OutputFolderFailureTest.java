package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.CliRun;
import org.vectrain.cli.ExitCodes;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.io.JsonFiles;
import org.vectrain.engine.io.Npy;
import org.vectrain.engine.io.OutputLock;

/**
 * {@code --out} that cannot be written, or that fills up during the run.
 *
 * <p>The tests run as root here, which ignores permission bits, so read-only and full folders are
 * real file systems: a path under a regular file, a path in {@code /proc}, and small tmpfs mounts
 * (read-only, and a few tens of kilobytes that fill up part-way through the outputs). The mounts need
 * the right to mount; without it those tests are skipped and say so.
 */
class OutputFolderFailureTest {
    @TempDir
    Path tmp;

    private final List<Path> mounts = new ArrayList<>();

    @AfterEach
    void unmount() throws Exception {
        for (Path mount : mounts) {
            run("umount", mount.toString());
        }
    }

    private Path data() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("data").resolve("cifar-10-batches-bin"));
        int shift = 0;
        for (String batch : CifarSource.BATCHES) {
            Files.write(folder.resolve(batch + ".bin"), CifarFixtures.binaryBatch(16, shift++));
        }
        return folder;
    }

    private static CliRun train(Path data, Path out) {
        return CliRun.of("train", "--data", data.toString(), "--out", out.toString(), "--quiet", "--epochs", "1",
                "--batch", "8", "--threads", "1");
    }

    @Test
    void anOutFolderThatCannotBeCreatedIsBadInputNamingTheFlag() throws IOException {
        Path data = data();
        Path file = Files.writeString(tmp.resolve("somefile"), "x");
        train(data, file.resolve("sub")).assertRefused("--out", "somefile");
        train(data, Path.of("/proc/self/vectrain-out")).assertRefused("--out", "/proc/self/vectrain-out");
        CliRun suite = CliRun.of("suite", "--data", data.toString(), "--out", file.resolve("sub").toString(),
                "--epochs", "1", "--settings", "2", "--no-gradcheck", "--quiet");
        suite.assertRefused("--out");
        assertEquals("x", Files.readString(file), "the file in the way is untouched");
    }

    @Test
    void aReadOnlyFileSystemIsBadInputAndNothingIsWritten() throws Exception {
        Path data = data();
        Path readOnly = mount("ro,size=64k");
        train(data, readOnly).assertRefused("--out", "not writable", "Read-only file system");
        train(data, readOnly.resolve("sub")).assertRefused("--out", "cannot create");
        try (Stream<Path> files = Files.list(readOnly)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aDiskThatFillsUpIsAnIoErrorThatLeavesOnlyWholeFiles() throws Exception {
        Path data = data();
        // 8 kB fails at the first plot, 100 kB among the plots, 200 kB at the weights (W.npy alone is 123 kB).
        for (String size : List.of("8k", "100k", "200k")) {
            Path full = mount("size=" + size);
            CliRun run = train(data, full);
            assertEquals(ExitCodes.IO_ERROR, run.exit(), size + ": " + run.err());
            assertEquals(1, run.err().strip().lines().count(), "one line, no stack trace: " + run.err());
            assertTrue(run.err().startsWith("vectrain: I/O error: " + full), run.err());
            assertTrue(run.err().contains("No space left on device"), run.err());
            assertFalse(Files.exists(full.resolve("summary.json")), size + ": no summary for an unfinished run");
            try (Stream<Path> files = Files.walk(full)) {
                for (Path path : files.filter(Files::isRegularFile).toList()) {
                    String name = path.getFileName().toString();
                    assertFalse(name.endsWith(".tmp"), size + ": temporary file left: " + name);
                    if (name.equals(OutputLock.FILE)) {
                        assertEquals(0, Files.size(path), size + ": the lock is released");
                    } else if (name.endsWith(".png")) {
                        assertNotNull(ImageIO.read(path.toFile()), size + ": " + name + " is whole");
                    } else if (name.endsWith(".npy")) {
                        Npy.read(path);
                    } else {
                        JsonFiles.readTree(path);
                    }
                }
            }
        }
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of("data", "mnt-0", "mnt-1", "mnt-2"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "nothing written outside --out");
        }
    }

    /** A fresh tmpfs in {@code tmp}; skips the test when this process may not mount. */
    private Path mount(String options) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mnt-" + mounts.size()));
        boolean mounted = run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
        if (!mounted) {
            System.out.println("SKIPPED: cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)");
        }
        assumeTrue(mounted, "cannot mount a tmpfs here");
        mounts.add(dir);
        return dir;
    }

    private static boolean run(String... command) throws Exception {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}

package org.vectrain.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.InputException;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesBytesTextAndStreamsAndReplacesAnExistingFile() throws IOException {
        Path file = dir.resolve("out.bin");
        AtomicFiles.write(file, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));

        AtomicFiles.writeString(file, "λ=0.1 η=0.001\n");
        assertEquals("λ=0.1 η=0.001\n", Files.readString(file, StandardCharsets.UTF_8));

        AtomicFiles.write(file, out -> {
            for (int i = 0; i < 100_000; i++) {
                out.write(i);
            }
        });
        assertEquals(100_000, Files.size(file));
        assertEquals(List.of("out.bin"), names(dir));
    }

    @Test
    void createsMissingParentFolders() throws IOException {
        Path file = dir.resolve("a/b/c.txt");
        AtomicFiles.writeString(file, "x");
        assertEquals("x", Files.readString(file));
    }

    @Test
    void anIoFailureMidWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("history.json");
        AtomicFiles.writeString(file, "old");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(new byte[70_000]);
            throw new IOException("No space left on device");
        }));
        // The command line prints the cause's message, so that is where the path must be.
        assertTrue(e.getCause().getMessage().startsWith(file.toString()), e.getCause().getMessage());
        assertTrue(e.getCause().getMessage().contains("No space left on device"), e.getCause().getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(List.of("history.json"), names(dir));
    }

    @Test
    void anUncheckedExceptionFromTheWriterIsRethrownAsItIsAfterCleanUp() throws IOException {
        Path file = dir.resolve("plot.png");
        IllegalStateException thrown = new IllegalStateException("renderer failed");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AtomicFiles.write(file, out -> {
                    out.write(1);
                    throw thrown;
                }));
        assertSame(thrown, e);
        assertEquals(List.of(), names(dir));
    }

    @Test
    void aTargetThatIsAFolderIsRefusedNotReplaced() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("report.md"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.writeString(folder, "x"));
        assertTrue(e.getCause().getMessage().contains("is a folder"), e.getCause().getMessage());
        assertTrue(Files.isDirectory(folder));
    }

    @Test
    void aParentThatIsAFileFailsWithThePath() throws IOException {
        Path blocker = Files.writeString(dir.resolve("blocker"), "");
        Path file = blocker.resolve("x.txt");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.writeString(file, "x"));
        assertTrue(e.getCause().getMessage().startsWith(file.toString()), e.getCause().getMessage());
        assertEquals(List.of("blocker"), names(dir));
    }

    @Test
    void outputsGetTheDefaultPermissionsNotTheOwnerOnlyModeOfTemporaryFiles() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "not a POSIX file system");
        Path reference = Files.createFile(dir.resolve("reference"));
        Path file = dir.resolve("weights.npy");
        AtomicFiles.writeString(file, "x");
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(file));
    }

    @Test
    void ensureWritableDirectoryCreatesTheFolder() {
        Path out = dir.resolve("runs/first");
        assertSame(out, AtomicFiles.ensureWritableDirectory(out, "--out"));
        assertTrue(Files.isDirectory(out));
        assertEquals(List.of(), names(out));
    }

    @Test
    void ensureWritableDirectoryNamesTheFlagForAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "");
        InputException e = assertThrows(InputException.class, () -> AtomicFiles.ensureWritableDirectory(file, "--out"));
        assertEquals("--out " + file + ": not a folder", e.getMessage());
        InputException below = assertThrows(InputException.class,
                () -> AtomicFiles.ensureWritableDirectory(file.resolve("sub"), "--report-dir"));
        assertTrue(below.getMessage().startsWith("--report-dir " + file.resolve("sub") + ": cannot create"), below.getMessage());
    }

    @Test
    void ensureWritableDirectoryRefusesAReadOnlyFolder() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "not a POSIX file system");
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Set<PosixFilePermission> before = Files.getPosixFilePermissions(readOnly);
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // Root ignores permission bits; the probe file shows whether this run can test anything.
            boolean enforced;
            try {
                Files.delete(Files.createFile(readOnly.resolve("probe")));
                enforced = false;
            } catch (IOException e) {
                enforced = true;
            }
            assumeTrue(enforced, "permission bits are not enforced for this user (root?): read-only case skipped");
            InputException e = assertThrows(InputException.class, () -> AtomicFiles.ensureWritableDirectory(readOnly, "--out"));
            assertTrue(e.getMessage().startsWith("--out " + readOnly + ": not writable"), e.getMessage());
            UncheckedIOException write = assertThrows(UncheckedIOException.class,
                    () -> AtomicFiles.writeString(readOnly.resolve("x.txt"), "x"));
            assertTrue(write.getCause().getMessage().startsWith(readOnly.resolve("x.txt").toString()));
            assertEquals(List.of(), names(readOnly));
        } finally {
            Files.setPosixFilePermissions(readOnly, before);
        }
    }

    private static List<String> names(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

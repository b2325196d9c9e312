package org.vectrain.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.CifarFixtures.Tarball;

/** Safe unpacking: good archives land whole, hostile ones are refused and leave nothing behind. */
class TarballExtractorTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private Path parent() throws IOException {
        return Files.createDirectories(dir.resolve("data"));
    }

    /** Names in {@code folder}, sorted, to show that a refused archive left nothing there. */
    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private String refusal(Tarball tarball) throws IOException {
        Path file = tarball.write(dir.resolve("evil.tar.gz"));
        Path parent = parent();
        InputException e = assertThrows(InputException.class, () -> TarballExtractor.extractInto(file, parent));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertEquals(List.of(), listing(parent), "a refused archive leaves nothing behind");
        return e.getMessage();
    }

    @Test
    void unpacksIntoItsTopFolderAndMarksItComplete() throws IOException {
        Path tarball = new Tarball().binaryLayout().write(dir.resolve("cifar-10-binary.tar.gz"));
        Path parent = parent();
        Path unpacked = TarballExtractor.extractInto(tarball, parent);
        assertEquals(parent.resolve(CifarSources.BINARY_FOLDER), unpacked);
        assertEquals(List.of(CifarSources.BINARY_FOLDER), listing(parent), "no temporary folder is left");
        assertTrue(Files.isRegularFile(unpacked.resolve(TarballExtractor.MARKER)));
        assertArrayEquals(CifarFixtures.binaryBatch(CifarFixtures.IMAGES, 5),
                Files.readAllBytes(unpacked.resolve("test_batch.bin")));
    }

    @Test
    void reusesACompleteUnpacking() throws IOException {
        Path tarball = new Tarball().binaryLayout().write(dir.resolve("cifar-10-binary.tar.gz"));
        Path unpacked = TarballExtractor.extractInto(tarball, parent());
        Path marker = unpacked.resolve(TarballExtractor.MARKER);
        Files.writeString(marker, "first run");
        assertEquals(unpacked, TarballExtractor.extractInto(tarball, parent()));
        assertEquals("first run", Files.readString(marker), "the earlier unpacking was kept, not redone");
    }

    @Test
    void refusesToMixWithAFolderItDidNotComplete() throws IOException {
        Path tarball = new Tarball().binaryLayout().write(dir.resolve("cifar-10-binary.tar.gz"));
        Path existing = Files.createDirectories(parent().resolve(CifarSources.BINARY_FOLDER));
        InputException e = assertThrows(InputException.class, () -> TarballExtractor.extractInto(tarball, parent()));
        assertTrue(e.getMessage().startsWith(existing + ": already exists but is not a complete unpacking"),
                e.getMessage());
    }

    @Test
    void acceptsDotSlashNames() throws IOException {
        Path tarball = new Tarball().folder("./").file("./top/a.txt", HELLO).write(dir.resolve("dot.tgz"));
        Path unpacked = TarballExtractor.extractInto(tarball, parent());
        assertArrayEquals(HELLO, Files.readAllBytes(unpacked.resolve("a.txt")));
    }

    @Test
    void refusesParentSteps() throws IOException {
        String message = refusal(new Tarball().folder("top").file("top/../../escaped.txt", HELLO));
        assertTrue(message.contains("entry 'top/../../escaped.txt' escapes the target folder"), message);
        assertFalse(Files.exists(dir.resolve("escaped.txt")));
    }

    @Test
    void refusesAbsolutePaths() throws IOException {
        String message = refusal(new Tarball().folder("top").file("/tmp/vectrain-escaped.txt", HELLO));
        assertTrue(message.contains("entry '/tmp/vectrain-escaped.txt' escapes the target folder"), message);
    }

    @Test
    void refusesSymbolicLinks() throws IOException {
        String message = refusal(new Tarball().folder("top").symlink("top/data_batch_1.bin", "../../../etc/passwd"));
        assertTrue(message.contains("entry 'top/data_batch_1.bin' is a symbolic link to '../../../etc/passwd',"
                + " pointing outside the target folder"), message);
        message = refusal(new Tarball().folder("top").symlink("top/inner", "/etc"));
        assertTrue(message.contains("pointing outside"), message);
        message = refusal(new Tarball().folder("top").file("top/a", HELLO).symlink("top/b", "a"));
        assertTrue(message.contains("entry 'top/b' is a symbolic link to 'a'; links are not unpacked"), message);
    }

    @Test
    void refusesHardLinks() throws IOException {
        String message = refusal(new Tarball().folder("top").hardlink("top/passwd", "/etc/passwd"));
        assertTrue(message.contains("entry 'top/passwd' is a hard link to '/etc/passwd', pointing outside"), message);
    }

    @Test
    void refusesDevices() throws IOException {
        String message = refusal(new Tarball().folder("top").device("top/tty"));
        assertTrue(message.contains("entry 'top/tty' is a device file or FIFO"), message);
    }

    @Test
    void refusesEntriesOutsideTheTopFolder() throws IOException {
        String message = refusal(new Tarball().folder("top").file("top/a", HELLO).file("other/b", HELLO));
        assertTrue(message.contains("entry 'other/b' lies outside the top-level folder 'top/'"), message);
        message = refusal(new Tarball().file("loose.txt", HELLO));
        assertTrue(message.contains("entry 'loose.txt' is not inside a top-level folder"), message);
    }

    @Test
    void refusesDuplicateEntries() throws IOException {
        String message = refusal(new Tarball().file("top/a", HELLO).file("top/a", HELLO));
        assertTrue(message.contains("entry 'top/a' appears more than once"), message);
    }

    @Test
    void refusesCorruptAndTruncatedArchives() throws IOException {
        Path parent = parent();
        byte[] whole = new Tarball().binaryLayout().bytes();
        Path truncated = Files.write(dir.resolve("truncated.tar.gz"), Arrays.copyOf(whole, whole.length / 2));
        InputException e = assertThrows(InputException.class, () -> TarballExtractor.extractInto(truncated, parent));
        assertTrue(e.getMessage().startsWith(truncated + ": not a complete, readable .tar.gz"), e.getMessage());
        assertEquals(List.of(), listing(parent));

        Path text = Files.writeString(dir.resolve("text.tar.gz"), "not gzip");
        e = assertThrows(InputException.class, () -> TarballExtractor.extractInto(text, parent));
        assertTrue(e.getMessage().startsWith(text + ": not a complete, readable .tar.gz"), e.getMessage());

        Path missing = dir.resolve("missing.tar.gz");
        e = assertThrows(InputException.class, () -> TarballExtractor.extractInto(missing, parent));
        assertEquals(missing + ": file not found", e.getMessage());
    }

    @Test
    void aLateRefusalLeavesNoPartialFolder() throws IOException {
        // Good entries first, then a bad one: nothing may look unpacked afterwards.
        String message = refusal(new Tarball().binaryLayout().symlink(CifarSources.BINARY_FOLDER + "/x", "/etc/passwd"));
        assertTrue(message.contains("symbolic link"), message);
    }
}

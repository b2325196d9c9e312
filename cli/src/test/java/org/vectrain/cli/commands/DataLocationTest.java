package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.data.CifarSource;

/** Where the data is looked for: --data, then VECTRAIN_DATA, then the cache; and what is said when it is absent. */
class DataLocationTest {
    @TempDir
    Path dir;

    private final Path home = Path.of("/home/someone");

    @Test
    void theFlagComesFirst() {
        DataLocation location = DataLocation.locate("/flag", "--data", Map.of(DataLocation.ENV, "/env"), home);
        assertEquals(new DataLocation(Path.of("/flag"), "--data"), location);
    }

    @Test
    void thenTheEnvironment() {
        assertEquals(new DataLocation(Path.of("/env"), DataLocation.ENV),
                DataLocation.locate(null, "--data", Map.of(DataLocation.ENV, "/env"), home));
    }

    @Test
    void thenTheCache() {
        assertEquals(new DataLocation(Path.of("/home/someone/.cache/vectrain"), "cache"),
                DataLocation.locate(null, "--data", Map.of(DataLocation.ENV, " "), home));
        assertEquals(Path.of("/xdg/vectrain"),
                DataLocation.locate(null, "--data", Map.of("XDG_CACHE_HOME", "/xdg"), home).folder());
        // A relative XDG_CACHE_HOME is invalid by the specification and ignored.
        assertEquals(Path.of("/home/someone/.cache/vectrain"),
                DataLocation.locate(null, "--data", Map.of("XDG_CACHE_HOME", "relative"), home).folder());
    }

    @Test
    void refusesAnEmptyFlag() {
        assertEquals("--data: the path is empty", assertThrows(InputException.class,
                () -> DataLocation.locate("", "--data", Map.of(), home)).getMessage());
    }

    @Test
    void opensWhatIsThere() {
        Path folder = CifarFixtures.binaryFolder(dir);
        CifarSource source = DataLocation.locate(dir.toString(), "--data", Map.of(), home).open();
        assertEquals(folder, source.folder());
    }

    @Test
    void saysHowToGetTheDataWhenTheFolderIsMissing() {
        Path missing = dir.resolve("missing");
        InputException e = assertThrows(InputException.class,
                () -> DataLocation.locate(null, "--data", Map.of(DataLocation.ENV, missing.toString()), home).open());
        assertEquals(missing + " (from VECTRAIN_DATA): no such folder; check VECTRAIN_DATA, or run 'vectrain "
                + "download' to fetch CIFAR-10 into it", e.getMessage());
    }

    @Test
    void aFolderNamedWithTheFlagIsNotToldToPassTheFlag() {
        Path missing = dir.resolve("no/such/folder");
        InputException e = assertThrows(InputException.class,
                () -> DataLocation.locate(missing.toString(), "--data", Map.of(), home).open());
        assertEquals(missing + " (from --data): no such folder; check the path, or run 'vectrain download --data "
                + missing + "' to fetch CIFAR-10 into it", e.getMessage());
    }

    @Test
    void saysHowToGetTheDataWhenTheFolderHoldsNone() throws IOException {
        Files.createDirectories(dir.resolve("vectrain"));
        InputException e = assertThrows(InputException.class,
                () -> DataLocation.locate(null, "--data", Map.of("XDG_CACHE_HOME", dir.toString()), home).open());
        assertTrue(e.getMessage().startsWith(dir.resolve("vectrain") + " (from cache): no CIFAR-10 found (looked for"
                + " data_batch_1.bin"), e.getMessage());
        assertTrue(e.getMessage().endsWith(DataLocation.HOW_TO_GET), e.getMessage());
    }
}

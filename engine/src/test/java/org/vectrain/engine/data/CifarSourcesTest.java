package org.vectrain.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.CifarFixtures.Tarball;

/** Layout detection: every accepted way of pointing at CIFAR-10, and the messages for the rest. */
class CifarSourcesTest {
    @TempDir
    Path dir;

    @Test
    void opensABinaryFolder() {
        Path folder = CifarFixtures.binaryFolder(dir);
        CifarSource source = CifarSources.open(folder);
        assertEquals(CifarLayout.BINARY, source.layout());
        assertEquals(folder, source.folder());
        assertEquals(CifarFixtures.IMAGES, source.read("data_batch_5").count());
        assertEquals(ClassNames.DEFAULT, source.classNames());
    }

    @Test
    void opensAPythonFolder() {
        Path folder = CifarFixtures.pythonFolder(dir);
        CifarSource source = CifarSources.open(folder);
        assertEquals(CifarLayout.PYTHON, source.layout());
        assertEquals(folder, source.folder());
    }

    @Test
    void opensTheLayoutFolderInsideAParent() {
        Path binary = CifarFixtures.binaryFolder(dir.resolve("a"));
        assertEquals(binary, CifarSources.open(dir.resolve("a")).folder());
        Path python = CifarFixtures.pythonFolder(dir.resolve("b"));
        assertEquals(python, CifarSources.open(dir.resolve("b")).folder());
    }

    @Test
    void prefersTheBinaryLayout() {
        CifarFixtures.pythonFolder(dir);
        Path binary = CifarFixtures.binaryFolder(dir);
        assertEquals(binary, CifarSources.open(dir).folder());
    }

    @Test
    void opensATarballByUnpackingItNextToItself() {
        Path tarball = new Tarball().binaryLayout().write(dir.resolve("my-copy.tar.gz"));
        CifarSource source = CifarSources.open(tarball);
        assertEquals(dir.resolve(CifarSources.BINARY_FOLDER), source.folder());
        assertEquals(CifarFixtures.IMAGES, source.read("test_batch").count());
        // A second open reuses the unpacking.
        assertEquals(source.folder(), CifarSources.open(tarball).folder());
    }

    @Test
    void opensAnOfficialTarballInsideAFolder() {
        new Tarball().binaryLayout().write(dir.resolve("cifar-10-binary.tar.gz"));
        assertTrue(CifarSources.present(dir));
        CifarSource source = CifarSources.open(dir);
        assertEquals(dir.resolve(CifarSources.BINARY_FOLDER), source.folder());
    }

    @Test
    void reportsATarballWithoutCifar() {
        Path tarball = new Tarball().folder("photos").file("photos/cat.jpg", new byte[] {1}).write(dir.resolve("x.tgz"));
        InputException e = assertThrows(InputException.class, () -> CifarSources.open(tarball));
        assertEquals(tarball + ": unpacks to " + dir.resolve("photos") + ", which holds no CIFAR-10; looked for "
                + CifarSources.LOOKED_FOR, e.getMessage());
    }

    @Test
    void reportsAnUnknownLayoutWithWhatWasLookedFor() throws IOException {
        Files.writeString(dir.resolve("readme.txt"), "nothing here");
        InputException e = assertThrows(InputException.class, () -> CifarSources.open(dir));
        assertEquals(dir + ": no CIFAR-10 found; looked for data_batch_1.bin (binary layout), data_batch_1 (Python"
                + " layout), cifar-10-batches-bin/, cifar-10-batches-py/, cifar-10-binary.tar.gz,"
                + " cifar-10-python.tar.gz", e.getMessage());
    }

    @Test
    void reportsAMissingPathAndAPlainFile() throws IOException {
        Path missing = dir.resolve("nope");
        assertEquals(missing + ": no such file or folder",
                assertThrows(InputException.class, () -> CifarSources.open(missing)).getMessage());
        Path file = Files.write(dir.resolve("data_batch_1.bin"), CifarFixtures.binaryBatch(1, 0));
        assertEquals(file + ": is a file; expected a CIFAR-10 folder or a .tar.gz of one",
                assertThrows(InputException.class, () -> CifarSources.open(file)).getMessage());
    }

    @Test
    void reportsAMissingBatchWhenItIsRead() throws IOException {
        Path folder = CifarFixtures.binaryFolder(dir);
        Files.delete(folder.resolve("test_batch.bin"));
        CifarSource source = CifarSources.open(folder);
        InputException e = assertThrows(InputException.class, () -> source.read("test_batch"));
        assertEquals(folder.resolve("test_batch.bin") + ": file not found", e.getMessage());
    }

    @Test
    void reportsAWrongSizeWhenABatchIsRead() throws IOException {
        Path folder = CifarFixtures.binaryFolder(dir);
        Files.write(folder.resolve("data_batch_2.bin"), new byte[100]);
        InputException e = assertThrows(InputException.class, () -> CifarSources.open(folder).read("data_batch_2"));
        assertTrue(e.getMessage().startsWith(folder.resolve("data_batch_2.bin") + ": size 100 bytes"), e.getMessage());
    }
}

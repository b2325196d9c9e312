package org.vectrain.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.vectrain.engine.InputException;

/** The Python layout's batches and meta file, on the fixtures written by make_fixtures.py. */
class CifarPickleReaderTest {

    @ParameterizedTest
    @ValueSource(strings = {"py2_protocol2.pkl", "py3_protocol2.pkl", "py3_protocol3.pkl", "py3_protocol4.pkl",
        "py3_protocol5.pkl", "py3_str_keys_protocol4.pkl"})
    void readsEveryWayPythonWritesABatch(String fixture) {
        LabeledImages images = CifarPickleReader.readBatch(CifarFixtures.pickle(fixture));
        assertEquals(CifarFixtures.IMAGES, images.count());
        assertArrayEquals(new byte[] {6, 9, 1}, images.labels());
        for (int i = 0; i < images.count(); i++) {
            for (int j = 0; j < LabeledImages.PIXELS; j++) {
                int actual = images.pixels()[i * LabeledImages.PIXELS + j] & 0xFF;
                if (actual != CifarFixtures.pixel(i, j)) {
                    assertEquals(CifarFixtures.pixel(i, j), actual, fixture + ": pixel " + j + " of image " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"meta_py2.pkl", "meta_protocol4.pkl"})
    void readsTheClassNames(String fixture) {
        assertEquals(ClassNames.DEFAULT, CifarPickleReader.readLabelNames(CifarFixtures.pickle(fixture)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "hostile_os_system.pkl | GLOBAL 'os system' at byte 2 is not allowed",
        "hostile_posix_system_in_batch.pkl | GLOBAL 'posix system' at byte",
        "hostile_builtins_eval.pkl | STACK_GLOBAL 'builtins eval' at byte 29 is not allowed",
        "wrong_dtype.pkl | data has dtype '<f4', expected '|u1' (uint8)",
        "wrong_shape.pkl | data has shape (3, 32, 32, 3), expected (n, 3072)",
        "fortran_order.pkl | Fortran (column-major) order",
        "label_10.pkl | label 1 is 10, expected 0..9",
        "too_few_labels.pkl | 2 labels for 3 images",
        "truncated.pkl | (truncated",
        "not_a_pickle.txt | not a pickle of protocol 2 or later (it starts with byte 0x74"})
    void refusesHostileAndBrokenFiles(String fixture, String expected) {
        Path file = CifarFixtures.pickle(fixture);
        InputException e = assertThrows(InputException.class, () -> CifarPickleReader.readBatch(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void refusesHostileMetaFiles() {
        Path file = CifarFixtures.pickle("hostile_builtins_eval.pkl");
        InputException e = assertThrows(InputException.class, () -> CifarPickleReader.readLabelNames(file));
        assertTrue(e.getMessage().contains("builtins eval"), e.getMessage());
    }

    @Test
    void reportsAMetaFileWithoutNames() {
        // A batch is a dict too, but has no label_names.
        Path file = CifarFixtures.pickle("py3_protocol4.pkl");
        InputException e = assertThrows(InputException.class, () -> CifarPickleReader.readLabelNames(file));
        assertEquals(file + ": the dict has no 'label_names' entry", e.getMessage());
    }

    @Test
    void reportsAMissingFile(@TempDir Path dir) {
        Path file = dir.resolve("data_batch_1");
        InputException e = assertThrows(InputException.class, () -> CifarPickleReader.readBatch(file));
        assertEquals(file + ": file not found", e.getMessage());
    }

    @Test
    void reportsAPickleThatIsNotADict(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("data_batch_1"), new byte[] {(byte) 0x80, 2, ']', '.'});
        InputException e = assertThrows(InputException.class, () -> CifarPickleReader.readBatch(file));
        assertEquals(file + ": the pickle holds a list, expected a dict", e.getMessage());
    }

    @Test
    void pythonSourceReadsBatchesAndNames(@TempDir Path dir) {
        PythonCifarSource source = new PythonCifarSource(CifarFixtures.pythonFolder(dir));
        assertEquals(CifarLayout.PYTHON, source.layout());
        assertEquals(ClassNames.DEFAULT, source.classNames());
        LabeledImages test = source.read("test_batch");
        assertEquals("test_batch", test.source());
        assertEquals(CifarFixtures.IMAGES, test.count());
        assertEquals(source.folder().resolve("data_batch_3"), source.file("data_batch_3"));
    }

    @Test
    void pythonSourceWithoutMetaUsesTheOfficialNames(@TempDir Path dir) throws IOException {
        Path folder = CifarFixtures.pythonFolder(dir);
        Files.delete(folder.resolve(PythonCifarSource.META_FILE));
        assertEquals(ClassNames.DEFAULT, new PythonCifarSource(folder).classNames());
    }
}

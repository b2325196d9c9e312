package org.vectrain.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.InputException;

/** The binary layout's batch reader, on files generated here. */
class CifarBinaryReaderTest {
    @TempDir
    Path dir;

    private Path write(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("data_batch_1.bin"), bytes);
    }

    @Test
    void readsLabelsAndPixels() throws IOException {
        LabeledImages images = CifarBinaryReader.read(write(CifarFixtures.binaryBatch(4, 8)));
        assertEquals(4, images.count());
        assertArrayEquals(new byte[] {8, 9, 0, 1}, images.labels());
        assertEquals(CifarFixtures.pixel(3, 3071), images.pixels()[3 * LabeledImages.PIXELS + 3071] & 0xFF);
    }

    @Test
    void refusesASizeThatIsNotWholeRecords() throws IOException {
        byte[] batch = CifarFixtures.binaryBatch(2, 0);
        Path file = write(Arrays.copyOf(batch, batch.length - 1));
        InputException e = assertThrows(InputException.class, () -> CifarBinaryReader.read(file));
        assertEquals(file + ": size 6145 bytes is not a whole number of 3073-byte records (truncated or not a"
                + " CIFAR-10 binary batch; the last record has 3072 bytes)", e.getMessage());
    }

    @Test
    void refusesLabelTen() throws IOException {
        byte[] batch = CifarFixtures.binaryBatch(3, 0);
        batch[2 * CifarBinaryReader.RECORD_BYTES] = 10;
        Path file = write(batch);
        InputException e = assertThrows(InputException.class, () -> CifarBinaryReader.read(file));
        assertEquals(file + ": record 2 has label 10, expected 0..9", e.getMessage());
    }

    @Test
    void refusesAnEmptyFile() throws IOException {
        Path file = write(new byte[0]);
        InputException e = assertThrows(InputException.class, () -> CifarBinaryReader.read(file));
        assertEquals(file + ": file is empty, expected records of 3073 bytes", e.getMessage());
    }

    @Test
    void reportsAMissingFile() {
        Path file = dir.resolve("test_batch.bin");
        InputException e = assertThrows(InputException.class, () -> CifarBinaryReader.read(file));
        assertEquals(file + ": file not found", e.getMessage());
    }
}

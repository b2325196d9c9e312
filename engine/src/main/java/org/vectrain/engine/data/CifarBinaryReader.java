package org.vectrain.engine.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.vectrain.engine.InputException;

/**
 * Reads one batch file of the official binary layout ({@code cifar-10-batches-bin/data_batch_N.bin}):
 * records of 1 label byte followed by 3072 pixel bytes, with no header.
 *
 * <p>Every file is checked whole: its size must be a whole number of records, and every label must
 * be a class index. A short or corrupt file is reported, never silently read as fewer images.
 */
public final class CifarBinaryReader {
    /** Bytes in one record: the label and the pixels. */
    public static final int RECORD_BYTES = 1 + LabeledImages.PIXELS;

    private CifarBinaryReader() {
    }

    public static LabeledImages read(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, size, file.toString());
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Reads {@code size} bytes of records from {@code in}; {@code source} names it in messages. */
    public static LabeledImages read(InputStream in, long size, String source) throws IOException {
        if (size == 0) {
            throw new InputException(source + ": file is empty, expected records of " + RECORD_BYTES + " bytes");
        }
        if (size % RECORD_BYTES != 0) {
            throw new InputException(source + ": size " + size + " bytes is not a whole number of "
                    + RECORD_BYTES + "-byte records (truncated or not a CIFAR-10 binary batch; the last record has "
                    + size % RECORD_BYTES + " bytes)");
        }
        long records = size / RECORD_BYTES;
        if (records > Integer.MAX_VALUE / RECORD_BYTES) {
            throw new InputException(source + ": " + records + " records is more than one batch file can hold");
        }
        int count = (int) records;
        byte[] all = in.readNBytes(count * RECORD_BYTES);
        if (all.length != count * RECORD_BYTES) {
            throw new InputException(source + ": truncated: expected " + size + " bytes, read " + all.length);
        }
        byte[] labels = new byte[count];
        byte[] pixels = new byte[count * LabeledImages.PIXELS];
        for (int i = 0; i < count; i++) {
            int label = all[i * RECORD_BYTES] & 0xFF;
            if (label >= LabeledImages.CLASSES) {
                throw new InputException(source + ": record " + i + " has label " + label
                        + ", expected 0.." + (LabeledImages.CLASSES - 1));
            }
            labels[i] = (byte) label;
            System.arraycopy(all, i * RECORD_BYTES + 1, pixels, i * LabeledImages.PIXELS, LabeledImages.PIXELS);
        }
        return new LabeledImages(pixels, labels, source);
    }
}

package org.vectrain.engine.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.vectrain.engine.InputException;
import org.vectrain.engine.MemoryBudget;

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
    /** Records read at a time: a 3 MB buffer, reused for the whole file. */
    static final int CHUNK_RECORDS = 1024;

    private CifarBinaryReader() {
    }

    /** Reads {@code file}, of at most {@link RecordLimit#BATCH_RECORDS} records. */
    public static LabeledImages read(Path file) {
        return read(file, RecordLimit.DEFAULT);
    }

    /**
     * Reads {@code file}; its size is checked against {@code limit} and the heap before anything is
     * allocated.
     */
    public static LabeledImages read(Path file, RecordLimit limit) {
        if (Files.isDirectory(file)) {
            throw new InputException(file + ": is a folder, expected a batch file");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, size, file.toString(), limit);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Reads {@code size} bytes of records from {@code in}; {@code source} names it in messages. */
    public static LabeledImages read(InputStream in, long size, String source) throws IOException {
        return read(in, size, source, RecordLimit.DEFAULT);
    }

    /** As {@link #read(InputStream, long, String)}, at most {@code limit} records. */
    public static LabeledImages read(InputStream in, long size, String source, RecordLimit limit) throws IOException {
        if (size == 0) {
            throw new InputException(source + ": file is empty, expected records of " + RECORD_BYTES + " bytes");
        }
        if (size % RECORD_BYTES != 0) {
            throw new InputException(source + ": size " + size + " bytes is not a whole number of "
                    + RECORD_BYTES + "-byte records (truncated or not a CIFAR-10 binary batch; the last record has "
                    + size % RECORD_BYTES + " bytes)");
        }
        long records = size / RECORD_BYTES;
        limit.check(records, source);
        // The labels and pixels, and the chunk buffer.
        MemoryBudget.require(size + (long) CHUNK_RECORDS * RECORD_BYTES, source + " (" + records + " images)");
        int count = (int) records;
        byte[] labels = new byte[count];
        byte[] pixels = new byte[count * LabeledImages.PIXELS];
        // Read through a small buffer rather than the whole file at once: fresh memory is slow to touch
        // the first time (page faults), and a second 30 MB copy of each batch would double that cost.
        byte[] chunk = new byte[CHUNK_RECORDS * RECORD_BYTES];
        for (int first = 0; first < count; first += CHUNK_RECORDS) {
            int inChunk = Math.min(CHUNK_RECORDS, count - first);
            int got = in.readNBytes(chunk, 0, inChunk * RECORD_BYTES);
            if (got != inChunk * RECORD_BYTES) {
                throw new InputException(source + ": truncated: expected " + size + " bytes, read "
                        + ((long) first * RECORD_BYTES + got));
            }
            for (int r = 0; r < inChunk; r++) {
                int i = first + r;
                int label = chunk[r * RECORD_BYTES] & 0xFF;
                if (label >= LabeledImages.CLASSES) {
                    throw new InputException(source + ": record " + i + " has label " + label
                            + ", expected 0.." + (LabeledImages.CLASSES - 1));
                }
                labels[i] = (byte) label;
                System.arraycopy(chunk, r * RECORD_BYTES + 1, pixels, i * LabeledImages.PIXELS, LabeledImages.PIXELS);
            }
        }
        return new LabeledImages(pixels, labels, source);
    }
}

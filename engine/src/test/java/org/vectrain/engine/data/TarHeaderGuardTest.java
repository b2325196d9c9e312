package org.vectrain.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.InputException;

/**
 * Archives whose headers declare names or PAX headers of gigabytes, written block by block: refused at
 * the header, before the tar reader allocates what they declare, while honest PAX sizes are followed.
 */
class TarHeaderGuardTest {
    /** Bytes one refused extraction may allocate: gzip and tar buffers, the message. */
    private static final long BOUND = 8L << 20;

    @TempDir
    Path tmp;

    /** A ustar header block: name, type flag and size (octal, or base-256 when it does not fit), with its checksum. */
    static byte[] header(String name, char type, long size) {
        byte[] h = new byte[TarHeaderGuard.BLOCK];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, h, 0, Math.min(n.length, 100));
        put(h, 100, "0000644 ");
        put(h, 108, "0000000 ");
        put(h, 116, "0000000 ");
        if (size < 077777777777L) {
            put(h, 124, String.format("%011o ", size));
        } else {
            h[124] = (byte) 0x80;
            for (int i = 0; i < 8; i++) {
                h[135 - i] = (byte) (size >>> (8 * i));
            }
        }
        put(h, 136, "00000000000 ");
        h[156] = (byte) type;
        put(h, 257, "ustar\u000000");
        Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        put(h, 148, String.format("%06o\u0000 ", sum));
        return h;
    }

    private static void put(byte[] h, int at, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(bytes, 0, h, at, bytes.length);
    }

    /** {@code content} padded with zeros to whole blocks. */
    static byte[] blocks(byte[] content) {
        return Arrays.copyOf(content, (content.length + TarHeaderGuard.BLOCK - 1) / TarHeaderGuard.BLOCK
                * TarHeaderGuard.BLOCK);
    }

    /** Gzips the parts, then {@code zeros} zero bytes (which compress to almost nothing). */
    private Path gzip(String name, long zeros, byte[]... parts) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (OutputStream gz = new GzipCompressorOutputStream(buffer)) {
            for (byte[] part : parts) {
                gz.write(part);
            }
            byte[] chunk = new byte[1 << 16];
            for (long left = zeros; left > 0; left -= chunk.length) {
                gz.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
        return Files.write(tmp.resolve(name), buffer.toByteArray());
    }

    private static String refusedWithin(long bytes, Path tarball, Path parent) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        String message = assertThrows(InputException.class, () -> TarballExtractor.extractInto(tarball, parent))
                .getMessage();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < bytes, "allocated " + allocated + " bytes: " + message);
        assertFalse(message.contains("\n"), message);
        return message;
    }

    @Test
    void aGnuLongNameOfGigabytesIsRefusedAtItsHeader() throws IOException {
        // The reproducer declared 3 GiB; 16 MB of its zeros are enough to see nothing of them is kept.
        Path tarball = gzip("longlink.tar.gz", 16 << 20, header("././@LongLink", 'L', 3L << 30));
        String message = refusedWithin(BOUND, tarball, tmp.resolve("out"));
        assertTrue(message.contains("GNU long name of 3221225472 bytes, more than the 4096 accepted"), message);
        assertTrue(message.startsWith(tarball.toString()), message);
    }

    @Test
    void aPaxHeaderOfAGigabyteIsRefusedAtItsHeader() throws IOException {
        Path tarball = gzip("pax.tar.gz", 16 << 20, header("cifar-10-batches-bin/x", 'x', 1L << 30));
        String message = refusedWithin(BOUND, tarball, tmp.resolve("out"));
        assertTrue(message.contains("PAX header of 1073741824 bytes"), message);
        Path global = gzip("global.tar.gz", 0, header("g", 'g', 1L << 40));
        assertTrue(refusedWithin(BOUND, global, tmp.resolve("out")).contains("PAX header of 1099511627776 bytes"));
    }

    @Test
    void aSizeSetByAPaxHeaderIsFollowedToTheNextHeader() throws IOException {
        // The file's own size field says 0; the PAX header says 1,000. A fake long-name header sits where a
        // guard that ignored the PAX size would look for the next header; it is data, and must pass.
        byte[] pax = "13 size=1000\n".getBytes(StandardCharsets.US_ASCII);
        byte[] data = new byte[1000];
        System.arraycopy(header("././@LongLink", 'L', 3L << 30), 0, data, 0, TarHeaderGuard.BLOCK);
        byte[] batch = CifarFixtures.binaryBatch(1, 0);
        Path tarball = gzip("paxsize.tar.gz", 0,
                header("cifar-10-batches-bin/", '5', 0),
                header("cifar-10-batches-bin/PaxHeaders/a", 'x', pax.length), blocks(pax),
                header("cifar-10-batches-bin/a", '0', 0), blocks(data),
                header("cifar-10-batches-bin/data_batch_1.bin", '0', batch.length), blocks(batch),
                new byte[2 * TarHeaderGuard.BLOCK]);
        Path out = TarballExtractor.extractInto(tarball, tmp.resolve("out"));
        assertEquals(1000, Files.size(out.resolve("a")));
        assertEquals(batch.length, Files.size(out.resolve("data_batch_1.bin")));
    }

    @Test
    void aTruncatedArchiveSaysSoWithoutANullMessage() throws IOException {
        byte[] whole = new CifarFixtures.Tarball().binaryLayout().bytes();
        Path cut = Files.write(tmp.resolve("cut.tar.gz"), Arrays.copyOf(whole, whole.length / 2));
        String message = assertThrows(InputException.class, () -> TarballExtractor.extractInto(cut, tmp.resolve("o")))
                .getMessage();
        assertFalse(message.contains("null"), message);
        assertTrue(message.contains("not a complete, readable .tar.gz"), message);
    }

    @Test
    void theTemporaryFolderOfAKilledExtractionIsRemovedByTheNext() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path parent = Files.createDirectories(tmp.resolve("data"));
        Path abandoned = Files.createDirectories(parent.resolve(TarballExtractor.TEMPORARY_PREFIX + gone.pid()
                + "-0c5b").resolve("cifar-10-batches-bin"));
        Files.write(abandoned.resolve("data_batch_1.bin"), new byte[4096]);
        Path live = Files.createDirectories(parent.resolve(TarballExtractor.TEMPORARY_PREFIX
                + ProcessHandle.current().pid() + "-77aa"));
        Path tarball = new CifarFixtures.Tarball().binaryLayout().write(parent.resolve("cifar-10-binary.tar.gz"));
        TarballExtractor.extractInto(tarball, parent);
        assertFalse(Files.exists(abandoned.getParent()), "the dead process's folder is removed");
        assertTrue(Files.exists(live), "a live process's folder is left alone");
        try (Stream<Path> left = Files.list(parent)) {
            assertEquals(3, left.count(), "the tarball, the unpacked folder and the live process's folder");
        }
    }
}

package org.vectrain.engine.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.vectrain.engine.InputException;

/**
 * Sits between the decompressed stream and the tar reader and checks every tar header as it passes,
 * before the tar reader acts on it.
 *
 * <p>The tar reader reads the data of a GNU long name or link name ({@code L}, {@code K}) and of a PAX
 * header ({@code x}, {@code g}) into memory whole, trusting the size the header declares; a few
 * megabytes of gzip can declare gigabytes. Those sizes are bounded here: a name is at most
 * {@link #MAX_LONG_NAME_BYTES}, a PAX header at most {@link #MAX_PAX_BYTES}. The guard follows the
 * archive block by block (a 512-byte header, then its data rounded up to whole blocks), taking a
 * size given by a PAX header into account, so it sees every header the tar reader sees.
 */
final class TarHeaderGuard extends FilterInputStream {
    /** Tar's block: every header is one, and every entry's data is padded to whole ones. */
    static final int BLOCK = 512;
    /** Longest GNU long name or link name kept in memory; longer names are refused anyway. */
    static final int MAX_LONG_NAME_BYTES = 4096;
    /** Largest PAX header kept in memory; real ones hold a few short records. */
    static final int MAX_PAX_BYTES = 64 << 10;
    private static final int SIZE_OFFSET = 124;
    private static final int SIZE_LENGTH = 12;
    private static final int TYPE_OFFSET = 156;

    private final Path tarball;
    /** Bytes passed so far. */
    private long position;
    /** Offset of the next header. */
    private long nextHeader;
    private final byte[] header = new byte[BLOCK];
    private int headerFill;
    /** The data of the PAX header being passed, collected to learn a size it sets; null when none. */
    private byte[] pax;
    private long paxStart;
    private boolean paxGlobal;
    /** Data size of the next entry set by a PAX header ({@code x}), or -1. */
    private long localSize = -1;
    /** Data size of every later entry set by a global PAX header ({@code g}), or -1. */
    private long globalSize = -1;
    /** Whether an end-of-archive block has passed: the tar reader reads no header after it, nor does the guard. */
    private boolean ended;

    TarHeaderGuard(InputStream in, Path tarball) {
        super(in);
        this.tarball = tarball;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            pass(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            pass(buffer, offset, n);
        }
        return n;
    }

    /** Skips by reading, so that no header goes by unseen. */
    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 1 << 16)];
        long skipped = 0;
        while (skipped < n) {
            int got = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (got < 0) {
                break;
            }
            skipped += got;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void mark(int limit) {
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void pass(byte[] bytes, int offset, int length) {
        long start = position;
        long end = start + length;
        position = end;
        if (ended) {
            return;
        }
        long at = start;
        while (at < end && !ended) {
            if (pax != null && at >= paxStart && at < paxStart + pax.length) {
                int from = (int) (at - paxStart);
                int count = (int) Math.min(pax.length - from, end - at);
                System.arraycopy(bytes, offset + (int) (at - start), pax, from, count);
                at += count;
                if (from + count == pax.length) {
                    readPaxSize();
                }
                continue;
            }
            if (at >= nextHeader && at < nextHeader + BLOCK) {
                int count = (int) Math.min(nextHeader + BLOCK - at, end - at);
                System.arraycopy(bytes, offset + (int) (at - start), header, headerFill, count);
                headerFill += count;
                at += count;
                if (headerFill == BLOCK) {
                    inspectHeader();
                }
                continue;
            }
            // Entry data: jump to whichever comes next, the PAX data or the next header.
            long next = nextHeader > at ? nextHeader : end;
            if (pax != null && paxStart > at) {
                next = Math.min(next, paxStart);
            }
            at = Math.min(Math.max(next, at + 1), end);
        }
    }

    private void inspectHeader() {
        long headerAt = nextHeader;
        headerFill = 0;
        boolean zero = true;
        for (byte b : header) {
            if (b != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            // The end of the archive: the tar reader only skips what follows.
            ended = true;
            return;
        }
        char type = (char) (header[TYPE_OFFSET] & 0xFF);
        long size = declaredSize(headerAt);
        switch (type) {
            case 'L', 'K' -> {
                if (size > MAX_LONG_NAME_BYTES) {
                    throw refused(headerAt, "a GNU long " + (type == 'L' ? "name" : "link name") + " of " + size
                            + " bytes, more than the " + MAX_LONG_NAME_BYTES + " accepted");
                }
            }
            case 'x', 'g' -> {
                if (size > MAX_PAX_BYTES) {
                    throw refused(headerAt, "a PAX header of " + size + " bytes, more than the " + MAX_PAX_BYTES
                            + " accepted");
                }
                pax = new byte[(int) size];
                paxStart = headerAt + BLOCK;
                paxGlobal = type == 'g';
                if (size == 0) {
                    readPaxSize();
                }
            }
            default -> {
                // A file, folder, link or anything else: its data size may come from a PAX header.
                if (localSize >= 0) {
                    size = localSize;
                } else if (globalSize >= 0) {
                    size = globalSize;
                }
                localSize = -1;
            }
        }
        long blocks = (size + BLOCK - 1) / BLOCK;
        nextHeader = headerAt + BLOCK + blocks * BLOCK;
    }

    /** The size field: octal digits between spaces or NULs, or a big-endian binary number (GNU). */
    private long declaredSize(long headerAt) {
        if ((header[SIZE_OFFSET] & 0x80) != 0) {
            if (header[SIZE_OFFSET] != (byte) 0x80) {
                throw refused(headerAt, "a negative or oversized binary size field");
            }
            long size = 0;
            for (int i = 1; i < SIZE_LENGTH; i++) {
                if (size > (Long.MAX_VALUE >> 8)) {
                    throw refused(headerAt, "a size beyond any file's");
                }
                size = (size << 8) | (header[SIZE_OFFSET + i] & 0xFF);
            }
            return size;
        }
        long size = 0;
        int i = 0;
        while (i < SIZE_LENGTH && (header[SIZE_OFFSET + i] == ' ' || header[SIZE_OFFSET + i] == 0)) {
            i++;
        }
        for (; i < SIZE_LENGTH; i++) {
            byte b = header[SIZE_OFFSET + i];
            if (b == ' ' || b == 0) {
                break;
            }
            if (b < '0' || b > '7') {
                throw refused(headerAt, "a size field that is not an octal number");
            }
            size = size * 8 + (b - '0');
        }
        return size;
    }

    /** Records a size the collected PAX header sets for the next entry (or every later one). */
    private void readPaxSize() {
        String text = new String(pax, StandardCharsets.UTF_8);
        pax = null;
        for (String record : text.split("\n")) {
            int space = record.indexOf(' ');
            String keyValue = space < 0 ? "" : record.substring(space + 1);
            if (keyValue.startsWith("size=")) {
                try {
                    long size = Long.parseLong(keyValue.substring("size=".length()).strip());
                    if (size >= 0) {
                        if (paxGlobal) {
                            globalSize = size;
                        } else {
                            localSize = size;
                        }
                    }
                } catch (NumberFormatException e) {
                    // The tar reader refuses the record itself.
                }
            }
        }
    }

    private InputException refused(long headerAt, String what) {
        return new InputException(tarball + ": the entry header at byte " + headerAt + " of the unpacked archive declares "
                + what + "; not a CIFAR-10 archive");
    }
}

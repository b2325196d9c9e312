package org.vectrain.engine.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.StringJoiner;
import org.vectrain.engine.InputException;
import org.vectrain.engine.MemoryBudget;

/**
 * NumPy {@code .npy} files of float32 arrays, so that weights and curves can be opened with
 * {@code numpy.load} and arrays saved by NumPy can be read back.
 *
 * <p>Written files are format version 1.0, dtype {@code <f4} (little-endian float32), C order, with
 * the header padded so that the data starts at a multiple of 64 bytes, as NumPy itself does:
 * <pre>{@code \x93NUMPY 01 00 <u16 header length> {'descr': '<f4', 'fortran_order': False, 'shape': (10, 3072), }   ...\n <data>}</pre>
 *
 * <p>Reading accepts versions 1.0, 2.0 and 3.0 and dtypes {@code <f4} and {@code <f8}; float64 data
 * is narrowed to float32 (rounding to nearest, values beyond the float range become infinite), since
 * {@code numpy.save} of a default NumPy array is float64 and the engine computes in float32. Anything
 * else (big-endian, integers, Fortran order of a matrix, object arrays) is refused rather than guessed at. The
 * header is parsed by a small strict parser of the one dictionary literal NumPy writes, never evaluated.
 */
public final class Npy {
    /** The six bytes every {@code .npy} file starts with. */
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy aligns the start of the data to this many bytes so that it can be memory-mapped. */
    private static final int ALIGNMENT = 64;
    /** Largest header a version 1.0 file can describe (its length field is an unsigned 16-bit integer). */
    private static final int MAX_V1_HEADER = 0xFFFF;
    /** Floats converted per chunk while streaming the data out. */
    private static final int CHUNK_FLOATS = 8192;
    /** Largest header read, as NumPy's own reader allows by default; NumPy writes a few hundred bytes. */
    public static final int MAX_HEADER_BYTES = 10_000;
    /** Most dimensions of an array, as NumPy allows. */
    public static final int MAX_DIMENSIONS = 64;

    private Npy() {
    }

    /**
     * A float32 array and its shape, in C (row-major) order. The arrays are not copied: the record
     * shares them with whoever created it.
     */
    public record FloatArray(float[] data, int[] shape) {
        /** @throws IllegalArgumentException if a dimension is negative or their product is not {@code data.length} */
        public FloatArray {
            checkShape(data, shape);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof FloatArray that && Arrays.equals(data, that.data) && Arrays.equals(shape, that.shape);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(data) + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return "FloatArray" + shapeLiteral(shape);
        }
    }

    /**
     * Atomically writes {@code data} with the given shape as a version 1.0 {@code <f4} file.
     *
     * @param shape the dimensions, outermost first; none for a scalar ({@code data.length == 1})
     * @throws IllegalArgumentException if the shape does not describe {@code data}
     * @throws java.io.UncheckedIOException if the file cannot be written (see {@link AtomicFiles})
     */
    public static void write(Path file, float[] data, int... shape) {
        Objects.requireNonNull(file, "file");
        checkShape(data, shape);
        byte[] header = header(shape);
        AtomicFiles.write(file, out -> {
            out.write(header);
            writeData(out, data);
        });
    }

    /** The whole file that {@link #write} would write, as bytes. */
    public static byte[] encode(float[] data, int... shape) {
        checkShape(data, shape);
        byte[] header = header(shape);
        ByteBuffer buffer = ByteBuffer.allocate(header.length + Float.BYTES * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(header);
        buffer.asFloatBuffer().put(data);
        return buffer.array();
    }

    /**
     * Reads a {@code .npy} file of {@code <f4} or {@code <f8} data.
     *
     * @throws InputException {@code "<file>: <problem>"} if it is missing, unreadable or not a float
     *     array this reader accepts, or its size does not match its header exactly
     */
    public static FloatArray read(Path file) {
        return read(file, Integer.MAX_VALUE - 8 - MAX_HEADER_BYTES);
    }

    /**
     * Reads a {@code .npy} file of at most {@code maxElements} values, refusing a larger file before it is
     * read (a float64 file of that many values, with the longest header, is the largest accepted).
     *
     * @throws InputException as for {@link #read(Path)}, and when the file is too large
     */
    public static FloatArray read(Path file, long maxElements) {
        return decode(readAll(file, maxElements), file.toString());
    }

    /**
     * Decodes the content of a {@code .npy} file; {@code source} names it in messages.
     *
     * @throws InputException {@code "<source>: <problem>"} as for {@link #read}
     */
    public static FloatArray decode(byte[] bytes, String source) {
        Raw raw = raw(bytes, source, "'<f4', little-endian float32, or '<f8', which is narrowed to float32",
                "<f4", "<f8");
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        in.position(raw.dataOffset);
        float[] data = new float[raw.size];
        if (raw.descr.equals("<f4")) {
            in.asFloatBuffer().get(data);
        } else {
            var doubles = in.asDoubleBuffer();
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) doubles.get(i);
            }
        }
        return new FloatArray(data, raw.shape);
    }

    /** A float64 array and its shape, in C order; the arrays are shared, not copied. */
    public record DoubleArray(double[] data, int[] shape) {
    }

    /** An array of unsigned bytes (dtype {@code |u1}, numpy's uint8) and its shape, in C order. */
    public record ByteArray(byte[] data, int[] shape) {
    }

    /**
     * Reads a {@code .npy} file of {@code <f8} data exactly, or {@code <f4} data widened to double.
     *
     * @throws InputException as for {@link #read}
     */
    public static DoubleArray readDoubles(Path file) {
        byte[] bytes = readAll(file);
        String source = file.toString();
        Raw raw = raw(bytes, source, "'<f8', little-endian float64, or '<f4'", "<f8", "<f4");
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        in.position(raw.dataOffset);
        double[] data = new double[raw.size];
        if (raw.descr.equals("<f8")) {
            in.asDoubleBuffer().get(data);
        } else {
            var floats = in.asFloatBuffer();
            for (int i = 0; i < data.length; i++) {
                data[i] = floats.get(i);
            }
        }
        return new DoubleArray(data, raw.shape);
    }

    /**
     * Reads a {@code .npy} file of unsigned bytes (dtype {@code |u1}, numpy's uint8), such as images.
     *
     * @throws InputException as for {@link #read}
     */
    public static ByteArray readBytes(Path file) {
        byte[] bytes = readAll(file);
        Raw raw = raw(bytes, file.toString(), "'|u1', uint8", "|u1", "<u1");
        return new ByteArray(Arrays.copyOfRange(bytes, raw.dataOffset, raw.dataOffset + raw.size), raw.shape);
    }

    /** Atomically writes {@code data} with the given shape as a version 1.0 {@code <f8} (float64) file. */
    public static void writeDoubles(Path file, double[] data, int... shape) {
        Objects.requireNonNull(file, "file");
        if (checkedSize(shape) != data.length) {
            throw new IllegalArgumentException("shape " + shapeLiteral(shape) + " does not hold " + data.length
                    + " elements");
        }
        byte[] header = header("<f8", shape);
        AtomicFiles.write(file, out -> {
            out.write(header);
            ByteBuffer buffer = ByteBuffer.allocate(Double.BYTES * data.length).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asDoubleBuffer().put(data);
            out.write(buffer.array());
        });
    }

    /** Atomically writes {@code data} with the given shape as a version 1.0 {@code |u1} (uint8) file. */
    public static void writeBytes(Path file, byte[] data, int... shape) {
        Objects.requireNonNull(file, "file");
        if (checkedSize(shape) != data.length) {
            throw new IllegalArgumentException("shape " + shapeLiteral(shape) + " does not hold " + data.length
                    + " elements");
        }
        byte[] header = header("|u1", shape);
        AtomicFiles.write(file, out -> {
            out.write(header);
            out.write(data);
        });
    }

    private static byte[] readAll(Path file) {
        return readAll(file, Integer.MAX_VALUE - 8 - MAX_HEADER_BYTES);
    }

    /** The bytes of {@code file}, refused before reading when they exceed what {@code maxElements} values need. */
    private static byte[] readAll(Path file, long maxElements) {
        Objects.requireNonNull(file, "file");
        try {
            if (Files.isDirectory(file)) {
                throw new InputException(file + ": is a folder, expected a .npy file");
            }
            long size = Files.size(file);
            long maxBytes = Math.min(Integer.MAX_VALUE - 8L, 12L + MAX_HEADER_BYTES + maxElements * Double.BYTES);
            if (size > maxBytes) {
                throw new InputException(file + ": " + size + " bytes, more than the " + maxBytes
                        + " an array of at most " + maxElements + " values takes");
            }
            // The file, and the values decoded from it.
            MemoryBudget.require(2 * size, file.toString());
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found", e);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Where the data of a checked file starts, its dtype, shape and element count. */
    private record Raw(String descr, int[] shape, int size, int dataOffset) {
    }

    /**
     * Checks the magic, version, header and size of a {@code .npy} file whose dtype must be one of
     * {@code accepted} ({@code dtypes} describes them for the message).
     */
    private static Raw raw(byte[] bytes, String source, String dtypes, String... accepted) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(source, "source");
        if (bytes.length < MAGIC.length + 2 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new InputException(source + ": not a .npy file (missing the \\x93NUMPY magic string)");
        }
        int major = bytes[MAGIC.length] & 0xFF;
        int minor = bytes[MAGIC.length + 1] & 0xFF;
        if (minor != 0 || major < 1 || major > 3) {
            throw new InputException(source + ": .npy format version " + major + "." + minor
                    + " is not supported (expected 1.0, 2.0 or 3.0)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        in.position(MAGIC.length + 2);
        int lengthBytes = major == 1 ? 2 : 4;
        if (in.remaining() < lengthBytes) {
            throw new InputException(source + ": truncated in the header length");
        }
        long headerLength = major == 1 ? Short.toUnsignedInt(in.getShort()) : Integer.toUnsignedLong(in.getInt());
        if (headerLength > MAX_HEADER_BYTES) {
            throw new InputException(source + ": a header of " + headerLength + " bytes, more than the "
                    + MAX_HEADER_BYTES + " accepted (NumPy writes a few hundred)");
        }
        if (headerLength > in.remaining()) {
            throw new InputException(source + ": truncated: header of " + headerLength + " bytes but only "
                    + in.remaining() + " bytes follow");
        }
        int dataOffset = in.position() + (int) headerLength;
        // Versions 1.0 and 2.0 store the header in Latin-1, 3.0 in UTF-8; the dictionary is ASCII in both.
        String header = new String(bytes, in.position(), (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header parsed = HeaderParser.parse(header, source);

        if (!Arrays.asList(accepted).contains(parsed.descr)) {
            throw new InputException(source + ": dtype '" + printable(parsed.descr) + "' is not supported"
                    + " (expected " + dtypes + ")");
        }
        int itemSize = switch (parsed.descr) {
            case "<f8" -> Double.BYTES;
            case "<f4" -> Float.BYTES;
            default -> 1;
        };
        // With at most one dimension longer than 1, Fortran and C order lay the data out identically.
        if (parsed.fortranOrder && Arrays.stream(parsed.shape).filter(d -> d > 1).count() > 1) {
            throw new InputException(source + ": Fortran-order arrays are not supported"
                    + " (save a C-order array, e.g. numpy.ascontiguousarray(a))");
        }
        long size;
        try {
            size = checkedSize(parsed.shape);
        } catch (IllegalArgumentException e) {
            throw new InputException(source + ": " + e.getMessage(), e);
        }
        long expected = dataOffset + size * itemSize;
        if (bytes.length != expected) {
            throw new InputException(source + ": " + (bytes.length < expected ? "truncated" : "trailing bytes")
                    + ": shape " + shapeLiteral(parsed.shape) + " of " + parsed.descr + " needs " + expected
                    + " bytes in all, the file has " + bytes.length);
        }
        return new Raw(parsed.descr, parsed.shape, (int) size, dataOffset);
    }

    /**
     * Text from a file made safe for a one-line message: control and non-ASCII characters escaped, since
     * a corrupt header may hold any bytes, line ends included.
     */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(c <= 0xFF ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    /** The padded header, including magic, version and length, for a {@code <f4} C-order array. */
    private static byte[] header(int[] shape) {
        return header("<f4", shape);
    }

    /** The padded header, including magic, version and length, for a C-order array of dtype {@code descr}. */
    private static byte[] header(String descr, int[] shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeLiteral(shape) + ", }";
        int version = 1;
        int preamble = MAGIC.length + 2 + 2;
        if (padded(dict.length(), preamble) - preamble > MAX_V1_HEADER) {
            version = 2;
            preamble = MAGIC.length + 2 + 4;
        }
        int total = padded(dict.length(), preamble);
        String text = dict + " ".repeat(total - preamble - dict.length() - 1) + "\n";
        ByteBuffer buffer = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(MAGIC).put((byte) version).put((byte) 0);
        if (version == 1) {
            buffer.putShort((short) text.length());
        } else {
            buffer.putInt(text.length());
        }
        buffer.put(text.getBytes(StandardCharsets.US_ASCII));
        return buffer.array();
    }

    /** Bytes up to the data: preamble, dictionary and the closing newline, rounded up to the alignment. */
    private static int padded(int dictLength, int preamble) {
        int unpadded = preamble + dictLength + 1;
        return (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private static void writeData(OutputStream out, float[] data) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < data.length; from += CHUNK_FLOATS) {
            int count = Math.min(CHUNK_FLOATS, data.length - from);
            chunk.clear();
            chunk.asFloatBuffer().put(data, from, count);
            out.write(chunk.array(), 0, count * Float.BYTES);
        }
    }

    /** Python's repr of a shape tuple: {@code ()}, {@code (5,)}, {@code (10, 3072)}. */
    static String shapeLiteral(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringJoiner joiner = new StringJoiner(", ", "(", ")");
        for (int dim : shape) {
            joiner.add(Integer.toString(dim));
        }
        return joiner.toString();
    }

    /** @throws IllegalArgumentException if a dimension is negative or their product is not {@code data.length} */
    private static void checkShape(float[] data, int[] shape) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(shape, "shape");
        long size = checkedSize(shape);
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + shapeLiteral(shape) + " holds " + size
                    + " elements but data has " + data.length);
        }
    }

    /** The number of elements, checked to be non-negative per dimension and to fit a Java array. */
    private static long checkedSize(int[] shape) {
        long size = 1;
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("shape " + shapeLiteral(shape) + " has a negative dimension");
            }
            size *= dim;
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + shapeLiteral(shape) + " has more elements than a Java array holds");
            }
        }
        return size;
    }

    /** The three entries of a header dictionary. */
    private record Header(String descr, boolean fortranOrder, int[] shape) {
    }

    /**
     * Parses exactly the literal NumPy writes: a dictionary with the keys {@code descr} (a string),
     * {@code fortran_order} ({@code True} or {@code False}) and {@code shape} (a tuple of
     * non-negative integers), in any order, each once, followed only by spaces and a newline.
     */
    private static final class HeaderParser {
        private final String text;
        private final String source;
        private int pos;

        private HeaderParser(String text, String source) {
            this.text = text;
            this.source = source;
        }

        static Header parse(String text, String source) {
            return new HeaderParser(text, source).dictionary();
        }

        private Header dictionary() {
            skipSpaces();
            expect('{');
            String descr = null;
            Boolean fortranOrder = null;
            int[] shape = null;
            while (true) {
                skipSpaces();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                int keyAt = pos;
                String key = string();
                skipSpaces();
                expect(':');
                skipSpaces();
                switch (key) {
                    case "descr" -> {
                        requireFirst(descr == null, key, keyAt);
                        descr = string();
                    }
                    case "fortran_order" -> {
                        requireFirst(fortranOrder == null, key, keyAt);
                        fortranOrder = bool();
                    }
                    case "shape" -> {
                        requireFirst(shape == null, key, keyAt);
                        shape = tuple();
                    }
                    default -> throw error("unexpected key '" + printable(key) + "'", keyAt);
                }
                skipSpaces();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'", pos);
                }
            }
            for (int i = pos; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c != ' ' && c != '\n') {
                    throw error("unexpected text after the dictionary", i);
                }
            }
            if (descr == null || fortranOrder == null || shape == null) {
                throw new InputException(source + ": .npy header lacks "
                        + (descr == null ? "'descr'" : fortranOrder == null ? "'fortran_order'" : "'shape'")
                        + ": " + excerpt());
            }
            return new Header(descr, fortranOrder, shape);
        }

        private void requireFirst(boolean first, String key, int at) {
            if (!first) {
                throw error("key '" + key + "' appears twice", at);
            }
        }

        /** A quoted string without escapes, which no dtype string needs. */
        private String string() {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error("expected a quoted string", pos);
            }
            int start = ++pos;
            while (pos < text.length() && text.charAt(pos) != quote) {
                if (text.charAt(pos) == '\\') {
                    throw error("escapes in strings are not supported", pos);
                }
                pos++;
            }
            if (pos >= text.length()) {
                throw error("unterminated string", start - 1);
            }
            return text.substring(start, pos++);
        }

        private boolean bool() {
            if (text.startsWith("True", pos)) {
                pos += 4;
                return true;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return false;
            }
            throw error("expected True or False", pos);
        }

        /** A Python tuple of integers: {@code ()}, {@code (5,)}, {@code (10, 3072)}; {@code (5)} is not a tuple. */
        private int[] tuple() {
            int start = pos;
            expect('(');
            int[] dims = new int[0];
            boolean trailingComma = false;
            while (true) {
                skipSpaces();
                if (peek() == ')') {
                    pos++;
                    break;
                }
                if (dims.length == MAX_DIMENSIONS) {
                    throw error("more than " + MAX_DIMENSIONS + " dimensions in the shape", pos);
                }
                dims = Arrays.copyOf(dims, dims.length + 1);
                dims[dims.length - 1] = integer();
                skipSpaces();
                trailingComma = peek() == ',';
                if (trailingComma) {
                    pos++;
                } else if (peek() != ')') {
                    throw error("expected ',' or ')' in the shape", pos);
                }
            }
            if (dims.length == 1 && !trailingComma) {
                throw error("shape " + text.substring(start, pos) + " is not a tuple", start);
            }
            return dims;
        }

        private int integer() {
            int start = pos;
            long value = 0;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                value = value * 10 + (text.charAt(pos++) - '0');
                if (value > Integer.MAX_VALUE) {
                    throw error("dimension too large", start);
                }
            }
            if (pos == start) {
                throw error("expected a non-negative integer", start);
            }
            // Files written by NumPy under Python 2 mark long integers with a suffix: (10L, 3072L).
            if (peek() == 'L') {
                pos++;
            }
            return (int) value;
        }

        private void skipSpaces() {
            while (pos < text.length() && text.charAt(pos) == ' ') {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'", pos);
            }
            pos++;
        }

        private InputException error(String problem, int at) {
            return new InputException(source + ": malformed .npy header: " + problem + " at character " + at
                    + ": " + excerpt());
        }

        /** The header as it reads, trimmed, shortened and made printable, for messages. */
        private String excerpt() {
            String trimmed = text.strip();
            return printable(trimmed.length() <= 120 ? trimmed : trimmed.substring(0, 117) + "...");
        }
    }
}

package org.vectrain.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vectrain.engine.InputException;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsTheWeightMatrixBitForBit() {
        float[] w = new float[10 * 3072];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * 0.01);
        }
        w[7] = Float.NaN;
        w[8] = Float.NEGATIVE_INFINITY;
        w[9] = -0.0f;
        Path file = dir.resolve("W.npy");
        Npy.write(file, w, 10, 3072);
        Npy.FloatArray back = Npy.read(file);
        assertArrayEquals(new int[] {10, 3072}, back.shape());
        for (int i = 0; i < w.length; i++) {
            assertEquals(Float.floatToRawIntBits(w[i]), Float.floatToRawIntBits(back.data()[i]), "element " + i);
        }
    }

    @Test
    void headerIsTheOneNumpyWritesAlignedTo64() throws IOException {
        Path file = dir.resolve("b.npy");
        Npy.write(file, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 10);
        byte[] bytes = Files.readAllBytes(file);
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertEquals(1, bytes[6]);
        assertEquals(0, bytes[7]);
        assertEquals(0, (10 + headerLength) % 64);
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (10,), }"), header);
        assertTrue(header.endsWith(" \n"), header);
        assertEquals(10 + headerLength + 40, bytes.length);
        assertArrayEquals(bytes, Npy.encode(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 10));
    }

    @Test
    void scalarsAndEmptyArraysRoundTrip() {
        Path scalar = dir.resolve("s.npy");
        Npy.write(scalar, new float[] {2.5f});
        assertEquals(new Npy.FloatArray(new float[] {2.5f}, new int[0]), Npy.read(scalar));
        Path empty = dir.resolve("e.npy");
        Npy.write(empty, new float[0], 0, 3072);
        assertEquals(new Npy.FloatArray(new float[0], new int[] {0, 3072}), Npy.read(empty));
    }

    @Test
    void writeRefusesAShapeThatDoesNotDescribeTheData() {
        assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("x.npy"), new float[6], 4, 2));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("x.npy"), new float[0], -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("x.npy"), new float[2]));
        assertEquals(List.of(), Arrays.asList(dir.toFile().list()));
    }

    @Test
    void readsCommittedNumpyFixtures() throws IOException {
        Npy.FloatArray a = Npy.read(fixture("numpy-f4-2x3.npy"));
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {-1f, -0.5f, 0f, 0.5f, (float) (1.0 / 3.0), 3072f}, a.data());

        // float64 is narrowed to float32, rounding to nearest; beyond the float range is infinite.
        Npy.FloatArray b = Npy.read(fixture("numpy-f8-4.npy"));
        assertArrayEquals(new int[] {4}, b.shape());
        assertArrayEquals(new float[] {0.1f, -2.5f, Float.POSITIVE_INFINITY, 7f}, b.data());

        Npy.FloatArray c = Npy.read(fixture("numpy-v2-f4-2x2.npy"));
        assertArrayEquals(new int[] {2, 2}, c.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4}, c.data());
    }

    @Test
    void numpyReadsWhatWeWrite() throws Exception {
        assumePythonWithNumpy();
        float[] w = new float[10 * 3072];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 3072) * 0.001f - (i / 3072);
        }
        Path file = dir.resolve("W.npy");
        Npy.write(file, w, 10, 3072);
        String out = python("import numpy, sys\n"
                + "a = numpy.load(sys.argv[1])\n"
                + "assert a.dtype == numpy.float32 and a.flags['C_CONTIGUOUS'], a.dtype\n"
                + "i = numpy.arange(10 * 3072, dtype=numpy.int64).reshape(10, 3072)\n"
                + "expected = ((i % 3072).astype(numpy.float32) * numpy.float32(0.001) - (i // 3072).astype(numpy.float32))\n"
                + "print(a.shape, bool(numpy.array_equal(a, expected)))\n", file.toString());
        assertEquals("(10, 3072) True", out.strip());
    }

    @Test
    void weReadWhatNumpyWrites() throws Exception {
        assumePythonWithNumpy();
        String script = "import numpy, sys\n"
                + "d = sys.argv[1]\n"
                + "numpy.save(d + '/f4.npy', numpy.arange(12, dtype='<f4').reshape(3, 4) / 7)\n"
                + "numpy.save(d + '/f8.npy', numpy.arange(5, dtype='<f8') / 3)\n"
                + "numpy.save(d + '/scalar.npy', numpy.float32(1.5))\n"
                + "numpy.save(d + '/fortran-vector.npy', numpy.asfortranarray(numpy.ones((1, 3), dtype='<f4')))\n"
                + "numpy.lib.format.write_array(open(d + '/v3.npy', 'wb'), numpy.ones((2, 1), dtype='<f4'), version=(3, 0))\n";
        python(script, dir.toString());
        Npy.FloatArray f4 = Npy.read(dir.resolve("f4.npy"));
        assertArrayEquals(new int[] {3, 4}, f4.shape());
        for (int i = 0; i < 12; i++) {
            assertEquals((float) i / 7f, f4.data()[i], 0f, "element " + i);
        }
        Npy.FloatArray f8 = Npy.read(dir.resolve("f8.npy"));
        assertArrayEquals(new float[] {0f, (float) (1 / 3.0), (float) (2 / 3.0), 1f, (float) (4 / 3.0)}, f8.data());
        assertEquals(new Npy.FloatArray(new float[] {1.5f}, new int[0]), Npy.read(dir.resolve("scalar.npy")));
        assertArrayEquals(new int[] {1, 3}, Npy.read(dir.resolve("fortran-vector.npy")).shape());
        assertArrayEquals(new int[] {2, 1}, Npy.read(dir.resolve("v3.npy")).shape());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }|dtype '>f4' is not supported",
        "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }|dtype '<i4' is not supported",
        "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }|Fortran-order arrays are not supported",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2), }|shape (2) is not a tuple",
        "{'descr': '<f4', 'fortran_order': False, }|lacks 'shape'",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'shape': (2,)}|key 'shape' appears twice",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}|unexpected key 'extra'",
        "{'descr': '<f4', 'fortran_order': false, 'shape': (2,), }|expected True or False",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }|expected a non-negative integer",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } x|unexpected text after the dictionary",
        "{'descr': '<f4' 'fortran_order': False, 'shape': (2,), }|expected ',' or '}'",
        "{'descr': __import__('os'), 'fortran_order': False, 'shape': (2,), }|expected a quoted string",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999,), }|dimension too large",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536), }|more elements than a Java array holds",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }|truncated: shape (3,) of <f4 needs",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }|trailing bytes",
        "{'descr': '<f4|unterminated string",
    })
    void malformedHeadersAreInputErrorsNamingTheFile(String headerAndProblem) {
        String[] parts = headerAndProblem.split("\\|");
        byte[] file = npy(1, parts[0], 8);
        InputException e = assertThrows(InputException.class, () -> Npy.decode(file, "bad.npy"));
        assertTrue(e.getMessage().startsWith("bad.npy: "), e.getMessage());
        assertTrue(e.getMessage().contains(parts[1]), e.getMessage());
    }

    @Test
    void badMagicVersionAndTruncationAreInputErrors() throws IOException {
        assertMessage("not a .npy file", "PK\3\4 this is a zip".getBytes(StandardCharsets.US_ASCII));
        assertMessage("not a .npy file", new byte[0]);
        byte[] good = Npy.encode(new float[] {1, 2}, 2);
        byte[] v4 = good.clone();
        v4[6] = 4;
        assertMessage(".npy format version 4.0 is not supported", v4);
        byte[] v11 = good.clone();
        v11[7] = 1;
        assertMessage(".npy format version 1.1 is not supported", v11);
        assertMessage("truncated in the header length", Arrays.copyOf(good, 9));
        assertMessage("truncated: header of", Arrays.copyOf(good, 40));
        assertMessage("truncated: shape (2,) of <f4 needs 136 bytes in all, the file has 135", Arrays.copyOf(good, good.length - 1));

        Path missing = dir.resolve("missing.npy");
        InputException e = assertThrows(InputException.class, () -> Npy.read(missing));
        assertEquals(missing + ": file not found", e.getMessage());
        Path folder = Files.createDirectory(dir.resolve("folder.npy"));
        assertTrue(assertThrows(InputException.class, () -> Npy.read(folder)).getMessage().startsWith(folder + ": "));
    }

    @Test
    void acceptsVersions2And3AndDoubleQuotesAndAnyKeyOrder() {
        String header = "{\"shape\": (1, 2,), \"fortran_order\": False, \"descr\": \"<f4\"}";
        assertEquals(new Npy.FloatArray(new float[] {0, 0}, new int[] {1, 2}), Npy.decode(npy(2, header, 8), "v2"));
        assertEquals(new Npy.FloatArray(new float[] {0, 0}, new int[] {1, 2}), Npy.decode(npy(3, header, 8), "v3"));
        assertEquals(new Npy.FloatArray(new float[] {0, 0}, new int[] {2}),
                Npy.decode(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2L,), }", 8), "py2"));
    }

    private void assertMessage(String problem, byte[] bytes) {
        InputException e = assertThrows(InputException.class, () -> Npy.decode(bytes, "f.npy"));
        assertTrue(e.getMessage().startsWith("f.npy: " + problem), e.getMessage());
    }

    /** A file with the given version and header dictionary (newline added), followed by {@code dataBytes} zeros. */
    private static byte[] npy(int version, String dict, int dataBytes) {
        byte[] header = (dict + "\n").getBytes(StandardCharsets.US_ASCII);
        int lengthBytes = version == 1 ? 2 : 4;
        ByteBuffer buffer = ByteBuffer.allocate(8 + lengthBytes + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            buffer.putShort((short) header.length);
        } else {
            buffer.putInt(header.length);
        }
        buffer.put(header);
        return buffer.array();
    }

    private Path fixture(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream(name)) {
            assertTrue(in != null, "missing test resource " + name);
            Path file = dir.resolve(name);
            Files.write(file, in.readAllBytes());
            return file;
        }
    }

    private static void assumePythonWithNumpy() {
        boolean available;
        try {
            python("import numpy");
            available = true;
        } catch (Exception | AssertionError e) {
            available = false;
        }
        if (!available) {
            System.err.println("NpyTest: python3 with numpy not found, skipping the NumPy interoperability check");
        }
        assumeTrue(available, "python3 with numpy not found");
    }

    /** Runs {@code python3 -c script args...} and returns its standard output; fails on a non-zero exit. */
    private static String python(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", "-c", script));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("python3 timed out");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("python3 failed: " + output);
        }
        return output;
    }

    /** A version 2.0 file: a header of {@code dimensions} ones as the shape, and one float. */
    private static byte[] withShapeOfOnes(int dimensions) {
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (");
        dict.append("1, ".repeat(dimensions)).append("), }");
        int length = (dict.length() + 1 + 12 + 63) / 64 * 64 - 12;
        String header = dict + " ".repeat(length - dict.length() - 1) + "\n";
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(12 + length + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(length);
        out.put(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return out.array();
    }

    @Test
    void hugeHeadersAndShapesOfTooManyDimensionsAreRefusedQuicklyInOneShortLine() {
        // A 3 MB header of 10^6 dimensions once took minutes (the shape grew one copy per dimension) and
        // quoted the whole shape in its message.
        long start = System.nanoTime();
        String message = assertThrows(InputException.class, () -> Npy.decode(withShapeOfOnes(1_000_000), "w.npy"))
                .getMessage();
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "refused at once");
        assertTrue(message.contains("more than the " + Npy.MAX_HEADER_BYTES + " accepted"), message);
        assertTrue(message.length() < 200, message);
        message = assertThrows(InputException.class, () -> Npy.decode(withShapeOfOnes(65), "w.npy")).getMessage();
        assertTrue(message.contains("more than 64 dimensions"), message);
        assertTrue(message.length() < 400, message);
        assertEquals(64, Npy.decode(withShapeOfOnes(64), "w.npy").shape().length, "NumPy's limit itself is read");
    }
}

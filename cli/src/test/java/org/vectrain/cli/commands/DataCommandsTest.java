package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.CliRun;
import org.vectrain.cli.ExitCodes;

/** {@code vectrain data info} and {@code vectrain download}, run in-process through {@link Main#run}. */
class DataCommandsTest {
    private static final List<String> BATCHES = List.of("data_batch_1", "data_batch_2", "data_batch_3",
            "data_batch_4", "data_batch_5", "test_batch");
    private static final int RECORD = 3073;

    @TempDir
    Path dir;

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** A binary batch of {@code count} records: record i has label (i + shift) % 10. */
    private static byte[] batch(int count, int shift) {
        byte[] bytes = new byte[count * RECORD];
        for (int i = 0; i < count; i++) {
            bytes[i * RECORD] = (byte) ((i + shift) % 10);
            for (int j = 1; j < RECORD; j++) {
                bytes[i * RECORD + j] = (byte) (31 * i + 7 * j);
            }
        }
        return bytes;
    }

    /** {@code parent/cifar-10-batches-bin/} with two records per batch. */
    private static Path binaryFolder(Path parent) throws IOException {
        Path folder = Files.createDirectories(parent.resolve("cifar-10-batches-bin"));
        for (int b = 0; b < BATCHES.size(); b++) {
            Files.write(folder.resolve(BATCHES.get(b) + ".bin"), batch(2, b));
        }
        return folder;
    }

    /** A gzipped tar of {@code entries}: name, content, name, content... */
    private static byte[] tarball(Object... entries) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(buffer))) {
            for (int i = 0; i < entries.length; i += 2) {
                byte[] content = (byte[]) entries[i + 1];
                TarArchiveEntry entry = new TarArchiveEntry((String) entries[i], true);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private static byte[] binaryTarball() {
        Object[] entries = new Object[2 * BATCHES.size()];
        for (int b = 0; b < BATCHES.size(); b++) {
            entries[2 * b] = "cifar-10-batches-bin/" + BATCHES.get(b) + ".bin";
            entries[2 * b + 1] = batch(2, b);
        }
        return tarball(entries);
    }

    private static String md5(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    @Test
    void infoOnTheRealData() {
        String data = System.getenv("VECTRAIN_TEST_DATA");
        boolean present = data != null && !data.isBlank() && Files.isDirectory(Path.of(data));
        if (!present) {
            System.out.println("SKIPPED: real CIFAR-10 not available; run with -Dvectrain.data=DIR to include this test");
        }
        assumeTrue(present, "real CIFAR-10 not available (VECTRAIN_TEST_DATA unset; pass -Dvectrain.data=DIR)");
        CliRun run = run("data", "info", "--data", data);
        assertEquals(ExitCodes.OK, run.exit(), run.err());
        assertTrue(run.out().contains("layout:  binary"), run.out());
        assertTrue(run.out().contains("data_batch_1.bin     30730000   10000  1005 974 1032 1016 999 937 1030 1001"
                + " 1025 981"), run.out());
        assertTrue(run.out().contains("standard split train (data_batch_1)       10000 images  R 125.83 / 63.14"
                + "  G 123.26 / 62.37  B 114.03 / 66.97"), run.out());
        assertTrue(run.out().contains("50000 images  R 125.31 / 62.99  G 122.95 / 62.09  B 113.87 / 66.70"), run.out());
    }

    @Test
    void infoOnAFixtureFolder() throws IOException {
        Path folder = binaryFolder(dir);
        CliRun run = run("data", "info", "--data", dir.toString());
        assertEquals(ExitCodes.OK, run.exit(), run.err());
        assertTrue(run.out().startsWith("layout:  binary\nfolder:  " + folder + " (from --data)\nclasses: airplane,"),
                run.out());
        assertTrue(run.out().contains("test_batch.bin           6146       2  0 0 0 0 0 1 1 0 0 0"), run.out());
        assertTrue(run.out().contains("standard split train (data_batch_1)           2 images"), run.out());
        assertTrue(run.out().contains("all training batches (data_batch_1..5)       10 images"), run.out());
    }

    @Test
    void dataAloneShowsItsSubcommands() {
        CliRun run = run("data");
        assertEquals(ExitCodes.OK, run.exit());
        assertTrue(run.out().contains("info"), run.out());
    }

    @Test
    void refusesAMissingFolder() {
        Path missing = dir.resolve("missing");
        run("data", "info", "--data", missing.toString())
                .assertRefused(missing + " (from --data): no such folder; check the path", "vectrain download --data "
                        + missing);
    }

    @Test
    void refusesAnUnknownLayout() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "no data here");
        run("data", "info", "--data", dir.toString())
                .assertRefused(dir + " (from --data): no CIFAR-10 found (looked for data_batch_1.bin", "vectrain download");
    }

    @Test
    void refusesAMissingBatchFile() throws IOException {
        Path folder = binaryFolder(dir);
        Files.delete(folder.resolve("data_batch_4.bin"));
        run("data", "info", "--data", folder.toString())
                .assertRefused(folder.resolve("data_batch_4.bin") + ": file not found");
    }

    @Test
    void refusesAWrongFileSize() throws IOException {
        Path folder = binaryFolder(dir);
        Files.write(folder.resolve("data_batch_3.bin"), new byte[100]);
        run("data", "info", "--data", folder.toString()).assertRefused(folder.resolve("data_batch_3.bin")
                + ": size 100 bytes is not a whole number of 3073-byte records");
    }

    @Test
    void refusesATruncatedRecord() throws IOException {
        Path folder = binaryFolder(dir);
        byte[] whole = batch(2, 0);
        Files.write(folder.resolve("data_batch_1.bin"), Arrays.copyOf(whole, whole.length - 10));
        run("data", "info", "--data", folder.toString()).assertRefused(folder.resolve("data_batch_1.bin")
                + ": size 6136 bytes", "the last record has 3063 bytes");
    }

    @Test
    void refusesALabelAboveNine() throws IOException {
        Path folder = binaryFolder(dir);
        byte[] bad = batch(2, 0);
        bad[RECORD] = 11;
        Files.write(folder.resolve("test_batch.bin"), bad);
        run("data", "info", "--data", folder.toString())
                .assertRefused(folder.resolve("test_batch.bin") + ": record 1 has label 11, expected 0..9");
    }

    /** A Python layout folder whose data_batch_1 holds {@code pickle}. */
    private Path pythonFolder(byte[] pickle) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("cifar-10-batches-py"));
        Files.write(folder.resolve("data_batch_1"), pickle);
        return folder;
    }

    /** A protocol 5 pickle of {b'data': array, b'labels': [0] * rows}, as numpy 2 writes it, built here. */
    private static byte[] arrayPickle(String dtype, int rows, int columns) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x80, 5, '}', '(', 'C', 4});
        out.writeBytes("data".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("cnumpy._core.numeric\n_frombuffer\n(".getBytes(StandardCharsets.US_ASCII));
        int size = rows * columns;
        out.writeBytes(new byte[] {'B', (byte) size, (byte) (size >> 8), 0, 0});
        out.writeBytes(new byte[size]);
        // dtype(descr, False, True) with the state (3, '|', None, None, None, -1, -1, 0), then the shape
        // (rows, columns) and the order 'C' close the _frombuffer arguments; TUPLE, REDUCE make the array.
        out.writeBytes(("cnumpy\ndtype\nX" + (char) dtype.length() + "\0\0\0" + dtype + "\u0089\u0088\u0087R(K\u0003X\u0001"
                + "\0\0\0|NNNJ\u00ff\u00ff\u00ff\u00ffJ\u00ff\u00ff\u00ff\u00ffK\0tbK" + (char) rows + "M"
                + (char) (columns & 0xFF) + (char) (columns >> 8) + "\u0086X\u0001\0\0\0CtR")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[] {'C', 6});
        out.writeBytes("labels](".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < rows; i++) {
            out.writeBytes(new byte[] {'K', 0});
        }
        out.writeBytes("eu.".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void readsAHandWrittenPickleFolder() throws IOException {
        Path folder = pythonFolder(arrayPickle("u1", 2, 3072));
        for (String batch : BATCHES.subList(1, BATCHES.size())) {
            Files.copy(folder.resolve("data_batch_1"), folder.resolve(batch));
        }
        CliRun run = run("data", "info", "--data", folder.toString());
        assertEquals(ExitCodes.OK, run.exit(), run.err());
        assertTrue(run.out().contains("layout:  python"), run.out());
        assertTrue(run.out().contains("data_batch_1             6274       2  2 0 0 0 0 0 0 0 0 0"), run.out());
    }

    @Test
    void refusesAWrongArrayDtypeOrShape() throws IOException {
        Path folder = pythonFolder(arrayPickle("u2", 2, 3072));
        run("data", "info", "--data", folder.toString())
                .assertRefused(folder.resolve("data_batch_1") + ": data has dtype '|u2', expected '|u1' (uint8)");
        Files.write(folder.resolve("data_batch_1"), arrayPickle("u1", 2, 1024));
        run("data", "info", "--data", folder.toString())
                .assertRefused(folder.resolve("data_batch_1") + ": data has shape (2, 1024), expected (n, 3072)");
    }

    @Test
    void refusesACorruptPickle() throws IOException {
        Path folder = pythonFolder(new byte[] {(byte) 0x80, 2, '}', (byte) 0xfe, '.'});
        run("data", "info", "--data", folder.toString())
                .assertRefused(folder.resolve("data_batch_1") + ": byte 0xfe at offset 3 is not a pickle opcode");
    }

    @Test
    void refusesAHostilePickle() throws IOException {
        Path folder = pythonFolder("\u0080\u0002cos\nsystem\nX\u0002\0\0\0ls\u0085R."
                .getBytes(StandardCharsets.ISO_8859_1));
        run("data", "info", "--data", folder.toString())
                .assertRefused(folder.resolve("data_batch_1") + ": GLOBAL 'os system' at byte 2 is not allowed");
    }

    @Test
    void refusesAFileThatIsNoPickle() throws IOException {
        Path folder = pythonFolder(batch(1, 0));
        run("data", "info", "--data", folder.toString())
                .assertRefused(folder.resolve("data_batch_1") + ": not a pickle of protocol 2 or later");
    }

    @Test
    void refusesATarballEntryEscapingTheTarget() throws IOException {
        Path tarball = Files.write(dir.resolve("evil.tar.gz"),
                tarball("cifar-10-batches-bin/data_batch_1.bin", batch(1, 0), "../escaped.bin", batch(1, 0)));
        run("data", "info", "--data", tarball.toString())
                .assertRefused(tarball + ": entry '../escaped.bin' escapes the target folder");
        assertFalse(Files.exists(dir.getParent().resolve("escaped.bin")));
    }

    @Test
    void downloadsChecksAndUnpacks() throws Exception {
        byte[] body = binaryTarball();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/cifar-10-binary.tar.gz", exchange -> {
            try (exchange; OutputStream out = exchange.getResponseBody()) {
                exchange.sendResponseHeaders(200, body.length);
                out.write(body);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz";
            Path data = dir.resolve("data");

            CliRun wrong = run("download", "--data", data.toString(), "--url", url, "--md5", "0".repeat(32));
            wrong.assertRefused(url + ": md5 mismatch: expected " + "0".repeat(32) + ", got " + md5(body));

            CliRun run = run("download", "--data", data.toString(), "--url", url, "--md5", md5(body));
            assertEquals(ExitCodes.OK, run.exit(), run.err());
            assertTrue(run.out().startsWith("downloading " + url + " into " + data + " (from --data)\n"), run.out());
            assertTrue(run.out().contains("(100%)"), run.out());
            assertTrue(run.out().endsWith("CIFAR-10 ready in " + data.resolve("cifar-10-batches-bin")
                    + " (binary layout)\n"), run.out());

            CliRun again = run("download", "--data", data.toString(), "--url", url, "--md5", md5(body), "--quiet");
            assertEquals("CIFAR-10 is already in " + data.resolve("cifar-10-batches-bin")
                    + " (binary layout); nothing to download\n", again.out());

            assertEquals(ExitCodes.OK, run("data", "info", "--data", data.toString()).exit());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void downloadRefusesABadMd5Flag() {
        run("download", "--data", dir.toString(), "--md5", "xyz").assertRefused("md5 'xyz' is not 32 hexadecimal digits");
    }
}

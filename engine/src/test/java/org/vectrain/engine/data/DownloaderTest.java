package org.vectrain.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.CifarFixtures.Tarball;

/** Downloads from an HTTP server on 127.0.0.1 in this JVM: success, md5 mismatch, cut-off transfers, retries. */
class DownloaderTest {
    private static final String NAME = "cifar-10-binary.tar.gz";

    @TempDir
    Path dir;

    private HttpServer server;
    private byte[] body;
    /** Whether the server honours Range requests (and says so with Accept-Ranges). */
    private volatile boolean ranges;
    /** Bytes to send before dropping the connection, for the next request only; -1 sends everything. */
    private volatile int cutAfter = -1;
    /** Status to answer the next request with instead of the file; 0 serves the file. */
    private volatile int failWith;
    private final List<String> rangeHeaders = new ArrayList<>();
    private final Downloader downloader = new Downloader();
    private long lastDone = -1;
    private long lastTotal;

    @BeforeEach
    void start() throws IOException {
        body = new Tarball().binaryLayout().bytes();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/files/" + NAME, this::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/files/" + NAME);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String range = exchange.getRequestHeaders().getFirst("Range");
            synchronized (rangeHeaders) {
                rangeHeaders.add(range == null ? "none" : range);
            }
            if (failWith != 0) {
                int status = failWith;
                failWith = 0;
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            int start = 0;
            int status = 200;
            if (ranges) {
                exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
                if (range != null) {
                    start = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
                    if (start >= body.length) {
                        exchange.sendResponseHeaders(416, -1);
                        return;
                    }
                    status = 206;
                    exchange.getResponseHeaders().add("Content-Range",
                            "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
                }
            }
            int length = body.length - start;
            int send = cutAfter >= 0 ? Math.min(cutAfter, length) : length;
            cutAfter = -1;
            exchange.sendResponseHeaders(status, length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, start, send);
            out.flush();
            if (send < length) {
                // Drop the connection mid-body, as a broken network would: the server closes it on this exception.
                throw new IOException("dropping the connection after " + send + " of " + length + " bytes");
            }
        }
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private CifarSource install() {
        return downloader.install(url(), md5(body), dir, (done, total) -> {
            assertTrue(done >= lastDone || done == 0, "progress never goes back within a transfer");
            lastDone = done;
            lastTotal = total;
        });
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void downloadsChecksAndUnpacks() throws IOException {
        CifarSource source = install();
        assertEquals(dir.resolve(CifarSources.BINARY_FOLDER), source.folder());
        assertEquals(CifarFixtures.IMAGES, source.read("data_batch_1").count());
        assertEquals(List.of(CifarSources.BINARY_FOLDER), files(), "the tarball and .part are gone");
        assertEquals(body.length, lastDone);
        assertEquals(body.length, lastTotal);
    }

    @Test
    void deletesADownloadWithTheWrongMd5() throws IOException {
        String wrong = "0123456789abcdef0123456789abcdef";
        InputException e = assertThrows(InputException.class, () -> downloader.fetch(url(), wrong, dir, (d, t) -> { }));
        assertEquals(url() + ": md5 mismatch: expected " + wrong + ", got " + md5(body) + "; the download was deleted",
                e.getMessage());
        assertEquals(List.of(), files());
    }

    @Test
    void removesACutOffDownloadAndRetriesCleanly() throws IOException {
        cutAfter = 1000;
        UncheckedIOException e = assertThrows(UncheckedIOException.class, this::install);
        assertTrue(e.getMessage().startsWith(url() + ": the transfer was cut off after 1000 of " + body.length + " bytes"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("run again to retry"), e.getMessage());
        assertEquals(List.of(), files(), "without range support the partial file is removed");

        CifarSource source = install();
        assertEquals(CifarFixtures.IMAGES, source.read("test_batch").count());
        assertEquals(List.of("none", "none"), rangeHeaders);
    }

    @Test
    void resumesACutOffDownloadWhenTheServerTakesRanges() throws IOException {
        ranges = true;
        cutAfter = 1000;
        UncheckedIOException e = assertThrows(UncheckedIOException.class, this::install);
        assertTrue(e.getMessage().endsWith("run again to resume"), e.getMessage());
        assertEquals(1000, Files.size(dir.resolve(NAME + ".part")));

        CifarSource source = install();
        assertEquals(CifarFixtures.IMAGES, source.read("test_batch").count());
        assertEquals(List.of("none", "bytes=1000-"), rangeHeaders);
        assertEquals(body.length, lastTotal);
    }

    @Test
    void startsOverWhenTheServerIgnoresTheRange() throws IOException {
        Files.write(dir.resolve(NAME + ".part"), new byte[] {1, 2, 3});
        install();
        assertEquals(List.of("bytes=3-"), rangeHeaders);
        assertEquals(List.of(CifarSources.BINARY_FOLDER), files());
    }

    @Test
    void startsOverWhenTheRangeIsBeyondTheFile() throws IOException {
        ranges = true;
        Files.write(dir.resolve(NAME + ".part"), new byte[body.length + 5]);
        install();
        assertEquals(List.of("bytes=" + (body.length + 5) + "-", "none"), rangeHeaders);
    }

    @Test
    void retriesAfterAServerError() throws IOException {
        failWith = 503;
        UncheckedIOException e = assertThrows(UncheckedIOException.class, this::install);
        assertEquals(url() + ": the server answered HTTP 503", e.getMessage());
        install();
        assertEquals(List.of(CifarSources.BINARY_FOLDER), files());
    }

    @Test
    void reportsAMissingFileAsBadInput() {
        URI missing = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/nothing/" + NAME);
        InputException e = assertThrows(InputException.class,
                () -> downloader.fetch(missing, md5(body), dir, (d, t) -> { }));
        assertEquals(missing + ": the server answered HTTP 404", e.getMessage());
    }

    @Test
    void keepsAVerifiedTarballWithoutDownloadingAgain() throws IOException {
        Files.write(dir.resolve(NAME), body);
        Path tarball = downloader.fetch(url(), md5(body), dir, (d, t) -> { });
        assertArrayEquals(body, Files.readAllBytes(tarball));
        assertEquals(List.of(), rangeHeaders, "no request was made");
    }

    @Test
    void refusesATarballThatEscapesTheTarget() throws IOException {
        body = new Tarball().folder(CifarSources.BINARY_FOLDER)
                .file(CifarSources.BINARY_FOLDER + "/../../escaped.txt", new byte[] {1}).bytes();
        InputException e = assertThrows(InputException.class, this::install);
        assertEquals(dir.resolve(NAME) + ": entry 'cifar-10-batches-bin/../../escaped.txt' escapes the target folder"
                + " (absolute path or '..'); refusing to unpack", e.getMessage());
        assertFalse(Files.exists(dir.getParent().resolve("escaped.txt")));
        assertEquals(List.of(NAME), files(), "only the verified tarball is left; nothing was unpacked");
    }

    @Test
    void refusesBadArguments() {
        assertEquals("md5 'abc' is not 32 hexadecimal digits", assertThrows(InputException.class,
                () -> downloader.fetch(url(), "abc", dir, (d, t) -> { })).getMessage());
        URI page = URI.create("https://example.invalid/cifar.html");
        assertEquals(page + ": expected a URL ending in a .tar.gz or .tgz file name", assertThrows(InputException.class,
                () -> downloader.fetch(page, Downloader.DEFAULT_MD5, dir, (d, t) -> { })).getMessage());
        URI ftp = URI.create("ftp://example.invalid/x.tar.gz");
        assertEquals(ftp + ": only http and https URLs can be downloaded", assertThrows(InputException.class,
                () -> downloader.fetch(ftp, Downloader.DEFAULT_MD5, dir, (d, t) -> { })).getMessage());
    }

    @Test
    void theDefaultsAreTheOfficialTarball() {
        assertEquals("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", Downloader.DEFAULT_URL.toString());
        assertEquals("c32a1d4ab5d03f1284b67883e8d87530", Downloader.DEFAULT_MD5);
        assertTrue(CifarSources.TARBALLS.contains(NAME));
    }
}

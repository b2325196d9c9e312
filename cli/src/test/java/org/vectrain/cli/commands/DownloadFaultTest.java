package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.CliRun;
import org.vectrain.cli.ExitCodes;
import org.vectrain.engine.data.CifarFixtures;

/**
 * {@code vectrain download} against a local server that cuts transfers and corrupts bytes, through the
 * command line: every fault is reported in one line with its exit code (3 for a cut transfer, 2 for an
 * md5 mismatch), the bad bytes are removed or kept only to resume, and the next run completes cleanly.
 * DownloaderTest covers the engine side; these are the cases it does not: a corrupted whole body, a
 * corrupt partial file resumed into an md5 mismatch, a stale tarball, a cut at the first and the last byte.
 */
class DownloadFaultTest {
    private static final String NAME = "cifar-10-binary.tar.gz";

    /** What the server does with one request. */
    private enum Fault { NONE, CORRUPT }

    @TempDir
    Path tmp;

    private final byte[] body = new CifarFixtures.Tarball().binaryLayout().bytes();
    private final Deque<Integer> cuts = new ArrayDeque<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final List<String> ranges = new ArrayList<>();
    private volatile boolean acceptRanges;
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/" + NAME, this::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private synchronized void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String range = exchange.getRequestHeaders().getFirst("Range");
            ranges.add(range == null ? "none" : range);
            byte[] content = body.clone();
            if (!faults.isEmpty() && faults.poll() == Fault.CORRUPT) {
                content[content.length / 2] ^= 0x5A;
            }
            int start = 0;
            int status = 200;
            if (acceptRanges) {
                exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
                if (range != null) {
                    start = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
                    status = 206;
                    exchange.getResponseHeaders().add("Content-Range",
                            "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
                }
            }
            int length = content.length - start;
            int send = cuts.isEmpty() ? length : Math.min(cuts.poll(), length);
            exchange.sendResponseHeaders(status, length);
            OutputStream out = exchange.getResponseBody();
            out.write(content, start, send);
            out.flush();
            if (send < length) {
                throw new IOException("dropping the connection after " + send + " of " + length + " bytes");
            }
        }
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + NAME;
    }

    private CliRun download() {
        return CliRun.of("download", "--data", tmp.resolve("data").toString(), "--url", url(), "--md5", md5(body),
                "--quiet");
    }

    private List<String> left() throws IOException {
        Path data = tmp.resolve("data");
        if (!Files.isDirectory(data)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(data)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void assertInstalled(CliRun run) throws IOException {
        run.assertOk();
        assertEquals(List.of("cifar-10-batches-bin"), left(), "only the unpacked folder is left");
        CliRun.of("data", "info", "--data", tmp.resolve("data").toString()).assertOk();
    }

    private static void assertOneLine(CliRun run, int exit, String... parts) {
        assertEquals(exit, run.exit(), run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line, no stack trace: " + run.err());
        for (String part : parts) {
            assertTrue(run.err().contains(part), "expected '" + part + "' in " + run.err());
        }
    }

    @Test
    void cutsAtTheFirstHalfwayAndLastByteAreReportedAndRetried() throws IOException {
        // With no body byte at all the HTTP client may fail the exchange itself ("cannot download") or
        // the read ("cut off after 0"), depending on timing: either way one line, exit 3, naming the URL.
        cuts.add(0);
        assertOneLine(download(), ExitCodes.IO_ERROR, "vectrain: I/O error: " + url() + ": ");
        assertEquals(List.of(), left(), "nothing left");
        for (int cut : new int[] {1, body.length / 2, body.length - 1}) {
            cuts.add(cut);
            assertOneLine(download(), ExitCodes.IO_ERROR, "cut off after " + cut + " of " + body.length + " bytes",
                    "run again to retry");
            assertEquals(List.of(), left(), "a transfer that cannot resume leaves nothing");
        }
        assertInstalled(download());
    }

    @Test
    void aCutTransferResumesWhereItStopped() throws IOException {
        acceptRanges = true;
        cuts.add(body.length / 2);
        assertOneLine(download(), ExitCodes.IO_ERROR, "run again to resume");
        assertEquals(List.of(NAME + ".part"), left());
        assertInstalled(download());
        assertEquals(List.of("none", "bytes=" + body.length / 2 + "-"), ranges);
    }

    @Test
    void aCorruptedBodyFailsTheMd5IsDeletedAndTheNextRunSucceeds() throws IOException {
        faults.add(Fault.CORRUPT);
        assertOneLine(download(), ExitCodes.USAGE, "md5 mismatch", "the download was deleted");
        assertEquals(List.of(), left());
        assertInstalled(download());
    }

    @Test
    void aCorruptPartialFileResumedIntoAMismatchIsDeletedThenFetchedWhole() throws IOException {
        acceptRanges = true;
        Path data = Files.createDirectories(tmp.resolve("data"));
        byte[] stale = java.util.Arrays.copyOf(body, body.length / 3);
        stale[10] ^= 1;
        Files.write(data.resolve(NAME + ".part"), stale);
        assertOneLine(download(), ExitCodes.USAGE, "md5 mismatch", "the download was deleted");
        assertEquals(List.of(), left());
        assertInstalled(download());
        assertEquals(List.of("bytes=" + stale.length + "-", "none"), ranges);
    }

    @Test
    void aStaleTarballWithTheWrongMd5IsReplaced() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.write(data.resolve(NAME), java.util.Arrays.copyOf(body, body.length - 7));
        assertInstalled(download());
        assertEquals(List.of("none"), ranges);
    }

    @Test
    void aServerThatCannotBeReachedGetsTheWaysOnAndLeavesNoFolder() throws IOException {
        // A loopback port nobody listens on: the connection is refused at once, as without a network.
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Path data = tmp.resolve("cache/vectrain");
        String url = "http://127.0.0.1:" + port + "/" + NAME;
        CliRun run = CliRun.of("download", "--data", data.toString(), "--url", url, "--md5", md5(body), "--quiet");
        assertOneLine(run, ExitCodes.IO_ERROR, url + ": cannot reach the server (", "check the network connection",
                "--url URL", "pass --data DIR or set VECTRAIN_DATA");
        assertTrue(!run.err().contains("java.net."), "no exception class names: " + run.err());
        assertTrue(!Files.exists(tmp.resolve("cache")), "the folders the download created are gone");
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.vectrain.engine.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.InputException;
import org.vectrain.engine.fuzz.FuzzHarness;
import org.vectrain.engine.fuzz.ScratchFolder;

/**
 * Fuzzes the downloader's handling of what a server answers: the input is the raw HTTP response a local
 * server sends to every request, then closes. The outcome must be the verified file (only when its md5 is
 * right), an InputException (4xx, md5 mismatch), or an I/O error (cut transfer, server error, a broken
 * answer); never a file under the real name with other content. Long run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl engine test -Dtest=DownloaderFuzzTest#respond}.
 */
class DownloaderFuzzTest {
    /** The body whose md5 the target expects (the seeds' "ok" answers send it). */
    static final byte[] BODY = "vectrain download fuzz body\n".getBytes(StandardCharsets.US_ASCII);
    private static final List<byte[]> DICTIONARY = tokens("HTTP/1.1 ", "200 OK", "206 Partial Content", "416", "\r\n",
            "Content-Length: ", "Content-Range: bytes ", "Accept-Ranges: bytes", "Transfer-Encoding: chunked",
            "Location: ", "0\r\n\r\n", "-1", "99999999999999999999");

    private static ServerSocket server;
    private static Thread serving;
    private static volatile byte[] response = new byte[0];
    private static HttpClient client;

    @BeforeAll
    static void startServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        // Coverage-guided runs report any connection as server-side request forgery; this one is the test's own.
        com.code_intelligence.jazzer.api.BugDetectors.allowNetworkConnections(
                (host, port) -> port == server.getLocalPort());
        serving = new Thread(DownloaderFuzzTest::serve, "fuzz-http");
        serving.setDaemon(true);
        serving.start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(5)).build();
        // One exchange first: the HTTP client's classes and threads are a one-time cost, not the input's.
        try {
            target(("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        } catch (Exception expected) {
            // Refused, as a 404 is.
        }
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    /** Answers every connection with {@link #response} once its request has arrived, then closes it. */
    private static void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(5000);
                InputStream in = socket.getInputStream();
                int matched = 0;
                byte[] end = {'\r', '\n', '\r', '\n'};
                while (matched < end.length) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
                }
                OutputStream out = socket.getOutputStream();
                out.write(response);
                out.flush();
            } catch (IOException e) {
                // The client went away, or the server was closed.
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void respond(byte[] input) {
        FuzzHarness.check(input, DownloaderFuzzTest::target);
    }

    @Test
    void boundedMutationSweep() {
        FuzzHarness.Report report = FuzzHarness.sweep(DownloaderFuzzTest.class, "respond", DICTIONARY, 200, 20261127L,
                DownloaderFuzzTest::target);
        assertTrue(report.accepted() > 2 && report.refused() > 50, report.toString());
    }

    static void target(byte[] input) throws Exception {
        response = input;
        try (ScratchFolder scratch = new ScratchFolder("vectrain-fuzz-download")) {
            URI url = URI.create("http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort()
                    + "/cifar-10-binary.tar.gz");
            Path tarball = scratch.path().resolve("cifar-10-binary.tar.gz");
            try {
                Path got = new Downloader(client).fetch(url, md5(BODY), scratch.path(), (done, total) -> { });
                if (!Arrays.equals(Files.readAllBytes(got), BODY)) {
                    throw new AssertionError("a download with other content was kept");
                }
            } catch (UncheckedIOException e) {
                // An I/O error (exit 3): allowed, as long as nothing is under the real name.
                if (Files.exists(tarball)) {
                    throw new AssertionError("an I/O error left " + tarball, e);
                }
                throw new InputException("I/O error: " + e.getMessage(), e);
            } catch (InputException e) {
                if (Files.exists(tarball)) {
                    throw new AssertionError("a refusal left " + tarball, e);
                }
                throw e;
            }
        }
    }

    private static String md5(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
    }

    static List<byte[]> tokens(String... texts) {
        return Arrays.stream(texts).map(t -> t.getBytes(StandardCharsets.ISO_8859_1)).toList();
    }
}

package org.vectrain.engine.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import org.vectrain.engine.InputException;

/**
 * Downloads a CIFAR-10 tarball, checks its md5 and unpacks it into a data folder.
 *
 * <p>The bytes go to {@code <name>.part} and become {@code <name>} only once their md5 matches, so a
 * file under the real name is always whole. A transfer that ends before its announced length is
 * reported; its {@code .part} is kept for the next run to resume with an HTTP Range request when the
 * server accepts ranges, and deleted otherwise. A server that ignores the range simply sends the
 * whole file again. An md5 mismatch deletes the download.
 */
public final class Downloader {
    /** The official binary tarball. */
    public static final URI DEFAULT_URL = URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    /** The md5 of {@link #DEFAULT_URL} as published on the CIFAR-10 page. */
    public static final String DEFAULT_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";

    private static final int BUFFER = 1 << 16;

    /** Told how far a download has come. */
    @FunctionalInterface
    public interface Progress {
        /**
         * Called after every block received, and once before the first.
         *
         * @param done bytes on disk so far, including any resumed from an earlier run
         * @param total the whole file's size, or -1 when the server does not say
         */
        void update(long done, long total);
    }

    private final HttpClient client;

    /** A downloader with its own client: redirects followed (never from https to http), 30 s to connect. */
    public Downloader() {
        // HTTP/1.1: one large sequential transfer gains nothing from HTTP/2, and Content-Length is what
        // tells a whole transfer from a cut-off one.
        this(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build());
    }

    public Downloader(HttpClient client) {
        this.client = client;
    }

    /**
     * Downloads {@code url} into {@code folder}, checks its md5 and unpacks it there.
     *
     * @return the unpacked CIFAR-10, for example {@code folder/cifar-10-batches-bin}
     */
    public CifarSource install(URI url, String md5, Path folder, Progress progress) {
        return unpack(fetch(url, md5, folder, progress), folder);
    }

    /**
     * Downloads {@code url} to {@code folder/<file name>} and checks its md5. A file already there
     * with the right md5 is kept without downloading it again.
     *
     * @param md5 the expected md5, 32 hexadecimal digits
     * @return the verified tarball
     * @throws InputException for a URL that names no {@code .tar.gz}, a malformed md5, an HTTP 4xx
     *     answer, or an md5 mismatch (the download is then deleted)
     * @throws UncheckedIOException when the server cannot be reached, answers with an error, or the
     *     transfer is cut off
     */
    public Path fetch(URI url, String md5, Path folder, Progress progress) {
        String expected = checkMd5(md5);
        Path tarball = folder.resolve(fileName(url));
        Path part = folder.resolve(tarball.getFileName() + ".part");
        try {
            Files.createDirectories(folder);
            if (Files.isRegularFile(tarball)) {
                if (md5(tarball).equals(expected)) {
                    return tarball;
                }
                Files.delete(tarball);
            }
            transfer(url, part, progress);
            String actual = md5(part);
            if (!actual.equals(expected)) {
                Files.deleteIfExists(part);
                throw new InputException(url + ": md5 mismatch: expected " + expected + ", got " + actual
                        + "; the download was deleted");
            }
            Files.move(part, tarball, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return tarball;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Unpacks a verified tarball into {@code folder}, then deletes the tarball, which is no longer needed. */
    public CifarSource unpack(Path tarball, Path folder) {
        Path unpacked = TarballExtractor.extractInto(tarball, folder);
        CifarSource source = CifarSources.find(unpacked).orElseThrow(() -> new InputException(tarball
                + ": unpacks to " + unpacked + ", which holds no CIFAR-10; looked for " + CifarSources.LOOKED_FOR));
        try {
            Files.deleteIfExists(tarball);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + tarball + " after unpacking it", e);
        }
        return source;
    }

    private static String checkMd5(String md5) {
        if (md5 == null || !md5.matches("[0-9a-fA-F]{32}")) {
            throw new InputException("md5 '" + md5 + "' is not 32 hexadecimal digits");
        }
        return md5.toLowerCase(Locale.ROOT);
    }

    private static String fileName(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InputException(url + ": only http and https URLs can be downloaded");
        }
        String path = url.getPath() == null ? "" : url.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (!TarballExtractor.isTarball(Path.of(name.isEmpty() ? "-" : name))) {
            throw new InputException(url + ": expected a URL ending in a .tar.gz or .tgz file name");
        }
        return name;
    }

    /** Fetches into {@code part}, resuming what is there when the server allows it. */
    private void transfer(URI url, Path part, Progress progress) throws IOException {
        long resumeFrom = Files.isRegularFile(part) ? Files.size(part) : 0;
        HttpResponse<InputStream> response = send(url, resumeFrom);
        if (response.statusCode() == 416) {
            // The range starts at or beyond the end: the .part is stale or already whole. Start over.
            response.body().close();
            Files.deleteIfExists(part);
            resumeFrom = 0;
            response = send(url, 0);
        }
        int status = response.statusCode();
        if (status != 200 && status != 206) {
            response.body().close();
            String what = url + ": the server answered HTTP " + status;
            if (status >= 400 && status < 500) {
                throw new InputException(what);
            }
            throw new IOException(what);
        }
        boolean appending = status == 206 && contentRangeStart(response) == resumeFrom;
        if (status == 206 && !appending) {
            response.body().close();
            Files.deleteIfExists(part);
            throw new IOException(url + ": the server resumed at the wrong offset (Content-Range "
                    + printable(response.headers().firstValue("Content-Range").orElse("missing"))
                    + "); run again to start over");
        }
        long done = appending ? resumeFrom : 0;
        long length = contentLength(response);
        long total = length < 0 ? -1 : done + length;
        boolean resumable = appending || response.headers().firstValue("Accept-Ranges")
                .map(value -> value.equalsIgnoreCase("bytes")).orElse(false);

        IOException cutOff = null;
        byte[] buffer = new byte[BUFFER];
        StandardOpenOption mode = appending ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        try (InputStream in = response.body();
                OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        mode)) {
            progress.update(done, total);
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    cutOff = e;
                    break;
                }
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                done += n;
                progress.update(done, total);
            }
        }
        if (cutOff != null || (total >= 0 && done != total)) {
            if (!resumable) {
                Files.deleteIfExists(part);
            }
            throw new IOException(url + ": the transfer was cut off after " + done + " of "
                    + (total < 0 ? "an unknown number of" : String.valueOf(total)) + " bytes"
                    + (cutOff == null ? "" : " (" + printable(String.valueOf(cutOff.getMessage())) + ")")
                    + (resumable ? "; run again to resume" : "; run again to retry"), cutOff);
        }
    }

    private HttpResponse<InputStream> send(URI url, long resumeFrom) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
        if (resumeFrom > 0) {
            request.header("Range", "bytes=" + resumeFrom + "-");
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to " + url);
        } catch (IOException e) {
            throw new IOException(url + ": cannot download (" + printable(e.toString()) + ")", e);
        } catch (IllegalArgumentException e) {
            // The JDK's client refuses some malformed answers (a Content-Length that is not a number) this way.
            throw new IOException(url + ": the server's answer is malformed (" + printable(e.toString()) + ")", e);
        }
    }

    /** The body's length from {@code Content-Length}; -1 when it is missing or not a number. */
    private static long contentLength(HttpResponse<?> response) {
        try {
            return response.headers().firstValueAsLong("Content-Length").orElse(-1);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The first byte offset of a 206 answer, from {@code Content-Range: bytes <first>-<last>/<total>}; else -1. */
    private static long contentRangeStart(HttpResponse<?> response) {
        String range = response.headers().firstValue("Content-Range").orElse("");
        if (!range.startsWith("bytes ") || range.indexOf('-') < 0) {
            return -1;
        }
        try {
            return Long.parseLong(range.substring("bytes ".length(), range.indexOf('-')).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Text that quotes what a server sent, with control characters escaped so that a message stays one line. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    static String md5(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}

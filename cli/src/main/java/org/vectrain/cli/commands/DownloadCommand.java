package org.vectrain.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.vectrain.cli.ExitCodes;
import org.vectrain.cli.VersionProvider;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.data.CifarSources;
import org.vectrain.engine.data.Downloader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vectrain download}: fetches the CIFAR-10 tarball, checks its md5 and unpacks it into the data
 * folder. Does nothing when the folder already holds CIFAR-10. Progress is a bar on a terminal and a
 * log line every tenth otherwise.
 */
@Command(name = "download", mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Download CIFAR-10, check its md5 and unpack it into the data folder"
                + " (--data, else $" + DataLocation.ENV + ", else the cache folder).")
public final class DownloadCommand implements Callable<Integer> {
    private static final long MIB = 1 << 20;

    @Mixin
    DataOption data;

    @Option(names = "--url", paramLabel = "URL",
            description = "Tarball to fetch, e.g. from a mirror. Default: ${DEFAULT-VALUE}")
    URI url = Downloader.DEFAULT_URL;

    @Option(names = "--md5", paramLabel = "HEX", description = "Its expected md5. Default: ${DEFAULT-VALUE}.")
    String md5 = Downloader.DEFAULT_MD5;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DataLocation location = data.location();
        Path folder = location.folder();
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new InputException(folder + " (from " + location.origin() + "): is a file; download needs a folder");
        }
        Optional<CifarSource> existing = Files.isDirectory(folder) ? CifarSources.find(folder) : Optional.empty();
        if (existing.isPresent()) {
            out.printf("CIFAR-10 is already in %s (%s layout); nothing to download%n", existing.get().folder(),
                    layout(existing.get()));
            out.flush();
            return ExitCodes.OK;
        }
        if (!quiet) {
            out.printf("downloading %s into %s (from %s)%n", url, folder, location.origin());
            out.flush();
        }
        Downloader downloader = new Downloader();
        List<Path> created = missingFolders(folder);
        Path tarball;
        CifarSource source;
        try {
            if (quiet) {
                tarball = downloader.fetch(url, md5, folder, (done, total) -> { });
            } else if (System.console() != null) {
                try (BarProgress bar = new BarProgress()) {
                    tarball = downloader.fetch(url, md5, folder, bar);
                }
            } else {
                tarball = downloader.fetch(url, md5, folder, new LogProgress(out));
            }
            if (!quiet) {
                out.printf("md5 ok; unpacking %s%n", tarball.getFileName());
                out.flush();
            }
            source = downloader.unpack(tarball, folder);
        } catch (UncheckedIOException e) {
            removeIfEmpty(created);
            throw unreachable(e).orElse(e);
        } catch (RuntimeException e) {
            removeIfEmpty(created);
            throw e;
        }
        out.printf("CIFAR-10 ready in %s (%s layout)%n", source.folder(), layout(source));
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * The failure as a user can act on it when the server could not be reached at all: what happened and the
     * three ways on (the network, a mirror, a copy already on disk); empty for other failures.
     */
    private Optional<UncheckedIOException> unreachable(UncheckedIOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String reason = null;
            if (cause instanceof UnknownHostException) {
                reason = "unknown host " + url.getHost();
            } else if (cause instanceof HttpConnectTimeoutException) {
                reason = "the connection timed out";
            } else if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
                reason = "the connection was refused or the network is unreachable";
            }
            if (reason != null) {
                return Optional.of(new UncheckedIOException(new IOException(url + ": cannot reach the server ("
                        + reason + "); check the network connection, or fetch from a mirror with --url URL, or, if "
                        + "CIFAR-10 is already on this machine, pass --data DIR or set " + DataLocation.ENV
                        + " to its folder", e)));
            }
        }
        return Optional.empty();
    }

    /** {@code folder} and those of its parents that do not exist yet, deepest first. */
    private static List<Path> missingFolders(Path folder) {
        List<Path> missing = new ArrayList<>();
        for (Path p = folder.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(p);
        }
        return missing;
    }

    /**
     * Removes the folders this run created, deepest first, as long as they are empty: a failed download
     * leaves no empty folder behind, but keeps a partial file it can resume from.
     */
    private static void removeIfEmpty(List<Path> created) {
        for (Path folder : created) {
            try {
                Files.deleteIfExists(folder);
            } catch (IOException notEmptyOrGone) {
                return;
            }
        }
    }

    private static String layout(CifarSource source) {
        return source.layout().name().toLowerCase(Locale.ROOT);
    }

    /** A terminal progress bar in MiB, created when the size is first known. */
    private static final class BarProgress implements Downloader.Progress, AutoCloseable {
        private ProgressBar bar;

        @Override
        public void update(long done, long total) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName("CIFAR-10").setUnit("MiB", MIB)
                        .setInitialMax(total).showSpeed().build();
            }
            bar.stepTo(done);
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }

    /** One plain line per tenth of the file (or per 16 MiB when its size is unknown), for logs and pipes. */
    private static final class LogProgress implements Downloader.Progress {
        private final PrintWriter out;
        private long nextReport = -1;

        LogProgress(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void update(long done, long total) {
            long step = total > 0 ? Math.max(total / 10, 1) : 16 * MIB;
            if (nextReport < 0) {
                // The first call tells where a resumed download starts; report from the next step on.
                nextReport = (done / step + 1) * step;
                return;
            }
            if (done >= nextReport || (total > 0 && done == total)) {
                if (total > 0) {
                    out.printf(Locale.ROOT, "downloaded %.1f of %.1f MiB (%d%%)%n", (double) done / MIB,
                            (double) total / MIB, done * 100 / total);
                } else {
                    out.printf(Locale.ROOT, "downloaded %.1f MiB%n", (double) done / MIB);
                }
                out.flush();
                nextReport = (done / step + 1) * step;
            }
        }
    }
}

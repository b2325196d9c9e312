package org.vectrain.cli.commands;

import org.vectrain.engine.InputException;
import picocli.CommandLine.Option;

/** Threads and verbosity, shared by every command that computes. */
public final class RunOptions {
    /** The seed every command starts from unless --seed says otherwise, so that their figures agree. */
    static final String DEFAULT_SEED = "42";
    /** More threads than this is a typing mistake on any machine this runs on. */
    static final int MAX_THREADS = 1024;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads, the calling thread included (default: all cores).")
    Integer threads;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar, log lines or tables: only the one-line result (and errors, on stderr).")
    boolean quiet;

    int threads() {
        if (threads == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new InputException("--threads: " + threads + " must be in 1.." + MAX_THREADS);
        }
        return threads;
    }
}

package org.vectrain.cli;

/** The process exit codes; every subcommand returns one of these and nothing else. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** The run went through but its result failed a check (gradient check over threshold, runs disagree, training diverged). */
    public static final int CHECK_FAILED = 1;
    /** Bad input: a flag, a file or a data folder; the message names which and what is wrong. */
    public static final int USAGE = 2;
    /** An I/O failure outside the user's control (disk full, permission lost mid-run). */
    public static final int IO_ERROR = 3;
    /** A bug: an unexpected exception; the stack trace is printed. */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }
}

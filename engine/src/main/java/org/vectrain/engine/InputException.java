package org.vectrain.engine;

/**
 * A problem with what the user gave us (a file, a flag, a data folder), as opposed to a bug.
 *
 * <p>The message is meant to be shown as it is, on one line, and names the file or flag and what is
 * wrong with it. The command line turns this exception into exit code 2 without a stack trace.
 */
public class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}

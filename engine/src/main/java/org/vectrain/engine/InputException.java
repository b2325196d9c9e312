package org.vectrain.engine;

/**
 * A problem with what the user gave us (a file, a parameter's value, a data folder), as opposed to a bug.
 *
 * <p>The message is meant to be shown as it is, on one line, and names the file or parameter and what is
 * wrong with it. A bad parameter value is reported with {@link #InputException(String, String)}, which
 * keeps the parameter's name apart from the problem: the message reads {@code "eta must be a finite number
 * in (0, 1000000.0], was NaN"}, and a caller that knows the parameter under another name (the command line
 * knows it as a flag) can say {@link #problem()} under that name. The command line turns this exception
 * into exit code 2 without a stack trace.
 */
public class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The parameter whose value was refused; null when the message names a file or stands alone. */
    private final String parameter;
    /** What is wrong with the parameter's value; the whole message when there is no parameter. */
    private final String problem;

    public InputException(String message) {
        super(message);
        this.parameter = null;
        this.problem = message;
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
        this.parameter = null;
        this.problem = message;
    }

    /**
     * A refused value of one parameter.
     *
     * @param parameter the parameter as the engine names it (a record component or method parameter,
     *     such as {@code eta} or {@code halfCycle})
     * @param problem what is wrong, starting with the rule and ending with the value, such as
     *     {@code "must be in 0..8 pixels, was 9"}
     */
    public InputException(String parameter, String problem) {
        super(parameter + " " + problem);
        this.parameter = parameter;
        this.problem = problem;
    }

    /** The parameter whose value was refused; null when the message names a file or stands alone. */
    public String parameter() {
        return parameter;
    }

    /** The message without the parameter's name (the whole message when there is no parameter). */
    public String problem() {
        return problem;
    }
}

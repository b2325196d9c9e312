package org.vectrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One in-process run of the command line: its exit code and what it printed.
 *
 * @param exit the exit code {@link Main#run} returned
 * @param out standard output
 * @param err standard error
 */
public record CliRun(int exit, String out, String err) {

    /** Runs {@code vectrain args...} in this JVM, capturing both streams. */
    public static CliRun of(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new CliRun(exit, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Asserts a refusal of bad input: exit 2 and one line on stderr, naming every part given. */
    public void assertRefused(String... parts) {
        assertEquals(ExitCodes.USAGE, exit, "exit code; stderr: " + err);
        assertTrue(err.startsWith("vectrain: "), err);
        assertEquals(1, err.strip().lines().count(), "one line, no stack trace: " + err);
        for (String part : parts) {
            assertTrue(err.contains(part), "expected '" + part + "' in: " + err);
        }
    }

    /** Asserts success, showing what was printed when it is not. */
    public void assertOk() {
        assertEquals(ExitCodes.OK, exit, "exit code; stdout: " + out + "\nstderr: " + err);
    }
}

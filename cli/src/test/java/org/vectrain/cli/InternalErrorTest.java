package org.vectrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.InputException;
import org.vectrain.engine.io.AtomicFiles;
import picocli.CommandLine;

/**
 * Errors that escape a command (out of memory, stack overflow) end as internal errors: exit 70, a one-line
 * summary first and the trace after it, and no partial file; messages quoting text with line ends stay one line.
 */
class InternalErrorTest {
    @TempDir
    Path tmp;

    private record Outcome(int exit, String err) {
    }

    /** A subcommand that runs a given body, standing in for a command that fails this way. */
    @CommandLine.Command(name = "fail")
    static final class Failing implements Callable<Integer> {
        private final Callable<Integer> body;

        Failing(Callable<Integer> body) {
            this.body = body;
        }

        @Override
        public Integer call() throws Exception {
            return body.call();
        }
    }

    private static Outcome run(Callable<Integer> command) {
        CommandLine cli = Main.newCommandLine();
        cli.addSubcommand("fail", new Failing(command));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int exit = Main.run(cli, "fail");
        return new Outcome(exit, err.toString());
    }

    @Test
    void outOfMemoryWhileWritingEndsWithExit70AndNoPartialFile() throws IOException {
        Path target = tmp.resolve("out").resolve("W.npy");
        Outcome outcome = run(() -> {
            AtomicFiles.write(target, out -> {
                out.write(new byte[1 << 20]);
                throw new OutOfMemoryError("Java heap space");
            });
            return ExitCodes.OK;
        });
        assertEquals(ExitCodes.INTERNAL, outcome.exit(), outcome.err());
        List<String> lines = outcome.err().lines().toList();
        assertTrue(lines.get(0).startsWith("vectrain: internal error: java.lang.OutOfMemoryError: Java heap space;"),
                lines.get(0));
        assertTrue(lines.get(0).contains("-Xmx"), lines.get(0));
        assertTrue(lines.size() > 2 && lines.get(1).startsWith("java.lang.OutOfMemoryError"), "trace after: "
                + outcome.err());
        assertFalse(Files.exists(target), "no partial file");
        try (Stream<Path> left = Files.list(target.getParent())) {
            assertEquals(0, left.count(), "no temporary file either");
        }
    }

    @Test
    void stackOverflowEndsWithExit70AndASummaryLine() {
        Outcome outcome = run(() -> recurse(0));
        assertEquals(ExitCodes.INTERNAL, outcome.exit(), outcome.err());
        String first = outcome.err().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("vectrain: internal error: java.lang.StackOverflowError"), first);
        assertTrue(outcome.err().contains("\tat "), "the trace follows");
    }

    @Test
    void messagesQuotingLineEndsStayOneLine() {
        Outcome outcome = run(() -> {
            throw new InputException("--data a\nb\r\tc: no such folder");
        });
        assertEquals(ExitCodes.USAGE, outcome.exit());
        assertEquals("vectrain: --data a\\nb\\r\\tc: no such folder", outcome.err().strip());
        CliRun viaPath = CliRun.of("data", "info", "--data", tmp.resolve("two\nlines").toString());
        viaPath.assertRefused("two\\nlines");
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }
}

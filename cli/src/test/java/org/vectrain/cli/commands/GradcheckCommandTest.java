package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.ExitCodes;
import org.vectrain.cli.Main;
import org.vectrain.engine.data.BinaryCifarSource;
import org.vectrain.engine.reference.DoubleReference;
import picocli.CommandLine;

/** {@code vectrain gradcheck} in-process: passes on real data, and rejects a bad {@code --data} with exit code 2. */
class GradcheckCommandTest {

    /** Exit code, standard output and standard error of one in-process run. */
    record Outcome(int code, String out, String err) {
    }

    static Outcome run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            System.out.flush();
            System.err.flush();
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    /** The real data folder, or a visible skip of {@code test} when it is absent. */
    static String realData(String test) {
        String folder = System.getenv("VECTRAIN_TEST_DATA");
        boolean present = folder != null && !folder.isBlank() && BinaryCifarSource.recognises(Path.of(folder));
        if (!present) {
            System.out.println("SKIPPED GradcheckCommandTest." + test + ": no CIFAR-10 binary batches"
                    + " (set -Dvectrain.data=DIR)");
        }
        Assumptions.assumeTrue(present, "real CIFAR-10 not found: VECTRAIN_TEST_DATA='" + folder
                + "' (set -Dvectrain.data=.../cifar-10-batches-bin)");
        return folder;
    }

    @Test
    void passesOnRealDataAndPrintsTheTable() {
        String folder = realData("passesOnRealDataAndPrintsTheTable");
        Outcome o = run("gradcheck", "--data", folder, "--seed", "3", "--entries", "40");
        System.out.print(o.out());
        assertEquals(ExitCodes.OK, o.code(), () -> "exit code; stdout:\n" + o.out() + "\nstderr:\n" + o.err());
        List<String> tableLines = o.out().lines().filter(l -> l.startsWith("|")).toList();
        // header, rule, then 6 settings x 4 rows
        assertEquals(2 + 24, tableLines.size(), o.out());
        assertTrue(tableLines.get(0).contains("max rel error"), tableLines.get(0));
        assertTrue(tableLines.get(1).matches("[|:\\- ]+"), tableLines.get(1));
        int width = tableLines.get(0).length();
        assertTrue(tableLines.stream().allMatch(l -> l.length() == width), "columns are aligned");
        assertTrue(o.out().contains("analytic vs numeric") && o.out().contains("float vs double"));
        assertTrue(o.out().contains("PASS"), o.out());
    }

    @Test
    void wrongGradientExitsWithCheckFailed() {
        String folder = realData("wrongGradientExitsWithCheckFailed");
        GradcheckCommand command = new GradcheckCommand();
        // dW without its 2 lambda W term: the lambda > 0 rows must fail.
        command.analytic = (w, b, classes, dim, x, labels, rows, lambda, dw, db) ->
                DoubleReference.gradients(w, b, classes, dim, x, labels, rows, 0, dw, db);
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("--data", folder, "--entries", "5");
        assertEquals(ExitCodes.CHECK_FAILED, code, out.toString());
        assertTrue(out.toString().contains("FAIL: 6 of 24 rows"), out.toString());
    }

    @Test
    void badDataFolderIsAUsageErrorOnOneLine(@TempDir Path empty) {
        Outcome o = run("gradcheck", "--data", empty.toString());
        assertEquals(ExitCodes.USAGE, o.code());
        List<String> lines = o.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), o.err());
        assertTrue(lines.get(0).startsWith("vectrain: " + empty + " (from --data): no CIFAR-10 found"), lines.get(0));
        assertTrue(o.out().isEmpty(), o.out());
    }

    @Test
    void badEntriesIsAUsageError(@TempDir Path empty) {
        Outcome o = run("gradcheck", "--data", empty.toString(), "--entries", "0");
        assertEquals(ExitCodes.USAGE, o.code());
        assertTrue(o.err().startsWith("vectrain: --entries: 0"), o.err());
    }
}

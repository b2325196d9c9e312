package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.CliRun;
import org.vectrain.cli.ExitCodes;
import org.vectrain.cli.Main;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.reference.DoubleReference;
import picocli.CommandLine;

/** {@code vectrain gradcheck} in-process: passes on real data, and rejects a bad {@code --data} with exit code 2. */
class GradcheckCommandTest {

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void passesOnRealDataAndPrintsTheTable() {
        String folder = CifarFixtures.realData().toString();
        CliRun o = run("gradcheck", "--data", folder, "--seed", "3", "--entries", "40");
        System.out.print(o.out());
        assertEquals(ExitCodes.OK, o.exit(), () -> "exit code; stdout:\n" + o.out() + "\nstderr:\n" + o.err());
        List<String> tableLines = tableLines(o.out());
        // header, rule, then 6 settings x 4 rows
        assertEquals(2 + 24, tableLines.size(), o.out());
        assertTrue(tableLines.get(0).startsWith("setting") && tableLines.get(0).contains("max rel error"),
                tableLines.get(0));
        assertTrue(tableLines.get(1).matches("[\\- ]+"), tableLines.get(1));
        int resultColumn = tableLines.get(0).indexOf("result");
        assertTrue(tableLines.stream().skip(2).allMatch(l -> l.startsWith("ok", resultColumn)), "columns are aligned");
        assertTrue(o.out().contains("analytic vs numeric") && o.out().contains("float vs double"));
        assertTrue(o.out().contains("PASS"), o.out());
        // plain text for a terminal: no Markdown pipes or escapes such as W\[7,14\]
        assertTrue(o.out().lines().noneMatch(l -> l.startsWith("|")), o.out());
        assertTrue(!o.out().contains("\\[") && !o.out().contains("\\_"), o.out());
        assertTrue(o.out().contains(" W[") && o.out().contains(" b["), o.out());
    }

    /** The lines of the table a command printed: from its header (starting "setting") to the next blank line. */
    static List<String> tableLines(String out) {
        List<String> lines = out.lines().toList();
        int start = 0;
        while (start < lines.size() && !lines.get(start).startsWith("setting  ")) {
            start++;
        }
        int end = start;
        while (end < lines.size() && !lines.get(end).isBlank()) {
            end++;
        }
        return lines.subList(start, end);
    }

    @Test
    void theDefaultSeedIsEveryOtherCommandsSoTheRowsMatchTheSuiteReport(@TempDir Path tmp) throws Exception {
        String folder = CifarFixtures.realData().toString();
        CliRun check = run("gradcheck", "--data", folder);
        check.assertOk();
        assertTrue(check.out().contains("seed 42,"), check.out());
        Path report = tmp.resolve("report");
        CliRun.of("suite", "--data", folder, "--out", report.toString(), "--settings", "2", "--epochs", "1",
                "--quiet").assertOk();
        String markdown = java.nio.file.Files.readString(report.resolve("report.md"));
        List<String> suiteRows = markdown.lines().filter(l -> l.startsWith("| D=")).map(l -> l.replace("\\", "")
                .replaceAll("\\s*\\|\\s*", "|")).toList();
        List<String> checkRows = tableLines(check.out()).stream().skip(2).map(l -> "|" + l.strip()
                .replaceAll("\\s{2,}", "|") + "|").toList();
        assertEquals(24, suiteRows.size(), markdown);
        assertEquals(suiteRows, checkRows);
    }

    @Test
    void wrongGradientExitsWithCheckFailed() {
        String folder = CifarFixtures.realData().toString();
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
        CliRun o = run("gradcheck", "--data", empty.toString());
        assertEquals(ExitCodes.USAGE, o.exit());
        List<String> lines = o.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), o.err());
        assertTrue(lines.get(0).startsWith("vectrain: " + empty + " (from --data): no CIFAR-10 found"), lines.get(0));
        assertTrue(o.out().isEmpty(), o.out());
    }

    @Test
    void badEntriesIsAUsageError(@TempDir Path empty) {
        CliRun o = run("gradcheck", "--data", empty.toString(), "--entries", "0");
        assertEquals(ExitCodes.USAGE, o.exit());
        assertTrue(o.err().startsWith("vectrain: --entries: must be at least 1, was 0"), o.err());
    }

    @Test
    void twoLayerNetworkPassesOnRealDataWithItsFourParameters() {
        String folder = CifarFixtures.realData().toString();
        CliRun o = run("gradcheck", "--data", folder, "--hidden", "50", "--entries", "40");
        assertEquals(ExitCodes.OK, o.exit(), () -> "exit code; stdout:\n" + o.out() + "\nstderr:\n" + o.err());
        List<String> tableLines = tableLines(o.out());
        // header, rule, then 6 settings x 8 rows
        assertEquals(2 + 48, tableLines.size(), o.out());
        assertTrue(o.out().contains("two-layer network (50 hidden units)"), o.out());
        for (String parameter : List.of(" W1[", " b1[", " W2[", " b2[")) {
            assertTrue(o.out().contains(parameter), parameter + " in\n" + o.out());
        }
        assertTrue(o.out().contains("D=3072, m=50, n=100"), o.out());
        assertTrue(o.out().contains("PASS"), o.out());
    }

    @Test
    void hiddenUnitsOutOfRangeAreAUsageError(@TempDir Path empty) {
        for (String bad : List.of("0", "-3", "100000")) {
            CliRun o = run("gradcheck", "--data", empty.toString(), "--hidden", bad);
            assertEquals(ExitCodes.USAGE, o.exit(), o.err());
            assertTrue(o.err().startsWith("vectrain: --hidden: " + bad + " must be in 1..4096"), o.err());
        }
    }
}

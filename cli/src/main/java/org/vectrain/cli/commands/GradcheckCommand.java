package org.vectrain.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vectrain.cli.ExitCodes;
import org.vectrain.engine.InputException;
import org.vectrain.engine.check.GradientCheck;
import org.vectrain.engine.check.GradientCheck.Row;
import org.vectrain.engine.data.BinaryCifarSource;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.data.Normalization;
import org.vectrain.engine.model.DataSet;
import org.vectrain.engine.reference.DoubleReference;
import org.vectrain.engine.simd.KernelProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vectrain gradcheck}: runs {@link GradientCheck} on the normalised first training batch and
 * prints the largest errors per setting, comparison and parameter as an aligned Markdown table.
 * Exit code 0 when every row is within its threshold, {@link ExitCodes#CHECK_FAILED} otherwise.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = {"Checks the analytic gradients against centred finite differences (double) and the float "
                + "SIMD gradients against the double ones, on real CIFAR-10.",
            "Exit code 0 when all pass, 1 when any error is over its threshold, 2 on bad input."})
public final class GradcheckCommand implements Callable<Integer> {
    /** Environment variable naming the data folder when {@code --data} is not given. */
    static final String DATA_ENV = "VECTRAIN_DATA";
    /** The batch the check reads; normalisation is fitted on the whole of it, as for training. */
    static final String BATCH = "data_batch_1";

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "CIFAR-10 folder in the binary layout (cifar-10-batches-bin); default: $" + DATA_ENV)
    String data;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + GradientCheck.DEFAULT_SEED,
            description = "seed of the initial W, b and of the checked entries (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--entries", paramLabel = "N", defaultValue = "" + GradientCheck.DEFAULT_ENTRIES,
            description = "W entries of the full model checked by finite differences (default: ${DEFAULT-VALUE})")
    int entries;

    /** The gradient under check; only tests replace it, to see the command fail. */
    GradientCheck.AnalyticGradient analytic = DoubleReference::gradients;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Options first, then data: a bad flag is reported before a slow read.
        GradientCheck check = new GradientCheck(KernelProvider.kernels(), seed, entries, analytic);
        CifarSource source = openSource(data);
        if (!KernelProvider.warning().isEmpty()) {
            err.println("vectrain: " + KernelProvider.warning());
        }
        LabeledImages images = source.read(BATCH);
        DataSet set = DataSet.of(BATCH, images, Normalization.fit(images));

        out.printf(Locale.ROOT, "Gradient check on %s (%s, normalised), seed %d, h = %.0e * max(1, |θ|), kernels: %s%n",
                BATCH, source.folder(), seed, GradientCheck.STEP, check.kernels().description());
        out.flush();
        List<Row> rows = check.run(set);
        out.println();
        out.print(table(rows));
        out.println();
        long failed = rows.stream().filter(r -> !r.passed()).count();
        if (failed == 0) {
            out.printf(Locale.ROOT, "PASS: all %d rows within their thresholds (analytic vs numeric < %.0e, "
                    + "float vs double < %.0e).%n", rows.size(), GradientCheck.NUMERIC_THRESHOLD,
                    GradientCheck.FLOAT_THRESHOLD);
        } else {
            out.printf(Locale.ROOT, "FAIL: %d of %d rows over their thresholds.%n", failed, rows.size());
        }
        out.flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    /**
     * The data folder from {@code --data}, else from {@value #DATA_ENV}, as a binary-layout source.
     * Kept to this one method so that the shared data-location resolution can replace it.
     */
    private static CifarSource openSource(String option) {
        String flag = "--data";
        String dir = option;
        if (dir == null) {
            flag = DATA_ENV + "=";
            dir = System.getenv(DATA_ENV);
            if (dir == null || dir.isBlank()) {
                throw new InputException("--data: not given and " + DATA_ENV + " is not set; point either at a "
                        + "cifar-10-batches-bin folder");
            }
        }
        Path folder = Path.of(dir);
        if (!BinaryCifarSource.recognises(folder)) {
            throw new InputException(flag + (flag.endsWith("=") ? "" : " ") + dir + ": no CIFAR-10 binary batches "
                    + "found (expected data_batch_1.bin, as in cifar-10-batches-bin/)");
        }
        return new BinaryCifarSource(folder);
    }

    /**
     * The rows as an aligned Markdown table: setting, comparison, parameter, entries checked, largest
     * absolute and relative error, where the latter occurred, threshold, entries under the eps floor
     * and the verdict.
     */
    public static String table(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"setting", "comparison", "param", "entries", "max abs error", "max rel error", "at",
            "threshold", "under eps", "result"});
        for (Row r : rows) {
            cells.add(new String[] {r.setting(), r.comparison().label(), r.parameter(), Integer.toString(r.entries()),
                sci(r.maxAbsError()), sci(r.maxRelError()), r.worstEntry(), sci(r.threshold()),
                r.comparison() == GradientCheck.Comparison.NUMERIC ? r.floored() + " (eps " + sci(r.eps()) + ")" : "-",
                r.passed() ? "ok" : "FAIL"});
        }
        int columns = cells.get(0).length;
        int[] width = new int[columns];
        for (String[] line : cells) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        // Numbers are right-aligned so that their exponents line up; text is left-aligned.
        boolean[] right = {false, false, false, true, true, true, false, true, false, false};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            appendLine(sb, cells.get(i), width, right);
            if (i == 0) {
                String[] rule = new String[columns];
                for (int c = 0; c < columns; c++) {
                    rule[c] = right[c] ? "-".repeat(width[c] - 1) + ":" : "-".repeat(width[c]);
                }
                appendLine(sb, rule, width, right);
            }
        }
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, String[] line, int[] width, boolean[] right) {
        sb.append('|');
        for (int c = 0; c < line.length; c++) {
            String pad = " ".repeat(width[c] - line[c].length());
            sb.append(' ').append(right[c] ? pad + line[c] : line[c] + pad).append(" |");
        }
        sb.append(System.lineSeparator());
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.2e", v);
    }
}

package org.vectrain.cli.commands;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vectrain.cli.ExitCodes;
import org.vectrain.cli.report.Table;
import org.vectrain.cli.report.Tables;
import org.vectrain.engine.check.GradientCheck;
import org.vectrain.engine.check.TwoLayerGradientCheck;
import org.vectrain.engine.model.TwoLayerModel;
import org.vectrain.engine.InputException;
import org.vectrain.engine.check.GradientCheck.Row;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.data.Normalization;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.reference.DoubleReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
    /** The batch the check reads; normalisation is fitted on the whole of it, as for training. */
    static final String BATCH = "data_batch_1";

    @Spec
    CommandSpec spec;

    @Mixin
    DataOption data;

    @Mixin
    RecordLimitOption recordLimit;

    @Option(names = "--seed", paramLabel = "N", defaultValue = RunOptions.DEFAULT_SEED,
            description = "Seed of the initial W, b and of the checked entries; the same default as every other "
                    + "command, so that the rows match the suite report's gradient check (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--entries", paramLabel = "N", defaultValue = "" + GradientCheck.DEFAULT_ENTRIES,
            description = "W entries of the full model checked by finite differences (default: ${DEFAULT-VALUE}).")
    int entries;

    @Option(names = "--hidden", paramLabel = "M",
            description = "Check the two-layer network with a ReLU hidden layer of M units (W1, b1, W2, b2) instead "
                    + "of the one-layer model; --entries then counts W1 entries.")
    Integer hidden;

    /** The gradient under check; only tests replace it, to see the command fail. */
    GradientCheck.AnalyticGradient analytic = DoubleReference::gradients;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Options first, then data: a bad flag is reported before a slow read.
        GradientCheck check = new GradientCheck(KernelProvider.kernels(), seed, entries, analytic);
        TwoLayerGradientCheck twoLayer = null;
        if (hidden != null) {
            if (hidden < 1 || hidden > TwoLayerModel.MAX_HIDDEN) {
                throw new InputException("--hidden: " + hidden + " must be in 1.." + TwoLayerModel.MAX_HIDDEN);
            }
            twoLayer = new TwoLayerGradientCheck(KernelProvider.twoLayerKernels(),
                    KernelProvider.kernels().softmaxLoss(), seed, entries, hidden);
        }
        CifarSource source = recordLimit.apply(data.open());
        if (!KernelProvider.warning().isEmpty()) {
            err.println("vectrain: " + KernelProvider.warning());
        }
        LabeledImages images = source.read(BATCH);
        DataSet set = DataSet.of(BATCH, images, Normalization.fit(images));

        out.printf(Locale.ROOT, "Gradient check%s on %s (%s, normalised), seed %d, h = %.0e * max(1, |θ|), kernels: %s%n",
                hidden == null ? "" : " of the two-layer network (" + hidden + " hidden units)", BATCH,
                source.folder(), seed, GradientCheck.STEP, check.kernels().description());
        out.flush();
        List<Row> rows = twoLayer == null ? check.run(set) : twoLayer.run(set);
        out.println();
        out.print(Tables.toText(table(rows)));
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
     * The rows as a table: setting, comparison, parameter, entries checked, largest absolute and
     * relative error, where the latter occurred, threshold, entries under the eps floor and the verdict.
     */
    public static Table table(List<Row> rows) {
        Table.Builder table = Table.builder("setting", "comparison", "param", "entries", "max abs error",
                "max rel error", "at", "threshold", "under eps", "result");
        for (Row r : rows) {
            table.row(r.setting(), r.comparison().label(), r.parameter(), r.entries(), sci(r.maxAbsError()),
                    sci(r.maxRelError()), r.worstEntry(), sci(r.threshold()),
                    r.comparison() == GradientCheck.Comparison.NUMERIC ? r.floored() + " (eps " + sci(r.eps()) + ")" : "-",
                    r.passed() ? "ok" : "FAIL");
        }
        return table.build();
    }

    /** What the table compares and how, for the report. */
    public static String explanation() {
        return String.format(Locale.ROOT, "Analytic gradients of the cost (double precision) against centred "
                + "finite differences with step h = %.0e·max(1, |θ|), and the float SIMD gradients against the "
                + "double analytic ones, on the first samples of the training set from a N(0, 0.01²) "
                + "initialisation. Relative error |a − n| / max(eps, |a| + |n|); entries whose gradient is below "
                + "eps, where rounding noise dominates, are held to an absolute bound instead (column \"under "
                + "eps\"). Thresholds: %.0e for analytic against numeric, %.0e for float against double.",
                GradientCheck.STEP, GradientCheck.NUMERIC_THRESHOLD, GradientCheck.FLOAT_THRESHOLD);
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.2e", v);
    }
}

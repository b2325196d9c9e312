package org.vectrain.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.vectrain.cli.ExitCodes;
import org.vectrain.cli.report.Curve;
import org.vectrain.cli.report.CurvePlots;
import org.vectrain.cli.report.Table;
import org.vectrain.cli.report.Tables;
import org.vectrain.engine.InputException;
import org.vectrain.engine.compare.RunComparison;
import org.vectrain.engine.compare.RunComparison.Deviation;
import org.vectrain.engine.compare.RunRecord;
import org.vectrain.engine.compare.RunRecord.EvalSet;
import org.vectrain.engine.compare.RunRecord.Figure;
import org.vectrain.engine.compare.Tolerances;
import org.vectrain.engine.io.AtomicFiles;
import org.vectrain.engine.io.JsonFiles;
import org.vectrain.engine.train.RunFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vectrain compare RUN_A RUN_B}: measures run A against reference run B ({@link RunComparison}) and
 * prints the two runs side by side (settings, last-epoch figures, test figures, which one is better on
 * validation and test accuracy, the configuration entries that differ), then the per-epoch differences
 * (A − B), the largest deviation and where, the relative distance of the final weights and a verdict. Exit code 0 when they agree, {@link ExitCodes#CHECK_FAILED} when not,
 * {@link ExitCodes#USAGE} when they cannot be compared.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare two run folders (summary.json, and W.npy where present): per-epoch loss, cost and "
                + "accuracy on both sets, and the final weights, against tolerances. RUN_B is the reference.",
            "Exit code 0 when the runs agree, 1 when they do not, 2 on bad input (a missing folder or summary, "
                    + "different epoch counts)."})
public final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_A", description = "The run under test (a folder with summary.json).")
    Path runA;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "The reference run.")
    Path runB;

    @Option(names = "--rtol", paramLabel = "X", defaultValue = "" + Tolerances.DEFAULT_RTOL,
            description = "Relative tolerance on loss and cost: |a - b| <= atol + rtol |b| (default: ${DEFAULT-VALUE}).")
    double rtol;

    @Option(names = "--atol", paramLabel = "X", defaultValue = "" + Tolerances.DEFAULT_ATOL,
            description = "Absolute tolerance on loss and cost (default: ${DEFAULT-VALUE}).")
    double atol;

    @Option(names = "--acc-tol", paramLabel = "X", defaultValue = "" + Tolerances.DEFAULT_ACC_TOL,
            description = "Largest accuracy difference, as a fraction: 0.001 is one image in 1,000 "
                    + "(default: ${DEFAULT-VALUE}).")
    double accTol;

    @Option(names = "--weights-rtol", paramLabel = "X", defaultValue = "" + Tolerances.DEFAULT_WEIGHTS_RTOL,
            description = "Largest ||Wa - Wb||_F / ||Wb||_F of the final weights (default: ${DEFAULT-VALUE}).")
    double weightsRtol;

    @Option(names = "--plot", paramLabel = "FILE",
            description = "Also write a PNG overlaying both runs' training and validation loss curves.")
    Path plot;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Tolerances tolerances = new Tolerances(rtol, atol, accTol, weightsRtol);
        if (plot != null) {
            checkPlotPath(plot);
        }
        RunRecord a = RunRecord.read(runA, "RUN_A");
        RunRecord b = RunRecord.read(runB, "RUN_B");
        RunComparison comparison = RunComparison.of(a, b, tolerances);
        if (plot != null) {
            CurvePlots.writeOverlay(plot, "Loss: A = " + runA + ", B = " + runB, "loss", curves(a, b));
        }
        PrintWriter out = spec.commandLine().getOut();
        JsonNode summaryA = JsonFiles.readTree(runA.resolve(RunFiles.SUMMARY));
        JsonNode summaryB = JsonFiles.readTree(runB.resolve(RunFiles.SUMMARY));
        out.printf(Locale.ROOT, "A: %s%nB: %s (the reference)%n%n", runA, runB);
        out.print(Tables.toText(sideBySide(a, b, summaryA, summaryB)));
        out.println();
        List<String> differences = configDifferences(summaryA.path("config"), summaryB.path("config"));
        out.println(differences.isEmpty() ? "configuration: the same"
                : "configuration differences (A vs B): " + String.join("; ", differences));
        out.println(better("validation accuracy", last(a, EvalSet.VAL, Figure.ACCURACY),
                last(b, EvalSet.VAL, Figure.ACCURACY)));
        out.println(better("test accuracy", test(summaryA, "accuracy"), test(summaryB, "accuracy")));
        out.println();
        out.println("per epoch, A − B:");
        out.print(Tables.toText(table(comparison)));
        out.println();
        List<Deviation> failures = comparison.failures();
        for (Deviation d : failures.subList(0, Math.min(failures.size(), 5))) {
            out.printf(Locale.ROOT, "beyond tolerance: %s: %.8g vs %.8g, |Δ| %.2e > %.2e%n", d.where(), d.a(), d.b(),
                    Math.abs(d.difference()), d.allowed());
        }
        if (failures.size() > 5) {
            out.println("... and " + (failures.size() - 5) + " more");
        }
        out.printf(Locale.ROOT, "tolerances: loss and cost |Δ| <= %.1e + %.1e |B|; accuracy |Δ| <= %.1e; "
                + "weights <= %.1e%n", atol, rtol, accTol, weightsRtol);
        if (plot != null) {
            out.println("plot: " + plot);
        }
        out.println(comparison.verdict());
        out.flush();
        return comparison.agree() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    /** Refuses a --plot that names no file: empty, a folder (the root included), or in a folder that cannot be written. */
    private static void checkPlotPath(Path plot) {
        if (plot.toString().isEmpty()) {
            throw new InputException("--plot: the path is empty");
        }
        Path parent = plot.toAbsolutePath().getParent();
        if (parent == null || Files.isDirectory(plot)) {
            throw new InputException("--plot " + plot + ": is a folder, expected the name of a PNG file");
        }
        AtomicFiles.ensureWritableDirectory(parent, "--plot");
    }

    /**
     * The two runs side by side: their settings, the last epoch's loss, cost and accuracy on both sets, the
     * test figures (when the run measured them) and the kernels, with A − B where it is a number. A figure
     * a run did not measure shows as "-".
     */
    static Table sideBySide(RunRecord a, RunRecord b, JsonNode summaryA, JsonNode summaryB) {
        Table.Builder table = Table.builder("", "A", "B", "A − B");
        table.row("setting", a.label(), b.label(), a.label().equals(b.label()) ? "same" : "differ");
        table.row("epochs", a.epochs(), b.epochs(), a.epochs() - b.epochs());
        table.row("model of epoch", summaryA.path("model_epoch").asInt(a.epochs()),
                summaryB.path("model_epoch").asInt(b.epochs()), "");
        for (EvalSet set : EvalSet.values()) {
            for (Figure figure : List.of(Figure.LOSS, Figure.COST)) {
                double va = last(a, set, figure);
                double vb = last(b, set, figure);
                table.row("last " + set.title() + " " + figure.key(), number(va), number(vb), signed(va - vb));
            }
        }
        for (EvalSet set : EvalSet.values()) {
            double va = last(a, set, Figure.ACCURACY);
            double vb = last(b, set, Figure.ACCURACY);
            table.row("last " + set.title() + " accuracy", percent(va), percent(vb), points(va - vb));
        }
        double ta = test(summaryA, "accuracy");
        double tb = test(summaryB, "accuracy");
        table.row("test accuracy", percent(ta), percent(tb), points(ta - tb));
        double la = test(summaryA, "loss");
        double lb = test(summaryB, "loss");
        table.row("test loss", number(la), number(lb), signed(la - lb));
        table.row("kernels", a.kernels(), b.kernels(), a.kernels().equals(b.kernels()) ? "same" : "differ");
        return table.build();
    }

    /** Which run is better on a figure, and by how much, in one line. */
    static String better(String what, double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            return what + ": " + (Double.isFinite(a) || Double.isFinite(b) ? "only " + (Double.isFinite(a) ? "A" : "B")
                    + " measured it (" + percent(Double.isFinite(a) ? a : b) + ")" : "measured by neither run");
        }
        if (a == b) {
            return what + ": the same, " + percent(a);
        }
        return String.format(Locale.ROOT, "%s: %s is better by %.2f points (%s against %s)", what, a > b ? "A" : "B",
                100 * Math.abs(a - b), percent(Math.max(a, b)), percent(Math.min(a, b)));
    }

    /** The configuration entries that differ, as {@code key: a vs b}, in the summaries' order. */
    static List<String> configDifferences(JsonNode a, JsonNode b) {
        Map<String, String> flatA = new LinkedHashMap<>();
        Map<String, String> flatB = new LinkedHashMap<>();
        flatten("", a, flatA);
        flatten("", b, flatB);
        // The label restates the other entries; the data source is where the files were, not what they were.
        for (String ignored : List.of("label", "data.source")) {
            flatA.remove(ignored);
            flatB.remove(ignored);
        }
        Set<String> keys = new LinkedHashSet<>(flatA.keySet());
        keys.addAll(flatB.keySet());
        List<String> differences = new ArrayList<>();
        for (String key : keys) {
            String va = flatA.getOrDefault(key, "-");
            String vb = flatB.getOrDefault(key, "-");
            if (!va.equals(vb)) {
                differences.add(key + ": " + va + " vs " + vb);
            }
        }
        return differences;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix + e.getKey() + ".", e.getValue(), into));
        } else if (!node.isMissingNode()) {
            into.put(prefix.substring(0, Math.max(0, prefix.length() - 1)), node.isTextual() ? node.asText()
                    : node.toString());
        }
    }

    private static double last(RunRecord r, EvalSet set, Figure figure) {
        double[] values = r.values(set, figure);
        return values[values.length - 1];
    }

    /** A test figure from a summary, NaN when the run was not measured on the test set. */
    private static double test(JsonNode summary, String figure) {
        JsonNode v = summary.path("test").path(figure);
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
    }

    private static String signed(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.2e", v) : "-";
    }

    private static String percent(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f %%", 100 * v) : "-";
    }

    private static String points(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.2f points", 100 * v) : "-";
    }

    /** One row per epoch: A − B of every figure, and the largest ratio of difference to allowance. */
    static Table table(RunComparison comparison) {
        List<String> columns = new ArrayList<>(List.of("epoch"));
        for (EvalSet set : EvalSet.values()) {
            for (Figure figure : Figure.values()) {
                columns.add("Δ " + set.key() + " " + figure.key());
            }
        }
        columns.add("worst |Δ|/allowed");
        Table.Builder table = Table.builder(columns.toArray(String[]::new));
        int perEpoch = EvalSet.values().length * Figure.values().length;
        List<Deviation> all = comparison.deviations();
        for (int e = 0; e < all.size() / perEpoch; e++) {
            List<Object> row = new ArrayList<>();
            row.add(e + 1);
            double worst = 0;
            for (Deviation d : all.subList(e * perEpoch, (e + 1) * perEpoch)) {
                row.add(String.format(Locale.ROOT, "%+.2e", d.difference()));
                worst = Math.max(worst, d.ratio());
            }
            row.add(String.format(Locale.ROOT, "%.2f%s", worst, worst <= 1 ? "" : " FAIL"));
            table.row(row.toArray());
        }
        return table.build();
    }

    private static List<Curve> curves(RunRecord a, RunRecord b) {
        List<Curve> curves = new ArrayList<>();
        for (RunRecord r : List.of(a, b)) {
            String which = r == a ? "A" : "B";
            for (EvalSet set : EvalSet.values()) {
                curves.add(new Curve(which + " " + set.title(), 1, r.values(set, Figure.LOSS)));
            }
        }
        return curves;
    }
}

package org.vectrain.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.vectrain.cli.report.ReportWriter;
import org.vectrain.cli.report.Table;
import org.vectrain.cli.report.Tables;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.data.PreparedData;
import org.vectrain.engine.data.Split;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.train.HyperSearch;
import org.vectrain.engine.train.HyperSearch.Values;
import org.vectrain.engine.train.LearningRateSchedule;
import org.vectrain.engine.train.Loss;
import org.vectrain.engine.train.ParallelRuns;
import org.vectrain.engine.train.RandomStreams;
import org.vectrain.engine.train.RunEnvironment;
import org.vectrain.engine.train.TrainConfig;
import org.vectrain.engine.train.TrainResult;
import org.vectrain.engine.train.Trainer;

/**
 * The Bonus section of {@code vectrain suite --bonus}: the assignment's grid search on the {@code all} split
 * (chosen on validation accuracy), then the improvements added one at a time to its choice, tuned settings
 * and the other losses, compared on a larger validation set (the selection split: the last
 * {@link #SELECTION_VALIDATION} training images held out, so that a choice between settings a few tenths of
 * a percent apart is not decided by a handful of the 1,000 images of the {@code all} split); the best of
 * those on validation is trained again on the {@code all} split, and that run is the bonus result.
 */
final class BonusSection {
    static final String FOLDER = "bonus";
    /** Sub-folder of the winner's run on the all split. */
    static final String FINAL_FOLDER = "chosen-all";
    /** Epochs of every bonus run unless {@code --epochs} says otherwise. */
    static final int EPOCHS = 40;
    /**
     * A setting found by a random search on validation accuracy ({@code vectrain search --split all --lambdas
     * 0.003,0.01,0.03 --etas 0.001,0.003 --shuffle --flip --keep-best --schedule step --step-every 10
     * --step-factor 0.5}): smaller λ and a larger starting η than the grid offers, which the decay then tames.
     */
    static final double TUNED_LAMBDA = 0.003;
    static final double TUNED_ETA = 0.003;
    static final LearningRateSchedule STEP = LearningRateSchedule.step(10, 0.5);
    /**
     * Starting η of the other losses, each the best on validation of η ∈ {0.0003, 0.001, 0.003, 0.01, 0.03}
     * in 10-epoch searches at λ = 0.003 with shuffling ({@code vectrain search --split all --epochs 10
     * --lambdas 0.003 --etas 0.0003,0.001,0.003,0.01,0.03 --shuffle --loss svm}, resp. {@code bce}): the
     * hinge's gradient is a count of active margins, larger than p - y, and BCE's is divided by K.
     */
    static final double SVM_ETA = 0.0003;
    static final double BCE_ETA = 0.01;
    /**
     * The final setting, from searches on the selection split's 5,000 validation images with translations of
     * ±1 pixel ({@code vectrain search --split all --val-size 5000 --epochs 60 --shuffle --flip --translate 1
     * --keep-best} with {@code --average-from 11}, then with {@code --schedule cyclic --eta-min 0.0001
     * --half-cycle 900} or {@code --schedule step}; docs/results.md, bonus): no regularisation (the
     * translations and flips regularise, and the linear model underfits), a peak η ten times f's, brought
     * down by the cycles and smoothed by averaging the weights.
     */
    static final double FINAL_LAMBDA = 0;
    static final double FINAL_ETA = 0.03;
    static final double FINAL_ETA_MIN = 1e-4;
    /** n_s of the final setting, in epochs of update steps (assignment 2's choice, 2 floor(n / n_batch)). */
    static final int FINAL_HALF_CYCLE_EPOCHS = 2;
    /** The final setting averages the weights from this epoch on (or from the last, in shorter runs). */
    static final int FINAL_AVERAGE_FROM = 5;
    /** Largest shift of the translations, in pixels; ±2 did worse on validation. */
    static final int TRANSLATE = 1;
    /** Starting η of the final setting with the other losses, each the best on validation of three (docs/results.md). */
    static final double FINAL_SVM_ETA = 0.003;
    static final double FINAL_BCE_ETA = 0.1;
    /** Validation images of the selection split, at most a tenth of the training batches. */
    static final int SELECTION_VALIDATION = 5000;

    /** One run of the improvements table. */
    record Variant(String name, String what, TrainConfig config) {
    }

    private BonusSection() {
    }

    /**
     * Runs the bonus experiments, writes them under {@code out/bonus/} and adds the section to {@code report}.
     *
     * @return whether no run diverged
     */
    static boolean run(Kernels kernels, int threads, CifarSource source, int validationSize, long seed,
            Integer epochsOverride, Path out, ReportWriter report, boolean quiet, PrintWriter stdout) {
        int epochs = epochsOverride == null ? EPOCHS : epochsOverride;
        long loadStart = System.nanoTime();
        PreparedData data = PreparedData.load(source, Split.ALL, validationSize);
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        Path folder = out.resolve(FOLDER);
        RunEnvironment environment = RunEnvironment.current(kernels.description(), threads);

        // 1. the assignment's grid, on validation accuracy
        TrainConfig base = new TrainConfig(0, 0.001, 1, epochs, seed, false, false);
        List<TrainConfig> grid = HyperSearch.grid(list("--lambdas", HyperSearch.ASSIGNMENT_LAMBDAS),
                list("--etas", HyperSearch.ASSIGNMENT_ETAS), list("--batches", HyperSearch.ASSIGNMENT_BATCHES))
                .stream().map(c -> c.config(base)).toList();
        SearchCommand.Outcome search = SearchCommand.run(kernels, threads, data, grid, seed, folder.resolve("grid"),
                false, quiet, stdout);
        TrainConfig chosen = grid.get(search.chosen());
        say(quiet, stdout, String.format(Locale.ROOT, "bonus grid: %d settings x %d epochs on the all split in "
                + "%.2f s; chosen %s, test %s", grid.size(), epochs, search.seconds(), chosen.label(),
                search.test() == null ? "- (every setting diverged)" : percent(search.test().accuracy())));

        // 2. the improvements, added one at a time to the grid's choice, and the tuned settings, compared on
        // the selection split (the all split's data with more images held out for validation)
        int selectionSize = selectionValidationSize(validationSize, data.train().size() + data.validation().size());
        PreparedData selection = selectionSize == data.validation().size() ? data
                : PreparedData.load(source, Split.ALL, selectionSize);
        List<Variant> variants = variants(chosen, selection.train().size());
        SoftmaxModel initial = SoftmaxModel.gaussian(LabeledImages.CLASSES, LabeledImages.PIXELS,
                new RandomStreams(seed).init(), false);
        String initDescription = "gaussian N(0, 0.01^2), seed " + seed;
        long improveStart = System.nanoTime();
        List<TrainResult> results;
        long totalEpochs = variants.stream().mapToLong(v -> v.config().epochs()).sum();
        try (ProgressDisplay display = new ProgressDisplay("bonus: " + ProgressDisplay.count(variants.size(),
                "setting"), totalEpochs, variants.size(), 0, quiet, stdout)) {
            List<Function<Trainer, TrainResult>> jobs = new ArrayList<>();
            for (Variant v : variants) {
                ProgressDisplay.Run run = display.run(v.name());
                jobs.add(trainer -> RunExecutor.run(trainer, selection, v.config(), initial, initDescription,
                        folder.resolve(v.name()), environment, run));
            }
            results = ParallelRuns.run(kernels, threads, jobs);
        }
        double improveSeconds = (System.nanoTime() - improveStart) / 1e9;
        List<Integer> ranking = HyperSearch.ranking(results);
        int best = ranking.get(0);

        // 3. the choice, trained again on the all split (its n_s follows the larger training set)
        Variant winner = variants.get(best);
        TrainConfig finalConfig = variants(chosen, data.train().size()).get(best).config();
        long finalStart = System.nanoTime();
        TrainResult fin;
        if (selection == data) {
            fin = results.get(best);
        } else {
            try (ProgressDisplay display = new ProgressDisplay("bonus: " + winner.name() + " on the all split",
                    finalConfig.epochs(), 1, 0, quiet, stdout)) {
                ProgressDisplay.Run run = display.run(winner.name() + " on the all split");
                fin = ParallelRuns.run(kernels, threads, List.<Function<Trainer, TrainResult>>of(trainer ->
                        RunExecutor.run(trainer, data, finalConfig, initial, initDescription,
                                folder.resolve(FINAL_FOLDER), environment, run))).get(0);
            }
        }
        double finalSeconds = (System.nanoTime() - finalStart) / 1e9;
        String finalFolder = FOLDER + "/" + (selection == data ? winner.name() : FINAL_FOLDER);

        report.section("Bonus");
        report.paragraph(String.format(Locale.ROOT, "Split `all`: %d training images (`data_batch_1..5` less the "
                + "last %d), %d validation, %d test, normalised by the training set. The improvements are compared "
                + "on the selection split, the same images with the last %d held out for validation (%d training), "
                + "and the best of them on validation is trained again on the `all` split. Every choice below is "
                + "made on validation accuracy; the test set only measures what was chosen.", data.train().size(),
                data.validation().size(), data.validation().size(), data.test().size(),
                selection.validation().size(), selection.train().size()));
        report.subsection("Grid search");
        report.paragraph(String.format(Locale.ROOT, "The assignment's grid λ ∈ {0.1, 1, 2}, n_batch ∈ {10, 100, "
                + "200}, η ∈ {0.1, 0.001}, %d epochs each, batches in order: %d runs side by side on %d %s in "
                + "**%.1f s** wall time (data loaded in %.1f s). Chosen: %s, test accuracy **%s**.", epochs,
                grid.size(), threads, threads == 1 ? "thread" : "threads", search.seconds(), loadSeconds,
                chosen.label(), search.test() == null ? "n/a" : percent(search.test().accuracy())));
        report.table(search.table());
        report.image(FOLDER + "/grid/" + SearchCommand.PLOT, "Validation accuracy per epoch of the grid's settings");
        report.subsection("Improvements");
        report.paragraph(String.format(Locale.ROOT, "On the selection split (%d training, %d validation images). "
                + "Rows b to e each add one change to the row above; f is a setting found by a random search on "
                + "validation accuracy, g adds random translations of ±%d pixel to f, and h is the final setting "
                + "(a cyclical η between %s and %s with n_s = %d epochs of updates, the weights averaged over every "
                + "update from epoch %d, λ = %s), found by searches on validation; i and j train h with the other "
                + "losses. With best-epoch selection the figures are those of the kept epoch.",
                selection.train().size(), selection.validation().size(), TRANSLATE, plain(FINAL_ETA_MIN),
                plain(FINAL_ETA), FINAL_HALF_CYCLE_EPOCHS, Math.min(FINAL_AVERAGE_FROM, epochs), plain(FINAL_LAMBDA)));
        Table table = improvements(variants, results);
        Tables.writeCsv(folder.resolve("improvements.csv"), table);
        Tables.writeMarkdown(folder.resolve("improvements.md"), table);
        report.table(table);
        TrainResult w = results.get(best);
        report.paragraph(String.format(Locale.ROOT, "Best on validation: **%s** (%s), validation %s at epoch %d "
                + "(test %s). The %d runs took %.1f s.", winner.name(), winner.config().label(),
                percent(HyperSearch.validationAccuracy(w)), w.modelEpoch(),
                w.test() == null ? "n/a" : percent(w.test().accuracy()), variants.size(), improveSeconds));
        report.subsection("Result");
        report.paragraph(String.format(Locale.ROOT, "%s trained on the `all` split (%d training images, %d "
                + "validation): validation %s at epoch %d, test accuracy **%s** (%.1f s).", winner.name(),
                data.train().size(), data.validation().size(), percent(HyperSearch.validationAccuracy(fin)),
                fin.modelEpoch(), fin.test() == null ? "n/a" : percent(fin.test().accuracy()), finalSeconds));
        report.image(finalFolder + "/" + RunExecutor.ACCURACY_PNG, "Accuracy per epoch, " + winner.name());
        report.image(finalFolder + "/" + RunExecutor.CONFUSION_PNG, "Test confusion matrix, " + winner.name());
        report.image(finalFolder + "/" + RunExecutor.MONTAGE_PNG, "Weights, " + winner.name());
        report.subsection("Other losses");
        report.paragraph("Runs i and j train h's setting with the multi-class SVM (hinge) loss and with multiple "
                + "binary cross-entropy (a sigmoid per class, the loss divided by K), each with its own starting η. "
                + "What each model gives the correct class of every test image, split into correctly and "
                + "incorrectly classified images (as fractions of each group):");
        for (String name : List.of("h-final", "i-svm", "j-bce")) {
            report.image(FOLDER + "/" + name + "/" + RunExecutor.CORRECT_CLASS_PNG, "Correct class, " + name);
        }
        report.paragraph("Per-class test accuracy of every run on the selection split:");
        report.table(SuiteCommand.perClassTable(variants.stream().map(Variant::name).toList(), results,
                data.classNames()));
        say(quiet, stdout, String.format(Locale.ROOT, "bonus: best on validation %s; on the all split: test %s",
                winner.name(), fin.test() == null ? "- (diverged)" : percent(fin.test().accuracy())));
        return results.stream().noneMatch(TrainResult::diverged) && !fin.diverged();
    }

    /**
     * Validation images of the selection split: {@link #SELECTION_VALIDATION}, at most a tenth of the
     * {@code total} training-batch images, and never fewer than the {@code all} split's own.
     */
    static int selectionValidationSize(int validationSize, int total) {
        return Math.max(validationSize, Math.min(SELECTION_VALIDATION, total / 10));
    }

    /**
     * The grid's choice, then + shuffle, + flips, + step decay, + best epoch; the tuned setting, + translations,
     * the final setting and the final setting with the other losses. {@code trainSize} sets the final setting's
     * n_s to {@link #FINAL_HALF_CYCLE_EPOCHS} epochs of updates.
     */
    static List<Variant> variants(TrainConfig chosen, int trainSize) {
        TrainConfig shuffled = new TrainConfig(chosen.lambda(), chosen.eta(), chosen.batchSize(), chosen.epochs(),
                chosen.seed(), true, false);
        List<Variant> out = new ArrayList<>();
        out.add(new Variant("a-grid-choice", "the grid's choice", chosen));
        out.add(new Variant("b-shuffle", "+ shuffle every epoch", shuffled));
        out.add(new Variant("c-flips", "+ horizontal flips", shuffled.withExtras(true, LearningRateSchedule.CONSTANT,
                false, 0)));
        out.add(new Variant("d-step-decay", "+ η × 0.5 every 10 epochs", shuffled.withExtras(true, STEP, false, 0)));
        out.add(new Variant("e-best-epoch", "+ best epoch on validation", shuffled.withExtras(true, STEP, true, 0)));
        TrainConfig tuned = new TrainConfig(TUNED_LAMBDA, TUNED_ETA, chosen.batchSize(), chosen.epochs(), chosen.seed(),
                true, false).withExtras(true, STEP, true, 0);
        out.add(new Variant("f-tuned", "λ, η from a random search", tuned));
        out.add(new Variant("g-translate", "+ translations of ±" + TRANSLATE + " pixel",
                tuned.withTranslate(TRANSLATE)));
        int stepsPerEpoch = (trainSize + chosen.batchSize() - 1) / chosen.batchSize();
        LearningRateSchedule cyclic = LearningRateSchedule.cyclic(FINAL_ETA_MIN,
                FINAL_HALF_CYCLE_EPOCHS * stepsPerEpoch);
        out.add(new Variant("h-final", "+ cyclical η, weights averaged, λ and η searched",
                finalSetting(chosen, FINAL_ETA, cyclic)));
        out.add(new Variant("i-svm", "h with the multi-class SVM loss",
                finalSetting(chosen, FINAL_SVM_ETA, cyclic).withLoss(Loss.SVM)));
        out.add(new Variant("j-bce", "h with binary cross-entropy",
                finalSetting(chosen, FINAL_BCE_ETA, cyclic).withLoss(Loss.BCE)));
        return out;
    }

    /** The final setting with starting η {@code eta}, on the grid's n_batch, epochs and seed. */
    private static TrainConfig finalSetting(TrainConfig chosen, double eta, LearningRateSchedule cyclic) {
        return new TrainConfig(FINAL_LAMBDA, eta, chosen.batchSize(), chosen.epochs(), chosen.seed(), true, false)
                .withExtras(true, cyclic, true, 0).withTranslate(TRANSLATE)
                .withAverageFrom(Math.min(FINAL_AVERAGE_FROM, chosen.epochs()));
    }

    static Table improvements(List<Variant> variants, List<TrainResult> results) {
        Table.Builder table = Table.builder("run", "change", "λ", "η", "n_batch", "epoch", "train accuracy",
                "validation accuracy", "test accuracy");
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            TrainResult r = results.get(i);
            if (r.diverged()) {
                table.row(v.name(), v.what(), SearchCommand.plain(v.config().lambda()),
                        SearchCommand.plain(v.config().eta()), v.config().batchSize(), "diverged", "-", "-", "-");
                continue;
            }
            var record = r.history().get(r.modelEpoch() - 1);
            table.row(v.name(), v.what(), SearchCommand.plain(v.config().lambda()), SearchCommand.plain(v.config().eta()),
                    v.config().batchSize(), r.modelEpoch(),
                    percent(record.train().accuracy()), percent(record.validation().accuracy()),
                    percent(r.test().accuracy()));
        }
        return table.build();
    }

    private static Values list(String flag, List<Double> values) {
        return new Values(flag, values, 0, 0, values.size());
    }

    /** {@code v} without an exponent: 0.0001, not 1.0E-4. */
    private static String plain(double v) {
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    private static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.2f %%", 100 * fraction) : "-";
    }

    private static void say(boolean quiet, PrintWriter out, String line) {
        if (!quiet) {
            out.println(line);
            out.flush();
        }
    }
}

package org.vectrain.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.vectrain.cli.PhaseTimeline;
import org.vectrain.cli.report.CurvePlots;
import org.vectrain.cli.report.ReportWriter;
import org.vectrain.cli.report.Table;
import org.vectrain.engine.check.GradientCheck;
import org.vectrain.engine.check.TwoLayerGradientCheck;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.data.PreparedData;
import org.vectrain.engine.data.Split;
import org.vectrain.engine.eval.Evaluation;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.TwoLayerModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.train.Dropout;
import org.vectrain.engine.train.LearningRateSchedule;
import org.vectrain.engine.train.Loss;
import org.vectrain.engine.train.RandomStreams;
import org.vectrain.engine.train.RunEnvironment;
import org.vectrain.engine.train.TrainConfig;
import org.vectrain.engine.train.TwoLayerResult;
import org.vectrain.engine.train.TwoLayerTrainer;

/**
 * {@code vectrain suite --assignment 2}: the experiments of DD2424 Assignment 2 with the two-layer network of
 * {@value #HIDDEN} hidden units, each run in a folder of its own under the report folder, then the report.
 *
 * <ol>
 *   <li>the gradient check of the network ({@link TwoLayerGradientCheck}) on the first training batch;
 *   <li>the sanity check: the first {@value #SANITY_IMAGES} training images overfitted, λ = 0;
 *   <li>one cycle of the cyclical η (n_s = 500, λ = 0.01, η from 1e-5 to 0.1) and three cycles (n_s = 800), on
 *       the {@code standard} split (10,000 training images);
 *   <li>the coarse random search of λ (log10 λ uniform in [-5, -1]), then the fine one around the best, each run
 *       two cycles on the 45,000 training images of the {@code all} split with 5,000 held out for validation;
 *   <li>the final run: three cycles on 49,000 images (1,000 held out) with the λ the fine search chose on
 *       validation; its test accuracy is the suite's result;
 *   <li>with {@code --bonus}, the bonus part on the same 49,000 images: flips and translations at m = 50, then
 *       {@value #WIDE_HIDDEN} hidden units with them, without and with inverted dropout; the best of the three on
 *       validation is the bonus result.
 * </ol>
 * Every run takes its batches in a fresh order every epoch, as SGD is usually run: in order, the three cycles end
 * below the published range for most seeds. Every choice is made on validation accuracy; the test set only
 * measures. Every random choice flows from the seed: the initialisations and orders from each run's own seed (the
 * suite's), the λ draws from its search stream.
 */
final class AssignmentTwoSuite {
    static final int HIDDEN = 50;
    static final int SANITY_IMAGES = 100;
    static final int BATCH = 100;
    static final double ETA_MIN = 1e-5;
    static final double ETA_MAX = 1e-1;
    /** Draws of λ per search: two searches of this many two-cycle runs keep the suite near a minute on 2 cores. */
    static final int SEARCH_RUNS = 6;
    /** The coarse search's range of log10 λ. */
    static final double COARSE_LOW = -5;
    static final double COARSE_HIGH = -1;
    /** The fine search's half-width around the coarse search's best, in log10 λ. */
    static final double FINE_HALF_WIDTH = 0.5;
    /** Images held out for validation during the searches (the assignment's 5,000) and in the final run. */
    static final int SEARCH_VALIDATION = 5000;
    static final int FINAL_VALIDATION = 1000;

    /** The published test accuracies of the runs the assignment reports, for the report to set beside ours. */
    static final String ONE_CYCLE_PUBLISHED = "about 46 %";
    static final String THREE_CYCLES_PUBLISHED = "47–48 %";
    static final String FINAL_PUBLISHED = "51–52 %";
    static final String BONUS_PUBLISHED = "54–55 %";

    /** The bonus part's wide hidden layer, and its settings, chosen on validation accuracy in trial runs. */
    static final int WIDE_HIDDEN = 500;
    static final double WIDE_LAMBDA = 1e-4;
    static final double WIDE_DROPOUT = 0.2;
    /** Largest shift of the bonus part's translations, in pixels. */
    static final int BONUS_SHIFT = 3;
    /** Cycles of the bonus runs, as many as the final run's, so that the table compares like with like. */
    static final int BONUS_CYCLES = 3;

    private final CifarSource source;
    private final Path out;
    private final long seed;
    private final int threads;
    private final boolean quiet;
    private final PrintWriter stdout;
    private final boolean bonus;

    AssignmentTwoSuite(CifarSource source, Path out, long seed, int threads, boolean quiet, boolean bonus,
            PrintWriter stdout) {
        this.bonus = bonus;
        this.source = source;
        this.out = out;
        this.seed = seed;
        this.threads = threads;
        this.quiet = quiet;
        this.stdout = stdout;
    }

    /** One run of the suite: its folder, what it is, and its result. */
    private record Run(String folder, String what, TrainConfig config, int hidden, Dropout dropout,
            TwoLayerResult result) {
        Evaluation last() {
            return result.history().get(result.modelEpoch() - 1).validation();
        }
    }

    /** Runs everything and writes the report; returns the exit code (1 when the gradient check failed). */
    int run() {
        long start = System.nanoTime();
        PhaseTimeline timeline = PhaseTimeline.process();
        Kernels kernels = KernelProvider.kernels();
        TwoLayerKernels twoLayer = KernelProvider.twoLayerKernels();
        PreparedData standard = timeline.time("data read (standard split)",
                () -> PreparedData.load(source, Split.parse("standard", "--split"), Split.DEFAULT_ALL_VALIDATION));
        PreparedData search = timeline.time("data read (all split, 5,000 validation)",
                () -> PreparedData.load(source, Split.parse("all", "--split"), SEARCH_VALIDATION));
        OutputFolders.lock(out);
        RunExecutor.removePrevious(out.resolve(ReportWriter.HTML_FILE), out.resolve(ReportWriter.MARKDOWN_FILE));
        RunEnvironment environment = RunEnvironment.current(twoLayer.description(), threads);
        say(String.format(Locale.ROOT, "data: %s; two-layer network, %d hidden units; kernels: %s, %d threads",
                standard.source(), HIDDEN, twoLayer.description(), threads));

        List<GradientCheck.Row> gradientRows = timeline.time("gradient check", () -> new TwoLayerGradientCheck(
                twoLayer, kernels.softmaxLoss(), seed, GradientCheck.DEFAULT_ENTRIES, HIDDEN)
                .run(standard.train()));
        boolean gradientsPassed = GradientCheck.allPassed(gradientRows);
        say("gradient check: " + (gradientsPassed ? "all within thresholds" : "FAILED, see the report"));

        List<Run> runs = new ArrayList<>();
        Run sanity;
        Run oneCycle;
        Run threeCycles;
        List<Run> coarse = new ArrayList<>();
        List<Run> fine = new ArrayList<>();
        Run finalRun;
        List<Run> bonusRuns = new ArrayList<>();
        try (WorkerPool pool = new WorkerPool(threads)) {
            TwoLayerTrainer trainer = new TwoLayerTrainer(twoLayer, kernels, pool);
            PreparedData few = new PreparedData(standard.split(), SANITY_IMAGES, standard.train().head(SANITY_IMAGES),
                    standard.train().head(SANITY_IMAGES), standard.test(), standard.normalization(),
                    standard.classNames(), standard.source());
            sanity = train(trainer, few, "sanity", "the first 100 training images, also as validation",
                    constant(0, 0.01, 10, 200), environment);
            runs.add(sanity);
            oneCycle = train(trainer, standard, "one-cycle", "one cycle", cyclic(0.01, 500, 10), environment);
            runs.add(oneCycle);
            threeCycles = train(trainer, standard, "three-cycles", "three cycles", cyclic(0.01, 800, 48),
                    environment);
            runs.add(threeCycles);
            SplittableRandom draws = new RandomStreams(seed).search();
            int halfCycle = 2 * (search.train().size() / BATCH);
            int searchEpochs = epochsFor(2, halfCycle, search.train().size());
            for (int i = 0; i < SEARCH_RUNS; i++) {
                double lambda = Math.pow(10, COARSE_LOW + (COARSE_HIGH - COARSE_LOW) * draws.nextDouble());
                coarse.add(train(trainer, search, String.format(Locale.ROOT, "coarse/run-%02d", i + 1),
                        "coarse search", cyclic(lambda, halfCycle, searchEpochs), environment));
            }
            runs.addAll(coarse);
            double best = Math.log10(bestOf(coarse).config().lambda());
            for (int i = 0; i < SEARCH_RUNS; i++) {
                double lambda = Math.pow(10, best - FINE_HALF_WIDTH + 2 * FINE_HALF_WIDTH * draws.nextDouble());
                fine.add(train(trainer, search, String.format(Locale.ROOT, "fine/run-%02d", i + 1), "fine search",
                        cyclic(lambda, halfCycle, searchEpochs), environment));
            }
            runs.addAll(fine);
            double chosen = bestOf(fine).config().lambda();
            PreparedData all = timeline.time("data read (all split, 1,000 validation)",
                    () -> PreparedData.load(source, Split.parse("all", "--split"), FINAL_VALIDATION));
            int finalHalfCycle = 2 * (all.train().size() / BATCH);
            finalRun = train(trainer, all, "final", "the final run", cyclic(chosen, finalHalfCycle,
                    epochsFor(3, finalHalfCycle, all.train().size())), environment);
            runs.add(finalRun);
            if (bonus) {
                int bonusEpochs = epochsFor(BONUS_CYCLES, finalHalfCycle, all.train().size());
                bonusRuns.add(train(trainer, all, "bonus/augmented", "m = " + HIDDEN + ", shuffled, flips and shifts",
                        augmented(chosen, finalHalfCycle, bonusEpochs), HIDDEN, Dropout.NONE, environment));
                bonusRuns.add(train(trainer, all, "bonus/wide", "m = " + WIDE_HIDDEN + ", shuffled, flips and shifts",
                        augmented(WIDE_LAMBDA, finalHalfCycle, bonusEpochs), WIDE_HIDDEN, Dropout.NONE, environment));
                bonusRuns.add(train(trainer, all, "bonus/wide-dropout", "m = " + WIDE_HIDDEN + ", shuffled, flips and "
                        + "shifts, dropout " + WIDE_DROPOUT, augmented(WIDE_LAMBDA, finalHalfCycle, bonusEpochs),
                        WIDE_HIDDEN, new Dropout(WIDE_DROPOUT), environment));
            }
        }

        try (var phase = timeline.begin("report")) {
            writeReport(gradientRows, sanity, oneCycle, threeCycles, coarse, fine, finalRun, bonusRuns, environment,
                    (System.nanoTime() - start) / 1e9);
        }
        String bonusResult = "";
        if (!bonusRuns.isEmpty()) {
            Run best = bestOf(bonusRuns);
            bonusResult = String.format(Locale.ROOT, ", bonus (%s) %.2f %%", best.folder(),
                    100 * best.result().test().accuracy());
        }
        stdout.printf(Locale.ROOT, "test accuracy: one cycle %.2f %%, three cycles %.2f %%, final (λ = %.2e) "
                + "%.2f %%%s; report: %s (and %s); suite took %.2f s%n", 100 * oneCycle.result().test().accuracy(),
                100 * threeCycles.result().test().accuracy(), finalRun.config().lambda(),
                100 * finalRun.result().test().accuracy(), bonusResult, out.resolve(ReportWriter.HTML_FILE),
                ReportWriter.MARKDOWN_FILE, (System.nanoTime() - start) / 1e9);
        stdout.flush();
        return gradientsPassed ? org.vectrain.cli.ExitCodes.OK : org.vectrain.cli.ExitCodes.CHECK_FAILED;
    }

    /** Epochs that hold {@code cycles} whole cycles of half-cycle {@code halfCycle} steps at n_batch 100. */
    static int epochsFor(int cycles, int halfCycle, int trainingImages) {
        int stepsPerEpoch = (trainingImages + BATCH - 1) / BATCH;
        return (2 * cycles * halfCycle + stepsPerEpoch - 1) / stepsPerEpoch;
    }

    /** A bonus run's setting: the cyclical η, shuffled batches, flips and shifts of up to {@link #BONUS_SHIFT}. */
    private TrainConfig augmented(double lambda, int halfCycle, int epochs) {
        return new TrainConfig(lambda, ETA_MAX, BATCH, epochs, seed, true, true, true,
                LearningRateSchedule.cyclic(ETA_MIN, halfCycle), false, 0, Loss.SOFTMAX, BONUS_SHIFT, 0);
    }

    private TrainConfig cyclic(double lambda, int halfCycle, int epochs) {
        return new TrainConfig(lambda, ETA_MAX, BATCH, epochs, seed, true, true, false,
                LearningRateSchedule.cyclic(ETA_MIN, halfCycle), false, 0, Loss.SOFTMAX);
    }

    private TrainConfig constant(double lambda, double eta, int batch, int epochs) {
        return new TrainConfig(lambda, eta, batch, epochs, seed, true, true, false, LearningRateSchedule.CONSTANT,
                false, 0, Loss.SOFTMAX);
    }

    private Run train(TwoLayerTrainer trainer, PreparedData data, String folder, String what, TrainConfig config,
            RunEnvironment environment) {
        return train(trainer, data, folder, what, config, HIDDEN, Dropout.NONE, environment);
    }

    private Run train(TwoLayerTrainer trainer, PreparedData data, String folder, String what, TrainConfig config,
            int hidden, Dropout dropout, RunEnvironment environment) {
        TwoLayerModel initial = TwoLayerModel.gaussian(LabeledImages.CLASSES, LabeledImages.PIXELS, hidden,
                TwoLayerKernels.weightStride(LabeledImages.PIXELS), new RandomStreams(config.seed()).init());
        TwoLayerResult result;
        try (ProgressDisplay progress = new ProgressDisplay("suite --assignment 2: " + folder, config.epochs(), 1, 0,
                quiet, stdout)) {
            result = RunExecutor.runTwoLayer(trainer, data, config, dropout, initial, "W1 ~ N(0, 1/D), "
                    + "W2 ~ N(0, 1/m), b = 0, seed " + config.seed(), out.resolve(folder), environment,
                    progress.run(folder + ": " + config.label() + dropout.label()), folder + ": ");
        }
        Run run = new Run(folder, what, config, hidden, dropout, result);
        say(String.format(Locale.ROOT, "%s (%s): λ = %.3e, validation %.2f %%, test %s", folder, what,
                config.lambda(), 100 * run.last().accuracy(), result.test() == null ? "-"
                        : String.format(Locale.ROOT, "%.2f %%", 100 * result.test().accuracy())));
        return run;
    }

    /** The run of best validation accuracy (the first on a tie); a diverged run never. */
    private static Run bestOf(List<Run> runs) {
        Run best = null;
        for (Run run : runs) {
            if (!run.result().diverged() && (best == null || run.last().accuracy() > best.last().accuracy())) {
                best = run;
            }
        }
        return best != null ? best : runs.get(0);
    }

    private void writeReport(List<GradientCheck.Row> gradientRows, Run sanity, Run oneCycle, Run threeCycles,
            List<Run> coarse, List<Run> fine, Run finalRun, List<Run> bonusRuns, RunEnvironment environment,
            double seconds) {
        ReportWriter report = new ReportWriter("Two-layer network on CIFAR-10: experiment report");
        report.paragraph(String.format(Locale.ROOT, "DD2424 Assignment 2: a ReLU hidden layer of %d units, "
                + "W1 ~ N(0, 1/D), W2 ~ N(0, 1/m), b = 0, cost = loss + λ(‖W1‖² + ‖W2‖²), mini-batches of %d in "
                + "a fresh order every epoch, η cycling between %.0e and %.0e (n_s update steps up, as many down). "
                + "Seed %d; every choice on validation accuracy, the test set only measures.", HIDDEN, BATCH, ETA_MIN,
                ETA_MAX, seed));

        Table results = Table.builder("run", "λ", "n_s", "epochs", "training images", "validation", "test",
                "published test").row("one cycle", lambda(oneCycle), halfCycle(oneCycle),
                        oneCycle.config().epochs(), trainSize(oneCycle), percent(oneCycle.last().accuracy()),
                        percent(oneCycle.result().test().accuracy()), ONE_CYCLE_PUBLISHED)
                .row("three cycles", lambda(threeCycles), halfCycle(threeCycles), threeCycles.config().epochs(),
                        trainSize(threeCycles), percent(threeCycles.last().accuracy()),
                        percent(threeCycles.result().test().accuracy()), THREE_CYCLES_PUBLISHED)
                .row("final, λ from the fine search", lambda(finalRun), halfCycle(finalRun),
                        finalRun.config().epochs(), trainSize(finalRun), percent(finalRun.last().accuracy()),
                        percent(finalRun.result().test().accuracy()), FINAL_PUBLISHED)
                .build();
        report.section("Results").table(results);

        report.section("Gradient check").paragraph(String.format(Locale.ROOT, "Analytic gradients of the cost "
                + "(W1, b1, W2, b2; double precision) against centred finite differences with step h = %.0e·max(1, "
                + "|θ|), and the float SIMD gradients against the double analytic ones, on the first samples of the "
                + "training set from the assignment's initialisation (m = %d). Relative error |a − n| / max(eps, "
                + "|a| + |n|); entries whose gradient is below eps, where rounding noise dominates, are held to an "
                + "absolute bound instead (column \"under eps\"). Thresholds: %.0e for analytic against numeric, "
                + "%.0e for float against double.", GradientCheck.STEP, HIDDEN, GradientCheck.NUMERIC_THRESHOLD,
                GradientCheck.FLOAT_THRESHOLD))
                .table(GradcheckCommand.table(gradientRows));

        Evaluation sanityTrain = sanity.result().history().get(sanity.result().history().size() - 1).train();
        report.section("Sanity check").paragraph(String.format(Locale.ROOT, "The first %d training images, λ = 0, "
                + "η = %s constant, n_batch %d, %d epochs: training accuracy %s, training loss %.4f. A network "
                + "and a gradient that work drive both to their limits on so few images.", SANITY_IMAGES,
                sanity.config().eta(), sanity.config().batchSize(), sanity.config().epochs(),
                percent(sanityTrain.accuracy()), sanityTrain.loss()))
                .gallery(sanity.folder() + "/" + RunExecutor.LOSS_COST_PNG, "sanity check: loss and cost",
                        sanity.folder() + "/" + RunExecutor.ACCURACY_PNG, "sanity check: accuracy");

        for (Run run : List.of(oneCycle, threeCycles)) {
            report.section(capitalised(run.what()) + String.format(Locale.ROOT, " (n_s = %d, λ = %s)",
                    halfCycle(run), lambda(run)))
                    .paragraph(String.format(Locale.ROOT, "Test accuracy %s (published: %s); the run's folder is "
                            + "`%s`.", percent(run.result().test().accuracy()), run == oneCycle ? ONE_CYCLE_PUBLISHED
                                    : THREE_CYCLES_PUBLISHED, run.folder()))
                    .gallery(run.folder() + "/" + RunExecutor.LOSS_COST_PNG, run.what() + ": loss and cost",
                            run.folder() + "/" + RunExecutor.ACCURACY_PNG, run.what() + ": accuracy");
        }

        searchSection(report, "Coarse search", String.format(Locale.ROOT, "log10 λ uniform in [%.0f, %.0f], %d runs "
                + "of two cycles", COARSE_LOW, COARSE_HIGH, SEARCH_RUNS), coarse, "coarse");
        searchSection(report, "Fine search", String.format(Locale.ROOT, "log10 λ uniform within ±%.1f of the coarse "
                + "search's best, %d runs of two cycles", FINE_HALF_WIDTH, SEARCH_RUNS), fine, "fine");

        report.section("Final run").paragraph(String.format(Locale.ROOT, "λ = %.3e (the fine search's best on "
                + "validation), three cycles with n_s = %d on the %d training images of the `all` split, %d held "
                + "out: validation %s, **test %s** (published: %s).", finalRun.config().lambda(),
                halfCycle(finalRun), trainSize(finalRun), FINAL_VALIDATION, percent(finalRun.last().accuracy()),
                percent(finalRun.result().test().accuracy()), FINAL_PUBLISHED))
                .gallery(finalRun.folder() + "/" + RunExecutor.LOSS_COST_PNG, "final run: loss and cost",
                        finalRun.folder() + "/" + RunExecutor.ACCURACY_PNG, "final run: accuracy",
                        finalRun.folder() + "/" + RunExecutor.CONFUSION_PNG, "final run: test set confusion");

        if (!bonusRuns.isEmpty()) {
            bonusSection(report, bonusRuns);
        }

        report.section("Environment").paragraph(String.format(Locale.ROOT, "%s; %s; JDK %s; %d threads; the suite "
                + "took %.1f s.", environment.cpu(), environment.kernels(), environment.jdk(), threads, seconds));
        report.write(out);
    }

    private void bonusSection(ReportWriter report, List<Run> runs) {
        Run best = bestOf(runs);
        Table.Builder table = Table.builder("run", "hidden units", "dropout", "λ", "epochs", "training", "validation",
                "test");
        for (Run run : runs) {
            table.row(run.folder() + (run == best ? " (best)" : ""), run.hidden(), run.dropout().active()
                    ? String.format(Locale.ROOT, "%.2g", run.dropout().rate()) : "-",
                    String.format(Locale.ROOT, "%.2e", run.config().lambda()),
                    run.config().epochs(), percent(run.result().history().get(run.result().modelEpoch() - 1).train()
                            .accuracy()), percent(run.last().accuracy()), percent(run.result().test().accuracy()));
        }
        report.section("Bonus: augmentation, a wider layer, dropout").paragraph(String.format(Locale.ROOT,
                "On the %,d training images of the final run (%,d held out), %d cycles of the same cyclical η "
                + "(n_s = %d), every epoch in a fresh order, each image flipped left-right with probability 1/2 and moved by up "
                + "to %d pixels in x and y (edges replicated); first the final run's network with them, then %d "
                + "hidden units (λ = %.2e), without and with inverted dropout (rate %s) on the hidden layer. The best "
                + "on validation: `%s`, **test %s** (published: %s).", trainSize(runs.get(0)), FINAL_VALIDATION,
                BONUS_CYCLES, halfCycle(best), BONUS_SHIFT, WIDE_HIDDEN, WIDE_LAMBDA,
                String.format(Locale.ROOT, "%.2g", WIDE_DROPOUT), best.folder(),
                percent(best.result().test().accuracy()), BONUS_PUBLISHED))
                .table(table.build())
                .gallery(best.folder() + "/" + RunExecutor.LOSS_COST_PNG, "bonus result: loss and cost",
                        best.folder() + "/" + RunExecutor.ACCURACY_PNG, "bonus result: accuracy",
                        best.folder() + "/" + RunExecutor.CONFUSION_PNG, "bonus result: test set confusion");
    }

    private void searchSection(ReportWriter report, String heading, String method, List<Run> runs, String plotName) {
        Run best = bestOf(runs);
        Table.Builder table = Table.builder("run", "λ", "validation accuracy", "validation cost", "test accuracy");
        double[] lambdas = new double[runs.size()];
        double[] accuracies = new double[runs.size()];
        boolean[] chosen = new boolean[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            lambdas[i] = run.config().lambda();
            accuracies[i] = 100 * run.last().accuracy();
            chosen[i] = run == best;
            table.row(run.folder() + (run == best ? " (best)" : ""), String.format(Locale.ROOT, "%.3e",
                    run.config().lambda()), percent(run.last().accuracy()), String.format(Locale.ROOT, "%.4f",
                            run.last().cost()), run.result().test() == null ? "-"
                                    : percent(run.result().test().accuracy()));
        }
        String png = plotName + "-search.png";
        CurvePlots.writeSearch(out.resolve(png), heading + ": validation accuracy against λ", "λ",
                "validation accuracy, %", lambdas, accuracies, "best", chosen);
        report.section(heading).paragraph(method + String.format(Locale.ROOT, ", n_s = %d, on the `all` split with "
                + "%d images held out for validation. Best: λ = %.3e, validation %s.", halfCycle(best),
                SEARCH_VALIDATION, best.config().lambda(), percent(best.last().accuracy())))
                .table(table.build()).image(png, heading + ": validation accuracy against λ (log scale)");
    }

    private static String lambda(Run run) {
        return String.format(Locale.ROOT, "%.3g", run.config().lambda());
    }

    private static int halfCycle(Run run) {
        return run.config().schedule().halfCycle();
    }

    private static int trainSize(Run run) {
        return run.result().history().isEmpty() ? 0 : run.result().history().get(0).train().count();
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * fraction);
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private void say(String line) {
        if (!quiet) {
            stdout.println(line);
            stdout.flush();
        }
    }
}

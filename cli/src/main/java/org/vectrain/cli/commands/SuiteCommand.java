package org.vectrain.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.vectrain.cli.ExitCodes;
import org.vectrain.cli.PhaseTimeline;
import org.vectrain.cli.report.CurvePlots;
import org.vectrain.cli.report.ReportWriter;
import org.vectrain.cli.report.Table;
import org.vectrain.cli.report.Tables;
import org.vectrain.cli.report.TrainingCurves;
import org.vectrain.engine.InputException;
import org.vectrain.engine.check.GradientCheck;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.data.PreparedData;
import org.vectrain.engine.io.AtomicFiles;
import org.vectrain.engine.io.JsonFiles;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.train.AssignmentSettings;
import org.vectrain.engine.train.AssignmentSettings.Setting;
import org.vectrain.engine.train.ParallelRuns;
import org.vectrain.engine.train.RandomStreams;
import org.vectrain.engine.train.RunEnvironment;
import org.vectrain.engine.train.TrainConfig;
import org.vectrain.engine.train.TrainResult;
import org.vectrain.engine.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vectrain suite}: the assignment's experiments end to end. Gradient check, the four
 * settings, and a report with curves, weight montages and the final test accuracy table.
 */
@Command(name = "suite", mixinStandardHelpOptions = true,
        description = {"Run the assignment's experiments and write their report.",
            "The gradient check, then the four settings (λ, n_epochs, n_batch, η) = (0, 40, 100, 0.1), "
                    + "(0, 40, 100, 0.001), (0.1, 40, 100, 0.001) and (1, 40, 100, 0.001), with curves, weight "
                    + "montages and a test accuracy table.",
            "Writes report.html, report.md, test_accuracy.csv, test_accuracy.md, curves.png, timings.json and one "
                    + "folder per setting into --out."})
public final class SuiteCommand implements Callable<Integer> {
    static final String TABLE_BASENAME = "test_accuracy";
    /** The small-multiples figure of every setting's accuracy curves. */
    static final String CURVES_PNG = "curves.png";
    /** The phases of the process ({@link PhaseTimeline#toJson()}), written beside the report. */
    static final String TIMINGS_JSON = "timings.json";

    @Mixin
    DataOptions dataOptions;

    @Mixin
    RunOptions runOptions;

    @Option(names = "--settings", paramLabel = "N", split = ",",
            description = "Which settings to run, from 1..4, comma-separated (default: all).")
    List<Integer> settingNumbers;

    @Option(names = {"--epochs", "--n_epochs"}, paramLabel = "N",
            description = "Epochs for every setting instead of the assignment's 40.")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = RunOptions.DEFAULT_SEED,
            description = "Seed of the initialisation and the gradient check (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "report",
            description = "Report folder, created if needed (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--assignment", paramLabel = "N", defaultValue = "1",
            description = "1: the one-layer experiments (default); 2: DD2424 Assignment 2's experiments with the "
                    + "two-layer network (gradient check, sanity check, one and three cycles of a cyclical η, a coarse "
                    + "and a fine random search of λ, the final run); only --data, --out, --seed, --threads, "
                    + "--quiet and --bonus go with 2.")
    int assignment;

    @Option(names = "--no-gradcheck", description = "Leave out the gradient check section.")
    boolean noGradcheck;

    @Option(names = "--bonus", description = "Add the Bonus section: the assignment's grid search on the all split "
            + "(--val-size validation images); then shuffling, flips, step decay and best-epoch selection added one "
            + "at a time, tuned settings with translations, a cyclical η and weight averaging, and the other losses, "
            + "compared on 5,000 held-out validation images; the best on validation trained again on the all split. "
            + "With --assignment 2: the bonus part, shuffling, flips and translations at m = 50, then 500 hidden "
            + "units without and with inverted dropout, on 49,000 images (about a minute and a half more on 2 cores).")
    boolean bonus;

    @Mixin
    TimingsOption timingsOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (assignment == 2) {
            return assignmentTwo();
        }
        if (assignment != 1) {
            throw new InputException("--assignment: " + assignment + " must be 1 or 2");
        }
        long start = System.nanoTime();
        List<Setting> settings = chosenSettings();
        if (epochs != null && (epochs < 1 || epochs > TrainConfig.MAX_EPOCHS)) {
            throw new InputException("--epochs: " + epochs + " must be in 1.." + TrainConfig.MAX_EPOCHS);
        }
        int threads = runOptions.threads();
        // Flags, then the data's presence, then the slow load; the report folder is made only once the data
        // has been read, so that no failure before it leaves an empty folder.
        OutputFolders.checkCreatable(out, "--out");
        CifarSource source = PhaseTimeline.process().time("data files checked", dataOptions::source);
        var stdout = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        Kernels kernels = PhaseTimeline.process().time("kernel selection", KernelProvider::kernels);
        if (!KernelProvider.warning().isEmpty()) {
            err.println("vectrain: warning: " + KernelProvider.warning());
        }
        long loadStart = System.nanoTime();
        PreparedData data = dataOptions.loadWhileWarmingUpFor(kernels, source, settings.get(0).config(epochs, seed),
                ParallelRuns.threadsPerRun(threads, settings.size()));
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        OutputFolders.lock(out);
        RunEnvironment environment = RunEnvironment.current(kernels.description(), threads);
        say(stdout, String.format(Locale.ROOT, "data: %s, split %s (%d / %d / %d images), loaded (and kernels warmed "
                + "up) in %.2f s; kernels: %s, %s", data.source(), data.split().id(), data.train().size(),
                data.validation().size(), data.test().size(), loadSeconds, kernels.description(),
                ProgressDisplay.count(threads, "thread")));

        boolean gradientsPassed = true;
        List<GradientCheck.Row> gradientRows = null;
        PhaseTimeline timeline = PhaseTimeline.process();
        if (!noGradcheck) {
            gradientRows = timeline.time("gradient check",
                    () -> new GradientCheck(kernels, seed, GradientCheck.DEFAULT_ENTRIES).run(data.train()));
            gradientsPassed = GradientCheck.allPassed(gradientRows);
            say(stdout, "gradient check: " + (gradientsPassed ? "all within thresholds" : "FAILED, see the report"));
        }

        List<TrainConfig> configs = new ArrayList<>();
        List<Function<Trainer, TrainResult>> jobs = new ArrayList<>();
        long totalEpochs = 0;
        for (Setting setting : settings) {
            TrainConfig config = setting.config(epochs, seed);
            configs.add(config);
            totalEpochs += config.epochs();
        }
        List<TrainResult> results;
        // An older report goes before the first setting is written: a rerun killed while writing must not
        // leave a report that looks whole beside new settings.
        RunExecutor.removePrevious(out.resolve(ReportWriter.HTML_FILE), out.resolve(ReportWriter.MARKDOWN_FILE),
                out.resolve(TABLE_BASENAME + ".csv"), out.resolve(TABLE_BASENAME + ".md"), out.resolve(TIMINGS_JSON));
        ReportWriter report = new ReportWriter("One-layer network on CIFAR-10: experiment report");
        Table accuracy;
        try (ProgressDisplay display = new ProgressDisplay("suite: " + ProgressDisplay.count(settings.size(),
                "setting"), totalEpochs, settings.size(), 1, runOptions.quiet, stdout);
                OutputQueue outputs = OutputQueue.background(threads)) {
            for (int i = 0; i < settings.size(); i++) {
                Setting setting = settings.get(i);
                TrainConfig config = configs.get(i);
                ProgressDisplay.Run run = display.run("setting " + setting.number() + " (" + config.label() + ")");
                jobs.add(trainer -> {
                    SoftmaxModel initial = SoftmaxModel.gaussian(LabeledImages.CLASSES, LabeledImages.PIXELS,
                            new RandomStreams(seed).init(), false);
                    return RunExecutor.run(trainer, data, config, initial, "gaussian N(0, 0.01^2), seed " + seed,
                            out.resolve(folderName(setting)), environment, run, outputs);
                });
            }
            // Settings run side by side, one per core (see ParallelRuns for why); each one's folder is written
            // while the next ones train.
            results = ParallelRuns.run(kernels, threads, jobs);
            try (var phase = timeline.begin("waiting for the settings' files")) {
                outputs.awaitAll();
            }
            display.phase("writing the report");
            try (var phase = timeline.begin("accuracy tables")) {
                accuracy = accuracyTable(settings, configs, results);
                Tables.writeCsv(out.resolve(TABLE_BASENAME + ".csv"), accuracy);
                Tables.writeMarkdown(out.resolve(TABLE_BASENAME + ".md"), accuracy);
            }
            try (var phase = timeline.begin("curves of every setting")) {
                List<TrainingCurves> curves = new ArrayList<>();
                for (int i = 0; i < settings.size(); i++) {
                    TrainingCurves c = RunExecutor.curves(configs.get(i), results.get(i));
                    curves.add(new TrainingCurves("Setting " + settings.get(i).number() + ": " + c.setting(),
                            c.firstEpoch(), c.trainingLoss(), c.validationLoss(), c.trainingCost(),
                            c.validationCost(), c.trainingAccuracy(), c.validationAccuracy()));
                }
                CurvePlots.writeSmallMultiples(out.resolve(CURVES_PNG), curves, Math.min(2, curves.size()));
            }
            display.stepDone();
        }
        if (!runOptions.quiet) {
            for (int i = 0; i < settings.size(); i++) {
                say(stdout, describe(settings.get(i), results.get(i)));
            }
        }

        report.paragraph(String.format(Locale.ROOT,
                "Mini-batch gradient descent on a softmax classifier (W: 10 x 3072, b: 10), cross-entropy loss with "
                        + "L2 regularisation λ‖W‖², in %s of the assignment. Data: %s, split `%s`: %d training, %d "
                        + "validation, %d test images, normalised by the training set's per-dimension mean and "
                        + "standard deviation. W and b start from N(0, 0.01²) with seed %d; batches are taken in "
                        + "order.", ProgressDisplay.count(settings.size(), "setting"), data.source(),
                data.split().id(), data.train().size(), data.validation().size(), data.test().size(), seed));
        report.section("Summary");
        report.paragraph("Accuracy of each setting's final model on the training, validation and test sets:");
        report.table(accuracy);
        report.image(CURVES_PNG, "Training and validation accuracy per epoch of each setting, on the same axes");
        report.paragraph("Each row of the trained W shown as a 32 x 32 colour image, each rescaled to its own "
                + "minimum and maximum:");
        List<String> montages = new ArrayList<>();
        for (int i = 0; i < settings.size(); i++) {
            montages.add(folderName(settings.get(i)) + "/" + RunExecutor.MONTAGE_PNG);
            montages.add("Weights of setting " + settings.get(i).number() + ": " + configs.get(i).label());
        }
        report.gallery(montages.toArray(String[]::new));

        report.section("Training curves");
        for (int i = 0; i < settings.size(); i++) {
            Setting setting = settings.get(i);
            String folder = folderName(setting);
            report.subsection("Setting " + setting.number() + ": " + configs.get(i).label());
            if (results.get(i).diverged()) {
                report.paragraph("**" + results.get(i).divergence() + "**");
            }
            report.gallery(folder + "/" + RunExecutor.LOSS_COST_PNG, "Loss and cost per epoch, " + configs.get(i).label(),
                    folder + "/" + RunExecutor.ACCURACY_PNG, "Accuracy per epoch, " + configs.get(i).label());
        }
        report.section("Per-class test accuracy");
        report.table(perClassTable(settings.stream().map(st -> "setting " + st.number()).toList(), results,
                data.classNames()));
        List<String> confusions = new ArrayList<>();
        for (int i = 0; i < settings.size(); i++) {
            if (results.get(i).testConfusion() != null) {
                confusions.add(folderName(settings.get(i)) + "/" + RunExecutor.CONFUSION_PNG);
                confusions.add("Test confusion matrix, setting " + settings.get(i).number() + ": "
                        + configs.get(i).label());
            }
        }
        if (!confusions.isEmpty()) {
            report.gallery(confusions.toArray(String[]::new));
        }
        if (gradientRows != null) {
            report.foldedSection("Gradient check: " + (gradientsPassed ? "all " + gradientRows.size()
                    + " comparisons within their thresholds" : "FAILED"));
            report.paragraph(GradcheckCommand.explanation());
            report.table(GradcheckCommand.table(gradientRows));
        }
        boolean bonusOk = true;
        double bonusSeconds = 0;
        if (bonus) {
            long bonusStart = System.nanoTime();
            bonusOk = BonusSection.run(kernels, threads, source, dataOptions.validationSize, seed, epochs, out, report,
                    runOptions.quiet, stdout);
            bonusSeconds = (System.nanoTime() - bonusStart) / 1e9;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        report.section("Environment and timing");
        report.paragraph(String.format(Locale.ROOT, "JDK %s; kernels %s; %s; CPU %s.", environment.jdk(),
                environment.kernels(), ProgressDisplay.count(environment.threads(), "thread"), environment.cpu()));
        if (bonus) {
            report.paragraph(String.format(Locale.ROOT, "The Bonus section took %.2f s.", bonusSeconds));
        }
        report.paragraph(String.format(Locale.ROOT, "The whole suite took %.2f s in this JVM; per-epoch times are in "
                + "each setting's summary.json. The phases of the process up to the writing of this report, as they "
                + "ran on its threads (also in " + TIMINGS_JSON + "):", seconds));
        report.table(phaseTable(timeline));
        report.paragraph(timeline.summaryLine() + ".");
        JsonFiles.write(out.resolve(TIMINGS_JSON), timeline.toJson());
        try (var phase = timeline.begin("report")) {
            report.write(out);
        }
        if (!runOptions.quiet) {
            stdout.println();
            stdout.print(Tables.toText(accuracy));
            stdout.println();
        }
        // The result line is printed even with --quiet.
        stdout.printf(Locale.ROOT, "test accuracy: %s; report: %s (and report.md); suite took %.2f s%n",
                testAccuracies(settings, results), out.resolve(ReportWriter.HTML_FILE), seconds);
        stdout.flush();
        boolean diverged = results.stream().anyMatch(TrainResult::diverged);
        if (diverged) {
            err.println("vectrain: at least one setting diverged; see the report");
        }
        timingsOption.printIfAsked(stdout);
        return gradientsPassed && !diverged && bonusOk ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private static Table phaseTable(PhaseTimeline timeline) {
        Table.Builder table = Table.builder("phase", "start (s)", "took (s)", "thread");
        for (PhaseTimeline.Phase p : timeline.phases()) {
            table.row(p.name(), String.format(Locale.ROOT, "%.3f", p.startSeconds()),
                    String.format(Locale.ROOT, "%.3f", p.seconds()), p.thread());
        }
        return table.build();
    }

    /** {@code setting 1 29.28 %, setting 2 ...}, or "diverged" for a setting that did. */
    private static String testAccuracies(List<Setting> settings, List<TrainResult> results) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < settings.size(); i++) {
            TrainResult r = results.get(i);
            parts.add("setting " + settings.get(i).number() + " " + (r.test() == null ? "diverged"
                    : percent(r.test().accuracy())));
        }
        return String.join(", ", parts);
    }

    private List<Setting> chosenSettings() {
        if (settingNumbers == null || settingNumbers.isEmpty()) {
            return AssignmentSettings.ALL;
        }
        List<Setting> chosen = new ArrayList<>();
        for (int number : settingNumbers) {
            if (number < 1 || number > AssignmentSettings.ALL.size()) {
                throw new InputException("--settings: " + number + " is not a setting; choose from 1.."
                        + AssignmentSettings.ALL.size());
            }
            Setting s = AssignmentSettings.ALL.get(number - 1);
            if (chosen.contains(s)) {
                throw new InputException("--settings: " + number + " is given twice");
            }
            chosen.add(s);
        }
        return chosen;
    }

    static String folderName(Setting setting) {
        return "setting-" + setting.number();
    }

    private static String describe(Setting setting, TrainResult r) {
        if (r.diverged()) {
            return "setting " + setting.number() + ": " + r.divergence();
        }
        return String.format(Locale.ROOT, "setting %d: test accuracy %.2f%% (%.1f ms/epoch training, %.1f ms/epoch evaluation)",
                setting.number(), 100 * r.test().accuracy(), r.medianTrainMillis(), r.medianEvalMillis());
    }

    private static Table accuracyTable(List<Setting> settings, List<TrainConfig> configs, List<TrainResult> results) {
        Table.Builder table = Table.builder("setting", "λ", "n_epochs", "n_batch", "η", "train accuracy",
                "validation accuracy", "test accuracy");
        for (int i = 0; i < settings.size(); i++) {
            TrainConfig c = configs.get(i);
            TrainResult r = results.get(i);
            var last = r.history().get(r.history().size() - 1);
            table.row(settings.get(i).number(), plain(c.lambda()), c.epochs(), c.batchSize(), plain(c.eta()),
                    percent(last.train().accuracy()), percent(last.validation().accuracy()),
                    r.test() == null ? "diverged" : percent(r.test().accuracy()));
        }
        return table.build();
    }

    /** One row per run, one column per class: the test accuracy of each class. */
    static Table perClassTable(List<String> runs, List<TrainResult> results, List<String> classNames) {
        List<String> columns = new ArrayList<>();
        columns.add("run");
        columns.addAll(classNames);
        Table.Builder table = Table.builder(columns.toArray(String[]::new));
        for (int i = 0; i < runs.size(); i++) {
            List<Object> row = new ArrayList<>();
            row.add(runs.get(i));
            var confusion = results.get(i).testConfusion();
            for (int k = 0; k < classNames.size(); k++) {
                row.add(confusion == null ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * confusion.accuracy(k)));
            }
            table.row(row.toArray());
        }
        return table.build();
    }

    private static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.2f %%", 100 * fraction) : "-";
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The options that go with {@code --assignment 2}. */
    private static final java.util.Set<String> WITH_ASSIGNMENT_TWO = java.util.Set.of("--assignment", "--data",
            "--out", "--seed", "--threads", "--quiet", "-q", "--bonus");

    /** {@code --assignment 2}: the two-layer network's experiments ({@link AssignmentTwoSuite}). */
    private int assignmentTwo() {
        for (picocli.CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (java.util.Arrays.stream(o.names()).noneMatch(WITH_ASSIGNMENT_TWO::contains)) {
                throw new InputException(o.longestName() + ": not with --assignment 2, whose runs are the "
                        + "assignment's; with it go only --data, --out, --seed, --threads, --quiet and --bonus");
            }
        }
        OutputFolders.checkCreatable(out, "--out");
        CifarSource source = PhaseTimeline.process().time("data files checked", dataOptions::source);
        return new AssignmentTwoSuite(source, out, seed, runOptions.threads(), runOptions.quiet, bonus,
                spec.commandLine().getOut()).run();
    }

    private void say(java.io.PrintWriter out, String line) {
        if (!runOptions.quiet) {
            out.println(line);
            out.flush();
        }
    }
}

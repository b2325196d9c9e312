package org.vectrain.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.vectrain.cli.ExitCodes;
import org.vectrain.cli.Provenance;
import org.vectrain.cli.report.Curve;
import org.vectrain.cli.report.CurvePlots;
import org.vectrain.cli.report.Table;
import org.vectrain.cli.report.Tables;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.data.PreparedData;
import org.vectrain.engine.eval.ConfusionMatrix;
import org.vectrain.engine.eval.Evaluation;
import org.vectrain.engine.eval.Evaluator;
import org.vectrain.engine.io.AtomicFiles;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.train.EpochListener;
import org.vectrain.engine.train.HyperSearch;
import org.vectrain.engine.train.HyperSearch.Candidate;
import org.vectrain.engine.train.HyperSearch.Values;
import org.vectrain.engine.train.ParallelRuns;
import org.vectrain.engine.train.RandomStreams;
import org.vectrain.engine.train.RunEnvironment;
import org.vectrain.engine.train.RunFiles;
import org.vectrain.engine.train.RunSummary;
import org.vectrain.engine.train.TrainConfig;
import org.vectrain.engine.train.TrainResult;
import org.vectrain.engine.train.Dropout;
import org.vectrain.engine.train.RunOutcome;
import org.vectrain.engine.train.TwoLayerResult;
import org.vectrain.engine.train.TwoLayerTrainer;
import org.vectrain.engine.eval.TwoLayerEvaluator;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.model.TwoLayerModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vectrain search}: grid or random search over λ, η and n_batch, runs side by side over the
 * cores. The choice is made on validation accuracy only; the test set measures the chosen setting
 * once, after the choice.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Grid or random search over λ, η and n_batch, chosen on validation accuracy.",
            "Writes results.{csv,md} (sorted by validation accuracy), validation_accuracy.png and the chosen "
                    + "setting's run files under best/ (its summary.json holds its test accuracy)."})
public final class SearchCommand implements Callable<Integer> {
    static final String RESULTS = "results";
    static final String PLOT = "validation_accuracy.png";
    static final String BEST = "best";

    @Mixin
    DataOptions dataOptions;

    @Mixin
    RunOptions runOptions;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "assignment: the grid λ ∈ {0.1, 1, 2}, n_batch ∈ {10, 100, 200}, η ∈ {0.1, 0.001} "
                    + "(lists given with --lambdas, --etas, --batches replace its own).")
    String preset;

    @Option(names = "--lambdas", paramLabel = "VALUES",
            description = "λ values: a list a,b,c or a range low..high[:count] (default: 0.1).")
    String lambdas;

    @Option(names = "--etas", paramLabel = "VALUES",
            description = "η values: a list or a range low..high[:count] (default: 0.001).")
    String etas;

    @Option(names = "--batches", paramLabel = "VALUES", description = "n_batch values, a list (default: 100).")
    String batches;

    @Option(names = "--random", paramLabel = "N",
            description = "Random search: N draws from the seed's search stream, ranges log-uniform, lists "
                    + "uniform (default: grid search).")
    Integer random;

    @Option(names = {"--epochs", "--n_epochs"}, paramLabel = "N", defaultValue = "40",
            description = "Epochs of every run (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = RunOptions.DEFAULT_SEED,
            description = "Seed of the initialisation (the same for every run), shuffling, flips and the random "
                    + "search (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    TrainingExtras extras;

    @Option(names = "--train-figures", description = "Evaluate the training set after every epoch too (default: "
            + "only validation every epoch, the training set once for the model a run ends with).")
    boolean trainFigures;

    @Option(names = "--hidden", paramLabel = "M",
            description = "Search the two-layer network of M hidden units (as train --hidden), each run on all "
                    + "threads in turn, from the same initialisation.")
    Integer hidden;

    @Option(names = "--dropout", paramLabel = "P",
            description = "With --hidden: inverted dropout on the hidden layer in every run, as train --dropout "
                    + "(default: 0, none).")
    Double dropout;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/search",
            description = "Output folder, created if needed (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    /** The candidates these flags ask for, in run order. */
    List<Candidate> candidates() {
        boolean assignment = false;
        if (preset != null) {
            if (!preset.strip().equalsIgnoreCase("assignment")) {
                throw new InputException("--preset: unknown preset '" + preset + "', expected assignment");
            }
            assignment = true;
        }
        Values l = lambdas != null ? Values.parse("--lambdas", lambdas)
                : assignment ? list("--lambdas", HyperSearch.ASSIGNMENT_LAMBDAS) : Values.parse("--lambdas", "0.1");
        Values e = etas != null ? Values.parse("--etas", etas)
                : assignment ? list("--etas", HyperSearch.ASSIGNMENT_ETAS) : Values.parse("--etas", "0.001");
        Values b = batches != null ? Values.parse("--batches", batches)
                : assignment ? list("--batches", HyperSearch.ASSIGNMENT_BATCHES) : Values.parse("--batches", "100");
        if (b.list() == null) {
            throw new InputException("--batches: give a list of batch sizes, not a range");
        }
        if (random != null) {
            HyperSearch.checkSize(random, epochs, "--random");
            return HyperSearch.random(random, l, e, b, new RandomStreams(seed).search());
        }
        HyperSearch.checkSize(HyperSearch.gridSize(l, e, b), epochs, "--lambdas, --etas, --batches");
        return HyperSearch.grid(l, e, b);
    }

    private static Values list(String flag, List<Double> values) {
        return new Values(flag, values, 0, 0, values.size());
    }

    @Override
    public Integer call() {
        long start = System.nanoTime();
        TrainConfig base = extras.apply(new TrainConfig(0, 0.001, 1, epochs, seed, false, false));
        List<Candidate> candidates = candidates();
        List<TrainConfig> configs = candidates.stream().map(c -> c.config(base)).toList();
        int threads = runOptions.threads();
        if (hidden != null) {
            return searchTwoLayer(configs, threads, start);
        }
        if (dropout != null) {
            throw new InputException("--dropout: drops hidden units of the two-layer network; give --hidden M too");
        }
        // Flags, then the data's presence, then the slow load; the output folder is made only once the data
        // has been read, so that no failure before it leaves an empty folder.
        OutputFolders.checkCreatable(out, "--out");
        CifarSource source = dataOptions.source();
        var stdout = spec.commandLine().getOut();
        Kernels kernels = kernelsWithWarning();
        PreparedData data = dataOptions.loadWhileWarmingUpFor(kernels, source, configs.get(0),
                ParallelRuns.threadsPerRun(threads, configs.size()));
        checkBatches(configs, data);
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        Outcome o = run(kernels, threads, data, configs, seed, out, trainFigures, runOptions.quiet, stdout);
        if (o.test() == null) {
            spec.commandLine().getErr().println("vectrain: every setting diverged");
            return ExitCodes.CHECK_FAILED;
        }
        printOutcome(o.table(), configs.size(), o.seconds(), loadSeconds, configs.get(o.chosen()).label(),
                o.results().get(o.chosen()), o.test());
        return ExitCodes.OK;
    }

    /** The kernels of this JVM, their warning (if any) printed. */
    private Kernels kernelsWithWarning() {
        Kernels kernels = KernelProvider.kernels();
        if (!KernelProvider.warning().isEmpty()) {
            spec.commandLine().getErr().println("vectrain: warning: " + KernelProvider.warning());
        }
        return kernels;
    }

    private static void checkBatches(List<TrainConfig> configs, PreparedData data) {
        for (TrainConfig c : configs) {
            if (c.batchSize() > data.train().size()) {
                throw new InputException("--batches: " + c.batchSize() + " is larger than the training set ("
                        + data.train().size() + " images)");
            }
        }
    }

    /** The table and the timing (not with --quiet), then the result line, printed even with --quiet. */
    private void printOutcome(Table table, int settings, double searchSeconds, double loadSeconds, String chosen,
            RunOutcome best, Evaluation test) {
        var stdout = spec.commandLine().getOut();
        if (!runOptions.quiet) {
            stdout.println();
            stdout.print(Tables.toText(table));
            stdout.printf(Locale.ROOT, "%nsearch: %s x %s in %.2f s (data %.2f s)%n",
                    ProgressDisplay.count(settings, "setting"), ProgressDisplay.count(epochs, "epoch"),
                    searchSeconds, loadSeconds);
        }
        stdout.printf(Locale.ROOT, "chosen on validation accuracy: %s (epoch %d), validation %.2f%%, test %.2f%%; "
                + "outputs in %s%n", chosen, best.modelEpoch(), 100 * HyperSearch.validationAccuracy(best),
                100 * test.accuracy(), out);
        stdout.flush();
    }

    /** {@code --hidden M}: the settings trained one after another, each on all threads; then as the one-layer one. */
    private int searchTwoLayer(List<TrainConfig> configs, int threads, long start) {
        if (hidden < 1 || hidden > TwoLayerModel.MAX_HIDDEN) {
            throw new InputException("--hidden: " + hidden + " must be in 1.." + TwoLayerModel.MAX_HIDDEN);
        }
        Dropout hiddenDropout = dropout == null ? Dropout.NONE : new Dropout(dropout);
        OutputFolders.checkCreatable(out, "--out");
        CifarSource source = dataOptions.source();
        var stdout = spec.commandLine().getOut();
        Kernels kernels = kernelsWithWarning();
        PreparedData data = dataOptions.loadForTwoLayerTraining(source);
        checkBatches(configs, data);
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        OutputFolders.lock(out);
        TwoLayerKernels twoLayer = KernelProvider.twoLayerKernels();
        TwoLayerModel initial = TwoLayerModel.gaussian(LabeledImages.CLASSES, LabeledImages.PIXELS, hidden,
                TwoLayerKernels.weightStride(LabeledImages.PIXELS), new RandomStreams(seed).init());
        long totalEpochs = configs.stream().mapToLong(TrainConfig::epochs).sum();
        long searchStart = System.nanoTime();
        List<TwoLayerResult> results = new ArrayList<>();
        try (WorkerPool pool = new WorkerPool(threads);
                ProgressDisplay display = new ProgressDisplay("search: " + ProgressDisplay.count(configs.size(),
                        "setting") + ", " + hidden + " hidden units", totalEpochs, 1, 1, runOptions.quiet, stdout)) {
            TwoLayerTrainer trainer = new TwoLayerTrainer(twoLayer, kernels, pool);
            for (TrainConfig config : configs) {
                ProgressDisplay.Run run = display.run(config.label() + hiddenDropout.label());
                try {
                    // no test set here: the choice must not be able to see it
                    results.add(trainer.train(config, hiddenDropout, initial, data.train(), data.validation(), null,
                            run.listener(), trainFigures));
                } finally {
                    run.finished();
                }
            }
            display.phase("writing the results and the chosen run's files");
            List<Integer> ranking = HyperSearch.ranking(results);
            int chosen = ranking.get(0);
            Table table = table(configs, results, ranking);
            RunExecutor.removePrevious(out.resolve(BEST).resolve(RunFiles.SUMMARY));
            Tables.writeCsv(out.resolve(RESULTS + ".csv"), table);
            Tables.writeMarkdown(out.resolve(RESULTS + ".md"), table);
            writeOverlay(out, configs, results, ranking);
            TwoLayerResult best = results.get(chosen);
            if (best.diverged()) {
                spec.commandLine().getErr().println("vectrain: every setting diverged");
                return ExitCodes.CHECK_FAILED;
            }
            int[] predictions = new int[data.test().size()];
            Evaluation test = new TwoLayerEvaluator(twoLayer, configs.get(chosen).loss().kernel(kernels), pool,
                    LabeledImages.CLASSES, LabeledImages.PIXELS, hidden).evaluate(best.model(), data.test(),
                            configs.get(chosen).lambda(), predictions);
            TwoLayerResult bestWithTest = new TwoLayerResult(best.initial(), best.model(), best.history(), test, null,
                    best.totalMillis(), best.modelEpoch(), best.bestEpoch(), best.stoppedEarly(),
                    ConfusionMatrix.of(LabeledImages.CLASSES, data.test().labels(), predictions));
            Path bestFolder = out.resolve(BEST);
            AtomicFiles.ensureWritableDirectory(bestFolder, "--out");
            RunExecutor.removePreviousSummary(bestFolder);
            RunExecutor.writeTwoLayerFolder(bestFolder, data, configs.get(chosen), hiddenDropout,
                    "W1 ~ N(0, 1/D), W2 ~ N(0, 1/m), b = 0, seed " + seed, bestWithTest,
                    RunEnvironment.current(twoLayer.description(), threads), BEST + ": ", null);
            display.stepDone();
            printOutcome(table, configs.size(), (System.nanoTime() - searchStart) / 1e9, loadSeconds,
                    configs.get(chosen).label() + hiddenDropout.label() + ", " + hidden + " hidden units", best, test);
            return ExitCodes.OK;
        }
    }

    /** The validation accuracy of every run per epoch, best first. */
    private static void writeOverlay(Path out, List<TrainConfig> configs, List<? extends RunOutcome> results,
            List<Integer> ranking) {
        List<Curve> curves = new ArrayList<>();
        for (int i : ranking) {
            double[] acc = results.get(i).history().stream().mapToDouble(r -> r.validation().accuracy()).toArray();
            curves.add(new Curve(configs.get(i).label(), 1, acc));
        }
        CurvePlots.writeOverlay(out.resolve(PLOT), "Validation accuracy of the " + configs.size() + " settings",
                "validation accuracy", curves);
    }

    /**
     * What a search found.
     *
     * @param ranking indices of {@code configs} from best to worst validation accuracy
     * @param test the chosen setting on the test set, measured after the choice; null when every run diverged
     * @param seconds wall time of the training runs
     */
    record Outcome(List<TrainConfig> configs, List<TrainResult> results, List<Integer> ranking, Table table,
            Evaluation test, double seconds) {
        int chosen() {
            return ranking.get(0);
        }
    }

    /**
     * Trains every setting side by side (no test set), ranks them on validation accuracy, measures the
     * chosen one on the test set, and writes the results table, the plot and the chosen run (with the plots
     * of any run) under {@code out}.
     */
    static Outcome run(Kernels kernels, int threads, PreparedData data, List<TrainConfig> configs, long seed, Path out,
            boolean trainFigures, boolean quiet, java.io.PrintWriter stdout) {
        OutputFolders.lock(out);
        SoftmaxModel initial = SoftmaxModel.gaussian(LabeledImages.CLASSES, LabeledImages.PIXELS,
                new RandomStreams(seed).init(), false);
        long totalEpochs = configs.stream().mapToLong(TrainConfig::epochs).sum();
        long searchStart = System.nanoTime();
        List<TrainResult> results;
        try (ProgressDisplay display = new ProgressDisplay("search: " + ProgressDisplay.count(configs.size(),
                "setting"), totalEpochs, configs.size(), 1, quiet, stdout)) {
            List<Function<org.vectrain.engine.train.Trainer, TrainResult>> jobs = new ArrayList<>();
            for (TrainConfig config : configs) {
                ProgressDisplay.Run run = display.run(config.label());
                // no test set here: the choice must not be able to see it
                jobs.add(trainer -> {
                    try {
                        return trainer.train(config, initial, data.train(), data.validation(), null, run.listener(),
                                trainFigures);
                    } finally {
                        run.finished();
                    }
                });
            }
            results = ParallelRuns.run(kernels, threads, jobs);
            display.phase("writing the results and the chosen run's files");
            Outcome outcome = finish(kernels, threads, data, configs, results, seed, out,
                    (System.nanoTime() - searchStart) / 1e9);
            display.stepDone();
            return outcome;
        }
    }

    /** Ranks the results, measures the chosen one on the test set and writes the files. */
    private static Outcome finish(Kernels kernels, int threads, PreparedData data, List<TrainConfig> configs,
            List<TrainResult> results, long seed, Path out, double seconds) {
        List<Integer> ranking = HyperSearch.ranking(results);
        Table table = table(configs, results, ranking);
        // The chosen run's summary, which marks a search complete, goes before the first new file.
        RunExecutor.removePrevious(out.resolve(BEST).resolve(RunFiles.SUMMARY));
        Tables.writeCsv(out.resolve(RESULTS + ".csv"), table);
        Tables.writeMarkdown(out.resolve(RESULTS + ".md"), table);
        writeOverlay(out, configs, results, ranking);
        int chosen = ranking.get(0);
        TrainResult best = results.get(chosen);
        if (best.diverged()) {
            return new Outcome(configs, results, ranking, table, null, seconds);
        }
        Evaluation test;
        int[] predictions = new int[data.test().size()];
        try (WorkerPool pool = new WorkerPool(threads)) {
            test = new Evaluator(kernels, pool, LabeledImages.CLASSES).evaluate(best.model(), data.test(),
                    configs.get(chosen).lambda(), predictions);
        }
        TrainResult bestWithTest = new TrainResult(best.initial(), best.model(), best.history(), test, null,
                best.totalMillis(), best.modelEpoch(), best.bestEpoch(), best.stoppedEarly(),
                ConfusionMatrix.of(LabeledImages.CLASSES, data.test().labels(), predictions));
        Path bestFolder = out.resolve(BEST);
        AtomicFiles.ensureWritableDirectory(bestFolder, "--out");
        RunExecutor.removePreviousSummary(bestFolder);
        RunExecutor.writePlots(bestFolder, configs.get(chosen), bestWithTest, data);
        RunFiles.write(bestFolder, bestWithTest, RunSummary.toJson(configs.get(chosen),
                RunExecutor.describe(data), "gaussian N(0, 0.01^2), seed " + seed, bestWithTest,
                RunEnvironment.current(kernels.description(), threads)).set("provenance", Provenance.json()),
                data.classNames(), data.normalization());
        return new Outcome(configs, results, ranking, table, test, seconds);
    }

    static Table table(List<TrainConfig> configs, List<? extends RunOutcome> results, List<Integer> ranking) {
        Table.Builder table = Table.builder("rank", "λ", "η", "n_batch", "epoch", "train accuracy",
                "validation accuracy", "train ms/epoch", "eval ms/epoch");
        int rank = 1;
        for (int i : ranking) {
            TrainConfig c = configs.get(i);
            RunOutcome r = results.get(i);
            if (r.diverged()) {
                table.row(rank++, plain(c.lambda()), plain(c.eta()), c.batchSize(), "diverged", "-", "-",
                        fixed(r.medianTrainMillis()), fixed(r.medianEvalMillis()));
                continue;
            }
            var record = r.history().get(r.modelEpoch() - 1);
            table.row(rank++, plain(c.lambda()), plain(c.eta()), c.batchSize(), r.modelEpoch(),
                    percent(record.train().accuracy()),
                    percent(record.validation().accuracy()), fixed(r.medianTrainMillis()), fixed(r.medianEvalMillis()));
        }
        return table.build();
    }

    /** A hyper-parameter as written by hand: {@code 1}, {@code 0.001}, never {@code 1.0} or {@code 1.0E-4}. */
    static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** A fraction as a percentage; "-" for a figure that was not measured. */
    private static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.2f %%", 100 * fraction) : "-";
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}

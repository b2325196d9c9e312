package org.vectrain.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vectrain.cli.ExitCodes;
import org.vectrain.cli.PhaseTimeline;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.data.PreparedData;
import org.vectrain.engine.io.AtomicFiles;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.model.TwoLayerModel;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.train.TwoLayerResult;
import org.vectrain.engine.train.RunOutcome;
import org.vectrain.engine.train.Dropout;
import org.vectrain.engine.train.TwoLayerRunFiles;
import org.vectrain.engine.train.TwoLayerTrainer;
import org.vectrain.engine.train.TwoLayerTrainingState;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.train.Checkpoint;
import org.vectrain.engine.train.RandomStreams;
import org.vectrain.engine.train.RunEnvironment;
import org.vectrain.engine.train.RunFiles;
import org.vectrain.engine.train.TrainConfig;
import org.vectrain.engine.train.TrainResult;
import org.vectrain.engine.train.Trainer;
import org.vectrain.engine.train.TrainingState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vectrain train}: one setting, one output folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train one setting and write its plots, weight montage, history, summary.json and W/b as .npy.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    HyperParameters hyper;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    RunOptions runOptions;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/train",
            description = "Output folder, created if needed (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--init", paramLabel = "DIR",
            description = "Start from W.npy and b.npy in DIR (float32, shapes (10, 3072) and (10, 1)) "
                    + "instead of a random initialisation; with --hidden M from W1.npy, b1.npy, W2.npy and b2.npy "
                    + "(shapes (M, 3072), (M, 1), (10, M), (10, 1)), e.g. a run's init/ or its final weights.")
    Path init;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR (of either model) from its checkpoint/ (its last epoch, or one "
                    + "at most about a second before it was stopped), with its own configuration and data split, up "
                    + "to --epochs in all (default: the run's own count); the outputs go to DIR unless --out is "
                    + "given. Gives the same bits as the run in one go.")
    Path resume;

    @Option(names = "--hidden", paramLabel = "M",
            description = "Train the two-layer network: a ReLU hidden layer of M units (W1 M x 3072, W2 10 x M, "
                    + "initialised as the assignment does, b = 0, or from --init DIR's W1.npy, b1.npy, W2.npy and "
                    + "b2.npy), L2 on both weight matrices; writes W1, b1, W2 and b2 as .npy. --resume continues "
                    + "such a run without it.")
    Integer hidden;

    @Option(names = "--dropout", paramLabel = "P",
            description = "With --hidden: inverted dropout on the hidden layer, each hidden value of each training "
                    + "step dropped with probability P (and the kept ones divided by 1 - P), the masks drawn from "
                    + "the seed; evaluation runs the whole network. In [0, 0.9] (default: 0, none).")
    Double dropout;

    @Mixin
    TimingsOption timingsOption;

    @Spec
    CommandSpec spec;

    /** The names of the epoch count, as a run's {@code args.txt} may hold it. */
    private static final Set<String> EPOCHS_NAMES = Set.of("--epochs", "--n_epochs");

    /** The options that go with --resume; every other training option is the run's own. */
    private static final Set<String> WITH_RESUME = Set.of("--resume", "--epochs", "--data", "--threads", "--quiet",
            "--out", "--timings");

    @Override
    public Integer call() {
        TrainConfig config;
        TrainingState resumeFrom = null;
        List<String> replay = null;
        int threads = runOptions.threads();
        SoftmaxModel initial = null;
        String initDescription;
        if (resume != null) {
            CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
            for (CommandLine.Model.OptionSpec o : parsed.matchedOptions()) {
                if (java.util.Arrays.stream(o.names()).noneMatch(WITH_RESUME::contains)) {
                    throw new InputException(o.longestName() + ": a resumed run keeps its own configuration ("
                            + resume.resolve(Checkpoint.FOLDER).resolve(Checkpoint.STATE) + "); with --resume go "
                            + "only --epochs, --out, --data, --threads, --quiet and --timings");
                }
            }
            if (Checkpoint.holdsTwoLayer(resume.resolve(Checkpoint.FOLDER))) {
                return resumeTwoLayer(threads);
            }
        }
        if (hidden != null) {
            return trainTwoLayer(threads);
        }
        if (dropout != null) {
            throw new InputException("--dropout: drops hidden units of the two-layer network; give --hidden M too");
        }
        if (resume != null) {
            Checkpoint.Saved saved = Checkpoint.read(resume.resolve(Checkpoint.FOLDER), LabeledImages.CLASSES,
                    LabeledImages.PIXELS);
            config = resumedConfig(saved.config(), saved.state().epoch());
            resumeFrom = saved.state();
            takeSplitOf(saved.about());
            initial = RunFiles.readModel(resume.resolve(RunFiles.INIT_DIR), LabeledImages.CLASSES,
                    LabeledImages.PIXELS, "--resume");
            initDescription = saved.about().path("init").asText("from " + resume.resolve(RunFiles.INIT_DIR));
            replay = resumedOutput(config.epochs());
        } else {
            config = hyper.toConfig();
            if (init != null) {
                initial = RunFiles.readModel(init, LabeledImages.CLASSES, LabeledImages.PIXELS, "--init");
            }
            initDescription = init != null ? "from " + init.toAbsolutePath()
                    : "gaussian N(0, 0.01^2), seed " + config.seed() + (config.zeroBias() ? ", b = 0" : "");
        }
        // Flags, then the data's presence, then the slow load; the output folder is made only once the data
        // has been read, so that no failure before it leaves an empty folder.
        OutputFolders.checkCreatable(out, "--out");
        CifarSource source = PhaseTimeline.process().time("data files checked", dataOptions::source);
        Kernels kernels = PhaseTimeline.process().time("kernel selection", KernelProvider::kernels);
        PreparedData data = dataOptions.loadForTraining(kernels, source, config, threads);
        OutputFolders.lock(out);
        if (initial == null) {
            initial = SoftmaxModel.gaussian(LabeledImages.CLASSES, LabeledImages.PIXELS,
                    new RandomStreams(config.seed()).init(), config.zeroBias());
        }
        var err = spec.commandLine().getErr();
        if (!KernelProvider.warning().isEmpty()) {
            err.println("vectrain: warning: " + KernelProvider.warning());
        }
        var stdout = spec.commandLine().getOut();
        if (!runOptions.quiet) {
            stdout.println("data: " + data.source() + ", split " + data.split().id() + " (" + data.train().size()
                    + " / " + data.validation().size() + " / " + data.test().size() + "); kernels: "
                    + kernels.description() + ", " + threads + " threads");
            stdout.flush();
        }
        TrainResult result;
        try (WorkerPool pool = new WorkerPool(threads);
                ProgressDisplay progress = new ProgressDisplay("train: " + config.label(), config.epochs(), 1, 0,
                        runOptions.quiet, stdout)) {
            result = RunExecutor.run(new Trainer(kernels, pool), data, config, initial, initDescription, out,
                    RunEnvironment.current(kernels.description(), threads), progress.run(config.label()),
                    resumeFrom, true, replay, true);
        }
        return finish(result, err, stdout);
    }

    /**
     * The configuration of the run {@code --resume} continues, {@code saved}, up to {@code --epochs} in all when
     * given (its own count otherwise), and no fewer than the {@code done} epochs it has.
     */
    private TrainConfig resumedConfig(TrainConfig saved, int done) {
        int epochs = spec.commandLine().getParseResult().hasMatchedOption("--epochs") ? hyper.epochs : saved.epochs();
        if (epochs < done) {
            throw new InputException("--epochs: " + epochs + " is fewer than the " + done + " epochs " + resume
                    + " has done");
        }
        return new TrainConfig(saved.lambda(), saved.eta(), saved.batchSize(), epochs, saved.seed(), saved.shuffle(),
                saved.zeroBias(), saved.flip(), saved.schedule(), saved.keepBest(), saved.patience(), saved.loss(),
                saved.translate(), saved.averageFrom());
    }

    /** The data split of the resumed run, as its checkpoint's {@code about} says. */
    private void takeSplitOf(JsonNode about) {
        dataOptions.split = about.path("split").asText(dataOptions.split);
        dataOptions.validationSize = about.path("validation_size").asInt(dataOptions.validationSize);
    }

    /**
     * The resumed run's outputs go to its own folder unless {@code --out} is given; returns its {@code args.txt}
     * with the new epoch count.
     */
    private List<String> resumedOutput(int epochs) {
        if (!spec.commandLine().getParseResult().hasMatchedOption("--out")) {
            out = resume;
        }
        return replayOfResumed(resume.resolve(RunExecutor.ARGS), epochs);
    }

    /** {@code --resume DIR} of a two-layer run: its configuration, dropout, split and initial network from DIR. */
    private int resumeTwoLayer(int threads) {
        int stride = TwoLayerKernels.weightStride(LabeledImages.PIXELS);
        Checkpoint.SavedTwoLayer saved = Checkpoint.readTwoLayer(resume.resolve(Checkpoint.FOLDER),
                LabeledImages.CLASSES, LabeledImages.PIXELS, stride);
        TrainConfig config = resumedConfig(saved.config(), saved.state().epoch());
        takeSplitOf(saved.about());
        TwoLayerModel initial = TwoLayerRunFiles.readModel(resume.resolve(RunFiles.INIT_DIR), LabeledImages.CLASSES,
                LabeledImages.PIXELS, saved.state().model().hidden(), "--resume").withStride(stride);
        String initDescription = saved.about().path("init").asText("from " + resume.resolve(RunFiles.INIT_DIR));
        List<String> replay = resumedOutput(config.epochs());
        return trainTwoLayer(threads, config, saved.dropout(), initial, initDescription, saved.state(), replay);
    }

    /** {@code --hidden M}: the two-layer network, one setting, one output folder. */
    private int trainTwoLayer(int threads) {
        if (hidden < 1 || hidden > TwoLayerModel.MAX_HIDDEN) {
            throw new InputException("--hidden: " + hidden + " must be in 1.." + TwoLayerModel.MAX_HIDDEN);
        }
        TrainConfig config = hyper.toConfig();
        Dropout hiddenDropout = dropout == null ? Dropout.NONE : new Dropout(dropout);
        TwoLayerModel initial;
        String initDescription;
        if (init != null) {
            initial = TwoLayerRunFiles.readModel(init, LabeledImages.CLASSES, LabeledImages.PIXELS, hidden, "--init")
                    .withStride(TwoLayerKernels.weightStride(LabeledImages.PIXELS));
            initDescription = "from " + init.toAbsolutePath();
        } else {
            initial = TwoLayerModel.gaussian(LabeledImages.CLASSES, LabeledImages.PIXELS, hidden,
                    TwoLayerKernels.weightStride(LabeledImages.PIXELS), new RandomStreams(config.seed()).init());
            initDescription = "W1 ~ N(0, 1/D), W2 ~ N(0, 1/m), b = 0, seed " + config.seed();
        }
        return trainTwoLayer(threads, config, hiddenDropout, initial, initDescription, null, null);
    }

    /**
     * The two-layer network's run from {@code initial} into {@code --out}, going on from {@code resumeFrom} (null:
     * from the start), with a checkpoint after every epoch; {@code replay} is its {@code args.txt} (null: this
     * command line).
     */
    private int trainTwoLayer(int threads, TrainConfig config, Dropout hiddenDropout, TwoLayerModel initial,
            String initDescription, TwoLayerTrainingState resumeFrom, List<String> replay) {
        OutputFolders.checkCreatable(out, "--out");
        CifarSource source = PhaseTimeline.process().time("data files checked", dataOptions::source);
        Kernels kernels = PhaseTimeline.process().time("kernel selection", KernelProvider::kernels);
        PreparedData data = dataOptions.loadForTwoLayerTraining(source);
        OutputFolders.lock(out);
        TwoLayerKernels twoLayerKernels = KernelProvider.twoLayerKernels();
        var err = spec.commandLine().getErr();
        if (!KernelProvider.warning().isEmpty()) {
            err.println("vectrain: warning: " + KernelProvider.warning());
        }
        var stdout = spec.commandLine().getOut();
        if (!runOptions.quiet) {
            stdout.println("data: " + data.source() + ", split " + data.split().id() + " (" + data.train().size()
                    + " / " + data.validation().size() + " / " + data.test().size() + "); two-layer network, "
                    + initial.hidden() + " hidden units; kernels: " + twoLayerKernels.description() + ", " + threads
                    + " threads");
            stdout.flush();
        }
        TwoLayerResult result;
        try (WorkerPool pool = new WorkerPool(threads);
                ProgressDisplay progress = new ProgressDisplay("train: " + config.label(), config.epochs(), 1, 0,
                        runOptions.quiet, stdout)) {
            result = RunExecutor.runTwoLayer(new TwoLayerTrainer(twoLayerKernels, kernels, pool), data, config,
                    hiddenDropout, initial, initDescription, out,
                    RunEnvironment.current(twoLayerKernels.description(), threads), progress.run(config.label()), null,
                    resumeFrom, true, replay);
        }
        return finish(result, err, stdout);
    }

    /**
     * The end of a run: a diverged one's message and exit code 1, else the result line, printed even with
     * {@code --quiet} (it is the one line a script or a reader needs), and the phases when asked for.
     */
    private int finish(RunOutcome result, java.io.PrintWriter err, java.io.PrintWriter stdout) {
        if (result.diverged()) {
            err.println("vectrain: " + result.divergence() + "; outputs written to " + out);
            return ExitCodes.CHECK_FAILED;
        }
        stdout.printf(Locale.ROOT, "test accuracy %.2f%%, loss %.4f; %.1f ms/epoch training, %.1f ms/epoch "
                + "evaluation, %.2f s in all; outputs in %s%n", 100 * result.test().accuracy(), result.test().loss(),
                result.medianTrainMillis(), result.medianEvalMillis(), result.totalMillis() / 1000, out);
        stdout.flush();
        timingsOption.printIfAsked(stdout);
        return ExitCodes.OK;
    }

    /** The resumed run's {@code args.txt} with its new epoch count; null when it has none. */
    private static List<String> replayOfResumed(Path args, int epochs) {
        if (!Files.exists(args)) {
            return null;
        }
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(args));
        } catch (IOException e) {
            throw new InputException(args + ": cannot read (" + e.getMessage() + ")", e);
        }
        // the epoch count under whichever of its names the run recorded
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (EPOCHS_NAMES.contains(line) && i + 1 < lines.size()) {
                lines.set(i + 1, Integer.toString(epochs));
                return lines;
            }
            int equals = line.indexOf('=');
            if (equals > 0 && EPOCHS_NAMES.contains(line.substring(0, equals))) {
                lines.set(i, line.substring(0, equals + 1) + epochs);
                return lines;
            }
        }
        lines.add("--epochs");
        lines.add(Integer.toString(epochs));
        return lines;
    }
}

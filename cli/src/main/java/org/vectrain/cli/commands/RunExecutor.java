package org.vectrain.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.vectrain.cli.PhaseTimeline;
import org.vectrain.cli.Provenance;
import org.vectrain.cli.report.ConfusionPlot;
import org.vectrain.cli.report.CurvePlots;
import org.vectrain.cli.report.Histogram;
import org.vectrain.cli.report.TrainingCurves;
import org.vectrain.cli.report.WeightMontage;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.PreparedData;
import org.vectrain.engine.eval.ClassScores;
import org.vectrain.engine.eval.Evaluation;
import org.vectrain.engine.io.AtomicFiles;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.train.Checkpoint;
import org.vectrain.engine.train.Dropout;
import org.vectrain.engine.train.EpochRecord;
import org.vectrain.engine.train.Loss;
import org.vectrain.engine.train.RunEnvironment;
import org.vectrain.engine.train.RunFiles;
import org.vectrain.engine.train.RunSummary;
import org.vectrain.engine.train.TrainConfig;
import org.vectrain.engine.train.TrainResult;
import org.vectrain.engine.train.RunOutcome;
import org.vectrain.engine.train.TwoLayerResult;
import org.vectrain.engine.train.TwoLayerRunFiles;
import org.vectrain.engine.train.TwoLayerTrainer;
import org.vectrain.engine.train.TwoLayerTrainingState;
import org.vectrain.engine.model.TwoLayerModel;
import org.vectrain.engine.train.Trainer;
import org.vectrain.engine.train.TrainingState;

/**
 * Runs one setting and writes its folder: the plots, the weight montage and the test confusion matrix first, then the data
 * files (the model files of {@link org.vectrain.engine.model.ModelFiles} among them, and {@code args.txt} for a
 * {@code train} command), with {@code summary.json}, which records the provenance, last (see {@link RunFiles}).
 */
final class RunExecutor {
    static final String ACCURACY_PNG = "accuracy.png";
    static final String LOSS_COST_PNG = "loss_cost.png";
    static final String MONTAGE_PNG = "montage.png";
    static final String CONFUSION_PNG = "confusion.png";
    static final String CORRECT_CLASS_PNG = "correct_class.png";
    /** The training command's options, one a line: {@code vectrain train @DIR/args.txt --out NEW} runs it again. */
    static final String ARGS = "args.txt";

    private RunExecutor() {
    }

    static TrainResult run(Trainer trainer, PreparedData data, TrainConfig config, SoftmaxModel initial,
            String initDescription, Path out, RunEnvironment environment, ProgressDisplay.Run progress) {
        return run(trainer, data, config, initial, initDescription, out, environment, progress,
                OutputQueue.inline());
    }

    /**
     * As {@link #run(Trainer, PreparedData, TrainConfig, SoftmaxModel, String, Path, RunEnvironment,
     * ProgressDisplay.Run)}, with the run's folder written by {@code outputs}: the result comes back once the
     * training is over, perhaps before its files are written.
     */
    static TrainResult run(Trainer trainer, PreparedData data, TrainConfig config, SoftmaxModel initial,
            String initDescription, Path out, RunEnvironment environment, ProgressDisplay.Run progress,
            OutputQueue outputs) {
        return run(trainer, data, config, initial, initDescription, out, environment, progress, null, false, null,
                false, outputs);
    }

    /**
     * As {@link #run(Trainer, PreparedData, TrainConfig, SoftmaxModel, String, Path, RunEnvironment,
     * ProgressDisplay.Run)}, going on from {@code resumeFrom} (null: from the start) and, with {@code checkpoints},
     * writing the state of every epoch into {@code out/checkpoint} ({@link Checkpoint}); {@code replay} is the
     * {@code args.txt} to write (null: that of this process's train command, if it is one); with
     * {@code processTimings}, the run is the whole process and its summary gets the process's phases so far
     * ({@link PhaseTimeline}). The phases of the run are named after its folder when it shares the process
     * with others.
     */
    static TrainResult run(Trainer trainer, PreparedData data, TrainConfig config, SoftmaxModel initial,
            String initDescription, Path out, RunEnvironment environment, ProgressDisplay.Run progress,
            TrainingState resumeFrom, boolean checkpoints, List<String> replay, boolean processTimings) {
        return run(trainer, data, config, initial, initDescription, out, environment, progress, resumeFrom,
                checkpoints, replay, processTimings, OutputQueue.inline());
    }

    private static TrainResult run(Trainer trainer, PreparedData data, TrainConfig config, SoftmaxModel initial,
            String initDescription, Path out, RunEnvironment environment, ProgressDisplay.Run progress,
            TrainingState resumeFrom, boolean checkpoints, List<String> replay, boolean processTimings,
            OutputQueue outputs) {
        PhaseTimeline timeline = PhaseTimeline.process();
        String prefix = processTimings ? "" : out.getFileName() + ": ";
        TrainResult result;
        try {
            AtomicFiles.ensureWritableDirectory(out, "--out");
            // The folder may hold an earlier complete run. Its summary goes before the first new file is
            // written (a checkpoint, or the outputs): a run killed after that must not leave the old summary
            // vouching for new files.
            if (checkpoints) {
                removePreviousSummary(out);
                // with the checkpoints from the start, so that a run killed before its end can be resumed
                RunFiles.writeModel(out.resolve(RunFiles.INIT_DIR), initial);
            }
            ObjectNode about = describe(data);
            about.put("init", initDescription);
            Path checkpointFolder = out.resolve(Checkpoint.FOLDER);
            try (var phase = timeline.begin(prefix + "epochs");
                    Checkpoint.Writer<TrainingState> writer = checkpoints
                            ? Checkpoint.Writer.of(checkpointFolder, config, about) : null) {
                result = trainer.train(config, initial, data.train(), data.validation(), data.test(),
                        progress.listener(), true, resumeFrom, writer);
            }
        } catch (RuntimeException | Error e) {
            progress.finished();
            throw e;
        }
        // the replay is read here, on the command's thread, where the command line is known
        List<String> replayed = replay != null ? replay : Provenance.replayArguments("train");
        outputs.submit(() -> {
            try {
                progress.writing();
                writeOutputs(out, data, config, initDescription, environment, result, resumeFrom, replayed, prefix,
                        processTimings);
            } finally {
                progress.finished();
            }
        });
        return result;
    }

    /**
     * A run of the two-layer network into {@code out}: its epochs, then its curves, confusion plot, data files
     * ({@link TwoLayerRunFiles}) and {@code summary.json} last, as the one-layer run's; no checkpoints. With
     * {@code phasePrefix} null the run is the whole process and its summary gets the process's phases; otherwise
     * the run's phases are named with that prefix (e.g. its folder) and its summary has none.
     */
    static TwoLayerResult runTwoLayer(TwoLayerTrainer trainer, PreparedData data, TrainConfig config,
            Dropout dropout, TwoLayerModel initial, String initDescription, Path out, RunEnvironment environment,
            ProgressDisplay.Run progress, String phasePrefix) {
        return runTwoLayer(trainer, data, config, dropout, initial, initDescription, out, environment, progress,
                phasePrefix, null, false, null);
    }

    /**
     * As {@link #runTwoLayer(TwoLayerTrainer, PreparedData, TrainConfig, Dropout, TwoLayerModel, String, Path,
     * RunEnvironment, ProgressDisplay.Run, String)}, going on from {@code resumeFrom} (null: from the start) and,
     * with {@code checkpoints}, writing {@code init/} first and the state of every epoch into {@code out/checkpoint}
     * ({@link Checkpoint#writeTwoLayer}), as a one-layer {@code train} does; {@code replay} is the {@code args.txt}
     * to write (null: that of this process's train command).
     */
    static TwoLayerResult runTwoLayer(TwoLayerTrainer trainer, PreparedData data, TrainConfig config,
            Dropout dropout, TwoLayerModel initial, String initDescription, Path out, RunEnvironment environment,
            ProgressDisplay.Run progress, String phasePrefix, TwoLayerTrainingState resumeFrom, boolean checkpoints,
            List<String> replay) {
        PhaseTimeline timeline = PhaseTimeline.process();
        String prefix = phasePrefix == null ? "" : phasePrefix;
        TwoLayerResult result;
        try {
            AtomicFiles.ensureWritableDirectory(out, "--out");
            removePreviousSummary(out);
            ObjectNode about = describe(data);
            about.put("init", initDescription);
            if (checkpoints) {
                // with the checkpoints from the start, so that a run killed before its end can be resumed
                TwoLayerRunFiles.writeModel(out.resolve(RunFiles.INIT_DIR), initial);
            }
            try (var phase = timeline.begin(prefix + "epochs");
                    Checkpoint.Writer<TwoLayerTrainingState> writer = checkpoints
                            ? Checkpoint.Writer.ofTwoLayer(out.resolve(Checkpoint.FOLDER), config, dropout, about)
                            : null) {
                result = trainer.train(config, dropout, initial, data.train(), data.validation(), data.test(),
                        progress.listener(), true, resumeFrom, writer);
            }
            progress.writing();
            writeTwoLayerFolder(out, data, config, dropout, initDescription, result, environment, phasePrefix,
                    replay != null ? replay : Provenance.replayArguments("train"), resumeFrom);
        } finally {
            progress.finished();
        }
        return result;
    }

    /**
     * The folder of a two-layer run after its training: its curves, confusion plot, data files
     * ({@link TwoLayerRunFiles}) and {@code summary.json} last. With {@code phasePrefix} null the run is the whole
     * process and its summary gets the process's phases; {@code replayed} (may be null) goes to {@code args.txt}.
     */
    static void writeTwoLayerFolder(Path out, PreparedData data, TrainConfig config, Dropout dropout,
            String initDescription, TwoLayerResult result, RunEnvironment environment, String phasePrefix,
            List<String> replayed) {
        writeTwoLayerFolder(out, data, config, dropout, initDescription, result, environment, phasePrefix, replayed,
                null);
    }

    /** As above, for a run that went on from {@code resumeFrom} (null: from the start). */
    private static void writeTwoLayerFolder(Path out, PreparedData data, TrainConfig config, Dropout dropout,
            String initDescription, TwoLayerResult result, RunEnvironment environment, String phasePrefix,
            List<String> replayed, TwoLayerTrainingState resumeFrom) {
        PhaseTimeline timeline = PhaseTimeline.process();
        String prefix = phasePrefix == null ? "" : phasePrefix;
        TrainingCurves curves = curves(config.label() + dropout.label(), result);
        try (var phase = timeline.begin(prefix + "accuracy plot")) {
            CurvePlots.writeAccuracy(out.resolve(ACCURACY_PNG), curves);
        }
        try (var phase = timeline.begin(prefix + "loss and cost plot")) {
            CurvePlots.writeLossAndCost(out.resolve(LOSS_COST_PNG), curves);
        }
        if (result.testConfusion() != null) {
            try (var phase = timeline.begin(prefix + "confusion plot")) {
                ConfusionPlot.write(out.resolve(CONFUSION_PNG), result.testConfusion(), data.classNames(),
                        "Test set confusion, " + config.label() + dropout.label());
            }
        }
        ObjectNode summary = RunSummary.toJson(config, describe(data), initDescription, result, environment);
        ObjectNode network = summary.putObject("network");
        network.put("layers", 2);
        network.put("hidden", result.initial().hidden());
        network.put("dropout", dropout.rate());
        network.put("files", TwoLayerRunFiles.W1 + ", " + TwoLayerRunFiles.B1 + ", " + TwoLayerRunFiles.W2
                + ", " + TwoLayerRunFiles.B2);
        summary.set("provenance", Provenance.json());
        if (resumeFrom != null) {
            summary.put("resumed_after_epoch", resumeFrom.epoch());
        }
        if (phasePrefix == null) {
            summary.set("timings", timeline.toJson());
        }
        if (replayed != null) {
            AtomicFiles.writeString(out.resolve(ARGS), String.join("\n", replayed) + "\n");
        }
        try (var phase = timeline.begin(prefix + "model and data files")) {
            TwoLayerRunFiles.write(out, result, summary, data.classNames(), data.normalization());
        }
    }

    /**
     * The run's folder after its training: plots first, then the data files, {@code summary.json} last. A run that
     * is the whole process ({@code processTimings}) draws its plots on two threads: nothing else needs the cores
     * by then.
     */
    private static void writeOutputs(Path out, PreparedData data, TrainConfig config, String initDescription,
            RunEnvironment environment, TrainResult result, TrainingState resumeFrom, List<String> replayed,
            String prefix, boolean processTimings) {
        PhaseTimeline timeline = PhaseTimeline.process();
        removePreviousSummary(out);
        writePlots(out, config, result, data, prefix, processTimings);
        ObjectNode summary = RunSummary.toJson(config, describe(data), initDescription, result, environment);
        summary.set("provenance", Provenance.json());
        if (processTimings) {
            summary.set("timings", timeline.toJson());
        }
        if (resumeFrom != null) {
            summary.put("resumed_after_epoch", resumeFrom.epoch());
        }
        if (replayed != null) {
            AtomicFiles.writeString(out.resolve(ARGS), String.join("\n", replayed) + "\n");
        }
        try (var phase = timeline.begin(prefix + "model and data files")) {
            RunFiles.write(out, result, summary, data.classNames(), data.normalization());
        }
    }

    /**
     * The plots of one run: accuracy and loss/cost per epoch, the weight montage, and, when the run was
     * measured on the test set, the test confusion matrix and the correct-class histogram.
     */
    static void writePlots(Path out, TrainConfig config, TrainResult result, PreparedData data) {
        writePlots(out, config, result, data, out.getFileName() + ": ", false);
    }

    /**
     * As {@link #writePlots(Path, TrainConfig, TrainResult, PreparedData)}, each plot a phase named after
     * {@code prefix}; with {@code onTwoThreads}, the accuracy curve, the montage and the confusion plot are drawn on
     * a thread of their own while the calling thread draws the loss and cost curves and the histogram (about half
     * the drawing each), and the first failure of either is thrown as it was thrown.
     */
    private static void writePlots(Path out, TrainConfig config, TrainResult result, PreparedData data,
            String prefix, boolean onTwoThreads) {
        PhaseTimeline timeline = PhaseTimeline.process();
        TrainingCurves curves = curves(config, result);
        Runnable drawnBeside = () -> {
            try (var phase = timeline.begin(prefix + "accuracy plot")) {
                CurvePlots.writeAccuracy(out.resolve(ACCURACY_PNG), curves);
            }
            try (var phase = timeline.begin(prefix + "weight montage")) {
                WeightMontage.write(out.resolve(MONTAGE_PNG), result.model().weights(), data.classNames(),
                        config.label());
            }
            if (result.testConfusion() != null) {
                try (var phase = timeline.begin(prefix + "confusion plot")) {
                    ConfusionPlot.write(out.resolve(CONFUSION_PNG), result.testConfusion(), data.classNames(),
                            "Test set confusion, " + config.label());
                }
            }
        };
        Runnable drawnHere = () -> {
            try (var phase = timeline.begin(prefix + "loss and cost plot")) {
                CurvePlots.writeLossAndCost(out.resolve(LOSS_COST_PNG), curves);
            }
            if (result.test() != null) {
                try (var phase = timeline.begin(prefix + "correct-class histogram")) {
                    writeCorrectClassHistogram(out.resolve(CORRECT_CLASS_PNG), config, result, data);
                }
            }
        };
        if (!onTwoThreads) {
            drawnBeside.run();
            drawnHere.run();
            return;
        }
        try (OutputQueue beside = OutputQueue.background(1)) {
            beside.submit(drawnBeside);
            drawnHere.run();
        }
    }

    /** Deletes the files that mark an earlier run in a folder as complete (its summary, its report). */
    static void removePrevious(Path... files) {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(new IOException(file + ": cannot remove the previous run's file ("
                        + e + ")", e));
            }
        }
    }

    /** Deletes the summary of an earlier run in {@code out}, which would vouch for the new files. */
    static void removePreviousSummary(Path out) {
        removePrevious(out.resolve(RunFiles.SUMMARY));
    }

    /**
     * The histogram of what the trained model gives the correct class of each test image (see
     * {@link Loss#correctClassValue}), split into correctly and incorrectly classified images.
     */
    static void writeCorrectClassHistogram(Path png, TrainConfig config, TrainResult result, PreparedData data) {
        DataSet test = data.test();
        int n = test.size();
        int classes = result.model().classes();
        float[] s = ClassScores.of(KernelProvider.kernels(), result.model(), test);
        double[] correct = new double[n];
        double[] wrong = new double[n];
        int nc = 0;
        int nw = 0;
        for (int j = 0; j < n; j++) {
            int label = test.labels()[j];
            int arg = 0;
            for (int k = 1; k < classes; k++) {
                if (s[k * n + j] > s[arg * n + j]) {
                    arg = k;
                }
            }
            double v = config.loss().correctClassValue(s, classes, n, j, label);
            if (arg == label) {
                correct[nc++] = v;
            } else {
                wrong[nw++] = v;
            }
        }
        Histogram.write(png, "Test images, " + config.label(), config.loss().correctClassLabel(),
                "correctly classified", java.util.Arrays.copyOf(correct, nc), "incorrectly classified",
                java.util.Arrays.copyOf(wrong, nw), config.loss() != Loss.SVM);
    }

    /**
     * The run's per-epoch curves. A run that measured the training set only at its end (a search's) has
     * no training curves: one point would not make a curve, and the run's table gives that figure.
     */
    static TrainingCurves curves(TrainConfig config, RunOutcome result) {
        return curves(config.label(), result);
    }

    /** The run's per-epoch curves under a title of {@code label}. */
    static TrainingCurves curves(String label, RunOutcome result) {
        int epochs = result.history().size();
        double[][] series = new double[6][epochs];
        boolean trainingMeasured = result.history().stream().allMatch(r -> ProgressDisplay.measured(r.train()));
        for (int i = 0; i < epochs; i++) {
            EpochRecord r = result.history().get(i);
            Evaluation train = r.train();
            Evaluation val = r.validation();
            series[0][i] = train.loss();
            series[1][i] = val.loss();
            series[2][i] = train.cost();
            series[3][i] = val.cost();
            series[4][i] = train.accuracy();
            series[5][i] = val.accuracy();
        }
        String title = label + (result.diverged() ? " (diverged)" : "");
        return trainingMeasured
                ? new TrainingCurves(title, 1, series[0], series[1], series[2], series[3], series[4], series[5])
                : new TrainingCurves(title, 1, null, series[1], null, series[3], null, series[5]);
    }

    static ObjectNode describe(PreparedData data) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("split", data.split().id());
        o.put("train_size", data.train().size());
        o.put("validation_size", data.validation().size());
        o.put("test_size", data.test().size());
        o.put("source", data.source());
        o.put("normalisation", "per-dimension mean and std (ddof 0) of the training set");
        return o;
    }
}

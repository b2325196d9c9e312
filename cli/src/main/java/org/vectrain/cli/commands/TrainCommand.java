package org.vectrain.cli.commands;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vectrain.cli.ExitCodes;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.data.PreparedData;
import org.vectrain.engine.io.AtomicFiles;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.train.RandomStreams;
import org.vectrain.engine.train.RunEnvironment;
import org.vectrain.engine.train.RunFiles;
import org.vectrain.engine.train.TrainConfig;
import org.vectrain.engine.train.TrainResult;
import org.vectrain.engine.train.Trainer;
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
                    + "instead of a random initialisation.")
    Path init;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TrainConfig config = hyper.toConfig();
        int threads = runOptions.threads();
        SoftmaxModel initial = null;
        if (init != null) {
            initial = RunFiles.readModel(init, LabeledImages.CLASSES, LabeledImages.PIXELS, "--init");
        }
        // Flags, then the data's presence, then the slow load; the output folder is made only once the data
        // has been read, so that no failure before it leaves an empty folder.
        OutputFolders.checkCreatable(out, "--out");
        CifarSource source = dataOptions.source();
        Kernels kernels = KernelProvider.kernels();
        PreparedData data = dataOptions.loadWhileWarmingUp(kernels, source, config, threads);
        AtomicFiles.ensureWritableDirectory(out, "--out");
        if (initial == null) {
            initial = SoftmaxModel.gaussian(LabeledImages.CLASSES, LabeledImages.PIXELS,
                    new RandomStreams(config.seed()).init(), config.zeroBias());
        }
        String initDescription = init != null ? "from " + init.toAbsolutePath()
                : "gaussian N(0, 0.01^2), seed " + config.seed() + (config.zeroBias() ? ", b = 0" : "");
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
                    RunEnvironment.current(kernels.description(), threads), progress.run(config.label()));
        }
        if (result.diverged()) {
            err.println("vectrain: " + result.divergence() + "; outputs written to " + out);
            return ExitCodes.CHECK_FAILED;
        }
        // The result line is printed even with --quiet: it is the one line a script or a reader needs.
        stdout.printf(Locale.ROOT, "test accuracy %.2f%%, loss %.4f; %.1f ms/epoch training, %.1f ms/epoch "
                + "evaluation, %.2f s in all; outputs in %s%n", 100 * result.test().accuracy(), result.test().loss(),
                result.medianTrainMillis(), result.medianEvalMillis(), result.totalMillis() / 1000, out);
        stdout.flush();
        return ExitCodes.OK;
    }
}

package org.vectrain.cli.commands;

import java.util.function.Consumer;
import org.vectrain.cli.PhaseTimeline;
import org.vectrain.cli.Provenance;
import org.vectrain.cli.report.PlotWarmup;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.data.PreparedData;
import org.vectrain.engine.data.Split;
import org.vectrain.engine.eval.Evaluator;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.layout.AlignedFloats;
import org.vectrain.engine.train.KernelWarmup;
import org.vectrain.engine.train.TrainConfig;
import org.vectrain.engine.train.Trainer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the data is and how it is split; shared by every command that reads CIFAR-10. */
public final class DataOptions {
    @Mixin
    DataOption dataOption;

    @Mixin
    RecordLimitOption recordLimit;

    @Option(names = "--split", paramLabel = "NAME", defaultValue = "standard",
            description = "standard: train data_batch_1, validate data_batch_2; all: data_batch_1..5 less the "
                    + "last --val-size for validation. Test is test_batch (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--val-size", paramLabel = "N", defaultValue = "1000",
            description = "Validation images held out by --split all (default: ${DEFAULT-VALUE}).")
    int validationSize;

    CifarSource source() {
        return recordLimit.apply(dataOption.open());
    }

    Split parsedSplit() {
        return Split.parse(split, "--split");
    }

    /**
     * Loads the data from {@code source} (which the caller opened first, so that missing data is reported
     * before anything slow or any output) and lays it out for evaluation while {@code kernels} warm up on
     * another thread (see {@link KernelWarmup}), and returns once both are done.
     */
    PreparedData loadWhileWarmingUp(Kernels kernels, CifarSource source) {
        return loadWhileWarmingUp(() -> KernelWarmup.run(kernels), source, data -> { }, false);
    }

    /**
     * As {@link #loadWhileWarmingUp(Kernels, CifarSource)} for runs like {@code config} on {@code threads}
     * threads each ({@link KernelWarmup#run(Kernels, TrainConfig, int)}), and before waiting for the kernels,
     * warms up the plots and the JSON writer too: for a command that will write a run's files.
     */
    PreparedData loadWhileWarmingUpFor(Kernels kernels, CifarSource source, TrainConfig config, int threads) {
        return loadWhileWarmingUp(() -> KernelWarmup.run(kernels, config, threads), source, data -> { }, true);
    }

    /**
     * As {@link #loadWhileWarmingUpFor}, and also lays out the training set for the steps of {@code config} on
     * {@code threads} threads ({@link Trainer#layOutForTraining}).
     */
    PreparedData loadForTraining(Kernels kernels, CifarSource source, TrainConfig config, int threads) {
        return loadWhileWarmingUp(() -> KernelWarmup.run(kernels, config, threads), source,
                data -> Trainer.layOutForTraining(kernels, data.train(), config, threads), true);
    }

    /**
     * Loads the data for the two-layer network, with the evaluation layout, the plots and the JSON writer made
     * ready as for {@link #loadForTraining}: none of the one-layer model's kernel warm-up and training layouts,
     * which it does not read. The other thread reads what the step's aligned arrays need to know of the heap
     * ({@link AlignedFloats#readHeap}).
     */
    PreparedData loadForTwoLayerTraining(CifarSource source) {
        return loadWhileWarmingUp(AlignedFloats::readHeap, source, null, true);
    }

    /** {@code layOut} null: no training layout of the one-layer model (the evaluation layout serves both models). */
    private PreparedData loadWhileWarmingUp(Runnable kernelWarmup, CifarSource source,
            Consumer<PreparedData> layOut, boolean outputs) {
        Split s = parsedSplit();
        PhaseTimeline timeline = PhaseTimeline.process();
        Thread warmup = new Thread(() -> {
            long start = System.nanoTime();
            String phase = "kernel warm-up";
            try {
                kernelWarmup.run();
            } catch (RuntimeException e) {
                // only a faster start is lost: the run goes on, and the timings say why the warm-up stopped
                phase = "kernel warm-up (stopped: " + e + ")";
            }
            timeline.add(phase, Thread.currentThread().getName(), start, System.nanoTime());
        }, "vectrain-warmup");
        // A daemon at low priority: reading the data comes first, and a failed read need not wait for it.
        warmup.setDaemon(true);
        warmup.setPriority(Thread.MIN_PRIORITY);
        warmup.start();
        PreparedData data;
        try (var phase = timeline.begin("data read")) {
            data = PreparedData.load(source, s, validationSize);
        }
        try (var phase = timeline.begin("evaluation layout")) {
            Evaluator.layOutForEvaluation(data);
        }
        if (layOut != null) {
            try (var phase = timeline.begin("training layout")) {
                layOut.accept(data);
            }
        }
        if (outputs) {
            // on this thread, which would otherwise only wait for the kernels' warm-up: what every run does
            // after its epochs, loaded and initialised while nothing else is to be done
            try (var phase = timeline.begin("plot warm-up")) {
                PlotWarmup.run();
            }
            try (var phase = timeline.begin("JSON warm-up")) {
                Provenance.json().toString();
            }
        }
        try (var phase = timeline.begin("waiting for the warm-up")) {
            warmup.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return data;
    }
}

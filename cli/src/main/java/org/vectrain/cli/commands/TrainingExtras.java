package org.vectrain.cli.commands;

import org.vectrain.engine.train.LearningRateSchedule;
import org.vectrain.engine.train.Loss;
import org.vectrain.engine.train.TrainConfig;
import picocli.CommandLine.Option;

/**
 * The flags beyond the assignment's setting, shared by {@code train} and {@code search}: shuffling, flips,
 * translations, the learning-rate schedule, best-epoch selection, early stopping, the loss and weight
 * averaging. All off by default.
 */
public final class TrainingExtras {
    @Option(names = "--shuffle", description = "Visit the training samples in a fresh random order every epoch "
            + "(default: in order, as the assignment does).")
    boolean shuffle;

    @Option(names = "--flip", description = "Mirror each training image left-right with probability 1/2, drawn "
            + "per image and per epoch from the seed's augmentation stream (default: no flips).")
    boolean flip;

    @Option(names = "--translate", paramLabel = "N", defaultValue = "0",
            description = "Move each training image by dx and dy pixels, each drawn from -N..N per image and per "
                    + "epoch from the seed's translation stream, repeating the edge pixels into the uncovered border; "
                    + "0..8, 0 for none (default: ${DEFAULT-VALUE}).")
    int translate;

    @Option(names = "--schedule", paramLabel = "KIND", defaultValue = "constant",
            description = "Learning-rate schedule: constant, step (η × --step-factor every --step-every epochs), "
                    + "cosine (from η down to --eta-min over the run) or cyclic (triangular, per update step: from "
                    + "--eta-min up to η in --half-cycle steps and back down) (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--step-every", paramLabel = "N", defaultValue = "10",
            description = "Epochs between decays of --schedule step, ≥ 1 (default: ${DEFAULT-VALUE}).")
    int stepEvery;

    @Option(names = "--step-factor", paramLabel = "F", defaultValue = "0.1",
            description = "Decay factor of --schedule step, in (0, 1] (default: ${DEFAULT-VALUE}).")
    double stepFactor;

    @Option(names = "--eta-min", paramLabel = "η", defaultValue = "0",
            description = "Final learning rate of --schedule cosine, bottom of the cycles of --schedule cyclic, in "
                    + "[0, η) (default: ${DEFAULT-VALUE}).")
    double etaMin;

    @Option(names = "--half-cycle", paramLabel = "N", defaultValue = "500",
            description = "n_s of --schedule cyclic: update steps from --eta-min up to η (and as many back down), "
                    + "≥ 1 (default: ${DEFAULT-VALUE}).")
    int halfCycle;

    @Option(names = "--average-from", paramLabel = "E", defaultValue = "0",
            description = "Average the weights over every update step from epoch E to the end, and evaluate, "
                    + "select and save that mean (Polyak-Ruppert averaging); 0 does not average (default: "
                    + "${DEFAULT-VALUE}).")
    int averageFrom;

    @Option(names = "--keep-best", description = "End with the weights of the epoch of best validation accuracy "
            + "(the test set then measures those); the summary records the epoch.")
    boolean keepBest;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "0",
            description = "Stop after N epochs without a better validation accuracy; 0 never stops early "
                    + "(default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "softmax",
            description = "Training loss: softmax (cross-entropy), svm (multi-class hinge) or bce (a sigmoid per "
                    + "class, binary cross-entropy divided by K) (default: ${DEFAULT-VALUE}).")
    String loss;

    /** {@code base} with these extras; {@link TrainConfig} validates them (Main names the flag). */
    TrainConfig apply(TrainConfig base) {
        LearningRateSchedule.Kind kind = LearningRateSchedule.Kind.parse(schedule);
        return new TrainConfig(base.lambda(), base.eta(), base.batchSize(), base.epochs(), base.seed(), shuffle,
                base.zeroBias(), flip, new LearningRateSchedule(kind, stepEvery, stepFactor, etaMin, halfCycle),
                keepBest, patience, Loss.parse(loss), translate, averageFrom);
    }
}

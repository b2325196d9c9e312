package org.vectrain.cli.commands;

import org.vectrain.engine.train.LearningRateSchedule;
import org.vectrain.engine.train.TrainConfig;
import picocli.CommandLine.Option;

/** The flags of one training setting; {@link TrainConfig} validates them and names the flag. */
public final class HyperParameters {
    @Option(names = "--lambda", paramLabel = "λ", defaultValue = "0",
            description = "L2 regularisation strength λ ≥ 0 (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--eta", paramLabel = "η", defaultValue = "0.001",
            description = "Learning rate η > 0 (default: ${DEFAULT-VALUE}).")
    double eta;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "100",
            description = "Mini-batch size n_batch, 1..training set size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "40",
            description = "Epochs, ≥ 1 (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of every random choice: initialisation, shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--shuffle", description = "Visit the training samples in a fresh random order every epoch "
            + "(default: in order, as the assignment does).")
    boolean shuffle;

    @Option(names = "--zero-bias", description = "Start b at 0 instead of N(0, 0.01²); W is drawn the same either way.")
    boolean zeroBias;

    @Option(names = "--flip", description = "Mirror each training image left-right with probability 1/2, drawn "
            + "per image and per epoch from the seed's augmentation stream (default: no flips).")
    boolean flip;

    @Option(names = "--schedule", paramLabel = "KIND", defaultValue = "constant",
            description = "Learning-rate schedule: constant, step (η × --step-factor every --step-every epochs) or "
                    + "cosine (from η down to --eta-min over the run) (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--step-every", paramLabel = "N", defaultValue = "10",
            description = "Epochs between decays of --schedule step, ≥ 1 (default: ${DEFAULT-VALUE}).")
    int stepEvery;

    @Option(names = "--step-factor", paramLabel = "F", defaultValue = "0.1",
            description = "Decay factor of --schedule step, in (0, 1] (default: ${DEFAULT-VALUE}).")
    double stepFactor;

    @Option(names = "--eta-min", paramLabel = "η", defaultValue = "0",
            description = "Final learning rate of --schedule cosine, in [0, η) (default: ${DEFAULT-VALUE}).")
    double etaMin;

    @Option(names = "--keep-best", description = "End with the weights of the epoch of best validation accuracy "
            + "(the test set then measures those); the summary records the epoch.")
    boolean keepBest;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "0",
            description = "Stop after N epochs without a better validation accuracy; 0 never stops early "
                    + "(default: ${DEFAULT-VALUE}).")
    int patience;

    TrainConfig toConfig() {
        LearningRateSchedule.Kind kind = LearningRateSchedule.Kind.parse(schedule);
        return new TrainConfig(lambda, eta, batch, epochs, seed, shuffle, zeroBias, flip,
                new LearningRateSchedule(kind, stepEvery, stepFactor, etaMin), keepBest, patience);
    }
}

package org.vectrain.cli.commands;

import org.vectrain.engine.train.TrainConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The flags of one training setting; {@link TrainConfig} validates them (Main names the flag). */
public final class HyperParameters {
    @Option(names = "--lambda", paramLabel = "λ", defaultValue = "0",
            description = "L2 regularisation strength λ ≥ 0 (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--eta", paramLabel = "η", defaultValue = "0.001",
            description = "Learning rate η > 0 (default: ${DEFAULT-VALUE}).")
    double eta;

    @Option(names = {"--batch", "--n_batch"}, paramLabel = "N", defaultValue = "100",
            description = "Mini-batch size n_batch, 1..training set size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = {"--epochs", "--n_epochs"}, paramLabel = "N", defaultValue = "40",
            description = "Epochs, ≥ 1 (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = RunOptions.DEFAULT_SEED,
            description = "Seed of every random choice: initialisation, shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--zero-bias", description = "Start b at 0 instead of N(0, 0.01²); W is drawn the same either way.")
    boolean zeroBias;

    @Mixin
    TrainingExtras extras;

    TrainConfig toConfig() {
        return extras.apply(new TrainConfig(lambda, eta, batch, epochs, seed, false, zeroBias));
    }
}

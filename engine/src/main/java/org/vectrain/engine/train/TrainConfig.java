package org.vectrain.engine.train;

import org.vectrain.engine.InputException;
import org.vectrain.engine.kernels.scalar.ImageTranslation;

/**
 * One training setting, validated once here with messages that name the command-line flag.
 *
 * @param lambda L2 regularisation strength (flag {@code --lambda}), >= 0
 * @param eta learning rate ({@code --eta}), > 0
 * @param batchSize samples per mini-batch ({@code --batch}), >= 1 (checked against the set size by the trainer)
 * @param epochs passes over the training set ({@code --epochs}), >= 1
 * @param seed the one seed of every random stream ({@code --seed})
 * @param shuffle whether each epoch visits the samples in a fresh random order ({@code --shuffle})
 * @param zeroBias whether b starts at 0 instead of N(0, 0.01^2) ({@code --zero-bias})
 * @param flip whether each training image is mirrored left-right with probability 1/2, drawn per image and
 *     per epoch from the augmentation stream ({@code --flip})
 * @param schedule how η changes from epoch to epoch ({@code --schedule}); {@code eta} is its starting value
 * @param keepBest whether the run ends with the weights of the epoch of best validation accuracy, which
 *     the test set then measures ({@code --keep-best})
 * @param patience stop after this many epochs without a better validation accuracy, 0 for never
 *     ({@code --patience}); the best epoch is tracked either way, and kept only with {@code keepBest}
 * @param loss the training loss ({@code --loss}), softmax cross-entropy by default
 * @param translate 0 for none, else the largest shift: each training image is moved by (dx, dy), each drawn
 *     uniformly from -translate..translate per image and per epoch from the translation stream, with edge
 *     replication ({@code --translate}, see {@link ImageTranslation})
 * @param averageFrom 0 for none, else the first epoch whose update steps are averaged ({@code --average-from}):
 *     from the end of that epoch on, the model evaluated, selected and returned is the mean of the parameters
 *     after every update since the epoch began (Polyak-Ruppert averaging of the tail of the run), while
 *     training itself goes on from the last iterate
 */
public record TrainConfig(double lambda, double eta, int batchSize, int epochs, long seed, boolean shuffle,
        boolean zeroBias, boolean flip, LearningRateSchedule schedule, boolean keepBest, int patience, Loss loss,
        int translate, int averageFrom) {

    /** Largest accepted learning rate; far beyond any that trains, small enough to stay finite in float. */
    public static final double MAX_ETA = 1e6;
    /** Largest accepted regularisation strength. */
    public static final double MAX_LAMBDA = 1e6;
    /** Largest accepted epoch count. */
    public static final int MAX_EPOCHS = 100_000;

    public TrainConfig {
        if (!Double.isFinite(lambda) || lambda < 0 || lambda > MAX_LAMBDA) {
            throw new InputException("lambda", "must be a finite number in [0, " + MAX_LAMBDA + "], was " + lambda);
        }
        if (!Double.isFinite(eta) || eta <= 0 || eta > MAX_ETA) {
            throw new InputException("eta", "must be a finite number in (0, " + MAX_ETA + "], was " + eta);
        }
        if (batchSize < 1) {
            throw new InputException("batchSize", "must be at least 1, was " + batchSize);
        }
        if (epochs < 1 || epochs > MAX_EPOCHS) {
            throw new InputException("epochs", "must be in 1.." + MAX_EPOCHS + ", was " + epochs);
        }
        if (schedule == null) {
            schedule = LearningRateSchedule.CONSTANT;
        }
        if (loss == null) {
            loss = Loss.SOFTMAX;
        }
        if ((schedule.kind() == LearningRateSchedule.Kind.COSINE || schedule.kind() == LearningRateSchedule.Kind.CYCLIC)
                && schedule.etaMin() >= eta) {
            throw new InputException("etaMin", "must be smaller than eta (" + eta + "), was " + schedule.etaMin());
        }
        if (patience < 0 || patience > MAX_EPOCHS) {
            throw new InputException("patience", "must be in 0.." + MAX_EPOCHS + " (0: never stop early), was "
                    + patience);
        }
        if (translate < 0 || translate > ImageTranslation.MAX_SHIFT) {
            throw new InputException("translate", "must be in 0.." + ImageTranslation.MAX_SHIFT
                    + " pixels (0: no translations), was " + translate);
        }
        if (averageFrom < 0 || averageFrom > epochs) {
            throw new InputException("averageFrom", "must be in 0.." + epochs
                    + " (an epoch of the run; 0: no averaging), was " + averageFrom);
        }
    }

    /** A setting without translations or weight averaging. */
    public TrainConfig(double lambda, double eta, int batchSize, int epochs, long seed, boolean shuffle,
            boolean zeroBias, boolean flip, LearningRateSchedule schedule, boolean keepBest, int patience, Loss loss) {
        this(lambda, eta, batchSize, epochs, seed, shuffle, zeroBias, flip, schedule, keepBest, patience, loss, 0, 0);
    }

    /** The assignment's setting: constant η, no flips, no model selection, no early stopping. */
    public TrainConfig(double lambda, double eta, int batchSize, int epochs, long seed, boolean shuffle,
            boolean zeroBias) {
        this(lambda, eta, batchSize, epochs, seed, shuffle, zeroBias, false, LearningRateSchedule.CONSTANT, false, 0,
                Loss.SOFTMAX);
    }

    /** This setting with the other extras: flips, a schedule, best-model selection, early stopping. */
    public TrainConfig withExtras(boolean flip, LearningRateSchedule schedule, boolean keepBest, int patience) {
        return new TrainConfig(lambda, eta, batchSize, epochs, seed, shuffle, zeroBias, flip, schedule, keepBest,
                patience, loss, translate, averageFrom);
    }

    /** This setting with another seed. */
    public TrainConfig withSeed(long newSeed) {
        return new TrainConfig(lambda, eta, batchSize, epochs, newSeed, shuffle, zeroBias, flip, schedule, keepBest,
                patience, loss, translate, averageFrom);
    }

    /** This setting with another loss. */
    public TrainConfig withLoss(Loss newLoss) {
        return new TrainConfig(lambda, eta, batchSize, epochs, seed, shuffle, zeroBias, flip, schedule, keepBest,
                patience, newLoss, translate, averageFrom);
    }

    /** This setting with the update steps averaged from 1-based epoch {@code from} on (0: not averaged). */
    public TrainConfig withAverageFrom(int from) {
        return new TrainConfig(lambda, eta, batchSize, epochs, seed, shuffle, zeroBias, flip, schedule, keepBest,
                patience, loss, translate, from);
    }

    /** This setting with translations of up to {@code pixels} (0: none). */
    public TrainConfig withTranslate(int pixels) {
        return new TrainConfig(lambda, eta, batchSize, epochs, seed, shuffle, zeroBias, flip, schedule, keepBest,
                patience, loss, pixels, averageFrom);
    }

    /** Whether the trainer averages the parameters over the tail of the run. */
    public boolean averages() {
        return averageFrom > 0;
    }

    /** Whether the trainer needs to follow the best validation accuracy. */
    public boolean tracksBest() {
        return keepBest || patience > 0;
    }

    /** A short label for plots and tables, e.g. {@code λ=0.1, n_batch=100, η=0.001, 40 epochs}. */
    public String label() {
        return "λ=" + compact(lambda) + ", n_batch=" + batchSize + ", η=" + compact(eta) + ", " + epochs
                + (epochs == 1 ? " epoch" : " epochs") + extrasLabel();
    }

    /** The non-default extras, empty for the assignment's setting so that its labels stay as they were. */
    private String extrasLabel() {
        StringBuilder sb = new StringBuilder();
        if (shuffle) {
            sb.append(", shuffled");
        }
        if (flip) {
            sb.append(", flips");
        }
        if (translate > 0) {
            sb.append(", shifts ±").append(translate);
        }
        if (schedule.kind() != LearningRateSchedule.Kind.CONSTANT) {
            sb.append(", ").append(schedule.describe());
        }
        if (keepBest) {
            sb.append(", best epoch");
        }
        if (patience > 0) {
            sb.append(", patience ").append(patience);
        }
        if (loss != Loss.SOFTMAX) {
            sb.append(", ").append(loss.id()).append(" loss");
        }
        if (averageFrom > 0) {
            sb.append(", averaged from epoch ").append(averageFrom);
        }
        return sb.toString();
    }

    static String compact(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        String s = Double.toString(v);
        if (!s.contains("E")) {
            return s;
        }
        // 1.0E-4 reads 0.0001 (not 0.000100); smaller values keep their exponent, 1.00e-05
        String g = String.format(java.util.Locale.ROOT, "%.3g", v);
        return g.contains("e") ? g : g.replaceAll("0+$", "");
    }
}

package org.vectrain.engine.train;

import java.util.Locale;
import org.vectrain.engine.InputException;

/**
 * How the learning rate moves from epoch to epoch; η is constant within an epoch and logged per epoch.
 *
 * <ul>
 *   <li>{@link Kind#CONSTANT}: η every epoch (the assignment's setting, the default).
 *   <li>{@link Kind#STEP}: {@code η * factor^floor((epoch - 1) / every)}, i.e. multiplied by
 *       {@code factor} after every {@code every} epochs.
 *   <li>{@link Kind#COSINE}: {@code ηmin + (η - ηmin) (1 + cos(π (epoch - 1) / epochs)) / 2}, from η at
 *       the first epoch down towards ηmin at the last.
 * </ul>
 *
 * @param kind the shape
 * @param stepEvery epochs between decays ({@code --step-every}), >= 1; used by STEP
 * @param stepFactor decay factor ({@code --step-factor}), in (0, 1]; used by STEP
 * @param etaMin the floor of the cosine ({@code --eta-min}), >= 0 (checked against η by {@link TrainConfig})
 */
public record LearningRateSchedule(Kind kind, int stepEvery, double stepFactor, double etaMin) {

    /** The shapes of a schedule. */
    public enum Kind {
        CONSTANT, STEP, COSINE;

        /** Parses a {@code --schedule} value. */
        public static Kind parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InputException("--schedule: unknown schedule '" + text + "', expected constant, step or cosine");
            }
        }
    }

    /** η in every epoch. */
    public static final LearningRateSchedule CONSTANT = new LearningRateSchedule(Kind.CONSTANT, 10, 0.1, 0);

    public LearningRateSchedule {
        if (kind == null) {
            throw new InputException("--schedule: missing");
        }
        if (stepEvery < 1) {
            throw new InputException("--step-every: " + stepEvery + " must be at least 1");
        }
        if (!Double.isFinite(stepFactor) || stepFactor <= 0 || stepFactor > 1) {
            throw new InputException("--step-factor: " + stepFactor + " must be a number in (0, 1]");
        }
        if (!Double.isFinite(etaMin) || etaMin < 0) {
            throw new InputException("--eta-min: " + etaMin + " must be a finite number >= 0");
        }
    }

    /** Multiplies by {@code factor} after every {@code every} epochs. */
    public static LearningRateSchedule step(int every, double factor) {
        return new LearningRateSchedule(Kind.STEP, every, factor, 0);
    }

    /** Cosine annealing from η down to {@code etaMin} over the run. */
    public static LearningRateSchedule cosine(double etaMin) {
        return new LearningRateSchedule(Kind.COSINE, 10, 0.1, etaMin);
    }

    /** The learning rate of 1-based {@code epoch} of {@code epochs}, starting from {@code eta}. */
    public double eta(double eta, int epoch, int epochs) {
        return switch (kind) {
            // returned as given, so that the default keeps every figure bit for bit
            case CONSTANT -> eta;
            case STEP -> eta * Math.pow(stepFactor, (epoch - 1) / stepEvery);
            case COSINE -> etaMin + (eta - etaMin) * 0.5 * (1 + Math.cos(Math.PI * (epoch - 1) / epochs));
        };
    }

    /** A short description for labels and summaries, e.g. {@code step x0.5/10} or {@code cosine to 1e-05}. */
    public String describe() {
        return switch (kind) {
            case CONSTANT -> "constant";
            case STEP -> "step x" + TrainConfig.compact(stepFactor) + "/" + stepEvery;
            case COSINE -> "cosine to " + TrainConfig.compact(etaMin);
        };
    }
}

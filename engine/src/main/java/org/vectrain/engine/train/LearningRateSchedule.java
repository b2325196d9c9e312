package org.vectrain.engine.train;

import java.util.Locale;
import org.vectrain.engine.InputException;

/**
 * How the learning rate moves during a run. Three shapes are set per epoch (η is constant within the
 * epoch); the cyclical one moves with every update step.
 *
 * <ul>
 *   <li>{@link Kind#CONSTANT}: η every epoch (the assignment's setting, the default).
 *   <li>{@link Kind#STEP}: {@code η * factor^floor((epoch - 1) / every)}, i.e. multiplied by
 *       {@code factor} after every {@code every} epochs.
 *   <li>{@link Kind#COSINE}: {@code ηmin + (η - ηmin) (1 + cos(π (epoch - 1) / epochs)) / 2}, from η at
 *       the first epoch down towards ηmin at the last.
 *   <li>{@link Kind#CYCLIC}: triangular cycles between ηmin and η (the peak) with half-period n_s update
 *       steps: with t the number of updates made before this one and {@code u = t mod 2 n_s},
 *       {@code ηmin + (η - ηmin) u / n_s} while {@code u <= n_s} (rising), then
 *       {@code η - (η - ηmin) (u - n_s) / n_s} (falling). So t = 0 uses ηmin, t = n_s the peak, and every
 *       2 n_s updates a cycle ends back at ηmin.
 * </ul>
 *
 * @param kind the shape
 * @param stepEvery epochs between decays ({@code --step-every}), >= 1; used by STEP
 * @param stepFactor decay factor ({@code --step-factor}), in (0, 1]; used by STEP
 * @param etaMin the floor of the cosine and of the cycles ({@code --eta-min}), >= 0 (checked against η by
 *     {@link TrainConfig})
 * @param halfCycle n_s, update steps from the bottom of a cycle to its peak ({@code --half-cycle}), >= 1;
 *     used by CYCLIC
 */
public record LearningRateSchedule(Kind kind, int stepEvery, double stepFactor, double etaMin, int halfCycle) {

    /** The shapes of a schedule. */
    public enum Kind {
        CONSTANT, STEP, COSINE, CYCLIC;

        /** Parses a {@code --schedule} value. */
        public static Kind parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InputException("schedule", "must be constant, step, cosine or cyclic, was '" + text
                        + "'");
            }
        }
    }

    /** n_s of assignment 2 (500 steps of 100 images, five epochs of 10,000). */
    public static final int DEFAULT_HALF_CYCLE = 500;
    /** Largest accepted n_s: far more update steps than any run here makes. */
    public static final int MAX_HALF_CYCLE = 1_000_000_000;

    /** η in every epoch. */
    public static final LearningRateSchedule CONSTANT = new LearningRateSchedule(Kind.CONSTANT, 10, 0.1, 0,
            DEFAULT_HALF_CYCLE);

    public LearningRateSchedule {
        if (kind == null) {
            throw new InputException("schedule", "is missing");
        }
        if (stepEvery < 1) {
            throw new InputException("stepEvery", "must be at least 1, was " + stepEvery);
        }
        if (!Double.isFinite(stepFactor) || stepFactor <= 0 || stepFactor > 1) {
            throw new InputException("stepFactor", "must be a number in (0, 1], was " + stepFactor);
        }
        if (!Double.isFinite(etaMin) || etaMin < 0) {
            throw new InputException("etaMin", "must be a finite number >= 0, was " + etaMin);
        }
        if (halfCycle < 1 || halfCycle > MAX_HALF_CYCLE) {
            throw new InputException("halfCycle", "must be in 1.." + MAX_HALF_CYCLE + " update steps, was "
                    + halfCycle);
        }
    }

    /** Multiplies by {@code factor} after every {@code every} epochs. */
    public static LearningRateSchedule step(int every, double factor) {
        return new LearningRateSchedule(Kind.STEP, every, factor, 0, DEFAULT_HALF_CYCLE);
    }

    /** Cosine annealing from η down to {@code etaMin} over the run. */
    public static LearningRateSchedule cosine(double etaMin) {
        return new LearningRateSchedule(Kind.COSINE, 10, 0.1, etaMin, DEFAULT_HALF_CYCLE);
    }

    /** Triangular cycles between {@code etaMin} and η, {@code halfCycle} update steps up, as many down. */
    public static LearningRateSchedule cyclic(double etaMin, int halfCycle) {
        return new LearningRateSchedule(Kind.CYCLIC, 10, 0.1, etaMin, halfCycle);
    }

    /** Whether η changes from one update step to the next (else only from epoch to epoch). */
    public boolean perStep() {
        return kind == Kind.CYCLIC;
    }

    /**
     * The learning rate of 1-based {@code epoch} of {@code epochs}, starting from {@code eta}, for the
     * schedules set per epoch; for {@link Kind#CYCLIC} use {@link #eta(double, int, int, long)}.
     */
    public double eta(double eta, int epoch, int epochs) {
        return switch (kind) {
            // returned as given, so that the default keeps every figure bit for bit
            case CONSTANT -> eta;
            case STEP -> eta * Math.pow(stepFactor, (epoch - 1) / stepEvery);
            case COSINE -> etaMin + (eta - etaMin) * 0.5 * (1 + Math.cos(Math.PI * (epoch - 1) / epochs));
            case CYCLIC -> throw new IllegalStateException("the cyclic schedule moves per update step");
        };
    }

    /**
     * The learning rate of the update made after {@code step} earlier updates of the run (0-based), in
     * 1-based {@code epoch} of {@code epochs}; {@code eta} is the starting value (the peak of a cycle).
     */
    public double eta(double eta, int epoch, int epochs, long step) {
        if (kind != Kind.CYCLIC) {
            return eta(eta, epoch, epochs);
        }
        long u = step % (2L * halfCycle);
        double rise = u <= halfCycle ? u : 2L * halfCycle - u;
        return etaMin + (eta - etaMin) * (rise / halfCycle);
    }

    /**
     * A short description for labels and summaries, e.g. {@code step x0.5/10}, {@code cosine to 0.0001} or
     * {@code cyclic from 0.0001, n_s=980}.
     */
    public String describe() {
        return switch (kind) {
            case CONSTANT -> "constant";
            case STEP -> "step x" + TrainConfig.compact(stepFactor) + "/" + stepEvery;
            case COSINE -> "cosine to " + TrainConfig.compact(etaMin);
            case CYCLIC -> "cyclic from " + TrainConfig.compact(etaMin) + ", n_s=" + halfCycle;
        };
    }
}

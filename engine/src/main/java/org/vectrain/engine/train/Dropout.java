package org.vectrain.engine.train;

import org.vectrain.engine.InputException;

/**
 * Inverted dropout on the hidden layer of the two-layer network: in each training step every hidden value is kept
 * with probability {@code 1 - rate} and then divided by {@code 1 - rate}, or set to 0, so that its expected value is
 * the value without dropout and evaluation runs the network as it is. The gradient back through the hidden layer
 * takes the same mask and the same factor.
 *
 * <p>Whether unit i of the j-th sample of a step is kept is a hash of (the step's seed, i, j): it does not depend
 * on which thread computes the unit, so the bits do not depend on the thread count. The step seeds are drawn in
 * order from the run's dropout stream ({@link RandomStreams#dropout}).
 *
 * @param rate the probability of dropping a hidden value ({@code --dropout}), in [0, {@link #MAX_RATE}]; 0 is off
 */
public record Dropout(double rate) {
    /** Largest accepted rate: beyond it a step keeps too few units to learn from. */
    public static final double MAX_RATE = 0.9;
    /** No dropout. */
    public static final Dropout NONE = new Dropout(0);

    private static final double UNIT_SCALE = 0x1p-53;

    public Dropout {
        if (!(rate >= 0 && rate <= MAX_RATE)) {
            throw new InputException("dropout", "must be a probability in [0, " + MAX_RATE + "] (0: no dropout), was "
                    + rate);
        }
    }

    /** Whether the step drops anything. */
    public boolean active() {
        return rate > 0;
    }

    /** The factor of a kept value, {@code 1 / (1 - rate)}. */
    public float keptScale() {
        return (float) (1 / (1 - rate));
    }

    /** Whether hidden unit {@code unit} of sample {@code sample} (its place in the batch) is kept in the step. */
    public boolean kept(long stepSeed, int unit, int sample) {
        long z = stepSeed + (((long) unit << 32) | sample) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        // the top 53 bits as a uniform draw in [0, 1)
        return (z >>> 11) * UNIT_SCALE >= rate;
    }

    /** A label for tables and plots, empty without dropout, e.g. {@code , dropout 0.5}. */
    public String label() {
        return active() ? ", dropout " + TrainConfig.compact(rate) : "";
    }
}

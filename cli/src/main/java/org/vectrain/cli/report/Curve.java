package org.vectrain.cli.report;

import java.util.Objects;

/**
 * One line of a per-epoch plot: {@code values[i]} belongs to epoch {@code firstEpoch + i}.
 *
 * <p>Values may be non-finite (a diverged run records NaN or infinite losses); plots drop those
 * points and say so in the legend. The array is not copied.
 *
 * @param label the legend entry, unique within one plot
 * @param firstEpoch 0 when the first value was measured before training, otherwise 1
 */
public record Curve(String label, int firstEpoch, double[] values) {
    /** @throws IllegalArgumentException if {@code firstEpoch} is negative */
    public Curve {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(values, "values");
        if (firstEpoch < 0) {
            throw new IllegalArgumentException("firstEpoch " + firstEpoch + " is negative");
        }
    }
}

package org.vectrain.engine;

import java.util.Arrays;

/** The statistic every reported timing uses: robust to the odd slow repetition on a shared machine. */
public final class Medians {
    private Medians() {
    }

    /** The median of {@code values} (not modified), the mean of the middle two for an even count, NaN for none. */
    public static double of(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

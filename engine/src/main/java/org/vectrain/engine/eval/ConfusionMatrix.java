package org.vectrain.engine.eval;

/**
 * Counts of (true class, predicted class) over a set: {@code count(t, p)} images of class t were
 * predicted as p. The diagonal holds the correct ones; row t sums to the number of class-t images.
 */
public final class ConfusionMatrix {
    private final int classes;
    /** K x K, row = true class, column = predicted class. */
    private final long[] counts;

    private ConfusionMatrix(int classes, long[] counts) {
        this.classes = classes;
        this.counts = counts;
    }

    /** The matrix of {@code predictions} against {@code labels} (same length, values in 0..classes-1). */
    public static ConfusionMatrix of(int classes, int[] labels, int[] predictions) {
        if (labels.length != predictions.length) {
            throw new IllegalArgumentException(labels.length + " labels, " + predictions.length + " predictions");
        }
        long[] counts = new long[classes * classes];
        for (int i = 0; i < labels.length; i++) {
            counts[labels[i] * classes + predictions[i]]++;
        }
        return new ConfusionMatrix(classes, counts);
    }

    public int classes() {
        return classes;
    }

    /** Images of class {@code truth} predicted as {@code predicted}. */
    public long count(int truth, int predicted) {
        return counts[truth * classes + predicted];
    }

    /** Images of class {@code truth}. */
    public long support(int truth) {
        long sum = 0;
        for (int p = 0; p < classes; p++) {
            sum += count(truth, p);
        }
        return sum;
    }

    /** Fraction of class-{@code truth} images predicted correctly (recall), NaN for an absent class. */
    public double accuracy(int truth) {
        long n = support(truth);
        return n == 0 ? Double.NaN : (double) count(truth, truth) / n;
    }

    /** Per-class accuracies, indexed by class. */
    public double[] perClassAccuracy() {
        double[] out = new double[classes];
        for (int k = 0; k < classes; k++) {
            out[k] = accuracy(k);
        }
        return out;
    }

    /** Fraction of all images on the diagonal. */
    public double accuracy() {
        long correct = 0;
        long total = 0;
        for (int t = 0; t < classes; t++) {
            correct += count(t, t);
            total += support(t);
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** As CSV: a header {@code true\predicted,name0,...}, then one row per true class. */
    public String toCsv(java.util.List<String> names) {
        StringBuilder sb = new StringBuilder("true\\predicted");
        for (int p = 0; p < classes; p++) {
            sb.append(',').append(names.get(p));
        }
        sb.append('\n');
        for (int t = 0; t < classes; t++) {
            sb.append(names.get(t));
            for (int p = 0; p < classes; p++) {
                sb.append(',').append(count(t, p));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}

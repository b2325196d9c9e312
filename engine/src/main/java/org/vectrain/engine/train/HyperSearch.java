package org.vectrain.engine.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.vectrain.engine.InputException;
import org.vectrain.engine.MemoryBudget;
import org.vectrain.engine.data.LabeledImages;

/**
 * Grid and random search over (λ, η, n_batch). Candidates are made here; the caller trains them (side
 * by side, see {@link ParallelRuns}) and {@link #choose} picks the one of best validation accuracy. The
 * test set never takes part in the choice.
 */
public final class HyperSearch {
    /** One point of the search. */
    public record Candidate(double lambda, double eta, int batchSize) {
        /** This point as a training setting; {@code base} gives everything else (epochs, seed, extras). */
        public TrainConfig config(TrainConfig base) {
            return new TrainConfig(lambda, eta, batchSize, base.epochs(), base.seed(), base.shuffle(), base.zeroBias(),
                    base.flip(), base.schedule(), base.keepBest(), base.patience(), base.loss(),
                    base.translate(), base.averageFrom());
        }
    }

    /**
     * The values one hyper-parameter may take: a list, or a range {@code [low, high]} from which random
     * search draws log-uniformly and grid search takes {@code count} log-spaced values.
     *
     * @param list the values, or null for a range
     */
    public record Values(String flag, List<Double> list, double low, double high, int count) {
        /**
         * Parses {@code a,b,c} (a list) or {@code low..high} / {@code low..high:count} (a range, positive ends;
         * count for the grid, default 3). Errors name {@code flag}.
         */
        public static Values parse(String flag, String text) {
            String t = text.strip();
            try {
                int dots = t.indexOf("..");
                if (dots < 0) {
                    List<Double> values = new ArrayList<>();
                    for (String part : t.split(",")) {
                        values.add(Double.parseDouble(part.strip()));
                    }
                    if (values.isEmpty()) {
                        throw new InputException(flag + ": '" + printable(text) + "' holds no value");
                    }
                    return new Values(flag, List.copyOf(values), 0, 0, values.size());
                }
                String rest = t.substring(dots + 2);
                int colon = rest.indexOf(':');
                int count = colon < 0 ? 3 : Integer.parseInt(rest.substring(colon + 1).strip());
                double low = Double.parseDouble(t.substring(0, dots).strip());
                double high = Double.parseDouble((colon < 0 ? rest : rest.substring(0, colon)).strip());
                if (!(low > 0) || !(high >= low) || !Double.isFinite(high) || count < 1) {
                    throw new InputException(flag + ": range '" + printable(text) + "' needs 0 < low <= high and a"
                            + " count >= 1");
                }
                return new Values(flag, null, low, high, count);
            } catch (NumberFormatException e) {
                throw new InputException(flag + ": '" + printable(text) + "' is neither a list a,b,c nor a range"
                        + " low..high[:count]");
            }
        }

        /** {@code text} with control characters escaped and cut to 100 characters, for a one-line message. */
        private static String printable(String text) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < text.length() && out.length() < 100; i++) {
                char c = text.charAt(i);
                out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
            return out.length() < 100 || text.length() <= 100 ? out.toString() : out + "...";
        }

        /** How many values the grid takes: the list's length, or the range's count. */
        public int size() {
            return list != null ? list.size() : count;
        }

        /** The grid values: the list, or {@code count} log-spaced values from low to high. */
        public List<Double> grid() {
            if (list != null) {
                return list;
            }
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(count == 1 ? low : Math.exp(Math.log(low) + i * (Math.log(high) - Math.log(low)) / (count - 1)));
            }
            return out;
        }

        /** One random value: uniform over the list, or log-uniform over the range. */
        public double draw(SplittableRandom random) {
            if (list != null) {
                return list.get(random.nextInt(list.size()));
            }
            return Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high) - Math.log(low)));
        }
    }

    /** The assignment's grid: λ ∈ {0.1, 1, 2}, n_batch ∈ {10, 100, 200}, η ∈ {0.1, 0.001}. */
    public static final List<Double> ASSIGNMENT_LAMBDAS = List.of(0.1, 1.0, 2.0);
    public static final List<Double> ASSIGNMENT_ETAS = List.of(0.1, 0.001);
    public static final List<Double> ASSIGNMENT_BATCHES = List.of(10.0, 100.0, 200.0);

    /** Most settings one search trains: each keeps its model and history until the choice is made. */
    public static final int MAX_CANDIDATES = 10_000;
    /** Most epochs one search trains in all, settings times epochs: as many as the longest single run. */
    public static final long MAX_TOTAL_EPOCHS = TrainConfig.MAX_EPOCHS;
    /** Bytes one finished setting keeps until the choice: its final weights and history, beyond the shared start. */
    static final long BYTES_PER_CANDIDATE = (long) LabeledImages.CLASSES * (LabeledImages.PIXELS + 1) * Float.BYTES;
    /** Bytes of one epoch's record in a setting's history. */
    static final long BYTES_PER_EPOCH = 512;

    private HyperSearch() {
    }

    /** The number of settings of the grid of these values, saturating at {@link Long#MAX_VALUE}. */
    public static long gridSize(Values lambdas, Values etas, Values batches) {
        long size = 1;
        for (Values v : List.of(lambdas, etas, batches)) {
            size = v.size() == 0 ? 0 : size > Long.MAX_VALUE / v.size() ? Long.MAX_VALUE : size * v.size();
        }
        return size;
    }

    /**
     * Refuses, before anything is made, a search of {@code settings} settings of {@code epochs} epochs each
     * when it exceeds {@link #MAX_CANDIDATES} settings, {@link #MAX_TOTAL_EPOCHS} epochs in all, or the memory
     * its results need; {@code what} names the flags that chose the settings.
     */
    public static void checkSize(long settings, int epochs, String what) {
        if (settings > MAX_CANDIDATES) {
            throw new InputException(what + ": " + settings + " settings, more than the " + MAX_CANDIDATES
                    + " one search may train");
        }
        if (settings * epochs > MAX_TOTAL_EPOCHS) {
            throw new InputException(what + ": " + settings + " settings of " + epochs + " epochs make "
                    + settings * epochs + " epochs in all, more than the " + MAX_TOTAL_EPOCHS
                    + " one search may train; fewer settings or epochs");
        }
        MemoryBudget.require(settings * (BYTES_PER_CANDIDATE + epochs * BYTES_PER_EPOCH),
                what + " (a search of " + settings + " settings of " + epochs + " epochs)");
    }

    /** Every combination, λ outermost, then n_batch, then η; at most {@link #MAX_CANDIDATES}. */
    public static List<Candidate> grid(Values lambdas, Values etas, Values batches) {
        long size = gridSize(lambdas, etas, batches);
        if (size > MAX_CANDIDATES) {
            throw new InputException(lambdas.flag() + ", " + etas.flag() + ", " + batches.flag() + ": a grid of "
                    + size + " settings, more than the " + MAX_CANDIDATES + " one search may train");
        }
        List<Candidate> out = new ArrayList<>();
        for (double lambda : lambdas.grid()) {
            for (double batch : batches.grid()) {
                for (double eta : etas.grid()) {
                    out.add(new Candidate(lambda, eta, batchSize(batches.flag(), batch)));
                }
            }
        }
        return out;
    }

    /** {@code count} draws of (λ, η, n_batch), in that order per candidate, from the search stream. */
    public static List<Candidate> random(int count, Values lambdas, Values etas, Values batches,
            SplittableRandom search) {
        if (count < 1 || count > MAX_CANDIDATES) {
            throw new InputException("count", "must be in 1.." + MAX_CANDIDATES + ", was " + count);
        }
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double lambda = lambdas.draw(search);
            double eta = etas.draw(search);
            out.add(new Candidate(lambda, eta, batchSize(batches.flag(), batches.draw(search))));
        }
        return out;
    }

    private static int batchSize(String flag, double value) {
        long rounded = Math.round(value);
        if (rounded < 1 || rounded > Integer.MAX_VALUE) {
            throw new InputException(flag + ": " + value + " is not a batch size");
        }
        return (int) rounded;
    }

    /**
     * The validation accuracy a run is judged by: that of the epoch whose weights it ended with (the best
     * epoch with {@code --keep-best}, else the last). NaN for a diverged run.
     */
    public static double validationAccuracy(RunOutcome result) {
        if (result.diverged() || result.history().isEmpty()) {
            return Double.NaN;
        }
        return result.history().get(result.modelEpoch() - 1).validation().accuracy();
    }

    /** Indices of {@code results} from best to worst validation accuracy (diverged last, ties by index). */
    public static List<Integer> ranking(List<? extends RunOutcome> results) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            order.add(i);
        }
        Comparator<Integer> byAccuracy = Comparator.comparingDouble(i -> {
            double a = validationAccuracy(results.get(i));
            return Double.isNaN(a) ? Double.POSITIVE_INFINITY : -a;
        });
        order.sort(byAccuracy.thenComparingInt(i -> i));
        return order;
    }
}

package org.vectrain.engine.check;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.vectrain.engine.InputException;
import org.vectrain.engine.check.GradientCheck.Comparison;
import org.vectrain.engine.check.GradientCheck.Row;
import org.vectrain.engine.check.GradientCheck.Worst;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.kernels.LossKernel;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.model.TwoLayerModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.reference.DoubleReference;
import org.vectrain.engine.reference.TwoLayerReference;
import org.vectrain.engine.train.RandomStreams;
import org.vectrain.engine.train.TwoLayerStep;

/**
 * The gradient check of the two-layer network, in the terms of {@link GradientCheck} (its step, thresholds, eps
 * floor and rows): per setting, the analytic gradients of {@link TwoLayerReference} against centred differences of
 * its cost, all in double, and the gradients of the float kernels (a {@link TwoLayerStep}) against the double ones,
 * for W1, b1, W2 and b2 in turn: eight rows.
 *
 * <p>Settings: the reduced problem (the first {@value GradientCheck#REDUCED_DIM} dimensions, the first 1 and 100
 * samples) with every entry checked numerically, and the full D (the first 100 samples) with a seeded random
 * subset of W1's entries and all of b1, W2 and b2; each with {@code lambda = 0} and {@code lambda = 0.1}. The
 * network is initialised as the assignment does ({@link TwoLayerModel#gaussian}) from {@link RandomStreams#init()}.
 *
 * <p>The cost of a changed entry is computed from the cached pre-activations Z (n x m), hidden values and scores:
 * an entry of W1 or b1 changes one unit's Z, so only that unit's term of the scores, an entry of W2 or b2 one class's
 * scores; O(n K) per evaluation instead of O(n m D). A difference whose two sides put a hidden value on different
 * sides of the ReLU's kink measures no derivative; the seeded draws are checked as they are.
 *
 * <p>Float against double: the scale of an entry is the sum of the magnitudes of the terms it is summed from
 * ({@code sum_j |G1_ij| |x_jd| + |2 lambda W1_id|} for dW1 with {@code |G1_ij| = sum_k |W2_ki| |G_kj|} where the
 * unit is active, {@code sum_j |G_kj| (|b1_i| + sum_d |W1_id x_jd|) + |2 lambda W2_ki|} for dW2, and likewise for
 * the biases), as in {@link GradientCheck}, with {@code |G_kj|} taken as
 * {@code (p_kj + y_kj) / n}: the float probabilities carry the error of the float scores, which {@code p - y} does
 * not cancel where p is close to y.
 */
public final class TwoLayerGradientCheck {
    private static final int CLASSES = GradientCheck.CLASSES;
    private static final String[] PARAMETERS = {"W1", "b1", "W2", "b2"};

    private final TwoLayerKernels kernels;
    private final LossKernel loss;
    private final long seed;
    private final int entries;
    private final int hidden;
    private final Analytic analytic;

    /** The analytic gradient under check: {@link TwoLayerReference#gradients}, or a wrong one in tests. */
    @FunctionalInterface
    public interface Analytic {
        TwoLayerReference.Gradients compute(TwoLayerReference.Parameters p, double[] x, int[] labels, int[] rows,
                double lambda);
    }

    /**
     * A check of networks of {@code hidden} units and of {@code kernels} (with {@code loss}, the softmax
     * cross-entropy of the one-layer kernels), from {@code seed}, {@code entries} W1 entries checked numerically at
     * the full D.
     */
    public TwoLayerGradientCheck(TwoLayerKernels kernels, LossKernel loss, long seed, int entries, int hidden) {
        this(kernels, loss, seed, entries, hidden, TwoLayerReference::gradients);
    }

    /** As the check of {@link TwoLayerReference#gradients}, of {@code analytic} instead. */
    public TwoLayerGradientCheck(TwoLayerKernels kernels, LossKernel loss, long seed, int entries, int hidden,
            Analytic analytic) {
        if (entries < 1) {
            throw new InputException("entries", "must be at least 1, was " + entries);
        }
        if (hidden < 1 || hidden > TwoLayerModel.MAX_HIDDEN) {
            throw new InputException("hidden", "must be in 1.." + TwoLayerModel.MAX_HIDDEN + ", was " + hidden);
        }
        this.kernels = kernels;
        this.loss = loss;
        this.seed = seed;
        this.entries = entries;
        this.hidden = hidden;
        this.analytic = analytic;
    }

    /** The float kernels whose gradients are compared with the double ones. */
    public TwoLayerKernels kernels() {
        return kernels;
    }

    /** Every setting on {@code data}, eight rows each; a set of fewer than 100 samples with batches of all of them. */
    public List<Row> run(DataSet data) {
        if (data.size() < 1) {
            throw new InputException("gradient check: " + data.name() + " has no samples");
        }
        int batch = Math.min(GradientCheck.BATCH, data.size());
        int reduced = Math.min(GradientCheck.REDUCED_DIM, data.dim());
        List<int[]> shapes = List.of(new int[] {reduced, 1}, new int[] {reduced, batch},
                new int[] {data.dim(), batch});
        for (int j = 0; j < batch; j++) {
            if (data.labels()[j] < 0 || data.labels()[j] >= CLASSES) {
                throw new InputException(data.name() + ": sample " + j + " has label " + data.labels()[j]
                        + ", expected 0.." + (CLASSES - 1));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int[] shape : shapes) {
            for (double lambda : new double[] {0, GradientCheck.LAMBDA}) {
                rows.addAll(check(data, shape[0], shape[1], lambda));
            }
        }
        return List.copyOf(rows);
    }

    /** One setting: the first {@code n} samples and {@code dim} dimensions of {@code data}. */
    private List<Row> check(DataSet data, int dim, int n, double lambda) {
        String name = "D=" + dim + ", m=" + hidden + ", n=" + n + ", λ=" + (lambda == 0 ? "0" : Double.toString(lambda));
        DataSet cropped = data.crop(n, dim);
        double[] x = DoubleReference.features(cropped);
        int[] labels = cropped.labels();
        int[] rows = new int[n];
        for (int j = 0; j < n; j++) {
            rows[j] = j;
        }
        SplittableRandom init = new RandomStreams(seed).init();
        TwoLayerModel model = TwoLayerModel.gaussian(CLASSES, dim, hidden, TwoLayerKernels.weightStride(dim), init);
        boolean all = dim <= GradientCheck.REDUCED_DIM;
        int[] w1Entries = GradientCheck.pick(hidden * dim, all ? hidden * dim : Math.min(entries, hidden * dim), init);
        TwoLayerReference.Parameters p = new TwoLayerReference.Parameters(DoubleReference.widen(model.w1Rows()),
                DoubleReference.widen(model.b1()), DoubleReference.widen(model.w2()), DoubleReference.widen(model.b2()),
                CLASSES, dim, hidden);
        TwoLayerReference.Gradients expected = analytic.compute(p, x, labels, rows, lambda);
        double[][] theta = {p.w1(), p.b1(), p.w2(), p.b2()};
        double[][] gradients = {expected.w1(), expected.b1(), expected.w2(), expected.b2()};
        int[] columns = {dim, 0, hidden, 0};

        Problem problem = new Problem(p, x, labels, n, lambda);
        double noise = GradientCheck.FLOOR_MARGIN * (1 + Math.sqrt(n)) * Math.ulp(problem.cost(-1, 0, 0))
                / (2 * GradientCheck.STEP);
        double floor = Math.max(GradientCheck.EPS, noise / GradientCheck.NUMERIC_THRESHOLD);
        List<Row> out = new ArrayList<>(8);
        for (int param = 0; param < 4; param++) {
            int[] indices = param == 0 ? w1Entries : GradientCheck.pick(theta[param].length, theta[param].length, null);
            Worst worst = new Worst();
            for (int i : indices) {
                double saved = theta[param][i];
                double h = GradientCheck.STEP * Math.max(1, Math.abs(saved));
                double plus = saved + h;
                double minus = saved - h;
                double numeric = (problem.cost(param, i, plus) - problem.cost(param, i, minus)) / (plus - minus);
                double magnitude = Math.abs(gradients[param][i]) + Math.abs(numeric);
                worst.add(i, gradients[param][i], numeric, Math.max(floor, magnitude), magnitude < floor);
            }
            out.add(worst.row(name, Comparison.NUMERIC, PARAMETERS[param], columns[param], floor,
                    GradientCheck.NUMERIC_THRESHOLD));
        }

        float[][] floats = new float[4][];
        try (WorkerPool pool = new WorkerPool(1)) {
            new TwoLayerStep(kernels, loss, pool, CLASSES, dim, hidden, n).gradients(model, cropped, rows, 0, n, lambda,
                    floats);
        }
        double[][] scales = problem.scales(x, lambda);
        for (int param = 0; param < 4; param++) {
            Worst worst = new Worst();
            for (int i = 0; i < gradients[param].length; i++) {
                int at = param == 0 ? i / dim * model.stride() + i % dim : i;
                worst.add(i, gradients[param][i], floats[param][at], Math.max(GradientCheck.EPS, scales[param][i]),
                        false);
            }
            out.add(worst.row(name, Comparison.FLOAT, PARAMETERS[param], columns[param], GradientCheck.EPS,
                    GradientCheck.FLOAT_THRESHOLD));
        }
        return out;
    }

    /** The cached forward pass of one setting, for costs with one entry changed and for the float scales. */
    private static final class Problem {
        private final TwoLayerReference.Parameters p;
        private final double[] x;
        private final int[] labels;
        private final int n;
        private final double lambda;
        /** Pre-activations, hidden values (n x m) and scores (n x K). */
        private final double[][] z;
        private final double[][] h;
        private final double[][] s;
        private final double squares;

        Problem(TwoLayerReference.Parameters p, double[] x, int[] labels, int n, double lambda) {
            this.p = p;
            this.x = x;
            this.labels = labels;
            this.n = n;
            this.lambda = lambda;
            int m = p.hidden();
            z = new double[n][m];
            h = new double[n][];
            s = new double[n][];
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    double sum = p.b1()[i];
                    for (int d = 0; d < p.dim(); d++) {
                        sum += p.w1()[i * p.dim() + d] * x[j * p.dim() + d];
                    }
                    z[j][i] = sum;
                }
                h[j] = TwoLayerReference.hidden(p, x, j);
                s[j] = TwoLayerReference.scores(p, h[j]);
            }
            double sum = 0;
            for (double v : p.w1()) {
                sum += v * v;
            }
            for (double v : p.w2()) {
                sum += v * v;
            }
            squares = sum;
        }

        /**
         * The cost with entry {@code index} of parameter {@code param} (0 W1, 1 b1, 2 W2, 3 b2) set to
         * {@code value}; {@code param < 0}: unchanged.
         */
        double cost(int param, int index, double value) {
            int m = p.hidden();
            int dim = p.dim();
            double[] theta = param == 0 ? p.w1() : param == 1 ? p.b1() : param == 2 ? p.w2() : p.b2();
            double delta = param < 0 ? 0 : value - theta[index];
            double reg = squares;
            if (param == 0 || param == 2) {
                reg += value * value - theta[index] * theta[index];
            }
            int unit = param == 0 ? index / dim : param == 1 ? index : param == 2 ? index % m : -1;
            int klass = param == 2 ? index / m : param == 3 ? index : -1;
            double[] row = new double[CLASSES];
            double sum = 0;
            for (int j = 0; j < n; j++) {
                System.arraycopy(s[j], 0, row, 0, CLASSES);
                if (param == 0 || param == 1) {
                    double shifted = z[j][unit] + (param == 0 ? delta * x[j * dim + index % dim] : delta);
                    double change = Math.max(0, shifted) - h[j][unit];
                    for (int k = 0; k < CLASSES; k++) {
                        row[k] += p.w2()[k * m + unit] * change;
                    }
                } else if (param == 2) {
                    row[klass] += delta * h[j][unit];
                } else if (param == 3) {
                    row[klass] += delta;
                }
                sum += DoubleReference.crossEntropy(row, labels[j]);
            }
            return sum / n + lambda * reg;
        }

        /** Per parameter and entry, the sum of the magnitudes of the terms its gradient is summed from. */
        double[][] scales(double[] x, double lambda) {
            int m = p.hidden();
            int dim = p.dim();
            double[] w1 = new double[m * dim];
            double[] b1 = new double[m];
            double[] w2 = new double[CLASSES * m];
            double[] b2 = new double[CLASSES];
            for (int j = 0; j < n; j++) {
                // |G| taken as (p + y) / n, not |p - y| / n: the float P carries the error of the scores it came
                // from, which p - y does not cancel when p is near y
                double[] g = DoubleReference.softmax(s[j]);
                g[labels[j]] += 1;
                // a hidden value's own scale: the magnitudes of the terms of its pre-activation
                double[] hScale = new double[m];
                for (int i = 0; i < m; i++) {
                    double sum = Math.abs(p.b1()[i]);
                    for (int d = 0; d < dim; d++) {
                        sum += Math.abs(p.w1()[i * dim + d] * x[j * dim + d]);
                    }
                    hScale[i] = sum;
                }
                for (int k = 0; k < CLASSES; k++) {
                    g[k] /= n;
                    b2[k] += g[k];
                    for (int i = 0; i < m; i++) {
                        w2[k * m + i] += g[k] * hScale[i];
                    }
                }
                for (int i = 0; i < m; i++) {
                    if (z[j][i] <= 0) {
                        continue;
                    }
                    double g1 = 0;
                    for (int k = 0; k < CLASSES; k++) {
                        g1 += Math.abs(p.w2()[k * m + i]) * g[k];
                    }
                    b1[i] += g1;
                    for (int d = 0; d < dim; d++) {
                        w1[i * dim + d] += g1 * Math.abs(x[j * dim + d]);
                    }
                }
            }
            for (int i = 0; i < w1.length; i++) {
                w1[i] += Math.abs(2 * lambda * p.w1()[i]);
            }
            for (int i = 0; i < w2.length; i++) {
                w2[i] += Math.abs(2 * lambda * p.w2()[i]);
            }
            return new double[][] {w1, b1, w2, b2};
        }
    }
}

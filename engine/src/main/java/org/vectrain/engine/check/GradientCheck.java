package org.vectrain.engine.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.kernels.Affine;
import org.vectrain.engine.kernels.Columns;
import org.vectrain.engine.kernels.FoldedWeights;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.LossAccumulator;
import org.vectrain.engine.kernels.RowSource;
import org.vectrain.engine.kernels.ScoreTile;
import org.vectrain.engine.kernels.StepTarget;
import org.vectrain.engine.kernels.scalar.ScalarKernels;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.reference.DoubleReference;
import org.vectrain.engine.train.RandomStreams;
import org.vectrain.engine.train.SgdStep;

/**
 * Checks the gradients of the cost {@code J = mean_j -log p_y(j) + lambda ||W||^2} two ways, and
 * returns one {@link Row} of largest errors per setting, parameter and comparison.
 *
 * <ol>
 *   <li><b>Analytic vs numeric</b> ({@link Comparison#NUMERIC}): {@link DoubleReference#gradients}
 *       against centred differences {@code (J(θ + h) - J(θ - h)) / 2h} of {@link DoubleReference#cost},
 *       all in double. Criterion: {@code |a - n| / max(eps, |a| + |n|) < 1e-6}.
 *   <li><b>Float vs double</b> ({@link Comparison#FLOAT}): the gradients the trainer's float kernels
 *       produce ({@code forwardScores}, {@code softmaxCrossEntropy} with {@code G = (P - Y) / n},
 *       {@code gradientPart} and the update of {@code stepFromGradient} with step +1, so that dW is the new W
 *       less the old, and db as the row sums of G) against the double analytic ones at the same W and b.
 *       Criterion:
 *       {@code |f - a| / max(1e-12, scale) < 1e-5}, where scale is the sum of the magnitudes of the
 *       terms the value is summed from ({@code sum_j |G_kj x_jd| + |2 lambda W_kd|} for dW,
 *       {@code sum_j |G_kj|} for db), as in the kernel numerics tests: float accumulation has error
 *       about {@code sqrt(terms) * 2^-24} of that scale, so cancellation cannot make the bound
 *       meaningless, and 1e-5 leaves headroom at D = 3072.
 * </ol>
 *
 * <p><b>Settings</b> ({@link #settings}): the reduced problem of the assignment (the first
 * {@value #REDUCED_DIM} dimensions, the first 1 and the first 100 samples) with every entry of W and b
 * checked numerically, and the full model (all D dimensions, the first 100 samples) with a seeded
 * random subset of W entries and all of b; each with {@code lambda = 0} and {@code lambda = }{@value #LAMBDA}.
 * The float comparison always covers every entry (it costs one pass). W and b are drawn from
 * N(0, 0.01^2) by {@link SoftmaxModel#gaussian} from {@link RandomStreams#init()}; the W entries of the
 * full model are then drawn from the same stream, continued, so the seed fixes everything.
 *
 * <p><b>Step h.</b> The centred difference of a cost evaluated with rounding error {@code δ} has error
 * about {@code h^2 |J'''| / 6 + δ / h}. Here {@code δ} is a few ulps of J (the loss is a sum of up to 100
 * log-sum-exps of 3072-term dot products) and {@code |J'''|} is at most about 1 for normalised pixels, so
 * the optimum {@code (3 δ / |J'''|)^(1/3)} is about 2e-5: the textbook 1e-6 lets the rounding term dominate.
 * The step is {@code STEP * max(1, |θ|)} so that it stays a meaningful change for a parameter larger than 1
 * (the initial ones are about 0.01), and the divisor is the step actually taken, {@code (θ + h) - (θ - h)},
 * which is not exactly {@code 2h} in floating point.
 *
 * <p><b>The eps floor.</b> A relative error means nothing once the gradient itself is as small as the
 * finite difference's own noise, {@code noise = FLOOR_MARGIN * (1 + sqrt(n)) * ulp(J) / 2h} (the sum over
 * n samples carries about {@code sqrt(n)} ulps, the rest one; the margin covers truncation and the spread
 * between seeds). The floor is {@code eps = noise / 1e-6}, so an entry whose {@code |a| + |n|} is below it
 * is held to the absolute bound {@code |a - n| < noise} instead. Such entries are few, and each row reports
 * how many there were ({@link Row#floored()}), so the weaker test is visible. Without the floor, rounding
 * alone can fail tiny gradients; a real mistake (a dropped {@code 2 lambda W}, a factor off by 1e-4) is off
 * by orders of magnitude more than the floor allows, and the tests show the check failing on both.
 */
public final class GradientCheck {
    /** K, the number of classes. */
    public static final int CLASSES = LabeledImages.CLASSES;
    /** Dimensions of the reduced problem, as in the assignment. */
    public static final int REDUCED_DIM = 20;
    /** The larger batch of every setting (and the only one of the full model). */
    public static final int BATCH = 100;
    /** The regularisation strength of the {@code lambda > 0} settings. */
    public static final double LAMBDA = 0.1;
    /** W entries of the full model checked numerically unless told otherwise. */
    public static final int DEFAULT_ENTRIES = 200;
    /** The seed used unless told otherwise. */
    public static final long DEFAULT_SEED = 1;
    /** Finite-difference step for a parameter of magnitude at most 1 (see the class comment). */
    public static final double STEP = 1e-5;
    /**
     * Smallest denominator of the float comparison's relative error, a guard against 0 / 0 only;
     * the numeric comparison uses the larger noise floor of the class comment.
     */
    public static final double EPS = 1e-12;
    /** How far above the measured rounding noise of the cost the numeric eps floor is set. */
    public static final double FLOOR_MARGIN = 4;
    /** Largest relative error of analytic vs numeric gradients (the acceptance criterion). */
    public static final double NUMERIC_THRESHOLD = 1e-6;
    /** Largest scale-relative error of float vs double gradients. */
    public static final double FLOAT_THRESHOLD = 1e-5;

    private final Kernels kernels;
    private final long seed;
    private final int entries;
    private final AnalyticGradient analytic;

    /** A check of {@link DoubleReference#gradients} and of {@code kernels}, from {@code seed}. */
    public GradientCheck(Kernels kernels, long seed, int entries) {
        this(kernels, seed, entries, DoubleReference::gradients);
    }

    /**
     * A check of the given analytic gradient (tests pass a deliberately wrong one to see the check
     * fail).
     *
     * @param entries W entries of the full model to check numerically, at least 1 (all when more than K x D)
     */
    public GradientCheck(Kernels kernels, long seed, int entries, AnalyticGradient analytic) {
        if (entries < 1) {
            throw new InputException("entries", "must be at least 1, was " + entries);
        }
        this.kernels = kernels;
        this.seed = seed;
        this.entries = entries;
        this.analytic = analytic;
    }

    /** The seed of the initial parameters and of the drawn entries. */
    public long seed() {
        return seed;
    }

    /** W entries of the full model checked numerically (capped at K x D by {@link #settings}). */
    public int entries() {
        return entries;
    }

    /** The float kernels whose gradients are compared with the double ones. */
    public Kernels kernels() {
        return kernels;
    }

    /**
     * The settings for data of dimension {@code dim}: reduced with n = 1 and n = 100, then the full
     * model with n = 100, each with lambda = 0 and lambda = {@value #LAMBDA}.
     */
    public List<Setting> settings(int dim) {
        return settings(dim, BATCH);
    }

    /** As {@link #settings(int)}, with batches of {@code batch} samples instead of 100 (for small sets). */
    public List<Setting> settings(int dim, int batch) {
        int reduced = Math.min(REDUCED_DIM, dim);
        List<Setting> out = new ArrayList<>();
        for (int n : new int[] {1, batch}) {
            for (double lambda : new double[] {0, LAMBDA}) {
                out.add(Setting.of(reduced, n, lambda, CLASSES * reduced));
            }
        }
        for (double lambda : new double[] {0, LAMBDA}) {
            out.add(Setting.of(dim, batch, lambda, Math.min(entries, CLASSES * dim)));
        }
        return out;
    }

    /**
     * Every setting of {@link #settings} on {@code data}, four rows each (numeric W, b; float W, b).
     * A set smaller than 100 samples is checked with batches of all its samples.
     */
    public List<Row> run(DataSet data) {
        if (data.size() < 1) {
            throw new InputException("gradient check: " + data.name() + " has no samples");
        }
        List<Setting> settings = settings(data.dim(), Math.min(BATCH, data.size()));
        // All settings are validated before any is run, so a bad set fails at once.
        for (Setting setting : settings) {
            validate(data, setting);
        }
        List<Row> rows = new ArrayList<>();
        for (Setting setting : settings) {
            rows.addAll(check(data, setting));
        }
        return List.copyOf(rows);
    }

    /** Whether every row is within its threshold. */
    public static boolean allPassed(List<Row> rows) {
        return rows.stream().allMatch(Row::passed);
    }

    /**
     * One setting on the first {@code setting.batch()} samples and first {@code setting.dim()}
     * dimensions of {@code data}: numeric W, numeric b, float W, float b, in that order.
     */
    public List<Row> check(DataSet data, Setting setting) {
        validate(data, setting);
        int dim = setting.dim();
        int n = setting.batch();
        double lambda = setting.lambda();
        // The first n samples cut to their first dim values, packed n x dim, and addressed in order.
        DataSet cropped = data.crop(n, dim);
        double[] x = DoubleReference.features(cropped);
        int[] labels = cropped.labels();
        int[] rows = new int[n];
        for (int j = 0; j < n; j++) {
            rows[j] = j;
        }
        SplittableRandom init = new RandomStreams(seed).init();
        SoftmaxModel model = SoftmaxModel.gaussian(CLASSES, dim, init, false);
        int[] wEntries = pick(CLASSES * dim, setting.weightEntries(), init);

        double[] w = DoubleReference.widen(model.weights());
        double[] b = DoubleReference.widen(model.bias());
        double[] dw = new double[CLASSES * dim];
        double[] db = new double[CLASSES];
        analytic.compute(w, b, CLASSES, dim, x, labels, rows, lambda, dw, db);

        Problem p = new Problem(w, b, dim, x, labels, rows, lambda);
        double cost = p.cost();
        double noise = FLOOR_MARGIN * (1 + Math.sqrt(n)) * Math.ulp(cost) / (2 * STEP);
        double floor = Math.max(EPS, noise / NUMERIC_THRESHOLD);

        List<Row> out = new ArrayList<>(4);
        out.add(numeric(setting, "W", p, true, w, dw, wEntries, dim, floor));
        int[] allB = pick(CLASSES, CLASSES, null);
        out.add(numeric(setting, "b", p, false, b, db, allB, 0, floor));
        floatRows(setting, model, cropped, x, rows, dw, db, out);
        return List.copyOf(out);
    }

    private static void validate(DataSet data, Setting setting) {
        if (setting.batch() > data.size()) {
            throw new InputException("gradient check: setting " + setting.name() + " needs " + setting.batch()
                    + " samples, " + data.name() + " has " + data.size());
        }
        if (setting.dim() > data.dim()) {
            throw new InputException("gradient check: setting " + setting.name() + " needs " + setting.dim()
                    + " dimensions, " + data.name() + " has " + data.dim());
        }
        int[] labels = data.labels();
        for (int j = 0; j < setting.batch(); j++) {
            if (labels[j] < 0 || labels[j] >= CLASSES) {
                throw new InputException(data.name() + ": sample " + j + " has label " + labels[j]
                        + ", expected 0.." + (CLASSES - 1));
            }
        }
    }

    /**
     * The parameters and batch of one setting, for evaluating the cost with one parameter changed.
     *
     * <p>Changing W[k][d] by delta changes only the scores of class k, by delta * x[j][d], and the
     * regulariser by (w + delta)^2 - w^2; changing b[k] shifts the scores of class k by delta. The cost
     * is evaluated from the cached scores with that one column changed: the same function, in O(n K)
     * instead of O(n K D) per evaluation, which makes checking the full model cheap.
     */
    private static final class Problem {
        private final double[] w;
        private final int dim;
        private final double[] x;
        private final int[] labels;
        private final double lambda;
        private final double[][] scores;
        private final double squares;

        Problem(double[] w, double[] b, int dim, double[] x, int[] labels, int[] rows, double lambda) {
            this.w = w;
            this.dim = dim;
            this.x = x;
            this.labels = labels;
            this.lambda = lambda;
            this.scores = DoubleReference.scores(w, b, CLASSES, dim, x, rows);
            double sum = 0;
            for (double v : w) {
                sum += v * v;
            }
            this.squares = sum;
        }

        /** The cost at the unperturbed parameters. */
        double cost() {
            return costWithColumnShift(0, 0, -1, 0);
        }

        /** The cost with W[index] set to {@code value}. */
        double costWithWeight(int index, double value) {
            double delta = value - w[index];
            double reg = squares - w[index] * w[index] + value * value;
            return costWithColumnShift(index / dim, delta, index % dim, reg);
        }

        /** The cost with b[k] moved by {@code delta}. */
        double costWithBias(int k, double delta) {
            return costWithColumnShift(k, delta, -1, squares);
        }

        /**
         * Mean cross-entropy with the scores of class k shifted by delta * x[j][d] (by delta when d < 0),
         * plus lambda * reg; with delta = 0 and d < 0, reg is replaced by the cached ||W||^2.
         */
        private double costWithColumnShift(int k, double delta, int d, double reg) {
            int n = scores.length;
            double[] row = new double[CLASSES];
            double loss = 0;
            for (int j = 0; j < n; j++) {
                System.arraycopy(scores[j], 0, row, 0, CLASSES);
                row[k] += d < 0 ? delta : delta * x[j * dim + d];
                loss += DoubleReference.crossEntropy(row, labels[j]);
            }
            double regulariser = delta == 0 && d < 0 ? squares : reg;
            return loss / n + lambda * regulariser;
        }
    }

    /** Centred differences of the cost in W (when {@code weights}) or b, at {@code indices}. */
    private static Row numeric(Setting setting, String parameter, Problem p, boolean weights, double[] theta,
            double[] analytic, int[] indices, int dim, double floor) {
        Worst worst = new Worst();
        for (int i : indices) {
            double saved = theta[i];
            double h = STEP * Math.max(1, Math.abs(saved));
            double plus = saved + h;
            double minus = saved - h;
            double costPlus = weights ? p.costWithWeight(i, plus) : p.costWithBias(i, plus - saved);
            double costMinus = weights ? p.costWithWeight(i, minus) : p.costWithBias(i, minus - saved);
            double numeric = (costPlus - costMinus) / (plus - minus);
            double magnitude = Math.abs(analytic[i]) + Math.abs(numeric);
            worst.add(i, analytic[i], numeric, Math.max(floor, magnitude), magnitude < floor);
        }
        return worst.row(setting, Comparison.NUMERIC, parameter, dim, floor, NUMERIC_THRESHOLD);
    }

    /** The trainer's float path at the same W and b, against the double analytic gradients. */
    private void floatRows(Setting setting, SoftmaxModel model, DataSet set, double[] x, int[] rows, double[] dw,
            double[] db, List<Row> out) {
        int dim = setting.dim();
        int n = setting.batch();
        float[] wf = model.weights();
        float[] wFolded = new float[CLASSES * dim];
        float[] bFolded = new float[CLASSES];
        float[] s = new float[CLASSES * n];
        float[] g = new float[CLASSES * n];
        float[] gSum = new float[CLASSES];
        float[] dwf = new float[CLASSES * dim];
        float twoLambda = (float) (2 * setting.lambda());
        kernels.fold(wf, model.bias(), CLASSES, dim, set.scale(), set.shift(), wFolded, bFolded);
        RowSource images = RowSource.whole(set.pixels(), dim, rows);
        kernels.forwardScores(new FoldedWeights(wFolded, bFolded, CLASSES, dim), images, 0, n, new ScoreTile(s, 0, n));
        kernels.softmaxCrossEntropy(s, CLASSES, n, set.labels(), g, 1f / n, null, 0, new LossAccumulator());
        for (int k = 0; k < CLASSES; k++) {
            for (int j = 0; j < n; j++) {
                gSum[k] += g[k * n + j];
            }
        }
        // The training step's kernels: the batch's gradient, then its update with step +1 on a copy of W.
        // dW = W_new - W loses at most an ulp of W, a few 1e-7 of the |2 lambda W| term in the scale below.
        float[] product = new float[CLASSES * dim];
        float[] gT = new float[CLASSES * n];
        Kernels.transpose(g, CLASSES, n, gT);
        kernels.gradientPart(gT, CLASSES, 0, n, images, 0, product, Columns.all(dim));
        float[] stepped = wf.clone();
        int strips = (dim + SgdStep.COLUMN_STRIP - 1) / SgdStep.COLUMN_STRIP;
        StepTarget target = new StepTarget(CLASSES, stepped, null, new float[CLASSES * dim],
                new float[strips * CLASSES], SgdStep.COLUMN_STRIP);
        kernels.stepFromGradient(product, gSum, new Affine(set.scale(), set.shift()), target, twoLambda, 1f,
                Columns.all(dim));
        for (int i = 0; i < dwf.length; i++) {
            dwf[i] = stepped[i] - wf[i];
        }

        Worst wWorst = new Worst();
        for (int k = 0; k < CLASSES; k++) {
            for (int d = 0; d < dim; d++) {
                int i = k * dim + d;
                double scale = Math.abs(twoLambda * wf[i]);
                // the kernel computes a q + c from its parts: the parts' magnitudes bound its rounding
                for (int j = 0; j < n; j++) {
                    double q = ScalarKernels.signed(set.pixels()[j * dim + d]);
                    scale += Math.abs(g[k * n + j]) * (Math.abs(set.scale()[d] * q) + Math.abs(set.shift()[d]));
                }
                wWorst.add(i, dw[i], dwf[i], Math.max(EPS, scale), false);
            }
        }
        out.add(wWorst.row(setting, Comparison.FLOAT, "W", dim, EPS, FLOAT_THRESHOLD));

        Worst bWorst = new Worst();
        for (int k = 0; k < CLASSES; k++) {
            // Summed in float, as the trainer's bias update does.
            float dbk = 0f;
            double scale = 0;
            for (int j = 0; j < n; j++) {
                dbk += g[k * n + j];
                scale += Math.abs(g[k * n + j]);
            }
            bWorst.add(k, db[k], dbk, Math.max(EPS, scale), false);
        }
        out.add(bWorst.row(setting, Comparison.FLOAT, "b", 0, EPS, FLOAT_THRESHOLD));
    }

    /**
     * {@code count} distinct indices of {@code 0 .. total-1} in increasing order: all of them when
     * {@code count >= total}, else a partial Fisher-Yates draw from {@code random}.
     */
    static int[] pick(int total, int count, SplittableRandom random) {
        int[] all = new int[total];
        for (int i = 0; i < total; i++) {
            all[i] = i;
        }
        if (count >= total) {
            return all;
        }
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(total - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] chosen = Arrays.copyOf(all, count);
        Arrays.sort(chosen);
        return chosen;
    }

    /** Running largest absolute and relative errors over the entries of one row. */
    static final class Worst {
        private int count;
        private int floored;
        private double maxAbs;
        private double maxRel = -1;
        private int at = -1;
        private double expected = Double.NaN;
        private double actual = Double.NaN;

        void add(int index, double expectedValue, double actualValue, double denominator, boolean underFloor) {
            count++;
            if (underFloor) {
                floored++;
            }
            double diff = Math.abs(actualValue - expectedValue);
            double rel = diff / denominator;
            // A NaN anywhere (value or floor) must fail the row, so it counts as infinitely wrong.
            if (Double.isNaN(diff)) {
                diff = Double.POSITIVE_INFINITY;
            }
            if (Double.isNaN(rel)) {
                rel = Double.POSITIVE_INFINITY;
            }
            maxAbs = Math.max(maxAbs, diff);
            if (rel > maxRel) {
                maxRel = rel;
                at = index;
                expected = expectedValue;
                actual = actualValue;
            }
        }

        Row row(Setting setting, Comparison comparison, String parameter, int dim, double eps, double threshold) {
            return row(setting.name(), comparison, parameter, dim, eps, threshold);
        }

        /** The row of the setting named {@code setting}; {@code dim} the row length of a matrix, 0 for a vector. */
        Row row(String setting, Comparison comparison, String parameter, int dim, double eps, double threshold) {
            String where = at < 0 ? "-" : dim == 0 ? parameter + "[" + at + "]"
                    : parameter + "[" + at / dim + "," + at % dim + "]";
            return new Row(setting, comparison, parameter, count, maxAbs, Math.max(0, maxRel), where, expected,
                    actual, eps, floored, threshold);
        }
    }

    /**
     * The analytic gradient under test, with the signature and contract of
     * {@link DoubleReference#gradients}: writes dW (K x D) and db (K) of the cost at W, b on the
     * samples {@code rows} with regularisation {@code lambda}.
     */
    @FunctionalInterface
    public interface AnalyticGradient {
        void compute(double[] w, double[] b, int classes, int dim, double[] x, int[] labels, int[] rows,
                double lambda, double[] dw, double[] db);
    }

    /** What a row compares. */
    public enum Comparison {
        /** Double analytic gradient vs centred finite differences of the double cost. */
        NUMERIC("analytic vs numeric"),
        /** Float kernel gradient vs double analytic gradient. */
        FLOAT("float vs double");

        private final String label;

        Comparison(String label) {
            this.label = label;
        }

        /** A short label for tables. */
        public String label() {
            return label;
        }
    }

    /**
     * One problem the gradients are checked on.
     *
     * @param name for tables, e.g. {@code D=20, n=1, λ=0}
     * @param dim D, the leading dimensions of the data used
     * @param batch n, the leading samples used
     * @param lambda the regularisation strength
     * @param weightEntries how many W entries the numeric comparison checks (K x D for all)
     */
    public record Setting(String name, int dim, int batch, double lambda, int weightEntries) {
        public Setting {
            if (dim < 1 || batch < 1 || !(lambda >= 0) || Double.isInfinite(lambda) || weightEntries < 1
                    || weightEntries > CLASSES * dim) {
                throw new IllegalArgumentException("setting " + name + ": D=" + dim + ", n=" + batch + ", λ=" + lambda
                        + ", " + weightEntries + " W entries");
            }
        }

        /** A setting named after its shape and lambda. */
        public static Setting of(int dim, int batch, double lambda, int weightEntries) {
            String l = lambda == 0 ? "0" : Double.toString(lambda);
            return new Setting("D=" + dim + ", n=" + batch + ", λ=" + l, dim, batch, lambda, weightEntries);
        }
    }

    /**
     * The largest errors of one comparison of one parameter in one setting.
     *
     * @param setting the setting's name
     * @param comparison what was compared
     * @param parameter {@code "W"} or {@code "b"}
     * @param entries how many entries were compared
     * @param maxAbsError the largest {@code |expected - actual|}
     * @param maxRelError the largest relative error, as defined by {@code comparison} (see
     *     {@link GradientCheck})
     * @param worstEntry where {@code maxRelError} occurred, e.g. {@code W[3,1207]} (class, dimension)
     * @param expected the analytic (double) value there
     * @param actual the numeric or float value there
     * @param eps the floor of the relative error's denominator
     * @param floored entries whose magnitude was below {@code eps}, so held to an absolute bound of
     *     {@code threshold * eps}
     * @param threshold the largest relative error that passes
     */
    public record Row(String setting, Comparison comparison, String parameter, int entries, double maxAbsError,
            double maxRelError, String worstEntry, double expected, double actual, double eps, int floored,
            double threshold) {

        /** Whether the largest relative error is below the threshold (NaN never is). */
        public boolean passed() {
            return maxRelError < threshold;
        }
    }
}

package org.vectrain.engine.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.vectrain.engine.InputException;
import org.vectrain.engine.compare.RunRecord.EvalSet;
import org.vectrain.engine.compare.RunRecord.Figure;

/**
 * Two runs measured against each other: every per-epoch figure, the largest deviation relative to its
 * tolerance, and the relative distance of the final weights, with a verdict. Run B is the reference: relative
 * differences are taken against its values.
 *
 * @param a the run under test
 * @param b the reference run
 * @param tolerances what "agree" means
 * @param deviations one per epoch, set and figure, epoch-major
 * @param worst the deviation with the largest ratio of difference to allowance (the one that decides)
 * @param weightsRelative {@code ||Wa - Wb||_F / ||Wb||_F}, or NaN when either run has no W.npy
 */
public record RunComparison(RunRecord a, RunRecord b, Tolerances tolerances, List<Deviation> deviations,
        Deviation worst, double weightsRelative) {

    /**
     * One figure of one epoch in both runs.
     *
     * @param epoch 1-based
     * @param set training or validation
     * @param figure loss, cost or accuracy
     * @param a the value in run A
     * @param b the value in run B
     * @param allowed the largest difference the tolerances allow here
     */
    public record Deviation(int epoch, EvalSet set, Figure figure, double a, double b, double allowed) {

        /** {@code a - b}; NaN when either is NaN, 0 when both are the same non-finite value. */
        public double difference() {
            return sameNonFinite() ? 0 : a - b;
        }

        /** {@code |a - b| / |b|} (infinite when b is 0 and a is not). */
        public double relative() {
            double d = Math.abs(difference());
            return d == 0 ? 0 : d / Math.abs(b);
        }

        /** How much of its allowance the difference uses: at most 1 when within tolerance; infinite for NaN. */
        public double ratio() {
            double d = Math.abs(difference());
            if (Double.isNaN(d)) {
                return Double.POSITIVE_INFINITY;
            }
            return d == 0 ? 0 : d / allowed;
        }

        public boolean withinTolerance() {
            return ratio() <= 1;
        }

        /** e.g. {@code epoch 3, validation loss}. */
        public String where() {
            return "epoch " + epoch + ", " + set.title() + " " + figure.key();
        }

        private boolean sameNonFinite() {
            // Two runs that diverged alike (NaN where NaN, the same infinity) agree on that point.
            return !Double.isFinite(a) && (Double.compare(a, b) == 0);
        }
    }

    /**
     * Compares {@code a} with reference {@code b}.
     *
     * @throws InputException when they cannot be compared: different epoch counts or weight shapes
     */
    public static RunComparison of(RunRecord a, RunRecord b, Tolerances tolerances) {
        if (a.epochs() != b.epochs()) {
            throw new InputException("the runs cannot be compared: RUN_A " + a.folder() + " has " + a.epochs()
                    + " epochs, RUN_B " + b.folder() + " has " + b.epochs());
        }
        List<Deviation> deviations = new ArrayList<>();
        Deviation worst = null;
        for (int e = 0; e < a.epochs(); e++) {
            for (EvalSet set : EvalSet.values()) {
                for (Figure figure : Figure.values()) {
                    double va = a.values(set, figure)[e];
                    double vb = b.values(set, figure)[e];
                    double allowed = figure == Figure.ACCURACY ? tolerances.accTol() : tolerances.allowedLoss(vb);
                    Deviation d = new Deviation(e + 1, set, figure, va, vb, allowed);
                    deviations.add(d);
                    if (worst == null || d.ratio() > worst.ratio()) {
                        worst = d;
                    }
                }
            }
        }
        double weights = Double.NaN;
        if (a.weights() != null && b.weights() != null) {
            if (!Arrays.equals(a.weightShape(), b.weightShape())) {
                throw new InputException("the runs cannot be compared: the final weights of RUN_A have shape "
                        + Arrays.toString(a.weightShape()) + ", of RUN_B " + Arrays.toString(b.weightShape())
                        + " (W.npy, or W1.npy and W2.npy of a two-layer run)");
            }
            weights = relativeFrobenius(a.weights(), b.weights());
        }
        return new RunComparison(a, b, tolerances, List.copyOf(deviations), worst, weights);
    }

    /** {@code ||x - y||_F / ||y||_F} in double; 0 when both are zero, infinite when only y is. */
    public static double relativeFrobenius(float[] x, float[] y) {
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < x.length; i++) {
            double d = (double) x[i] - y[i];
            diff += d * d;
            ref += (double) y[i] * y[i];
        }
        if (diff == 0) {
            return 0;
        }
        return Math.sqrt(diff) / Math.sqrt(ref);
    }

    /** Whether both runs had final weights to compare. */
    public boolean weightsCompared() {
        return a.weights() != null && b.weights() != null;
    }

    /** Whether the figures and (where compared) the weights are all within tolerance. */
    public boolean agree() {
        return figuresAgree() && weightsAgree();
    }

    /** Whether every per-epoch figure is within tolerance. */
    public boolean figuresAgree() {
        return worst.withinTolerance();
    }

    /** Whether the final weights are within tolerance, or were not compared. */
    public boolean weightsAgree() {
        return !weightsCompared() || weightsRelative <= tolerances.weightsRtol();
    }

    /** The deviations beyond tolerance, in epoch order. */
    public List<Deviation> failures() {
        return deviations.stream().filter(d -> !d.withinTolerance()).toList();
    }

    /** One line: the verdict and what decided it. */
    public String verdict() {
        String worstText = String.format(Locale.ROOT, "largest deviation at %s: %.6g vs %.6g (|Δ| %.2e, allowed %.2e)",
                worst.where(), worst.a(), worst.b(), Math.abs(worst.difference()), worst.allowed());
        String weightsText = weightsCompared()
                ? String.format(Locale.ROOT, "‖Wa − Wb‖/‖Wb‖ = %.2e (allowed %.2e)", weightsRelative,
                        tolerances.weightsRtol())
                : "final weights not compared (no W.npy, nor W1.npy and W2.npy, in "
                        + (a.weights() == null ? "RUN_A" : "RUN_B") + ")";
        if (agree()) {
            return "AGREE: " + worstText + "; " + weightsText;
        }
        List<String> why = new ArrayList<>();
        if (!figuresAgree()) {
            why.add(failures().size() + " of " + deviations.size() + " figures beyond tolerance, " + worstText);
        }
        if (!weightsAgree()) {
            why.add(weightsText);
        }
        return "DISAGREE: " + String.join("; ", why);
    }
}

package org.vectrain.engine.compare;

import org.vectrain.engine.InputException;

/**
 * How far two runs may differ and still agree, validated once here with messages that name the parameter.
 *
 * <p>Loss and cost agree when {@code |a - b| <= atol + rtol * |b|} (the numpy {@code isclose} rule, B the
 * reference); accuracies when {@code |a - b| <= accTol} (a fraction of the set: 0.001 is one image in
 * 1,000); the final weights when {@code ||Wa - Wb||_F / ||Wb||_F <= weightsRtol}.
 *
 * <p>Why these defaults: the same run with the vector kernels at another width, or the scalar twins, differs
 * only in the grouping of float sums (lanes are reduced in a fixed order, but a 512-bit kernel adds 16
 * partial sums where a 256-bit one adds 8). Measured on 3 epochs of 2,000 real images that moves losses by
 * at most 4e-8 relative and W by 1.4e-7 (256-bit) to 2.2e-7 (scalar) relative to the 512-bit run; the same
 * width on JDK 17 and 25 is bit-identical. An η changed by one part in a thousand moves losses by about
 * 1e-4 relative and W by 1.4e-4. The defaults sit between: some 50 times above the rounding noise, 10 times
 * below that smallest deliberate change. An arg-max can flip for an image whose two best scores are within
 * rounding of each other, hence one image in a thousand for accuracies.
 *
 * @param rtol relative tolerance on loss and cost ({@code --rtol}), >= 0
 * @param atol absolute tolerance on loss and cost ({@code --atol}), >= 0
 * @param accTol absolute tolerance on accuracies, as a fraction ({@code --acc-tol}), >= 0
 * @param weightsRtol tolerance on the relative Frobenius distance of the final W ({@code --weights-rtol}), >= 0
 */
public record Tolerances(double rtol, double atol, double accTol, double weightsRtol) {
    /** Default of {@code --rtol}. */
    public static final double DEFAULT_RTOL = 1e-5;
    /** Default of {@code --atol}: below what a float loss near 2 can resolve, so rtol decides. */
    public static final double DEFAULT_ATOL = 1e-7;
    /** Default of {@code --acc-tol}. */
    public static final double DEFAULT_ACC_TOL = 1e-3;
    /** Default of {@code --weights-rtol}. */
    public static final double DEFAULT_WEIGHTS_RTOL = 1e-5;

    public Tolerances {
        check("rtol", rtol);
        check("atol", atol);
        check("accTol", accTol);
        check("weightsRtol", weightsRtol);
    }

    /** The defaults above. */
    public static Tolerances defaults() {
        return new Tolerances(DEFAULT_RTOL, DEFAULT_ATOL, DEFAULT_ACC_TOL, DEFAULT_WEIGHTS_RTOL);
    }

    /** The largest difference allowed between loss or cost {@code a} and reference {@code b}. */
    public double allowedLoss(double b) {
        return atol + rtol * Math.abs(b);
    }

    private static void check(String parameter, double v) {
        if (!Double.isFinite(v) || v < 0) {
            throw new InputException(parameter, "must be a finite number >= 0, was " + v);
        }
    }
}

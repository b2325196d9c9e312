package org.vectrain.engine.eval;

/**
 * The figures of one model on one set.
 *
 * @param loss mean loss over the set: cross-entropy {@code -log p_y} unless the run trains another loss
 * @param cost loss + lambda ||W||^2
 * @param accuracy fraction of samples whose arg-max score is the label
 * @param correct number of such samples
 * @param count samples in the set
 */
public record Evaluation(double loss, double cost, double accuracy, long correct, int count) {

    /** Whether loss and cost are finite numbers (a diverged run has NaN or infinite ones). */
    public boolean isFinite() {
        return Double.isFinite(loss) && Double.isFinite(cost);
    }
}

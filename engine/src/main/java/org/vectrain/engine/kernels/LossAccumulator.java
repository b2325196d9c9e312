package org.vectrain.engine.kernels;

/**
 * Running totals the softmax kernel adds into: the loss summed over samples and the number of
 * correct arg-max predictions. Reused across batches so the training loop allocates nothing.
 */
public final class LossAccumulator {
    private double lossSum;
    private long correct;

    public void add(double loss, long correctCount) {
        lossSum += loss;
        correct += correctCount;
    }

    public void reset() {
        lossSum = 0;
        correct = 0;
    }

    public double lossSum() {
        return lossSum;
    }

    public long correct() {
        return correct;
    }
}

package org.vectrain.engine.train;

import java.util.SplittableRandom;

/**
 * Every random choice of a run, split from one seed into named, independent streams, so that adding
 * a use of one stream (say, augmentation) never changes another (say, the initial weights).
 */
public final class RandomStreams {
    private final long seed;

    public RandomStreams(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** Initial W and b. */
    public SplittableRandom init() {
        return stream(1);
    }

    /** The order of samples in each epoch. */
    public SplittableRandom shuffle() {
        return stream(2);
    }

    /** Data augmentation (flips). */
    public SplittableRandom augmentation() {
        return stream(3);
    }

    /** Translations of the training images; apart from flips, so that adding them leaves the flips as they were. */
    public SplittableRandom translation() {
        return stream(5);
    }

    /** The seeds of the dropout masks, one per update step of the two-layer network. */
    public SplittableRandom dropout() {
        return stream(6);
    }

    /** Hyper-parameter search draws. */
    public SplittableRandom search() {
        return stream(4);
    }

    private SplittableRandom stream(int id) {
        // SplittableRandom's own mixing turns nearby (seed, id) pairs into unrelated streams.
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id).split();
    }
}

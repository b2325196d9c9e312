package org.vectrain.engine.train;

import java.util.SplittableRandom;

/**
 * What a run draws afresh every epoch, each from its own stream of {@link RandomStreams}: the sample order (with
 * shuffling), a left-right flip per image (with flips) and a move per image (with translations). The draws of an
 * epoch depend only on the seed and the epoch, never on the thread count or the model.
 */
final class EpochDraws {
    private final boolean shuffle;
    private final int shift;
    private final int[] order;
    private final boolean[] flipped;
    private final byte[] moves;
    private final SplittableRandom shuffleRandom;
    private final SplittableRandom flipRandom;
    private final SplittableRandom moveRandom;

    /** The draws of {@code config} for a training set of {@code n} images, before the first epoch. */
    EpochDraws(TrainConfig config, int n) {
        RandomStreams streams = new RandomStreams(config.seed());
        this.shuffle = config.shuffle();
        this.shift = config.translate();
        this.order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        this.flipped = config.flip() ? new boolean[n] : null;
        // (dx, dy) of sample i at [2i], [2i + 1]
        this.moves = shift > 0 ? new byte[2 * n] : null;
        this.shuffleRandom = streams.shuffle();
        this.flipRandom = streams.augmentation();
        this.moveRandom = streams.translation();
    }

    /** Draws the next epoch's order, flips and moves: shuffled in place, then one flip and one move per image. */
    void next() {
        if (shuffle) {
            Trainer.shuffle(order, shuffleRandom);
        }
        if (flipped != null) {
            // drawn per image in index order, so the flips do not depend on the visiting order
            for (int i = 0; i < flipped.length; i++) {
                flipped[i] = flipRandom.nextBoolean();
            }
        }
        if (moves != null) {
            for (int i = 0; i < moves.length; i++) {
                moves[i] = (byte) (moveRandom.nextInt(2 * shift + 1) - shift);
            }
        }
    }

    /** The samples in this epoch's visiting order. */
    int[] order() {
        return order;
    }

    /** Whether image i is flipped this epoch, or null without flips. */
    boolean[] flipped() {
        return flipped;
    }

    /** Image i's move this epoch at {@code [2i], [2i + 1]}, or null without translations. */
    byte[] moves() {
        return moves;
    }
}

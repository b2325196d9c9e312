package org.vectrain.engine.layout;

import org.vectrain.engine.data.DataSet;

/**
 * The pixels of a set re-laid for evaluation: blocks of {@link #BLOCK} samples, and inside a block
 * dimension-major, so that the {@code BLOCK} values of dimension d are adjacent. The values are already
 * signed ({@code q = pixel - 128}, the top bit flipped); a last block that is not full is padded with zeros.
 *
 * <p>Why: in this layout the scores of a block are {@code S[k][j] = sum_d W'[k][d] q[d][j]}, a vector of
 * samples times a broadcast weight per dimension, so a kernel keeps one accumulator per class and
 * vector of samples and never reduces across lanes, and each pixel is widened once for all K classes
 * (see {@code Kernels.blockScores}). An evaluation pass reads every image of
 * a set once per epoch, so the re-layout, done once per set and kept, pays from the second pass on.
 *
 * <p>Cost: as much memory again as the set's pixels (30 MB for 10,000 CIFAR images), and the time to
 * write it once, most of it the first touch of the fresh memory (docs/performance.md).
 * {@code Evaluator.layOutForEvaluation} does it for the sets of a run while the kernels warm up.
 */
public final class SampleBlocks {
    /**
     * Samples per block, as the kernels' {@code blockScores} reads them: two 16-lane
     * vectors at 512 bits, the widest species.
     */
    public static final int BLOCK = 32;
    /**
     * Bytes after the last block, never used: the 128-bit kernels widen 4 values from a load of 8, which may
     * read 4 past a block's last value.
     */
    public static final int SLACK = 8;

    private static final LayoutCache<SampleBlocks> MADE = new LayoutCache<>();

    private final byte[] values;
    private final int size;
    private final int dim;

    private SampleBlocks(byte[] values, int size, int dim) {
        this.values = values;
        this.size = size;
        this.dim = dim;
    }

    /** The blocks of {@code set}, made on the first call for its pixel array and kept while that array lives. */
    public static SampleBlocks of(DataSet set) {
        return MADE.get(set.pixels(), blocks -> blocks.dim == set.dim() && blocks.size == set.size(),
                () -> relayout(set.pixels(), set.size(), set.dim()));
    }

    /** The blocks of {@code size} sample-major rows of {@code dim} unsigned pixels. */
    public static SampleBlocks relayout(byte[] pixels, int size, int dim) {
        int blocks = (size + BLOCK - 1) / BLOCK;
        byte[] values = new byte[blocks * BLOCK * dim + SLACK];
        for (int i = 0; i < size; i++) {
            int row = i * dim;
            int at = i / BLOCK * BLOCK * dim + i % BLOCK;
            for (int d = 0; d < dim; d++) {
                values[at + d * BLOCK] = (byte) (pixels[row + d] ^ 0x80);
            }
        }
        return new SampleBlocks(values, size, dim);
    }

    /** All blocks, {@code blocks() * BLOCK * dim()} signed values; block i starts at {@code i * BLOCK * dim()}. */
    public byte[] values() {
        return values;
    }

    public int size() {
        return size;
    }

    public int dim() {
        return dim;
    }

    public int blocks() {
        return (size + BLOCK - 1) / BLOCK;
    }
}

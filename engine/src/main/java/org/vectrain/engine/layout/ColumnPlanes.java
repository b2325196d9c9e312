package org.vectrain.engine.layout;

import java.util.Arrays;
import org.vectrain.engine.data.DataSet;

/**
 * The pixels of a set re-laid by column range: for ranges {@code [bounds[p], bounds[p + 1])}, plane p holds
 * those columns of every image, image after image, so image i's part starts at {@code i * width(p)}. The
 * values stay as read (unsigned).
 *
 * <p>Why: a training step splits the columns between cores, and each core reads its columns of the
 * batch's images. In whole rows those are short runs (1,536 bytes at D = 3072) a row apart; in a plane,
 * consecutive images' runs are adjacent, so an unshuffled batch is one stretch of memory per core, which
 * the hardware prefetchers follow. The kernels read a plane as rows of {@code width(p)} pixels starting
 * at column {@code bounds[p]} (a {@code RowSource} of the kernels).
 *
 * <p>Cost: as much memory again as the set's pixels, written once per set and split.
 */
public final class ColumnPlanes {
    /**
     * Bytes after a plane's last row, never used: the 128-bit kernels widen 4 pixels from a load of 8, which
     * reads 4 past a row's end where the image goes on in the next plane.
     */
    public static final int SLACK = 8;
    private static final LayoutCache<ColumnPlanes> MADE = new LayoutCache<>();

    private final byte[][] planes;
    private final int[] bounds;
    private final int size;

    private ColumnPlanes(byte[][] planes, int[] bounds, int size) {
        this.planes = planes;
        this.bounds = bounds;
        this.size = size;
    }

    /**
     * The planes of {@code set} for the column ranges between {@code bounds} (ascending, from 0 to D), made
     * on the first call for its pixel array and these bounds, and kept while that array lives.
     */
    public static ColumnPlanes of(DataSet set, int[] bounds) {
        return MADE.get(set.pixels(), planes -> planes.size == set.size() && Arrays.equals(planes.bounds, bounds),
                () -> relayout(set.pixels(), set.size(), set.dim(), bounds));
    }

    /** The planes of {@code size} rows of {@code dim} pixels for the column ranges between {@code bounds}. */
    public static ColumnPlanes relayout(byte[] pixels, int size, int dim, int[] bounds) {
        checkBounds(bounds, dim);
        byte[][] planes = new byte[bounds.length - 1][];
        for (int p = 0; p < planes.length; p++) {
            int width = bounds[p + 1] - bounds[p];
            byte[] plane = new byte[size * width + SLACK];
            for (int i = 0; i < size; i++) {
                System.arraycopy(pixels, i * dim + bounds[p], plane, i * width, width);
            }
            planes[p] = plane;
        }
        return new ColumnPlanes(planes, bounds.clone(), size);
    }

    /** Refuses column bounds that do not run from 0 to {@code dim} or do not ascend. */
    static void checkBounds(int[] bounds, int dim) {
        if (bounds.length < 2 || bounds[0] != 0 || bounds[bounds.length - 1] != dim) {
            throw new IllegalArgumentException("column bounds must run from 0 to " + dim + ": "
                    + Arrays.toString(bounds));
        }
        for (int p = 0; p + 1 < bounds.length; p++) {
            if (bounds[p + 1] < bounds[p]) {
                throw new IllegalArgumentException("column bounds must ascend: " + Arrays.toString(bounds));
            }
        }
    }

    /** Plane p: columns {@code [firstColumn(p), firstColumn(p) + width(p))} of every image. */
    public byte[] plane(int p) {
        return planes[p];
    }

    public int firstColumn(int p) {
        return bounds[p];
    }

    public int width(int p) {
        return bounds[p + 1] - bounds[p];
    }

    public int planes() {
        return planes.length;
    }

    public int size() {
        return size;
    }
}

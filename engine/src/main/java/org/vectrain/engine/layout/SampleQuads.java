package org.vectrain.engine.layout;

import java.util.Arrays;
import org.vectrain.engine.data.DataSet;

/**
 * The pixels of a set re-laid for training on batches in order: for column ranges
 * {@code [bounds[p], bounds[p + 1])}, plane p holds those columns of every image, four images (a quad) at a
 * time, interleaved 16 columns at a time. With the range's width rounded up to {@link #UNIT} ({@link #width}),
 * the pixel of image i at column {@code firstColumn(p) + c} is at {@link #offset offset(i, c, width)}:
 * quad {@code i / 4} starts at {@code (i / 4) * 4 * width}, and in it each unit of 16 columns holds 16 bytes of
 * each of its four images in turn. The values stay as read (unsigned); the padding (columns past the range,
 * images past the set) holds 128, a signed 0.
 *
 * <p>Why: the forward tile reads four images at once, 16 columns of each. In rows (or {@link ColumnPlanes})
 * those are four places a row apart, and the tile's loop keeps four pixel offsets live beside its five weight
 * offsets and twenty accumulators, more than C2 keeps in registers; in a quad they are one offset plus the
 * constants 16, 32 and 48, and a batch of consecutive quads is one stretch of memory read front to back. The
 * forward tile is faster on quads than on rows, from cache and from memory (docs/performance.md).
 *
 * <p>A shuffled batch would read one 16-byte run of every 64-byte line; it reads rows or planes instead.
 * Cost: as much memory again as the set's pixels (rounded up to whole quads and units), written once per set
 * and split.
 */
public final class SampleQuads {
    /** Images interleaved in a quad, the forward tile's sample count. */
    public static final int MEMBERS = 4;
    /** Columns of a member side by side in a quad: one 16-lane float vector's worth of pixels. */
    public static final int UNIT = 16;

    private static final LayoutCache<SampleQuads> MADE = new LayoutCache<>();
    private static final byte SIGNED_ZERO = (byte) 128;

    private final byte[][] planes;
    private final int[] bounds;
    private final int size;

    private SampleQuads(byte[][] planes, int[] bounds, int size) {
        this.planes = planes;
        this.bounds = bounds;
        this.size = size;
    }

    /**
     * The quads of {@code set} for the column ranges between {@code bounds} (ascending, from 0 to D), made on
     * the first call for its pixel array and these bounds, and kept while that array lives.
     */
    public static SampleQuads of(DataSet set, int[] bounds) {
        return MADE.get(set.pixels(), quads -> quads.size == set.size() && Arrays.equals(quads.bounds, bounds),
                () -> relayout(set.pixels(), set.size(), set.dim(), bounds));
    }

    /** The quads of {@code size} rows of {@code dim} pixels for the column ranges between {@code bounds}. */
    public static SampleQuads relayout(byte[] pixels, int size, int dim, int[] bounds) {
        ColumnPlanes.checkBounds(bounds, dim);
        int quadCount = (size + MEMBERS - 1) / MEMBERS;
        byte[][] planes = new byte[bounds.length - 1][];
        for (int p = 0; p < planes.length; p++) {
            int columns = bounds[p + 1] - bounds[p];
            int width = paddedWidth(columns);
            byte[] plane = new byte[Math.multiplyExact(quadCount * MEMBERS, width)];
            Arrays.fill(plane, SIGNED_ZERO);
            for (int i = 0; i < size; i++) {
                for (int c = 0; c < columns; c += UNIT) {
                    System.arraycopy(pixels, i * dim + bounds[p] + c, plane, offset(i, c, width),
                            Math.min(UNIT, columns - c));
                }
            }
            planes[p] = plane;
        }
        return new SampleQuads(planes, bounds.clone(), size);
    }

    /** {@code columns} rounded up to whole units. */
    public static int paddedWidth(int columns) {
        return (columns + UNIT - 1) / UNIT * UNIT;
    }

    /**
     * Where a plane of padded width {@code width} holds image {@code image}'s pixel at column {@code column} of
     * its range (counted from the range's first column).
     */
    public static int offset(int image, int column, int width) {
        return image / MEMBERS * MEMBERS * width + column / UNIT * MEMBERS * UNIT + image % MEMBERS * UNIT
                + column % UNIT;
    }

    /** Plane p: columns {@code [firstColumn(p), firstColumn(p) + columns(p))} of every image, in quads. */
    public byte[] plane(int p) {
        return planes[p];
    }

    public int firstColumn(int p) {
        return bounds[p];
    }

    /** The columns of plane p. */
    public int columns(int p) {
        return bounds[p + 1] - bounds[p];
    }

    /** The padded width of plane p, as {@link #offset} takes it. */
    public int width(int p) {
        return paddedWidth(columns(p));
    }

    public int planes() {
        return planes.length;
    }

    public int size() {
        return size;
    }
}
